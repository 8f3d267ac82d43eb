"""Persona x route x action: every access route, in force and not, and what it opens.

One row per situation: the route that should let Owen (a police officer) see the Ashworth
family, or none. Each row is proven through the family page, Chloe's page, the API and the
detail of a domestic abuse record his agency needs (R-IS-4, R-IS-12, R-IS-13, R-IS-2,
R-IS-8). Partnership-wide roles, the analyst and the administrator are rows too.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from conftest import Partnership, sign_in
from earlyhelp.accounts.models import AgencyType, Organisation, User
from earlyhelp.api.models import Scope
from earlyhelp.api.services import api_token_issue
from earlyhelp.core.models import AccessEvent
from earlyhelp.people.models import Involvement
from earlyhelp.plans.models import TeamAroundFamilyMember
from earlyhelp.sharing import policies
from earlyhelp.sharing.models import (
    BreakGlassGrant,
    Consent,
    ConsentAgencyType,
    ConsentGiver,
    InformationCategory,
    InformationItem,
    LawfulBasis,
    NoConsentReason,
    NotSharingReason,
    SharingDecision,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DETAIL = "Police attended a domestic incident at the address"


def _consent(p: Partnership, **fields: object) -> Consent:
    defaults: dict[str, object] = {
        "family": p.ashworth,
        "given_by": p.chloe,
        "giver_kind": ConsentGiver.YOUNG_PERSON,
        "competence_judgement": "Understands what will be shared, with whom and why",
        "purpose": "Support for Chloe and the baby",
        "starts_on": TODAY - datetime.timedelta(days=10),
        "recorded_by": p.maya,
    }
    consent = Consent.objects.create(**{**defaults, **fields})
    consent.covers_people.add(p.chloe)
    return consent


def _abuse() -> InformationCategory:
    return InformationCategory.objects.get(code="domestic_abuse")


def consent_to_police(p: Partnership, *, category: bool = True, **fields: object) -> None:
    consent = _consent(p, **fields)
    consent.organisations.add(p.police)
    if category:
        consent.categories.add(_abuse())


def consent_to_agency_type(p: Partnership) -> None:
    consent = _consent(p)
    ConsentAgencyType.objects.create(consent=consent, agency_type=AgencyType.POLICE)
    consent.categories.add(_abuse())


def decision(p: Partnership, *, basis: str, share: bool = True, **fields: object) -> None:
    made = SharingDecision.objects.create(
        family=p.ashworth,
        share=share,
        what="The domestic abuse record",
        purpose="Protect Chloe and the baby",
        no_consent_reason=NoConsentReason.WOULD_PREJUDICE_PROTECTION if share else "",
        lawful_basis=basis if share else "",
        not_sharing_reason="" if share else NotSharingReason.NOT_NECESSARY,
        reasons="Risk to an unborn baby",
        decided_by=p.maya,
        **fields,
    )
    made.recipients.add(p.police)
    made.about_people.add(p.chloe)
    made.categories.add(_abuse())


def involvement(p: Partnership) -> None:
    Involvement.objects.create(
        organisation=p.police,
        family=p.ashworth,
        service="Neighbourhood policing",
        started_on=TODAY - datetime.timedelta(days=5),
    )


def team_member(p: Partnership) -> None:
    TeamAroundFamilyMember.objects.create(
        family=p.ashworth,
        practitioner=p.owen,
        organisation=p.police,
        joined_on=TODAY - datetime.timedelta(days=3),
    )


def break_glass(p: Partnership, *, hours_left: float) -> None:
    now = timezone.now()
    BreakGlassGrant.objects.create(
        practitioner=p.owen,
        family=p.ashworth,
        reason="A neighbour reports a baby crying for hours and nobody answering",
        opened_at=now - datetime.timedelta(hours=3),
        expires_at=now + datetime.timedelta(hours=hours_left),
    )


@dataclass(frozen=True)
class Row:
    situation: str
    setup: Callable[[Partnership], None]
    route: str | None  # the route recorded, None: 404 everywhere
    detail: bool = False  # the domestic abuse detail readable in full
    persona: str = "owen"


ROWS = [
    Row("no route at all", lambda p: None, None),
    Row("agency involved with the family", involvement, "involvement"),
    Row("member of the team around the family", team_member, "team_around_the_family"),
    Row("consent naming the police", consent_to_police, "sharing_basis", detail=True),
    Row(
        "consent for every police force", lambda p: consent_to_agency_type(p), "sharing_basis", True
    ),
    Row(
        "consent without the category",
        lambda p: consent_to_police(p, category=False),
        "sharing_basis",
    ),
    Row(
        "consent withdrawn",
        lambda p: consent_to_police(p, withdrawn_at=timezone.now(), withdrawn_by=p.maya),
        None,
    ),
    Row(
        "consent expired",
        lambda p: consent_to_police(p, expires_on=TODAY - datetime.timedelta(days=1)),
        None,
    ),
    Row(
        "consent not yet started",
        lambda p: consent_to_police(p, starts_on=TODAY + datetime.timedelta(days=1)),
        None,
    ),
    *[
        Row(
            f"share without consent: {basis.label[:40]}",
            functools.partial(decision, basis=basis),
            "sharing_basis",
            True,
        )
        for basis in LawfulBasis
        if basis != LawfulBasis.CONSENT
    ],
    Row(
        "share whose access has ended",
        lambda p: decision(
            p,
            basis=LawfulBasis.PUBLIC_TASK_SAFEGUARDING,
            access_until=TODAY - datetime.timedelta(days=1),
        ),
        None,
    ),
    Row("decision not to share", lambda p: decision(p, basis="", share=False), None),
    Row("break-glass open", lambda p: break_glass(p, hours_left=1), "break_glass", detail=True),
    Row("break-glass expired", lambda p: break_glass(p, hours_left=-1), None),
    Row("front door: partnership-wide role", lambda p: None, "partnership_role", persona="fatima"),
    Row("board analyst", consent_to_police, None, persona="bea"),
    Row("system administrator", consent_to_police, None, persona="sam"),
]


@pytest.fixture
def abuse_record(partnership: Partnership) -> InformationItem:
    refuge = Organisation.objects.create(
        name="Wyvern Refuge", agency_type=AgencyType.DOMESTIC_ABUSE, local_authority="Wyvern"
    )
    return InformationItem.objects.create(
        person=partnership.chloe,
        category=_abuse(),
        summary="Domestic abuse known",
        detail=DETAIL,
        source_organisation=refuge,
        recorded_by=partnership.maya,
    )


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.situation)
def test_route_opens_what_it_should(
    row: Row, partnership: Partnership, abuse_record: InformationItem
) -> None:
    p = partnership
    row.setup(p)
    actor: User = getattr(p, row.persona)
    client = sign_in(Client(), actor)

    family_page = client.get(f"/people/families/{p.ashworth.pk}/")
    person_page = client.get(f"/people/{p.chloe.pk}/")
    _, token = api_token_issue(user=actor, label="matrix", scopes=list(Scope.values))
    api = Client(headers={"Authorization": f"Bearer {token}"})
    family_api = api.get(f"/api/v1/families/{p.ashworth.pk}")

    if row.route is None:
        assert family_page.status_code == 404
        assert person_page.status_code == 404
        assert family_api.status_code == 404
        assert policies.family_access_route(actor, p.ashworth) is None
        assert not policies.visible_information(actor).filter(pk=abuse_record.pk).exists()
        return

    assert family_page.status_code == 200
    assert person_page.status_code == 200
    assert family_api.status_code == 200
    # The look is recorded with the route that allowed it.
    looks = AccessEvent.objects.filter(
        actor=actor, object_type="people.family", object_id=str(p.ashworth.pk), action="view"
    )
    assert looks.exists() and {look.route for look in looks} == {row.route}
    # Need-to-know: the detail only with a basis covering the category (or break-glass).
    readable = policies.visible_information(actor).filter(pk=abuse_record.pk).exists()
    assert readable is row.detail
    assert (DETAIL in person_page.content.decode()) is row.detail
    if not row.detail:
        # At most the category's flag, never the detail.
        assert "Domestic abuse is known" in person_page.content.decode()
