"""Writes for the team around the family: the lead professional and the plan.

Every change checks the sharing policy first (a family the actor may not see is
NotFoundOrForbidden, 404), then the rules, then saves and audits in one transaction.
Joining and leaving the team are ``earlyhelp.sharing.services.team`` (an access route).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Role, User
from earlyhelp.alerts.services import alert_raise
from earlyhelp.assessments.models import Contribution
from earlyhelp.core.audit import audit_record
from earlyhelp.core.errors import EditConflict, NotFoundOrForbidden, ValidationProblem
from earlyhelp.levels.models import LevelDecision
from earlyhelp.people.models import Family, Involvement
from earlyhelp.plans import rules
from earlyhelp.plans.models import (
    ActionStatus,
    LeadProfessionalHandover,
    Plan,
    PlanAction,
    PlanOutcome,
    PlanStatus,
    TeamAroundFamilyMember,
)
from earlyhelp.plans.selectors import assessed_need_q
from earlyhelp.reviews import rules as review_rules
from earlyhelp.sharing import policies

if TYPE_CHECKING:
    from earlyhelp.alerts.models import Alert

NO_LEAD_ALERT = "plans.no_lead_professional"


def _family_locked(actor: User, family: Family) -> Family:
    """The policy check, then the family row locked: namings for one family queue up."""
    if not policies.can_open_family_records(actor):
        raise NotFoundOrForbidden
    if policies.family_access_route(actor, family) is None:
        raise NotFoundOrForbidden
    return Family.objects.select_for_update().get(pk=family.pk)


def lead_professional_version(*, family: Family) -> int:
    """How many times the lead professional role has changed hands: the edit version."""
    return LeadProfessionalHandover.objects.filter(family=family).count()


@transaction.atomic
def lead_professional_name(
    *,
    actor: User,
    family: Family,
    member_id: int,
    family_view: str,
    reason: str = "",
    version: int | None = None,
) -> TeamAroundFamilyMember:
    """Name a current member of the team as the family's lead professional (R-WT-5).

    The family's say is required. Naming someone while another holds the role is a
    hand-over and is recorded as one (who from, who to, when, why). With ``version`` (the
    number of recorded hand-overs the actor saw), a change made meanwhile by someone else is
    an EditConflict; the database constraint ``one_lead_professional_per_family`` holds
    "exactly one at a time" even if two requests race.
    """
    family = _family_locked(actor, family)
    if version is not None and version != lead_professional_version(family=family):
        raise EditConflict
    errors: dict[str, list[str]] = {}
    member = (
        TeamAroundFamilyMember.objects.filter(family=family, pk=member_id, left_on__isnull=True)
        .select_related("practitioner", "organisation")
        .first()
    )
    if member is None:
        errors["member"] = ["Choose a current member of the team around the family"]
    elif member.is_lead_professional:
        errors["member"] = ["They are already the lead professional"]
    if not family_view.strip():
        errors["family_view"] = ["Record what the family said about who their lead professional is"]
    if errors:
        raise ValidationProblem(errors)
    assert member is not None
    current = TeamAroundFamilyMember.objects.filter(
        family=family, is_lead_professional=True, left_on__isnull=True
    ).first()
    if current is not None and not reason.strip():
        raise ValidationProblem({"reason": ["Say why the lead professional is changing"]})
    try:
        with transaction.atomic():
            if current is not None:
                TeamAroundFamilyMember.objects.filter(pk=current.pk).update(
                    is_lead_professional=False
                )
            TeamAroundFamilyMember.objects.filter(pk=member.pk).update(is_lead_professional=True)
    except IntegrityError as error:  # another naming won the race
        raise EditConflict from error
    member.is_lead_professional = True
    LeadProfessionalHandover.objects.create(
        family=family,
        from_member=current,
        to_member=member,
        family_view=family_view.strip(),
        reason=reason.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="plans.lead_professional_name",
        obj=family,
        summary=(
            f"{member.practitioner} ({member.organisation.name}) named lead professional"
            + (f", handed over from {current.practitioner}" if current else "")
        ),
        changes={
            "from_member_id": current.pk if current else None,
            "to_member_id": member.pk,
        },
    )
    no_lead_professional_check(family)
    return member


@transaction.atomic
def lead_professional_end(
    *, actor: User, family: Family, reason: str, family_view: str = ""
) -> None:
    """The lead professional steps down with nobody named yet; recorded like a hand-over.

    Team managers are alerted at once if two or more agencies are still involved (R-WT-5).
    """
    family = _family_locked(actor, family)
    current = TeamAroundFamilyMember.objects.filter(
        family=family, is_lead_professional=True, left_on__isnull=True
    ).first()
    errors: dict[str, list[str]] = {}
    if current is None:
        errors["__all__"] = ["The family has no lead professional to end"]
    if not reason.strip():
        errors["reason"] = ["Say why the lead professional role is ending"]
    if errors:
        raise ValidationProblem(errors)
    assert current is not None
    TeamAroundFamilyMember.objects.filter(pk=current.pk).update(is_lead_professional=False)
    LeadProfessionalHandover.objects.create(
        family=family,
        from_member=current,
        to_member=None,
        family_view=family_view.strip(),
        reason=reason.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="plans.lead_professional_end",
        obj=family,
        summary=f"{current.practitioner} is no longer the lead professional",
        changes={"from_member_id": current.pk},
    )
    no_lead_professional_check(family)


def involved_organisation_ids(family: Family, today: datetime.date | None = None) -> set[int]:
    """Agencies working with the family now: current team members and open involvements."""
    today = today or timezone.localdate()
    team = TeamAroundFamilyMember.objects.filter(family=family, left_on__isnull=True).values_list(
        "organisation_id", flat=True
    )
    involved = (
        Involvement.objects.filter(family=family, started_on__lte=today)
        .exclude(ended_on__lt=today)
        .values_list("organisation_id", flat=True)
    )
    return set(team) | set(involved)


def no_lead_professional_check(family: Family) -> list[Alert]:
    """R-WT-5: two or more agencies involved and no lead professional alerts their team managers.

    Called after every naming or ending, and by ``manage.py no_lead_professional_sweep``.
    One alert per manager per gap (the key names the hand-over count), never twice.
    """
    organisations = involved_organisation_ids(family)
    if len(organisations) < 2:
        return []
    if TeamAroundFamilyMember.objects.filter(
        family=family, is_lead_professional=True, left_on__isnull=True
    ).exists():
        return []
    managers = User.objects.filter(
        is_active=True,
        memberships__ended_on__isnull=True,
        memberships__role=Role.TEAM_MANAGER,
        memberships__team__organisation_id__in=organisations,
    ).distinct()
    gap = lead_professional_version(family=family)
    return alert_raise(
        recipients=list(managers),
        kind=NO_LEAD_ALERT,
        title=f"No lead professional for {family.name}",
        body=(
            f"{len(organisations)} agencies are working with this family and nobody is its "
            "lead professional. Agree one with the family."
        ),
        url=reverse("people:family_detail", kwargs={"pk": family.pk}),
        dedupe_key=f"{NO_LEAD_ALERT}:{family.pk}:{gap}",
    )


# --- The plan (R-WT-6, R-EHA-2) -------------------------------------------------------------

ACTIVE_PLAN_EXISTS = "The family already has a plan: change that one"


def _plan_locked(actor: User, plan: Plan, version: int | None) -> Plan:
    """Policy check on the plan's family, then the plan row locked and its version checked."""
    if not policies.can_open_family_records(actor):
        raise NotFoundOrForbidden
    if policies.family_access_route(actor, plan.family) is None:
        raise NotFoundOrForbidden
    locked = Plan.objects.select_for_update().select_related("family").get(pk=plan.pk)
    if version is not None and locked.version != version:
        raise EditConflict
    if locked.status == PlanStatus.CLOSED:
        raise ValidationProblem({"__all__": ["This plan is closed"]})
    return locked


