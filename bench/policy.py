"""The sharing policy's cost: family list and family page with the full policy and without.

Runs on the benchmark database (``bench/generate.py``). A health visitor in the agency with
the most involvements opens the family list (first page and a later one) and family pages,
through the whole Django stack; then the same requests run with the policy's filters
replaced by "everything" (the baseline). The ratio is the policy's price. Realistic volumes
of the other routes are added first: consents, decisions to share, team memberships and
break-glass grants.

    DATABASE_URL=postgres://... python bench/policy.py --requests 200
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TESTING", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from search import percentile, signed_in_client  # noqa: E402

from earlyhelp.accounts.models import Membership, Organisation, Role, Team, User  # noqa: E402
from earlyhelp.people.models import Family, FamilyMember, Involvement, Person  # noqa: E402
from earlyhelp.plans.models import TeamAroundFamilyMember  # noqa: E402
from earlyhelp.sharing import policies  # noqa: E402
from earlyhelp.sharing.models import (  # noqa: E402
    BreakGlassGrant,
    Consent,
    InformationItem,
    LawfulBasis,
    NoConsentReason,
    SharingDecision,
)


def busiest_organisation() -> Organisation:
    row = (
        Involvement.objects.filter(ended_on__isnull=True, family__isnull=False)
        .values("organisation_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    assert row, "no involvements: run bench/generate.py first"
    return Organisation.objects.get(pk=row["organisation_id"])


def practitioner_in(organisation: Organisation) -> User:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    team, _ = Team.objects.get_or_create(organisation=organisation, name="Bench team")
    user, created = User.objects.get_or_create(
        email=f"bench-policy-{organisation.pk}@bench.example",
        defaults={"full_name": "Bench policy practitioner"},
    )
    if created:
        Membership.objects.create(user=user, team=team, role=Role.PRACTITIONER)
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    return user


def add_other_routes(rng: random.Random, actor: User, organisations: list[Organisation]) -> None:
    """Consents, decisions, team memberships and grants in realistic numbers (once)."""
    if Consent.objects.exists():
        return
    today = timezone.localdate()
    max_family = Family.objects.order_by("-id").values_list("id", flat=True).first() or 1
    family_ids = rng.sample(range(1, max_family + 1), 60_000)
    mothers = dict(
        FamilyMember.objects.filter(family_id__in=family_ids, relationship="mother").values_list(
            "family_id", "person_id"
        )
    )
    consents = [
        Consent(
            family_id=fid,
            given_by_id=mothers[fid],
            giver_kind="parent",
            purpose="Early help",
            starts_on=today - datetime.timedelta(days=rng.randrange(1, 400)),
            expires_on=None if rng.random() < 0.7 else today + datetime.timedelta(days=90),
            recorded_by=actor,
        )
        for fid in family_ids[:40_000]
        if fid in mothers
    ]
    created = Consent.objects.bulk_create(consents, batch_size=5000)
    through = Consent.organisations.through
    through.objects.bulk_create(
        [through(consent_id=c.pk, organisation_id=rng.choice(organisations).pk) for c in created],
        batch_size=5000,
    )
    decisions = SharingDecision.objects.bulk_create(
        [
            SharingDecision(
                family_id=fid,
                share=True,
                what="Risk information",
                purpose="Safeguarding",
                no_consent_reason=NoConsentReason.WOULD_PREJUDICE_PROTECTION,
                lawful_basis=LawfulBasis.PUBLIC_TASK_SAFEGUARDING,
                reasons="Bench",
                decided_by=actor,
            )
            for fid in family_ids[40_000:55_000]
        ],
        batch_size=5000,
    )
    recipients = SharingDecision.recipients.through
    recipients.objects.bulk_create(
        [
            recipients(sharingdecision_id=d.pk, organisation_id=rng.choice(organisations).pk)
            for d in decisions
        ],
        batch_size=5000,
    )
    others = list(User.objects.exclude(pk=actor.pk)[:50]) or [actor]
    TeamAroundFamilyMember.objects.bulk_create(
        [
            TeamAroundFamilyMember(
                family_id=fid,
                practitioner=rng.choice(others),
                organisation=rng.choice(organisations),
                joined_on=today - datetime.timedelta(days=30),
            )
            for fid in family_ids[55_000:60_000]
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    now = timezone.now()
    BreakGlassGrant.objects.bulk_create(
        [
            BreakGlassGrant(
                practitioner=rng.choice(others),
                family_id=fid,
                reason="Bench emergency access",
                opened_at=now - datetime.timedelta(hours=5),
                expires_at=now - datetime.timedelta(hours=2),
            )
            for fid in family_ids[:1000]
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(client: Client, urls: list[str]) -> list[float]:
    times = []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return times


def everything_page(actor: User, *, after: Family | None = None, limit: int) -> list[int]:
    """The family list's page with no policy: the next families by name."""
    families = Family.objects.order_by("name", "id")
    if after is not None:
        families = families.filter(
            Q(name__gte=after.name), Q(name__gt=after.name) | Q(name=after.name, pk__gt=after.pk)
        )
    return list(families.values_list("pk", flat=True)[:limit])


