"""Personas and a well-filled record for the information governance tests.

- Iris, the information governance lead (Role.IG_LEAD): the only one who may use these pages.
- Chloe Ashworth's record (the partnership fixture) filled in: an address, a previous name,
  information items (one from a confidential referrer, one naming her partner), a consent,
  a decision to share, a disclosure and Maya's looks at her record.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from conftest import Partnership, make_user
from earlyhelp.accounts.models import Role, Team, User
from earlyhelp.core.access import access_record
from earlyhelp.core.models import AccessAction
from earlyhelp.people.models import Address, PersonAlias
from earlyhelp.people.rules import name_key
from earlyhelp.sharing.models import (
    Consent,
    ConsentGiver,
    Disclosure,
    DisclosureKind,
    InformationCategory,
    InformationItem,
    LawfulBasis,
    NoConsentReason,
    SharingDecision,
)

CONFIDENTIAL_REFERRER_NAME = "Sandra Neighbourly"


def _weasyprint_works() -> bool:
    try:
        import weasyprint  # noqa: F401 - only to see whether it loads
    except (ImportError, OSError):  # OSError: the Debian pango libraries are missing
        return False
    return True


needs_weasyprint = pytest.mark.skipif(
    not _weasyprint_works(),
    reason="weasyprint or its Debian libraries (libpango-1.0-0, libpangoft2-1.0-0) are missing",
)


@pytest.fixture
def iris(partnership: Partnership) -> User:
    governance = Team.objects.create(
        organisation=partnership.council, name="Information governance"
    )
    return make_user("iris@council.example", "Iris Governance", governance, Role.IG_LEAD)


@dataclass
class ChloeRecord:
    referral: InformationItem
    partner_note: InformationItem
    care_history: InformationItem
    consent: Consent
    decision: SharingDecision


@pytest.fixture
def chloe_record(partnership: Partnership) -> ChloeRecord:
    p = partnership
    chloe = p.chloe
    chloe.nhs_number = "9434765919"
    chloe.save(update_fields=["nhs_number"])
    Address.objects.create(
        person=chloe,
        line_1="12 Canal Street",
        town="Wyvern",
        postcode="WY1 2AB",
        local_authority="Wyvern",
        moved_in_on=datetime.date(2025, 4, 1),
    )
    PersonAlias.objects.create(
        person=chloe,
        given_name="Chloe",
        family_name="Brennan",
        given_name_key=name_key("Chloe"),
        family_name_key=name_key("Brennan"),
    )
    at = timezone.make_aware(datetime.datetime(2026, 9, 2, 10, 0))
    referral = InformationItem.objects.create(
        person=chloe,
        summary="Neighbour worried about shouting at night",
        detail=f"{CONFIDENTIAL_REFERRER_NAME} rang. She heard Jordan Pike shouting at Chloe.",
        source_organisation=p.police,
        recorded_by=p.owen,
        recorded_at=at,
        referrer=CONFIDENTIAL_REFERRER_NAME,
        referrer_confidential=True,
    )
    partner_note = InformationItem.objects.create(
        person=chloe,
        summary="Booked for antenatal care",
        detail="Chloe came with Jordan Pike. Her mum may help after the birth.",
        source_organisation=p.midwifery,
        recorded_by=p.maya,
        recorded_at=at + datetime.timedelta(days=1),
        referrer="Self-referral",
    )
    care_history = InformationItem.objects.create(
        person=chloe,
        category=InformationCategory.objects.get(code="care_history"),
        summary="Was in foster care 2019-2022",
        source_organisation=p.early_help,
        recorded_by=p.maya,
        recorded_at=at + datetime.timedelta(days=2),
    )
    consent = Consent.objects.create(
        family=p.ashworth,
        given_by=chloe,
        giver_kind=ConsentGiver.YOUNG_PERSON,
        competence_judgement="Understands, aged 17",
        purpose="Sharing with health visiting after the birth",
        starts_on=datetime.date(2026, 9, 3),
        recorded_by=p.maya,
    )
    consent.covers_people.add(chloe, p.unborn)
    decision = SharingDecision.objects.create(
        family=p.ashworth,
        share=True,
        what="Domestic abuse notification about Jordan Pike",
        purpose="Protect the unborn baby",
        no_consent_reason=NoConsentReason.WOULD_PREJUDICE_PROTECTION,
        lawful_basis=LawfulBasis.PUBLIC_TASK_SAFEGUARDING,
        reasons="Risk from Jordan; asking would alert him",
        decided_by=p.owen,
    )
    decision.about_people.add(chloe, p.jordan)
    decision.recipients.add(p.midwifery)
    Disclosure.objects.create(
        kind=DisclosureKind.SHARE,
        actor=p.owen,
        person_id_ref=chloe.pk,
        family_id_ref=p.ashworth.pk,
        what="Domestic abuse notification",
        recipient=p.midwifery.name,
        purpose="Protect the unborn baby",
        basis="Art 6(1)(e); Sch 1 para 18",
    )
    access_record(
        actor=p.maya, action=AccessAction.VIEW, obj=chloe, route="involvement", detail="page"
    )
    access_record(actor=p.maya, action=AccessAction.VIEW, obj=p.ashworth, route="involvement")
    return ChloeRecord(referral, partner_note, care_history, consent, decision)