def _bump(plan: Plan) -> None:
    Plan.objects.filter(pk=plan.pk).update(version=F("version") + 1, updated_at=timezone.now())
    plan.refresh_from_db(fields=["version", "updated_at"])


def plan_lock(*, actor: User, plan: Plan, version: int | None) -> Plan:
    """For other apps' writes to a plan (reviews): the policy check, the plan row locked,
    its version checked (stale: EditConflict) and a closed plan refused."""
    return _plan_locked(actor, plan, version)


def plan_version_bump(plan: Plan) -> None:
    """A change to the plan made elsewhere (a review) moves its version on."""
    _bump(plan)


def review_intervals() -> dict[str, int]:
    """R-EHA-3: weeks between reviews by level code (setting REVIEW_INTERVAL_WEEKS)."""
    return dict(
        getattr(settings, "REVIEW_INTERVAL_WEEKS", review_rules.DEFAULT_REVIEW_INTERVAL_WEEKS)
    )


def current_level_code(family: Family) -> str | None:
    """The family's current level of need (its latest level decision), or None."""
    latest = LevelDecision.objects.filter(family=family).select_related("decided_level").first()
    return latest.decided_level.code if latest is not None else None


def default_review_on(family: Family, start: datetime.date) -> datetime.date:
    """R-EHA-3: the review due one interval (from the family's level of need) after start."""
    return review_rules.next_review_due(start, current_level_code(family), review_intervals())


