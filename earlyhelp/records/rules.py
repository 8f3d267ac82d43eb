"""Pure rules for subject access and retention. No ORM, no request; "today" is passed in.

Rules: R-SAR-1 to R-SAR-4, R-IS-5, R-RET-1 and R-RET-2 (../shared/product/RULES.md).

The choice lists are Django ``TextChoices`` (a plain enum, no database) so that models, forms
and these rules share one definition.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models.enums import TextChoices

from earlyhelp.people.rules import ADULT_AGE, add_months, age_on

# --- Subject access (R-SAR-1 to R-SAR-4) ---------------------------------------------------


class RequesterRelationship(TextChoices):
    SELF = "self", "The person themselves"
    PARENTAL_RESPONSIBILITY = (
        "parental_responsibility",
        "A person with parental responsibility for them",
    )
    REPRESENTATIVE = (
        "representative",
        "A representative acting with their authority, such as a solicitor or advocate",
    )


class ReceivedVia(TextChoices):
    """R-SAR-1: a request can arrive by any channel, and no particular form is needed."""

    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone call"
    IN_PERSON = "in_person", "In person"
    ONLINE_FORM = "online_form", "Online form"
    SOCIAL_MEDIA = "social_media", "Social media"
    OTHER = "other", "Another way"


class IdentifiedBy(TextChoices):
    NHS_NUMBER = "nhs_number", "NHS number"
    NAME_AND_DATE_OF_BIRTH = "name_and_date_of_birth", "Name and date of birth"


class Competence(TextChoices):
    """R-SAR-4 and R-IS-13: a child's understanding of the request, judged and recorded."""

    COMPETENT = "competent", "Yes, they understand the request and what it means"
    NOT_COMPETENT = "not_competent", "No, they cannot yet understand it"


class ChildWishes(TextChoices):
    """R-SAR-3: what a competent young person wants when a parent asks for their information."""

    AGREES = "agrees", "They agree to their parent seeing their information"
    AGREES_IN_PART = "agrees_in_part", "They agree to their parent seeing some of it"
    OBJECTS = "objects", "They do not want their parent to see their information"


class ExemptionKind(TextChoices):
    """R-SAR-3: the social work data exemptions the information governance lead applies."""

    SERIOUS_HARM = (
        "serious_harm",
        "Serious harm test: disclosure would be likely to cause serious harm to the physical "
        "or mental health of the person or someone else (DPA 2018 Sch 3 Pt 3 para 7(2))",
    )
    DATA_SUBJECT_WISHES = (
        "data_subject_wishes",
        "The data subject's wishes: a person with parental responsibility asked, and the "
        "young person does not want it disclosed to them (DPA 2018 Sch 3 Pt 3)",
    )


# What is withheld automatically in every response, recorded with each export (R-SAR-3).
THIRD_PARTY_BASIS = (
    "Third-party information: other people's names and details are redacted unless they are "
    "the requester or the requester's own child (UK GDPR Art 15(4); DPA 2018 Sch 2 Pt 3). "
    "Professionals' names are not withheld (R-SAR-2)."
)
CONFIDENTIAL_REFERRER_BASIS = (
    "Confidential referrer: the person who told us asked not to be identified (R-IS-5; "
    "DPA 2018 Sch 2 Pt 3)."
)


class ExportSection(TextChoices):
    """Parts of the response that an exemption can withhold as a whole."""

    FAMILIES = "families", "Families and household members"
    ADDRESSES = "addresses", "Addresses"
    INVOLVEMENTS = "involvements", "Agencies involved"
    INFORMATION = "information", "Information agencies recorded"
    CONSENTS = "consents", "Consents"
    SHARING_DECISIONS = "sharing_decisions", "Decisions to share or not to share"
    DISCLOSURES = "disclosures", "Information that left the service"
    RECORD_OF_ACCESS = "record_of_access", "Who looked at or changed the record"


def subject_access_due_on(received_on: datetime.date) -> datetime.date:
    """R-SAR-1: respond within one calendar month of receipt.

    The same date in the next month; when that month has no such date, its last day
    (31 January -> 28 February, or 29 February in a leap year).
    """
    return add_months(received_on, 1)


def subject_access_is_overdue(
    *, due_on: datetime.date, response_sent_on: datetime.date | None, today: datetime.date
) -> bool:
    """R-SAR-1: overdue from the day after the due date until the response is sent."""
    return response_sent_on is None and today > due_on


def subject_is_child(
    *, date_of_birth: datetime.date | None, is_unborn: bool, on: datetime.date
) -> bool:
    """R-SAR-4: a child (under 18, or unborn) needs a competence check on the request."""
    if is_unborn:
        return True
    return date_of_birth is not None and age_on(date_of_birth, on) < ADULT_AGE


