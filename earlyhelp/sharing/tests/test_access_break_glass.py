"""Emergency (break-glass) access: opened with a written reason, alerted to information
governance at once, reviewed, and over when it expires.

Owen, the police officer with no route to the Ashworth family, is the practitioner who
breaks glass; Iris is the information governance lead; Tariq manages Owen's team.
"""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from earlyhelp.accounts.models import Role, Team
from earlyhelp.alerts.models import Alert
from earlyhelp.api.tests.conftest import bearer_client, problem
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.models import AccessAction, AccessEvent, AuditEvent
from earlyhelp.people.models import Person, PersonAlias
from earlyhelp.sharing import policies
from earlyhelp.sharing.models import BreakGlassGrant, BreakGlassReview
from earlyhelp.sharing.services import break_glass
from earlyhelp.sharing.services.break_glass import PersonIdentifiers

pytestmark = pytest.mark.django_db

CHLOE_NHS = "9434765919"
REASON = "Neighbour reports the baby has not been seen for two days and the mother is distressed"


@pytest.fixture
def p(partnership) -> Any:
    Person.objects.filter(pk=partnership.chloe.pk).update(nhs_number=CHLOE_NHS)
    governance = Team.objects.create(
        organisation=partnership.council, name="Information governance"
    )
    partnership.iris = make_user(
        "iris@council.example", "Iris Governance", governance, Role.IG_LEAD
    )
    partnership.ivan = make_user(
        "ivan@council.example", "Ivan Governance", governance, Role.IG_LEAD
    )
    response_team = partnership.owen.memberships.get().team
    partnership.tariq = make_user(
        "tariq@police.example", "Tariq Manager", response_team, Role.TEAM_MANAGER
    )
    return partnership


def open_for_chloe(p: Any, actor: Any = None, **kwargs: Any) -> list[BreakGlassGrant]:
    return break_glass.break_glass_open_for_person(
        actor=actor or p.owen,
        identifiers=PersonIdentifiers(nhs_number=CHLOE_NHS),
        reason=REASON,
        **kwargs,
    )


def expire(grant: BreakGlassGrant) -> None:
    past = timezone.now() - datetime.timedelta(hours=5)
    BreakGlassGrant.objects.filter(pk=grant.pk).update(
        opened_at=past, expires_at=past + datetime.timedelta(hours=3)
    )


# Opening, through the service


def test_opening_gives_time_limited_access_by_the_break_glass_route(p) -> None:
    [grant] = open_for_chloe(p)
    assert grant.family == p.ashworth
    assert grant.expires_at - grant.opened_at == datetime.timedelta(hours=3)
    assert policies.family_routes(p.owen, p.ashworth) == [policies.Route.BREAK_GLASS]
    assert policies.person_access_route(p.owen, p.unborn) == policies.Route.BREAK_GLASS
    audit = AuditEvent.objects.get(action="break_glass.open")
    assert audit.actor == p.owen
    assert audit.changes["reason"] == REASON


def test_information_governance_leads_are_alerted_at_once(p) -> None:
    [grant] = open_for_chloe(p)
    alerts = Alert.objects.filter(kind="break_glass_opened")
    assert {a.recipient for a in alerts} == {p.iris, p.ivan}
    alert = alerts.get(recipient=p.iris)
    assert "Owen Officer" in alert.title
    assert REASON in alert.body
    assert alert.url == reverse("sharing:break_glass_review", kwargs={"grant_id": grant.pk})


def test_the_duration_is_a_setting(p, settings) -> None:
    settings.BREAK_GLASS_HOURS = 1
    [grant] = open_for_chloe(p)
    assert grant.expires_at - grant.opened_at == datetime.timedelta(hours=1)


def test_after_expiry_there_is_no_access(p) -> None:
    [grant] = open_for_chloe(p)
    expire(grant)
    assert policies.family_routes(p.owen, p.ashworth) == []
    assert not policies.visible_persons(p.owen).exists()


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Enter why you need emergency access now"),
        ("Worried", "at least 20 characters"),
    ],
)
def test_a_reason_of_at_least_a_sentence_is_needed(p, reason, message) -> None:
    with pytest.raises(ValidationProblem) as raised:
        break_glass.break_glass_open(actor=p.owen, family=p.ashworth, reason=reason)
    assert any(message in m for m in raised.value.errors["reason"])
    assert not BreakGlassGrant.objects.exists()
    assert not Alert.objects.exists()


@pytest.mark.parametrize("persona", ["sam", "bea"])
def test_administrators_and_analysts_cannot_break_glass(p, persona) -> None:
    with pytest.raises(NotFoundOrForbidden):
        open_for_chloe(p, actor=getattr(p, persona))
    with pytest.raises(NotFoundOrForbidden):
        break_glass.break_glass_open(actor=getattr(p, persona), family=p.ashworth, reason=REASON)
    assert not BreakGlassGrant.objects.exists()


