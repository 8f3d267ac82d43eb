"""Helper process for the outbox crash test (test_crash.py): seeds alerts, or reports the
outbox's state as JSON, in the database named by DATABASE_URL.

    python -m earlyhelp.notifications.tests.outbox_probe seed 60
    python -m earlyhelp.notifications.tests.outbox_probe state
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import transaction

    from earlyhelp.accounts.models import User
    from earlyhelp.alerts.services import alert_raise
    from earlyhelp.notifications.models import Notification, SentEmail

    if argv[0] == "seed":
        user, _ = User.objects.get_or_create(
            email="hana@hv.example", defaults={"full_name": "Hana Visitor"}
        )
        for n in range(int(argv[1])):
            with transaction.atomic():
                alert_raise(recipients=[user], kind="safer_sleep_red_flag", title=f"Alert {n}")
        return
    references = list(SentEmail.objects.values_list("reference", flat=True))
    print(
        json.dumps(
            {
                "statuses": dict(Counter(Notification.objects.values_list("status", flat=True))),
                "attempts": dict(
                    Counter(str(a) for a in Notification.objects.values_list("attempts", flat=True))
                ),
                "sent_emails": len(references),
                "distinct_references": len(set(references)),
                "same_references": set(references)
                == set(Notification.objects.values_list("reference", flat=True)),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