@transaction.atomic
def plan_start(*, actor: User, family: Family, family_words: str) -> Plan:
    """Start the family's plan in their words (R-WT-6); one active plan at a time."""
    family = _family_locked(actor, family)
    errors: dict[str, list[str]] = {}
    if not family_words.strip():
        errors["family_words"] = ["Record, in the family's words, what they want to change"]
    if Plan.objects.filter(family=family).exclude(status=PlanStatus.CLOSED).exists():
        errors["__all__"] = [ACTIVE_PLAN_EXISTS]
    if errors:
        raise ValidationProblem(errors)
    plan = Plan.objects.create(family=family, family_words=family_words.strip(), created_by=actor)
    audit_record(actor=actor, action="plans.plan_start", obj=plan, summary="Plan started")
    return plan


@transaction.atomic
def plan_update(*, actor: User, plan: Plan, version: int, family_words: str) -> Plan:
    """Change the family's words. A change based on an older version is an EditConflict."""
    plan = _plan_locked(actor, plan, version)
    if not family_words.strip():
        raise ValidationProblem(
            {"family_words": ["Record, in the family's words, what they want to change"]}
        )
    old = plan.family_words
    plan.family_words = family_words.strip()
    plan.save(update_fields=["family_words"])
    _bump(plan)
    audit_record(
        actor=actor,
        action="plans.plan_update",
        obj=plan,
        summary="The family's words changed",
        changes={"family_words": [old, plan.family_words]},
    )
    return plan


@transaction.atomic
def plan_agree(
    *, actor: User, plan: Plan, version: int, review_on: datetime.date | None = None
) -> Plan:
    """Agree the plan with the family (R-EHA-2): needs a lead professional and a review date.

    Without a review date, the first review is due one interval after today, the interval
    coming from the family's level of need (R-EHA-3); the due date is stored on the plan.
    """
    plan = _plan_locked(actor, plan, version)
    today = timezone.localdate()
    if review_on is None:
        review_on = default_review_on(plan.family, today)
    errors = rules.agreement_problems(
        has_lead_professional=TeamAroundFamilyMember.objects.filter(
            family=plan.family, is_lead_professional=True, left_on__isnull=True
        ).exists(),
        review_on=review_on,
        today=today,
    )
    if errors:
        raise ValidationProblem(errors)
    plan.status = PlanStatus.AGREED
    plan.review_on = review_on
    plan.agreed_at = timezone.now()
    plan.agreed_by = actor
    plan.save(update_fields=["status", "review_on", "agreed_at", "agreed_by"])
    _bump(plan)
    audit_record(actor=actor, action="plans.plan_agree", obj=plan, summary="Plan agreed")
    return plan


CHOOSE_NEED = "Choose a need from the family's assessment"