def test_a_family_already_visible_needs_no_emergency_access(p) -> None:
    with pytest.raises(ValidationProblem) as raised:
        open_for_chloe(p, actor=p.maya)
    assert "already see" in raised.value.errors["__all__"][0]
    assert not BreakGlassGrant.objects.exists()


def test_found_by_exact_name_and_date_of_birth_or_an_alias(p) -> None:
    grants = break_glass.break_glass_open_for_person(
        actor=p.owen,
        identifiers=PersonIdentifiers(
            given_name="chloe", family_name="ASHWORTH", date_of_birth=datetime.date(2009, 5, 14)
        ),
        reason=REASON,
    )
    assert [g.family for g in grants] == [p.ashworth]
    expire(grants[0])
    PersonAlias.objects.create(
        person=p.jordan,
        given_name="Jay",
        family_name="Pike",
        given_name_key="JAY",
        family_name_key="PIKE",
    )
    grants = break_glass.break_glass_open_for_person(
        actor=p.owen,
        identifiers=PersonIdentifiers(
            given_name="Jay", family_name="Pike", date_of_birth=datetime.date(2007, 2, 2)
        ),
        reason=REASON,
    )
    assert [g.family for g in grants] == [p.ashworth]


def test_no_match_says_one_thing_and_the_attempt_is_recorded(p) -> None:
    for identifiers in (
        PersonIdentifiers(nhs_number="4010232137"),  # valid, but nobody has it
        # Leah exists but belongs to no family: the same answer.
        PersonIdentifiers(
            given_name="Leah", family_name="Ashworth", date_of_birth=datetime.date(2008, 8, 8)
        ),
    ):
        with pytest.raises(ValidationProblem) as raised:
            break_glass.break_glass_open_for_person(
                actor=p.owen, identifiers=identifiers, reason=REASON
            )
        assert raised.value.errors == {"__all__": [break_glass.NO_MATCH]}
    assert not BreakGlassGrant.objects.exists()
    assert (
        AccessEvent.objects.filter(
            actor=p.owen, action=AccessAction.DENIED, detail__contains="emergency access"
        ).count()
        == 2
    )


def test_identifiers_are_checked_field_by_field(p) -> None:
    with pytest.raises(ValidationProblem) as raised:
        break_glass.break_glass_open_for_person(
            actor=p.owen, identifiers=PersonIdentifiers(given_name="Chloe"), reason=""
        )
    assert set(raised.value.errors) == {"family_name", "date_of_birth", "reason"}
    with pytest.raises(ValidationProblem) as raised:
        break_glass.break_glass_open_for_person(
            actor=p.owen, identifiers=PersonIdentifiers(nhs_number="9434765918"), reason=REASON
        )
    assert set(raised.value.errors) == {"nhs_number"}


def test_several_people_with_the_same_name_and_birthday_need_the_nhs_number(p) -> None:
    from conftest import make_person

    make_person("Chloe", "Ashworth", date_of_birth=datetime.date(2009, 5, 14))
    with pytest.raises(ValidationProblem) as raised:
        break_glass.break_glass_open_for_person(
            actor=p.owen,
            identifiers=PersonIdentifiers(
                given_name="Chloe", family_name="Ashworth", date_of_birth=datetime.date(2009, 5, 14)
            ),
            reason=REASON,
        )
    assert raised.value.errors == {"nhs_number": [break_glass.SEVERAL_MATCHES]}


# Review


def test_review_marks_the_use_with_a_note(p) -> None:
    [grant] = open_for_chloe(p)
    break_glass.break_glass_review(
        actor=p.iris, grant=grant, review=BreakGlassReview.JUSTIFIED, note="Welfare check needed"
    )
    grant.refresh_from_db()
    assert grant.review == BreakGlassReview.JUSTIFIED
    assert grant.reviewed_by == p.iris
    assert grant.review_note == "Welfare check needed"
    assert AuditEvent.objects.filter(action="break_glass.review", actor=p.iris).exists()
    with pytest.raises(ValidationProblem) as raised:
        break_glass.break_glass_review(
            actor=p.ivan, grant=grant, review=BreakGlassReview.NOT_JUSTIFIED, note="Changed mind"
        )
    assert "already been reviewed" in raised.value.errors["__all__"][0]


def test_review_needs_a_decision_and_a_note(p) -> None:
    [grant] = open_for_chloe(p)
    with pytest.raises(ValidationProblem) as raised:
        break_glass.break_glass_review(actor=p.iris, grant=grant, review="", note=" ")
    assert set(raised.value.errors) == {"review", "note"}