def without_policy() -> ExitStack:
    """Every policy filter replaced by "everything": the baseline."""
    stack = ExitStack()
    everything = {
        "visible_families": lambda actor, **kw: Family.objects.all(),
        "visible_persons": lambda actor, **kw: Person.objects.all(),
        "visible_information": lambda actor, **kw: InformationItem.objects.all(),
        "family_routes": lambda actor, family, **kw: [policies.Route.INVOLVEMENT],
        "visible_family_page": everything_page,
    }
    for name, replacement in everything.items():
        stack.enter_context(mock.patch.object(policies, name, replacement))
    return stack


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL.")
    rng = random.Random(args.seed)
    organisation = busiest_organisation()
    actor = practitioner_in(organisation)
    add_other_routes(rng, actor, list(Organisation.objects.all()))
    visible = list(
        policies.visible_families(actor).order_by("?").values_list("id", flat=True)[:500]
    )
    involved = policies.visible_families(actor).count()
    pages = [f"/people/families/{rng.choice(visible)}/" for _ in range(args.requests)]
    # The first page, and the page that follows the 2,000th family the practitioner sees
    # (what "page 41" was when pages were numbered; pages now follow on from a family).
    later = (
        policies.visible_families(actor).order_by("name", "id").values_list("pk", flat=True)[1999]
    )
    lists = ["/people/families/", f"/people/families/?after={later}&page=41"] * (args.requests // 2)
    client = signed_in_client(actor)
    results: dict[str, list[float]] = {}
    for label, context in (("with the policy", ExitStack()), ("without (baseline)", None)):
        with context or without_policy():
            timed(client, lists[:20] + pages[:20])  # warm up
            results[f"family list, {label}"] = timed(client, lists)
            results[f"family page, {label}"] = timed(client, pages)
    print(
        f"persons: {Person.objects.count():,}; families: {Family.objects.count():,}; "
        f"the practitioner's agency ({organisation.name}) sees {involved:,} families; "
        f"consents {Consent.objects.count():,}, decisions {SharingDecision.objects.count():,}"
    )
    print(f"{'measure':40} {'p50 ms':>8} {'p95 ms':>8}")
    for label, times in results.items():
        print(f"{label:40} {statistics.median(times):8.2f} {percentile(times, 0.95):8.2f}")
    for page in ("family list", "family page"):
        with_p = percentile(results[f"{page}, with the policy"], 0.95)
        base_p = percentile(results[f"{page}, without (baseline)"], 0.95)
        with_m = statistics.median(results[f"{page}, with the policy"])
        base_m = statistics.median(results[f"{page}, without (baseline)"])
        print(f"{page}: ratio with/without p50 {with_m / base_m:.2f}, p95 {with_p / base_p:.2f}")


if __name__ == "__main__":
    main()
