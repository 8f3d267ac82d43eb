"""Emergency ("break-glass") access: open it with a written reason, always reviewed afterwards.

A practitioner who believes a child is at risk now, and cannot find the family's record
because no sharing route reaches it, may open time-limited access to that family. The
information governance leads are alerted at once and mark each use justified or not; repeated
unjustified use is raised with the practitioner's team managers. The grant is a sharing
route (``Route.BREAK_GLASS``) only while it is open (sharing.policies).

Rules: the 2024 golden rules (protection beats privacy, never wait for consent where a child
may be at risk, record reasons) and R-IS-1 (every decision recorded); R-IS-11 (justify the
purpose, minimum necessary: the grant ends by itself).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import CASEWORK_ROLES, Role, User
from earlyhelp.alerts.services import alert_raise
from earlyhelp.core.access import access_record
from earlyhelp.core.audit import audit_record
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.models import AccessAction
from earlyhelp.people import rules as people_rules
from earlyhelp.people.models import Family, Person
from earlyhelp.sharing import policies
from earlyhelp.sharing.models import BreakGlassGrant, BreakGlassReview

if TYPE_CHECKING:
    from django.http import HttpRequest

DEFAULT_HOURS = 3
REASON_MIN_LENGTH = 20  # "at least a sentence"
# Two uses judged not justified within 90 days are raised with the team manager.
REPEATED_UNJUSTIFIED_COUNT = 2
REPEATED_UNJUSTIFIED_DAYS = 90

NO_MATCH = (
    "No family record matches these details. Check them, or contact the front door for advice"
)
SEVERAL_MATCHES = "More than one person matches these details. Enter their NHS number instead"
ALREADY_VISIBLE = "You can already see this family's record. Find them with 'Find a person' instead"


def break_glass_duration() -> datetime.timedelta:
    """How long a grant lasts: settings.BREAK_GLASS_HOURS, 3 hours unless set."""
    return datetime.timedelta(hours=getattr(settings, "BREAK_GLASS_HOURS", DEFAULT_HOURS))


def may_open_break_glass(actor: User) -> bool:
    """Practitioners in casework may; system administrators and board analysts never do."""
    return bool(
        actor.is_authenticated
        and actor.is_active
        and any(m.role in CASEWORK_ROLES for m in actor.active_memberships())
    )


def is_information_governance_lead(actor: User) -> bool:
    return bool(actor.is_authenticated and actor.is_active and actor.has_role(Role.IG_LEAD))


def _information_governance_leads() -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__role=Role.IG_LEAD,
            memberships__ended_on__isnull=True,
        ).distinct()
    )


def _team_managers_of(practitioner: User) -> list[User]:
    team_ids = {m.team_id for m in practitioner.active_memberships()}
    return list(
        User.objects.filter(
            is_active=True,
            memberships__role=Role.TEAM_MANAGER,
            memberships__ended_on__isnull=True,
            memberships__team_id__in=team_ids,
        )
        .exclude(pk=practitioner.pk)
        .distinct()
    )


def _validate_reason(reason: str) -> dict[str, list[str]]:
    reason = reason.strip()
    if not reason:
        return {"reason": ["Enter why you need emergency access now"]}
    if len(reason) < REASON_MIN_LENGTH:
        return {
            "reason": [
                f"Reason must be at least {REASON_MIN_LENGTH} characters: say in a sentence "
                "why a child is at risk now"
            ]
        }
    return {}


def _open(*, actor: User, family: Family, reason: str, now: datetime.datetime) -> BreakGlassGrant:
    grant = BreakGlassGrant.objects.create(
        practitioner=actor,
        family=family,
        reason=reason,
        opened_at=now,
        expires_at=now + break_glass_duration(),
    )
    until = timezone.localtime(grant.expires_at)
    audit_record(
        actor=actor,
        action="break_glass.open",
        obj=grant,
        summary=f"Emergency access to family {family.pk} until {until:%H:%M on %d %B %Y}",
        changes={"family_id": family.pk, "reason": reason},
    )
    organisations = sorted(
        {m.team.organisation.name for m in actor.active_memberships() if m.role in CASEWORK_ROLES}
    )
    alert_raise(
        recipients=[u for u in _information_governance_leads() if u.pk != actor.pk],
        kind="break_glass_opened",
        title=f"Emergency access opened by {actor}: review needed",
        body=(
            f"{actor} ({', '.join(organisations)}) opened emergency access to {family.name} "
            f"until {until:%H:%M on %d %B %Y}. Their reason: {reason}"
        ),
        url=reverse("sharing:break_glass_review", kwargs={"grant_id": grant.pk}),
        dedupe_key=f"break-glass-opened:{grant.pk}",
    )
    return grant


@transaction.atomic
def break_glass_open(
    *,
    actor: User,
    family: Family,
    reason: str,
    now: datetime.datetime | None = None,
) -> BreakGlassGrant:
    """Open emergency access to one family for ``break_glass_duration()``.

    Refused (404) to anyone who is not a casework practitioner. A family the actor can
    already see needs no emergency access.
    """
    if not may_open_break_glass(actor):
        raise NotFoundOrForbidden
    now = now or timezone.now()
    errors = _validate_reason(reason)
    if errors:
        raise ValidationProblem(errors)
    if policies.family_routes(actor, family, now=now):
        raise ValidationProblem({"__all__": [ALREADY_VISIBLE]})
    return _open(actor=actor, family=family, reason=reason.strip(), now=now)


@dataclass(frozen=True)
class PersonIdentifiers:
    """What a practitioner knows about someone whose record they cannot see.

    Either the NHS number, or the exact name and date of birth. Nothing found is shown until
    emergency access is open.
    """

    nhs_number: str = ""
    given_name: str = ""
    family_name: str = ""
    date_of_birth: datetime.date | None = None


def _validate_identifiers(identifiers: PersonIdentifiers) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    number = people_rules.normalise_nhs_number(identifiers.nhs_number)
    if number:
        if not people_rules.nhs_number_is_valid(number):
            errors["nhs_number"] = ["Enter a valid NHS number: 10 digits, like 943 476 5919"]
        return errors
    if not people_rules.name_key(identifiers.given_name):
        errors["given_name"] = ["Enter their given name, or their NHS number"]
    if not people_rules.name_key(identifiers.family_name):
        errors["family_name"] = ["Enter their family name, or their NHS number"]
    if identifiers.date_of_birth is None:
        errors["date_of_birth"] = ["Enter their date of birth, or their NHS number"]
    return errors


def _matching_persons(identifiers: PersonIdentifiers) -> list[Person]:
    number = people_rules.normalise_nhs_number(identifiers.nhs_number)
    if number:
        return list(Person.objects.filter(nhs_number=number))
    given = people_rules.name_key(identifiers.given_name)
    family = people_rules.name_key(identifiers.family_name)
    return list(
        Person.objects.filter(
            Q(given_name_key=given, family_name_key=family)
            | Q(aliases__given_name_key=given, aliases__family_name_key=family),
            date_of_birth=identifiers.date_of_birth,
        ).distinct()
    )


def break_glass_open_for_person(
    *,
    actor: User,
    identifiers: PersonIdentifiers,
    reason: str,
    now: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> list[BreakGlassGrant]:
    """Open emergency access to every family the identified person belongs to now.

    The person is found server-side from their NHS number or exact name and date of birth;
    nothing about them or their family is shown until the grants are open. A search that
    finds no family is recorded as a refused look (so repeated guessing shows in the access
    log) and answered with one message, whatever the reason.
    """
    if not may_open_break_glass(actor):
        raise NotFoundOrForbidden
    now = now or timezone.now()
    errors = {**_validate_identifiers(identifiers), **_validate_reason(reason)}
    if errors:
        raise ValidationProblem(errors)
    persons = _matching_persons(identifiers)
    if len(persons) > 1:
        raise ValidationProblem({"nhs_number": [SEVERAL_MATCHES]})
    families = list(
        Family.objects.filter(members__person__in=persons, members__left_on__isnull=True)
        .distinct()
        .order_by("pk")
    )
    if not families:
        # Outside the transaction below, so the refusal stays recorded.
        access_record(
            actor=actor,
            action=AccessAction.DENIED,
            object_type="people.family",
            detail="emergency access: no family matched",
            request=request,
        )
        raise ValidationProblem({"__all__": [NO_MATCH]})
    with transaction.atomic():
        closed = [f for f in families if not policies.family_routes(actor, f, now=now)]
        if not closed:
            raise ValidationProblem({"__all__": [ALREADY_VISIBLE]})
        return [_open(actor=actor, family=f, reason=reason.strip(), now=now) for f in closed]


@transaction.atomic
def break_glass_review(
    *,
    actor: User,
    grant: BreakGlassGrant,
    review: str,
    note: str,
    now: datetime.datetime | None = None,
) -> BreakGlassGrant:
    """An information governance lead marks a use of emergency access justified or not.

    Nobody reviews their own use. When a practitioner has
    ``REPEATED_UNJUSTIFIED_COUNT`` uses judged not justified within
    ``REPEATED_UNJUSTIFIED_DAYS`` days, their team managers are alerted.
    """
    if not is_information_governance_lead(actor):
        raise NotFoundOrForbidden
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if review not in BreakGlassReview.values:
        errors["review"] = ["Select whether the use of emergency access was justified"]
    if not note.strip():
        errors["note"] = ["Enter a note about your decision"]
    if grant.practitioner_id == actor.pk:
        errors["__all__"] = [
            "You cannot review your own use of emergency access. Another information "
            "governance lead must review it"
        ]
    elif grant.review:
        errors["__all__"] = ["This use of emergency access has already been reviewed"]
    if errors:
        raise ValidationProblem(errors)
    # Another lead may be reviewing the same grant at the same moment: only one decision.
    updated = BreakGlassGrant.objects.filter(pk=grant.pk, review="").update(
        review=review, reviewed_by=actor, reviewed_at=now, review_note=note.strip()
    )
    if not updated:
        raise ValidationProblem(
            {"__all__": ["This use of emergency access has already been reviewed"]}
        )
    grant.refresh_from_db()
    audit_record(
        actor=actor,
        action="break_glass.review",
        obj=grant,
        summary=f"Emergency access by {grant.practitioner}: {grant.get_review_display()}",
        changes={"review": review, "note": grant.review_note},
    )
    if review == BreakGlassReview.NOT_JUSTIFIED:
        _raise_repeated_unjustified_use(grant=grant, now=now)
    return grant


def _raise_repeated_unjustified_use(*, grant: BreakGlassGrant, now: datetime.datetime) -> None:
    since = now - datetime.timedelta(days=REPEATED_UNJUSTIFIED_DAYS)
    practitioner = grant.practitioner
    count = BreakGlassGrant.objects.filter(
        practitioner=practitioner,
        review=BreakGlassReview.NOT_JUSTIFIED,
        opened_at__gte=since,
    ).count()
    if count < REPEATED_UNJUSTIFIED_COUNT:
        return
    alert_raise(
        recipients=_team_managers_of(practitioner),
        kind="break_glass_repeated_unjustified",
        title=f"Repeated unjustified emergency access by {practitioner}",
        body=(
            f"{count} uses of emergency access by {practitioner} in the last "
            f"{REPEATED_UNJUSTIFIED_DAYS} days were judged not justified by information "
            "governance. Please talk to them about when emergency access is right."
        ),
        dedupe_key=f"break-glass-unjustified:{grant.pk}",
    )