def subject_access_request_problems(
    *,
    relationship: str,
    subject_is_child: bool,
    subject_is_unborn: bool,
    competence: str,
    competence_judgement: str,
    child_wishes: str,
) -> dict[str, list[str]]:
    """What is wrong with who is asking and the competence check (R-SAR-3, R-SAR-4)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if relationship not in RequesterRelationship.values:
        add("requester_relationship", "Select who is asking")
        return errors
    parent_asks = relationship == RequesterRelationship.PARENTAL_RESPONSIBILITY
    if parent_asks and not subject_is_child:
        add(
            "requester_relationship",
            "A person with parental responsibility can ask only for a child's information. "
            "An adult asks for their own, or through a representative",
        )
    if relationship == RequesterRelationship.SELF and subject_is_unborn:
        add(
            "requester_relationship",
            "An unborn baby cannot ask for their own information. Record who is asking",
        )
    if not subject_is_child:
        return errors
    if competence not in Competence.values:
        add("competence", "Select whether they understand the request well enough to decide")
    elif competence == Competence.COMPETENT and subject_is_unborn:
        add("competence", "An unborn baby cannot be judged competent")
    elif (
        competence == Competence.NOT_COMPETENT
        and relationship == RequesterRelationship.SELF
        and not subject_is_unborn
    ):
        add(
            "competence",
            "A child who cannot yet understand the request cannot make it themselves. Record "
            "it as a request from a person with parental responsibility",
        )
    if not competence_judgement.strip():
        add("competence_judgement", "Say how you judged their understanding")
    if (
        parent_asks
        and competence == Competence.COMPETENT
        and not subject_is_unborn
        and child_wishes not in ChildWishes.values
    ):
        add("child_wishes", "Select what the young person wants their parent to see")
    return errors


def parent_request_problem(
    *, relationship: str, competence: str, child_wishes: str, wishes_exemptions: int
) -> str:
    """R-SAR-3, R-SAR-4: a parent asking for a competent young person's information.

    Nothing goes to the parent when the young person objects; when they agree in part, what
    they do not want shared must be recorded as an exemption first. Empty: no problem.
    """
    if (
        relationship != RequesterRelationship.PARENTAL_RESPONSIBILITY
        or competence != Competence.COMPETENT
    ):
        return ""
    if child_wishes == ChildWishes.OBJECTS:
        return (
            "The young person understands the request and does not want their parent to see "
            "their information, so nothing can be sent to the parent. Respond to the young "
            "person instead, or record that they now agree"
        )
    if child_wishes == ChildWishes.AGREES_IN_PART and wishes_exemptions == 0:
        return (
            "Record what the young person does not want their parent to see (the data "
            "subject's wishes exemption) before preparing the response"
        )
    return ""


def exemption_problems(
    *, kind: str, relationship: str, reason: str, has_target: bool
) -> dict[str, list[str]]:
    """R-SAR-3: each exemption names what it withholds and why."""
    errors: dict[str, list[str]] = {}
    if kind not in ExemptionKind.values:
        errors["kind"] = ["Select the exemption"]
    elif (
        kind == ExemptionKind.DATA_SUBJECT_WISHES
        and relationship != RequesterRelationship.PARENTAL_RESPONSIBILITY
    ):
        errors["kind"] = [
            "The data subject's wishes exemption applies only when a person with parental "
            "responsibility asks"
        ]
    if not has_target:
        errors["withheld"] = ["Select what is withheld"]
    if not reason.strip():
        errors["reason"] = ["Say why it is withheld"]
    return errors


# Relationships within one household: a mother or father of the household's children.
PARENT_RELATIONSHIPS_FOR_REDACTION = frozenset({"mother", "father"})
CHILD_RELATIONSHIPS_FOR_REDACTION = frozenset({"child", "unborn_baby"})


def is_own_child(*, parent_relationship: str, other_relationship: str) -> bool:
    """R-SAR-2: in the same household, the mother or father and the household's child.

    Deliberately narrow: a sibling or a partner's child stays a third party.
    """
    return (
        parent_relationship in PARENT_RELATIONSHIPS_FOR_REDACTION
        and other_relationship in CHILD_RELATIONSHIPS_FOR_REDACTION
    )


THIRD_PARTY = "[third party]"
CONFIDENTIAL_REFERRER = "[confidential referrer]"
# Letters, with apostrophes (straight or curly) and hyphens inside names: O'Brien, Smyth-Ali.
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


class Redactor:
    """Replaces third parties' names and confidential referrers in text (R-SAR-2, R-IS-5).

    Full names go first, then each part of a name on its own, so that "Jordan", "Pike" and
    "Jordan Pike" are all caught. Parts shared with someone whose name may be shown (the
    person themselves, the requester, the requester's children) are left alone, so a shared
    family name stays readable while the third party's full name is still caught. This is a
    mechanical aid: the information governance lead still reads the free text before it goes.
    """

    def __init__(
        self,
        *,
        third_parties: Iterable[str],
        confidential_referrers: Iterable[str] = (),
        shown: Iterable[str] = (),
    ) -> None:
        shown_words = {_key(w) for name in shown for w in _WORD.findall(name)}
        self.replacements: dict[str, str] = {}
        for names, replacement in (
            (confidential_referrers, CONFIDENTIAL_REFERRER),
            (third_parties, THIRD_PARTY),
        ):
            for name in names:
                if _key(name) and _key(name) not in self.replacements:
                    self.replacements[_key(name)] = replacement
        for names, replacement in (
            (confidential_referrers, CONFIDENTIAL_REFERRER),
            (third_parties, THIRD_PARTY),
        ):
            for name in names:
                for word in _WORD.findall(name):
                    key = _key(word)
                    if len(key) >= 2 and key not in shown_words:
                        self.replacements.setdefault(key, replacement)
        self.counts: Counter[str] = Counter()
        phrases = sorted(self.replacements, key=len, reverse=True)
        self._pattern = (
            re.compile(
                r"(?<!\w)(?:"
                + "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases)
                # Longest first, so a full name wins over its parts.
                + r")(?!\w)",
                re.IGNORECASE,
            )
            if phrases
            else None
        )

    def text(self, value: str) -> str:
        if not value or self._pattern is None:
            return value

        def replace(match: re.Match[str]) -> str:
            replacement = self.replacements[_key(match.group(0))]
            self.counts[replacement] += 1
            return replacement

        return self._pattern.sub(replace, value)


# --- Retention (R-RET-1, R-RET-2) ----------------------------------------------------------


class RecordClass(TextChoices):
    """Which retention rule applies to a person's record; facts decide, never a choice."""

    CARE_EXPERIENCED = "care_experienced", "Care-experienced person (care history recorded)"
    CHILDRENS_SOCIAL_CARE = (
        "childrens_social_care",
        "Person known to children's social care",
    )
    KNOWN_AS_CHILD = "known_as_child", "Child or unborn baby when first known"
    ADULT = "adult", "Adult when first known"


class RetentionTrigger(TextChoices):
    DATE_OF_BIRTH = (
        "date_of_birth",
        "Date of birth (for an unborn baby, the expected date of delivery)",
    )
    LAST_INVOLVEMENT_ENDED = (
        "last_involvement_ended",
        "The last involvement ended (if none, the date the record was made)",
    )
    LAST_ACTION = "last_action", "The last action on the record"


class Outcome(TextChoices):
    DESTROY = "destroy", "Would be destroyed"
    NOT_YET_DUE = "not_yet_due", "Not yet due for destruction"
    NO_RULE = "no_rule", "Kept: no retention rule is configured for its record class"
    LEGAL_HOLD = "legal_hold", "Due, but kept: a legal hold is in place"
    OPEN_INVOLVEMENT = "open_involvement", "Due, but kept: an agency is still involved"
    OPEN_SUBJECT_ACCESS = (
        "open_subject_access",
        "Due, but kept: a subject access request is still open",
    )
    CONSENT_EVIDENCE = (
        "consent_evidence",
        "Due, but kept: they gave a consent recorded for a family that is kept",
    )


DUE_BUT_KEPT = frozenset(
    {
        Outcome.LEGAL_HOLD,
        Outcome.OPEN_INVOLVEMENT,
        Outcome.OPEN_SUBJECT_ACCESS,
        Outcome.CONSENT_EVIDENCE,
    }
)


@dataclass(frozen=True)
class RetentionFacts:
    """What the retention rules need to know about one person, read on the review date."""

    person_id: int
    date_of_birth: datetime.date | None
    expected_date_of_delivery: datetime.date | None
    first_known_on: datetime.date
    last_involvement_ended_on: datetime.date | None
    last_action_on: datetime.date
    open_involvement: bool = False
    legal_hold: bool = False
    open_subject_access_request: bool = False
    care_history_recorded: bool = False
    childrens_social_care_involved: bool = False


@dataclass(frozen=True)
class RuleInForce:
    id: int
    record_class: str
    trigger: str
    period_years: int
    version: int
    basis: str


@dataclass(frozen=True)
class RetentionDecision:
    person_id: int
    outcome: str
    record_class: str = ""
    rule: RuleInForce | None = None
    trigger_date: datetime.date | None = None
    destroy_from: datetime.date | None = None


def add_years(day: datetime.date, years: int) -> datetime.date:
    """29 February plus years lands on 1 March in a common year: the later date keeps longer,
    and it matches how people.rules counts the birthday of someone born on 29 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return datetime.date(day.year + years, 3, 1)


def known_as_child(facts: RetentionFacts) -> bool:
    """Under 18, or not yet born, when the partnership first knew them."""
    if facts.date_of_birth is None:
        return True
    return age_on(facts.date_of_birth, facts.first_known_on) < ADULT_AGE


def record_classes(facts: RetentionFacts) -> list[str]:
    """Every class that fits; the longest retention among them applies (R-RET-1)."""
    classes: list[str] = []
    if facts.care_history_recorded:
        classes.append(RecordClass.CARE_EXPERIENCED)
    if facts.childrens_social_care_involved:
        classes.append(RecordClass.CHILDRENS_SOCIAL_CARE)
    classes.append(RecordClass.KNOWN_AS_CHILD if known_as_child(facts) else RecordClass.ADULT)
    return classes


def trigger_date(facts: RetentionFacts, trigger: str) -> datetime.date:
    """R-RET-1: the date a retention period counts from."""
    if trigger == RetentionTrigger.DATE_OF_BIRTH:
        born = facts.date_of_birth or facts.expected_date_of_delivery
        return born or facts.first_known_on
    if trigger == RetentionTrigger.LAST_INVOLVEMENT_ENDED:
        return facts.last_involvement_ended_on or facts.first_known_on
    if trigger == RetentionTrigger.LAST_ACTION:
        return facts.last_action_on
    raise ValueError(f"Unknown retention trigger {trigger!r}")


def retention_decision(
    facts: RetentionFacts, rules: Mapping[str, RuleInForce], *, on: datetime.date
) -> RetentionDecision:
    """R-RET-1, R-RET-2: would this person's record be destroyed on ``on``, and under what?

    Where several classes fit, the latest end of retention wins; a class with no rule keeps
    the record (nothing is destroyed by default). A record whose retention has ended is still
    kept while a legal hold, an open involvement or an open subject access request stands.
    """
    governing: RetentionDecision | None = None
    latest_end = datetime.date.min
    for record_class in record_classes(facts):
        rule = rules.get(record_class)
        if rule is None:
            return RetentionDecision(facts.person_id, Outcome.NO_RULE, record_class)
        starts = trigger_date(facts, rule.trigger)
        ends = add_years(starts, rule.period_years)
        if governing is None or ends > latest_end:
            latest_end = ends
            governing = RetentionDecision(
                facts.person_id, Outcome.DESTROY, record_class, rule, starts, ends
            )
    assert governing is not None  # record_classes always gives at least one class
    if latest_end > on:
        outcome = Outcome.NOT_YET_DUE
    elif facts.legal_hold:
        outcome = Outcome.LEGAL_HOLD
    elif facts.open_involvement:
        outcome = Outcome.OPEN_INVOLVEMENT
    elif facts.open_subject_access_request:
        outcome = Outcome.OPEN_SUBJECT_ACCESS
    else:
        return governing
    return dataclasses.replace(governing, outcome=outcome)


@dataclass(frozen=True)
class RetentionPlan:
    decisions: dict[int, RetentionDecision]
    families_to_destroy: frozenset[int]

    @property
    def persons_to_destroy(self) -> list[int]:
        return sorted(p for p, d in self.decisions.items() if d.outcome == Outcome.DESTROY)


def retention_plan(
    decisions: Mapping[int, RetentionDecision],
    *,
    family_members: Mapping[int, set[int]],
    protected_families: set[int],
    consents_given: Iterable[tuple[int, int]],
) -> RetentionPlan:
    """Whole families, and consents as evidence (R-RET-1).

    A family goes only when every person who was ever a member goes and nothing protects the
    family itself. A consent belongs to its family's record, so someone who gave a consent
    for a family that is kept is kept too; that can keep more families, so repeat until
    nothing changes.
    """
    result = dict(decisions)
    consents = list(consents_given)
    while True:
        destroyed = {p for p, d in result.items() if d.outcome == Outcome.DESTROY}
        families = {
            family
            for family, members in family_members.items()
            if members and members <= destroyed and family not in protected_families
        }
        changed = False
        for person, family in consents:
            if person in destroyed and family not in families:
                result[person] = dataclasses.replace(
                    result[person], outcome=Outcome.CONSENT_EVIDENCE
                )
                destroyed.discard(person)
                changed = True
        if not changed:
            return RetentionPlan(result, frozenset(families))