@pytest.mark.parametrize("persona", ["owen", "maya", "sam", "fatima", "tariq"])
def test_only_information_governance_leads_review(p, persona) -> None:
    [grant] = open_for_chloe(p)
    with pytest.raises(NotFoundOrForbidden):
        break_glass.break_glass_review(
            actor=getattr(p, persona), grant=grant, review="justified", note="Fine"
        )


def test_nobody_reviews_their_own_use(p) -> None:
    [grant] = open_for_chloe(p, actor=p.iris)
    assert not Alert.objects.filter(recipient=p.iris).exists()
    with pytest.raises(ValidationProblem) as raised:
        break_glass.break_glass_review(actor=p.iris, grant=grant, review="justified", note="Mine")
    assert "your own" in raised.value.errors["__all__"][0]
    break_glass.break_glass_review(actor=p.ivan, grant=grant, review="justified", note="Fine")


def unjustified(p: Any, *, days_ago: int = 0) -> BreakGlassGrant:
    now = timezone.now() - datetime.timedelta(days=days_ago)
    [grant] = break_glass.break_glass_open_for_person(
        actor=p.owen, identifiers=PersonIdentifiers(nhs_number=CHLOE_NHS), reason=REASON, now=now
    )
    if days_ago == 0:
        expire(grant)  # so that a later test step can open another
    return break_glass.break_glass_review(
        actor=p.iris, grant=grant, review=BreakGlassReview.NOT_JUSTIFIED, note="No risk shown"
    )


def test_a_second_unjustified_use_within_90_days_alerts_the_team_manager(p) -> None:
    unjustified(p, days_ago=30)
    assert not Alert.objects.filter(recipient=p.tariq).exists()
    unjustified(p)
    alert = Alert.objects.get(recipient=p.tariq)
    assert alert.kind == "break_glass_repeated_unjustified"
    assert "Owen Officer" in alert.title
    # Nobody outside Owen's team is told; the family is not named to the manager.
    assert not Alert.objects.filter(kind=alert.kind).exclude(recipient=p.tariq).exists()
    assert "Ashworth" not in alert.body


def test_unjustified_uses_more_than_90_days_apart_alert_nobody(p) -> None:
    unjustified(p, days_ago=120)
    unjustified(p)
    assert not Alert.objects.filter(kind="break_glass_repeated_unjustified").exists()


def test_justified_uses_never_alert_the_manager(p) -> None:
    for _ in range(3):
        [grant] = open_for_chloe(p)
        expire(grant)
        break_glass.break_glass_review(actor=p.iris, grant=grant, review="justified", note="Ok")
    assert not Alert.objects.filter(recipient=p.tariq).exists()


# The pages, as the personas use them


def test_owen_breaks_glass_from_search_then_sees_the_family(p, as_persona) -> None:
    owen = as_persona(p.owen)
    search = owen.get(reverse("people:search"), {"nhs_number": "943 476 5919"})
    body = html.unescape(search.content.decode())
    assert "Chloe" not in body
    link = f"{reverse('sharing:break_glass_open')}?nhs_number={CHLOE_NHS}"
    assert link in body
    form = owen.get(link)
    assert form.status_code == 200
    assert f'value="{CHLOE_NHS}"' in form.content.decode()
    assert owen.get(reverse("people:family_detail", args=[p.ashworth.pk])).status_code == 404

    response = owen.post(link, {"nhs_number": CHLOE_NHS, "reason": REASON})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:family_detail", args=[p.ashworth.pk])
    family_page = owen.get(response["Location"])
    assert family_page.status_code == 200
    page = html.unescape(family_page.content.decode())
    assert "Chloe Ashworth" in page
    assert re.search(r"You are using emergency access until \d\d:\d\d on \d+ \w+ \d{4}", page)
    view = AccessEvent.objects.filter(
        actor=p.owen, action=AccessAction.VIEW, object_type="people.family"
    ).get()
    assert view.route == "break_glass"
    assert Alert.objects.filter(recipient=p.iris, kind="break_glass_opened").exists()

    grant = BreakGlassGrant.objects.get()
    expire(grant)
    assert owen.get(reverse("people:family_detail", args=[p.ashworth.pk])).status_code == 404
    assert owen.get(reverse("people:person_detail", args=[p.chloe.pk])).status_code == 404


def test_a_missing_reason_is_an_error_on_the_field(p, as_persona) -> None:
    response = as_persona(p.owen).post(
        reverse("sharing:break_glass_open"), {"nhs_number": CHLOE_NHS, "reason": ""}
    )
    body = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "<title>Error: " in body
    assert '<a href="#id_reason">Enter why you need emergency access now</a>' in body
    assert 'id="id_reason-error"' in body
    assert not BreakGlassGrant.objects.exists()


