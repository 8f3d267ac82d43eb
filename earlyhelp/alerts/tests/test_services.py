"""Acknowledging alerts, and reading one's own inbox: keyset pages and the capped count."""

from __future__ import annotations

import pytest

from conftest import Partnership
from earlyhelp.alerts import selectors, services
from earlyhelp.alerts.models import Alert
from earlyhelp.alerts.tests.factories import alert_for, alerts_for
from earlyhelp.core.errors import NotFoundOrForbidden
from earlyhelp.core.models import AccessAction, AccessEvent, AuditEvent

pytestmark = pytest.mark.django_db


def test_the_recipient_acknowledges_their_alert_and_it_is_audited(
    partnership: Partnership,
) -> None:
    alert = alert_for(partnership.maya)
    done = services.alert_acknowledge(actor=partnership.maya, alert_id=alert.pk)
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None and done.acknowledged_at == alert.acknowledged_at
    event = AuditEvent.objects.get(action="alert.acknowledge")
    assert (event.actor, event.object_type, event.object_id) == (
        partnership.maya,
        "alerts.alert",
        str(alert.pk),
    )


def test_acknowledging_twice_is_harmless(partnership: Partnership) -> None:
    alert = alert_for(partnership.maya)
    first = services.alert_acknowledge(actor=partnership.maya, alert_id=alert.pk)
    again = services.alert_acknowledge(actor=partnership.maya, alert_id=alert.pk)
    assert again.acknowledged_at == first.acknowledged_at
    assert AuditEvent.objects.filter(action="alert.acknowledge").count() == 1


@pytest.mark.parametrize("who", ["someone else's", "missing"])
def test_someone_elses_alert_or_a_missing_one_is_not_found(
    who: str, partnership: Partnership
) -> None:
    owens = alert_for(partnership.owen)
    alert_id = owens.pk if who == "someone else's" else owens.pk + 1000
    with pytest.raises(NotFoundOrForbidden):
        services.alert_acknowledge(actor=partnership.maya, alert_id=alert_id)
    owens.refresh_from_db()
    assert owens.acknowledged_at is None
    assert not AuditEvent.objects.filter(action="alert.acknowledge").exists()
    refused = AccessEvent.objects.get(actor=partnership.maya, action=AccessAction.DENIED)
    assert refused.object_id == str(alert_id)


@pytest.mark.parametrize("persona", ["sam", "bea"])
def test_administrator_and_analyst_have_no_inbox(persona: str, partnership: Partnership) -> None:
    """Even an alert addressed to them (none is raised for them) stays out of reach."""
    user = getattr(partnership, persona)
    alert = alert_for(user)
    with pytest.raises(NotFoundOrForbidden):
        selectors.alert_list(actor=user, open_only=True)
    with pytest.raises(NotFoundOrForbidden):
        services.alert_acknowledge(actor=user, alert_id=alert.pk)
    assert selectors.alert_open_count(actor=user) == "0"
    assert not selectors.receives_alerts(user)


@pytest.mark.parametrize("persona", ["maya", "owen", "fatima"])
def test_practitioners_have_an_inbox(persona: str, partnership: Partnership) -> None:
    assert selectors.receives_alerts(getattr(partnership, persona))


def test_the_list_is_ones_own_newest_first_and_the_look_is_recorded(
    partnership: Partnership,
) -> None:
    older, newer = alerts_for(partnership.maya, 2)
    alert_for(partnership.owen, title="Owen's alert")
    page = selectors.alert_list(actor=partnership.maya, open_only=True)
    assert [a.pk for a in page.alerts] == [newer.pk, older.pk]
    assert page.next_after is None
    looked = AccessEvent.objects.get(actor=partnership.maya, action=AccessAction.LIST)
    assert looked.object_type == "alerts.alert"


def test_open_only_leaves_out_acknowledged_alerts_which_all_keeps(
    partnership: Partnership,
) -> None:
    done, waiting = alerts_for(partnership.maya, 2)
    services.alert_acknowledge(actor=partnership.maya, alert_id=done.pk)
    open_page = selectors.alert_list(actor=partnership.maya, open_only=True)
    all_page = selectors.alert_list(actor=partnership.maya, open_only=False)
    assert [a.pk for a in open_page.alerts] == [waiting.pk]
    assert [a.pk for a in all_page.alerts] == [waiting.pk, done.pk]


@pytest.mark.parametrize("open_only", [True, False])
def test_keyset_pages_walk_every_alert_once(open_only: bool, partnership: Partnership) -> None:
    made = alerts_for(partnership.maya, 7)
    services.alert_acknowledge(actor=partnership.maya, alert_id=made[3].pk)
    expected = [a.pk for a in reversed(made) if not (open_only and a.pk == made[3].pk)]
    seen: list[int] = []
    after = None
    pages = 0
    while True:
        page = selectors.alert_list(
            actor=partnership.maya, open_only=open_only, after_id=after, limit=3
        )
        seen += [a.pk for a in page.alerts]
        pages += 1
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == expected
    assert pages == (len(expected) + 2) // 3


def test_a_page_after_an_alert_raised_in_between_neither_repeats_nor_skips(
    partnership: Partnership,
) -> None:
    made = alerts_for(partnership.maya, 4)
    first = selectors.alert_list(actor=partnership.maya, open_only=True, limit=2)
    alert_for(partnership.maya, title="Raised while reading")
    second = selectors.alert_list(
        actor=partnership.maya, open_only=True, after_id=first.next_after, limit=2
    )
    assert [a.pk for a in first.alerts + second.alerts] == [a.pk for a in reversed(made)]


def test_a_page_size_out_of_range_is_kept_within_bounds(partnership: Partnership) -> None:
    alerts_for(partnership.maya, 2)
    assert len(selectors.alert_list(actor=partnership.maya, open_only=True, limit=0).alerts) == 1
    assert (
        len(selectors.alert_list(actor=partnership.maya, open_only=True, limit=10**6).alerts) == 2
    )


@pytest.mark.parametrize(
    ("open_alerts", "acknowledged", "shown"),
    [(0, 0, "0"), (0, 2, "0"), (3, 1, "3"), (99, 0, "99"), (100, 0, "99+"), (120, 0, "99+")],
)
def test_the_open_count_is_capped_for_the_navigation(
    open_alerts: int, acknowledged: int, shown: str, partnership: Partnership
) -> None:
    Alert.objects.bulk_create(
        [Alert(recipient=partnership.maya, kind="k", title="t") for _ in range(open_alerts)]
    )
    for alert in alerts_for(partnership.maya, acknowledged):
        services.alert_acknowledge(actor=partnership.maya, alert_id=alert.pk)
    alerts_for(partnership.owen, 2)
    assert selectors.alert_open_count(actor=partnership.maya) == shown


def test_raising_with_a_dedupe_key_alerts_each_recipient_once(partnership: Partnership) -> None:
    for _ in range(2):
        services.alert_raise(
            recipients=[partnership.maya, partnership.maya, partnership.fatima],
            kind="k",
            title="Once",
            dedupe_key="once",
        )
    assert sorted(Alert.objects.values_list("recipient__email", flat=True)) == [
        "fatima@earlyhelp.example",
        "maya@midwifery.example",
    ]