@transaction.atomic
def outcome_add(
    *,
    actor: User,
    plan: Plan,
    version: int,
    headline: str,
    description: str,
    need_id: int | None = None,
) -> PlanOutcome:
    """An outcome the family wants, linked to a Supporting Families headline (R-SF-1) and,
    where it answers one, to an assessed need (issue 5 item 2).

    The need must be a contribution with a need written, in an assessment of the plan's
    family, that the actor may read in full (need-to-know, R-IS-12); anything else is a
    problem on "need", never a hint at what is held. With a need and no headline, the
    headline is the need's own Supporting Families headline; both given, they may differ
    (the practitioner decides).
    """
    plan = _plan_locked(actor, plan, version)
    errors: dict[str, list[str]] = {}
    need: Contribution | None = None
    if need_id is not None:
        need = (
            Contribution.objects.filter(assessed_need_q(actor=actor, family=plan.family))
            .filter(pk=need_id)
            .first()
        )
        if need is None:
            errors["need"] = [CHOOSE_NEED]
        elif not headline:
            headline = need.need_outcome
    if problem := rules.headline_problem(headline):
        errors["headline"] = [problem]
    if not description.strip():
        errors["description"] = ["Describe the outcome the family wants"]
    if errors:
        raise ValidationProblem(errors)
    outcome = PlanOutcome.objects.create(
        plan=plan, headline=headline, description=description.strip(), need=need
    )
    _bump(plan)
    audit_record(
        actor=actor,
        action="plans.outcome_add",
        obj=plan,
        summary="Outcome added",
        changes={"outcome_id": outcome.pk, "headline": headline, "need_id": need_id},
    )
    return outcome


FAMILY_OWNER = "family"


@transaction.atomic
def action_add(
    *,
    actor: User,
    plan: Plan,
    version: int,
    description: str,
    owner: str,
    due_on: datetime.date | None,
    outcome_id: int | None = None,
) -> PlanAction:
    """A SMART action (R-EHA-2): what, who (a current team member's id, or "family"), when."""
    plan = _plan_locked(actor, plan, version)
    errors: dict[str, list[str]] = {}
    if not description.strip():
        errors["description"] = ["Describe the action: what will be done"]
    member = None
    if owner != FAMILY_OWNER:
        member = (
            TeamAroundFamilyMember.objects.filter(
                family=plan.family, pk=int(owner), left_on__isnull=True
            ).first()
            if owner.isdigit()
            else None
        )
        if member is None:
            errors["owner"] = ["Choose who owns the action: a team member or the family"]
    if problem := rules.due_date_problem(due_on, timezone.localdate()):
        errors["due_on"] = [problem]
    outcome = None
    if outcome_id is not None:
        outcome = PlanOutcome.objects.filter(plan=plan, pk=outcome_id).first()
        if outcome is None:
            errors["outcome"] = ["Choose an outcome of this plan"]
    if errors:
        raise ValidationProblem(errors)
    assert due_on is not None
    action = PlanAction.objects.create(
        plan=plan,
        outcome=outcome,
        description=description.strip(),
        owner_member=member,
        owner_is_family=member is None,
        due_on=due_on,
        created_by=actor,
    )
    _bump(plan)
    audit_record(actor=actor, action="plans.action_add", obj=plan, summary="Action added")
    return action


def may_update_action(actor: User, action: PlanAction) -> bool:
    """Members update their own actions; the lead professional any; the family's, any member."""
    members = TeamAroundFamilyMember.objects.filter(
        family_id=action.plan.family_id, practitioner=actor, left_on__isnull=True
    )
    owner = action.owner_member
    if owner is not None and owner.practitioner_id == actor.pk:
        return True
    if action.owner_is_family and members.exists():
        return True
    return members.filter(is_lead_professional=True).exists()


@transaction.atomic
def action_update(
    *, actor: User, action: PlanAction, version: int, status: str, progress_note: str = ""
) -> PlanAction:
    """The owner records progress on their action. A stale version is an EditConflict."""
    plan = _plan_locked(actor, action.plan, None)
    locked = (
        # Only the action's row: its owner may be the family (no member), an outer join.
        PlanAction.objects.select_for_update(of=("self",))
        .select_related("plan", "owner_member")
        .get(pk=action.pk, plan=plan)
    )
    if locked.version != version:
        raise EditConflict
    if not may_update_action(actor, locked):
        raise ValidationProblem(
            {"__all__": ["Only the action's owner or the lead professional can update it"]}
        )
    if status not in ActionStatus.values:
        raise ValidationProblem({"status": ["Select the action's status"]})
    old = locked.status
    locked.status = status
    locked.progress_note = progress_note.strip()
    locked.version = F("version") + 1
    locked.save(update_fields=["status", "progress_note", "version", "updated_at"])
    locked.refresh_from_db()
    audit_record(
        actor=actor,
        action="plans.action_update",
        obj=plan,
        summary="Action progress recorded",
        changes={"action_id": locked.pk, "status": [old, status]},
    )
    return locked