def test_no_match_on_the_page_reveals_nothing(p, as_persona) -> None:
    response = as_persona(p.owen).post(
        reverse("sharing:break_glass_open"),
        {
            "given_name": "Leah",
            "family_name": "Ashworth",
            "date_of_birth_day": "8",
            "date_of_birth_month": "8",
            "date_of_birth_year": "2008",
            "reason": REASON,
        },
    )
    body = html.unescape(response.content.decode())
    assert break_glass.NO_MATCH in body
    assert "Ashworth household" not in body


@pytest.mark.parametrize("persona", ["sam", "bea"])
def test_administrators_and_analysts_get_404_on_the_page(p, as_persona, persona) -> None:
    client = as_persona(getattr(p, persona))
    url = reverse("sharing:break_glass_open")
    assert client.get(url).status_code == 404
    assert client.post(url, {"nhs_number": CHLOE_NHS, "reason": REASON}).status_code == 404
    assert not BreakGlassGrant.objects.exists()


def test_iris_reviews_from_the_queue(p, as_persona) -> None:
    [grant] = open_for_chloe(p)
    owen = as_persona(p.owen)
    owen.get(reverse("people:family_detail", args=[p.ashworth.pk]))
    iris = as_persona(p.iris)
    home = html.unescape(iris.get(reverse("core:home")).content.decode())
    assert "Break-glass reviews" in home
    queue = html.unescape(iris.get(reverse("sharing:break_glass_review_list")).content.decode())
    assert "Owen Officer" in queue and "Waiting for review" in queue
    url = reverse("sharing:break_glass_review", args=[grant.pk])
    detail = html.unescape(iris.get(url).content.decode())
    assert REASON in detail
    assert "Family record" in detail  # what Owen looked at through the grant
    empty = iris.post(url, {})
    assert '<a href="#id_review_0">Select whether the use' in html.unescape(empty.content.decode())
    response = iris.post(url, {"review": "not_justified", "note": "Police had another route"})
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.review == BreakGlassReview.NOT_JUSTIFIED
    assert "Not justified" in iris.get(reverse("sharing:break_glass_review_list")).content.decode()


@pytest.mark.parametrize("persona", ["owen", "maya", "fatima", "sam", "bea"])
def test_review_pages_are_not_found_for_anyone_but_governance(p, as_persona, persona) -> None:
    [grant] = open_for_chloe(p)
    client = as_persona(getattr(p, persona))
    assert client.get(reverse("sharing:break_glass_review_list")).status_code == 404
    url = reverse("sharing:break_glass_review", args=[grant.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"review": "justified", "note": "x"}).status_code == 404
    grant.refresh_from_db()
    assert grant.review == ""


def test_navigation_links_by_role(p, as_persona) -> None:
    def nav(user: Any) -> str:
        return as_persona(user).get(reverse("core:home")).content.decode()

    assert "Manage accounts" in nav(p.sam)
    assert "Manage accounts" not in nav(p.maya)
    # The e-mail outbox is the system administrator's to watch.
    assert reverse("notifications:outbox") in nav(p.sam)
    assert reverse("notifications:outbox") not in nav(p.maya)
    assert "Break-glass reviews" not in nav(p.maya)
    for user in (p.maya, p.sam, p.bea, p.iris):
        assert reverse("accounts:password_change") in nav(user)


# The API


def test_api_open_then_review(p) -> None:
    response = bearer_client(p.owen).post(
        "/api/v1/break-glass",
        {"nhs_number": "943 476 5919", "reason": REASON},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    [grant] = response.json()["grants"]
    assert grant["family_id"] == p.ashworth.pk
    iris = bearer_client(p.iris)
    assert [g["id"] for g in iris.get("/api/v1/break-glass").json()] == [grant["id"]]
    assert bearer_client(p.owen).get("/api/v1/break-glass").json() == []
    url = f"/api/v1/break-glass/{grant['id']}/review"
    assert iris.get(url).json()["review"] is None
    problem(bearer_client(p.owen).get(url), 404)
    reviewed = iris.post(
        url, {"review": "justified", "note": "Child at risk"}, content_type="application/json"
    )
    assert reviewed.status_code == 200, reviewed.content
    assert reviewed.json()["review"] == "justified"


def test_api_errors_are_per_field(p) -> None:
    body = problem(
        bearer_client(p.owen).post(
            "/api/v1/break-glass",
            {"nhs_number": CHLOE_NHS, "reason": "Short"},
            content_type="application/json",
        ),
        422,
    )
    assert "reason" in body["errors"]
    problem(
        bearer_client(p.sam).post(
            "/api/v1/break-glass",
            {"nhs_number": CHLOE_NHS, "reason": REASON},
            content_type="application/json",
        ),
        404,
    )
