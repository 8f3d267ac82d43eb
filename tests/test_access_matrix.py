"""The access matrix: every URL the service has, and who may reach it.

Adding a URL without adding it here fails ``test_every_url_is_in_the_matrix``, so nothing
new ships without someone deciding who may see it. The walks then prove the decisions:
an anonymous visitor is sent to sign in (pages) or refused with 401 (API), except on the
public allowlist; the outsider, the system administrator and the board analyst get 404 on
every person and family page and API operation; the involved midwife gets through (R-IS-4).
"""

from __future__ import annotations

import datetime
import importlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType

import pytest
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import Partnership, make_user, sign_in
from earlyhelp.accounts.models import Role, Team, User
from earlyhelp.alerts.models import Alert
from earlyhelp.alerts.services import alert_raise
from earlyhelp.api.models import Scope
from earlyhelp.api.services import api_token_issue
from earlyhelp.sharing.models import (
    AdviceRequest,
    Consent,
    ConsentGiver,
    InformFamilyTask,
    SharingDecision,
)
from tests.access_kinds import (
    ADMIN,
    API_CASEWORK,
    API_DESCRIPTION,
    API_IG_ONLY,
    API_PUBLIC,
    API_RECORD,
    API_UNKNOWN,
    CASEWORK,
    IG_ONLY,
    PUBLIC,
    RECORD,
    SIGN_IN_STEP,
    SIGNED_IN,
)

pytestmark = pytest.mark.django_db

MATRIX_APPS = (
    "frontdoor",
    "assessments",
    "levels",
    "safersleep",
    "plans",
    "chronology",
    "reviews",
    "worktray",
    "housing",
    "notifications",
    "insights",
)


MATRIX: dict[str, str] = {
    "": SIGNED_IN,
    "health/": PUBLIC,
    "accessibility/": PUBLIC,
    "privacy/": PUBLIC,
    "account/sign-in/": SIGN_IN_STEP,
    "account/sign-in/security-code/": SIGN_IN_STEP,
    "account/sign-in/set-up-authenticator-app/": SIGN_IN_STEP,
    "account/sign-out/": SIGN_IN_STEP,
    "account/set-password/<str:uidb64>/<str:token>/": SIGN_IN_STEP,
    "account/change-password/": SIGNED_IN,
    "account/manage/": ADMIN,
    "account/manage/new/": ADMIN,
    "account/manage/<int:account_id>/": ADMIN,
    "account/manage/<int:account_id>/memberships/new/": ADMIN,
    "account/manage/<int:account_id>/memberships/<int:membership_id>/end/": ADMIN,
    "account/manage/<int:account_id>/deactivate/": ADMIN,
    "account/manage/<int:account_id>/reactivate/": ADMIN,
    "account/manage/<int:account_id>/reset-authenticator-app/": ADMIN,
    "account/manage/<int:account_id>/set-password-link/": ADMIN,
    "people/": RECORD,
    "people/<int:pk>/": RECORD,
    "people/<int:pk>/change/": RECORD,
    "people/<int:pk>/record-birth/": RECORD,
    "people/<int:pk>/addresses/new/": RECORD,
    "people/<int:person_pk>/involvements/new/": RECORD,
    "people/families/": RECORD,
    "people/families/new/": RECORD,
    "people/families/<int:pk>/": RECORD,
    "people/families/<int:pk>/members/new/": RECORD,
    "people/families/<int:family_pk>/involvements/new/": RECORD,
    "people/involvements/<int:pk>/end/": RECORD,
    "api/v1/docs": SIGNED_IN,
    "api/v1/docs/assets/<str:name>": PUBLIC,  # Swagger UI's own scripts and styles
    "api/v1/problems/<slug:slug>": API_PUBLIC,
    "api/v1/openapi.json": API_DESCRIPTION,
    "api/v1/people": API_RECORD,
    "api/v1/people/search": API_RECORD,
    "api/v1/people/<record_id:person_id>": API_RECORD,
    "api/v1/people/<record_id:person_id>/birth": API_RECORD,
    "api/v1/families": API_RECORD,
    "api/v1/families/<record_id:family_id>": API_RECORD,
    "api/v1/families/<record_id:family_id>/members": API_RECORD,
    "api/v1/families/<record_id:family_id>/involvements": API_RECORD,
    "api/v1/involvements": API_RECORD,
    "api/v1/involvements/<record_id:involvement_id>/end": API_RECORD,
    "api/v1/": API_UNKNOWN,
    # Information sharing
    "sharing/families/<int:family_pk>/access/": RECORD,
    "sharing/families/<int:family_pk>/advice/new/": RECORD,
    "sharing/families/<int:family_pk>/consents/new/": RECORD,
    "sharing/families/<int:family_pk>/decisions/new/": RECORD,
    "sharing/people/<int:person_pk>/information/new/": RECORD,
    "sharing/consents/<int:consent_pk>/": RECORD,
    "sharing/consents/<int:consent_pk>/withdraw/": RECORD,
    "sharing/decisions/<int:decision_pk>/": RECORD,
    "sharing/inform-family-tasks/<int:task_pk>/done/": RECORD,
    "sharing/emergency-access/": CASEWORK,
    "sharing/advice/": IG_ONLY,
    "sharing/advice/<int:advice_pk>/answer/": IG_ONLY,
    "sharing/emergency-access/reviews/": IG_ONLY,
    "sharing/emergency-access/reviews/<int:grant_id>/": IG_ONLY,
    "api/v1/families/<record_id:family_id>/access": API_RECORD,
    "api/v1/families/<record_id:family_id>/advice-requests": API_RECORD,
    "api/v1/families/<record_id:family_id>/consents": API_RECORD,
    "api/v1/families/<record_id:family_id>/sharing-decisions": API_RECORD,
    "api/v1/people/<record_id:person_id>/information": API_RECORD,
    "api/v1/consents/<record_id:consent_id>/withdraw": API_RECORD,
    "api/v1/break-glass": API_CASEWORK,
    "api/v1/break-glass/<record_id:grant_id>/review": API_IG_ONLY,
    # Records management
    "records/": IG_ONLY,
    "records/legal-holds/": IG_ONLY,
    "records/legal-holds/<int:pk>/lift/": IG_ONLY,
    "records/legal-holds/new/": IG_ONLY,
    "records/retention/": IG_ONLY,
    "records/retention/reviews/<int:pk>/": IG_ONLY,
    "records/retention/rules/<slug:record_class>/change/": IG_ONLY,
    "records/subject-access/": IG_ONLY,
    "records/subject-access/<int:pk>/": IG_ONLY,
    "records/subject-access/<int:pk>/exemptions/new/": IG_ONLY,
    "records/subject-access/<int:pk>/response.json": IG_ONLY,
    "records/subject-access/<int:pk>/response.pdf": IG_ONLY,
    "records/subject-access/<int:pk>/sent/": IG_ONLY,
    "records/subject-access/new/": IG_ONLY,
    "api/v1/retention/reviews": API_IG_ONLY,
    "api/v1/subject-access-requests": API_IG_ONLY,
    "api/v1/subject-access-requests/<record_id:request_id>/response": API_IG_ONLY,
    # Your alerts: each practitioner's own; board analysts and administrators never get one
    "alerts/": CASEWORK,
    "alerts/<int:alert_id>/acknowledge/": CASEWORK,
    "api/v1/alerts": API_CASEWORK,
    "api/v1/alerts/<record_id:alert_id>/acknowledge": API_CASEWORK,
}

# Each later app keeps its rows, the records its URLs need and well-formed API bodies in its
# own tests/access_matrix.py (ROWS, records(p), API_BODIES), merged here.
EXTENSIONS: tuple[ModuleType, ...] = tuple(
    importlib.import_module(f"earlyhelp.{app}.tests.access_matrix") for app in MATRIX_APPS
)
for _extension in EXTENSIONS:
    _clash = MATRIX.keys() & _extension.ROWS.keys()
    assert not _clash, f"{_extension.__name__} repeats rows: {_clash}"
    MATRIX.update(_extension.ROWS)


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str


def all_routes() -> Iterator[Route]:
    def walk(patterns: list, prefix: str, namespace: str) -> Iterator[Route]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                yield Route(prefix + str(entry.pattern), namespace + (entry.name or ""))

    seen = set()
    for route in walk(get_resolver().url_patterns, "", ""):
        if route.pattern not in seen:
            seen.add(route.pattern)
            yield route


def fill(pattern: str, ids: dict[str, object]) -> str:
    """A concrete URL: each converter replaced by the id named in ``ids`` (or a placeholder)."""

    def value(match: re.Match[str]) -> str:
        name = match.group(2)
        return str(ids.get(name, "1" if match.group(1) in {"int", "record_id"} else "x"))

    return "/" + re.sub(r"<(\w+):(\w+)>", value, pattern)


def test_every_url_is_in_the_matrix() -> None:
    patterns = {route.pattern for route in all_routes()}
    missing = sorted(patterns - MATRIX.keys())
    assert not missing, f"URLs with no access decision in the matrix: {missing}"
    stale = sorted(MATRIX.keys() - patterns)
    assert not stale, f"Matrix rows for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("pattern", sorted(MATRIX))
def test_anonymous_visitor(pattern: str, client: Client, partnership: Partnership) -> None:
    kind = MATRIX[pattern]
    url = fill(pattern, {})
    response = client.get(url)
    if kind in {PUBLIC, API_PUBLIC}:
        # A made-up file or problem name is not found; fixed public pages always answer.
        allowed = {200, 404} if "<" in pattern else {200}
        assert response.status_code in allowed, (url, response.status_code)
        if kind == API_PUBLIC:
            assert response.status_code == 200 or response["Content-Type"].startswith(
                "application/problem+json"
            )
    elif kind == SIGN_IN_STEP:
        # The sign-in pages answer, or send back to the first step; a made-up set-password
        # link is simply not found.
        assert response.status_code in {200, 302, 404}, (url, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/account/sign-in/")
    elif kind == API_UNKNOWN:
        assert response.status_code == 404, (url, response.status_code)
        assert response["Content-Type"].startswith("application/problem+json")
    elif not kind.startswith("api "):  # every other page needs signing in
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"].startswith("/account/sign-in/")
    else:
        if response.status_code == 405:  # an operation that only takes POST
            response = client.post(url, data="{}", content_type="application/json")
        assert response.status_code == 401, (url, response.status_code)
        assert response["Content-Type"].startswith("application/problem+json")
        assert response.has_header("WWW-Authenticate")


def sharing_records(p: Partnership) -> dict[str, object]:
    """A consent, a decision to share with its tell-the-family task, and a question to IG."""
    today = datetime.date(2026, 11, 1)
    consent = Consent.objects.create(
        family=p.ashworth,
        given_by=p.chloe,
        giver_kind=ConsentGiver.YOUNG_PERSON,
        competence_judgement="Understands what will be shared and why",
        purpose="Support in pregnancy",
        starts_on=today,
        recorded_by=p.maya,
    )
    decision = SharingDecision.objects.create(
        family=p.ashworth,
        share=True,
        what="Housing worries",
        purpose="Support in pregnancy",
        consent=consent,
        reasons="Agreed with Chloe",
        decided_by=p.maya,
    )
    task = InformFamilyTask.objects.create(decision=decision, assigned_to=p.maya, due_on=today)
    advice = AdviceRequest.objects.create(family=p.ashworth, asked_by=p.maya, question="May I?")
    return {
        "consent_pk": consent.pk,
        "consent_id": consent.pk,
        "decision_pk": decision.pk,
        "task_pk": task.pk,
        "advice_pk": advice.pk,
    }


BASE_ID_NAMES = {
    "pk",
    "person_pk",
    "person_id",
    "family_pk",
    "family_id",
    "involvement_id",
    "grant_id",
}


def record_ids(p: Partnership) -> dict[str, object]:
    involvement = p.ashworth.involvements.get()
    extra: dict[str, object] = {}
    base = sharing_records(p)
    for extension in EXTENSIONS:
        ids = extension.records(p)
        # Each converter name means one kind of record: two apps naming theirs alike would
        # silently fill one app's URL with the other's id.
        clash = (extra.keys() | base.keys() | BASE_ID_NAMES) & ids.keys()
        assert not clash, f"{extension.__name__} reuses id names: {clash}"
        extra.update(ids)
    return {
        **extra,
        **base,
        "pk": p.chloe.pk,
        "person_pk": p.chloe.pk,
        "person_id": p.chloe.pk,
        "family_pk": p.ashworth.pk,
        "family_id": p.ashworth.pk,
        "involvement_id": involvement.pk,
    }


def family_ids(p: Partnership) -> dict[str, object]:
    return {**record_ids(p), "pk": p.ashworth.pk}


def url_for_record(pattern: str, p: Partnership) -> str:
    if pattern.startswith("people/families/<int:pk>"):
        return fill(pattern, family_ids(p))
    if pattern.startswith("people/involvements/"):
        return fill(pattern, {"pk": p.ashworth.involvements.get().pk})
    return fill(pattern, record_ids(p))


def ig_lead(p: Partnership) -> User:
    team = Team.objects.create(organisation=p.council, name="Information governance")
    return make_user("iris@council.example", "Iris Governance", team, Role.IG_LEAD)


RECORD_PAGES = sorted(k for k, v in MATRIX.items() if v == RECORD and "<" in k)
API_RECORD_OPERATIONS = sorted(k for k, v in MATRIX.items() if v == API_RECORD and "<" in k)
IG_PAGES = sorted(k for k, v in MATRIX.items() if v == IG_ONLY)
IG_OPERATIONS = sorted(k for k, v in MATRIX.items() if v == API_IG_ONLY)


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
@pytest.mark.parametrize("pattern", RECORD_PAGES)
def test_no_reason_to_see_means_404_on_record_pages(
    pattern: str, persona: str, partnership: Partnership
) -> None:
    client = sign_in(Client(), getattr(partnership, persona))
    url = url_for_record(pattern, partnership)
    assert client.get(url).status_code == 404, url
    # A page that only shows may refuse the method instead; either way nothing is revealed.
    assert client.post(url, {}).status_code in {404, 405}, url


@pytest.mark.parametrize("persona", ["sam", "bea"])
@pytest.mark.parametrize("pattern", ["people/", "people/families/", "people/families/new/"])
def test_administrator_and_analyst_never_reach_record_lists(
    pattern: str, persona: str, partnership: Partnership
) -> None:
    client = sign_in(Client(), getattr(partnership, persona))
    assert client.get("/" + pattern).status_code == 404


@pytest.mark.parametrize("pattern", RECORD_PAGES)
def test_involved_midwife_reaches_record_pages(pattern: str, partnership: Partnership) -> None:
    client = sign_in(Client(), partnership.maya)
    if "record-birth" in pattern:
        url = fill(pattern, {"pk": partnership.unborn.pk})
    else:
        url = url_for_record(pattern, partnership)
    assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
@pytest.mark.parametrize("pattern", API_RECORD_OPERATIONS)
def test_no_reason_to_see_means_404_over_the_api(
    pattern: str, persona: str, partnership: Partnership
) -> None:
    _, token = api_token_issue(
        user=getattr(partnership, persona), label="matrix", scopes=list(Scope.values)
    )
    client = Client(headers={"Authorization": f"Bearer {token}"})
    url = fill(pattern, record_ids(partnership))
    # Well-formed bodies, so that only the sharing policy can refuse.
    bodies = {
        "/birth": {"date_of_birth": "2026-11-20", "given_name": "Ava", "sex": "female"},
        "/members": {"person_id": partnership.stranger.pk, "relationship": "sibling"},
        "/end": {},
        "/withdraw": {},
        "/advice-requests": {"question": "May I share this?"},
    }
    for extension in EXTENSIONS:
        bodies.update(extension.API_BODIES)
    suffix = next((s for s in bodies if pattern.endswith(s)), None)
    if suffix is not None:
        response = client.post(
            url, data=json.dumps(bodies[suffix]), content_type="application/json"
        )
    else:
        response = client.get(url)
    assert response.status_code == 404, (url, response.status_code, response.content[:200])
    assert response["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_lists_and_search_show_nothing_to_those_with_no_reason(
    persona: str, partnership: Partnership
) -> None:
    _, token = api_token_issue(
        user=getattr(partnership, persona), label="matrix", scopes=list(Scope.values)
    )
    client = Client(headers={"Authorization": f"Bearer {token}"})
    for url in ("/api/v1/people", "/api/v1/families", "/api/v1/people/search?name=Ashworth"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Ashworth" not in response.content.decode(), url


@pytest.mark.parametrize("persona", ["maya", "owen", "fatima", "sam", "bea"])
@pytest.mark.parametrize("pattern", IG_PAGES)
def test_information_governance_pages_are_theirs_alone(
    pattern: str, persona: str, partnership: Partnership
) -> None:
    client = sign_in(Client(), getattr(partnership, persona))
    url = fill(pattern, {**record_ids(partnership), "record_class": "child"})
    assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("pattern", [k for k in IG_PAGES if "<" not in k])
def test_information_governance_lead_reaches_their_pages(
    pattern: str, partnership: Partnership
) -> None:
    client = sign_in(Client(), ig_lead(partnership))
    assert client.get("/" + pattern).status_code == 200, pattern


@pytest.mark.parametrize("persona", ["maya", "owen", "sam", "bea"])
@pytest.mark.parametrize("pattern", IG_OPERATIONS)
def test_information_governance_operations_are_theirs_alone(
    pattern: str, persona: str, partnership: Partnership
) -> None:
    _, token = api_token_issue(
        user=getattr(partnership, persona), label="matrix", scopes=list(Scope.values)
    )
    client = Client(headers={"Authorization": f"Bearer {token}"})
    url = fill(pattern, record_ids(partnership))
    response = client.get(url)
    if response.status_code == 405:
        # A well-formed request, so that only the role can refuse it.
        body = {
            "requester_name": "Chloe Ashworth",
            "requester_relationship": "self",
            "received_via": "letter",
            "received_on": "2026-11-20",
            "nhs_number": "9434765919",
        }
        response = client.post(
            url,
            data=json.dumps(body if "subject-access" in pattern else {}),
            content_type="application/json",
        )
    assert response.status_code == 404, (url, response.status_code, response.content[:200])


@pytest.mark.parametrize("persona", ["maya", "owen", "fatima"])
def test_any_practitioner_may_ask_for_emergency_access(
    persona: str, partnership: Partnership
) -> None:
    client = sign_in(Client(), getattr(partnership, persona))
    assert client.get("/sharing/emergency-access/").status_code == 200


@pytest.mark.parametrize("persona", ["sam", "bea"])
def test_administrator_and_analyst_cannot_break_glass(
    persona: str, partnership: Partnership
) -> None:
    client = sign_in(Client(), getattr(partnership, persona))
    assert client.get("/sharing/emergency-access/").status_code == 404


def test_information_governance_lead_finds_their_work_in_the_navigation(
    partnership: Partnership,
) -> None:
    body = sign_in(Client(), ig_lead(partnership)).get("/").content.decode()
    for link in ("/sharing/emergency-access/reviews/", "/sharing/advice/", "/records/"):
        assert f'href="{link}"' in body, link
    maya_body = sign_in(Client(), partnership.maya).get("/").content.decode()
    assert 'href="/records/"' not in maya_body


def test_front_door_workers_find_their_queue_in_the_navigation(partnership: Partnership) -> None:
    body = sign_in(Client(), partnership.fatima).get("/").content.decode()
    assert 'href="/frontdoor/"' in body
    maya_body = sign_in(Client(), partnership.maya).get("/").content.decode()
    assert 'href="/frontdoor/"' not in maya_body


def _alert_urls(p: Partnership, user: User) -> list[tuple[str, str]]:
    """Each alerts row with the id of an alert addressed to ``user``: (method, url)."""
    [alert] = alert_raise(recipients=[user], kind="matrix", title="Matrix", url="/")
    urls = []
    for pattern, kind in MATRIX.items():
        if pattern.startswith(("alerts/", "api/v1/alerts")):
            method = "post" if pattern.endswith(("acknowledge/", "acknowledge")) else "get"
            urls.append((method, fill(pattern, {"alert_id": alert.pk})))
            assert kind in {CASEWORK, API_CASEWORK}, pattern
    assert len(urls) == 4
    return urls


def _alert_request(user: User, method: str, url: str) -> HttpResponseBase:
    if url.startswith("/api/"):
        _, token = api_token_issue(user=user, label="matrix", scopes=list(Scope.values))
        client = Client(headers={"Authorization": f"Bearer {token}"})
    else:
        client = sign_in(Client(), user)
    if method == "get":
        return client.get(url)
    return client.post(url, data="{}", content_type="application/json")


@pytest.mark.parametrize("persona", ["maya", "owen", "fatima"])
def test_every_practitioner_reaches_their_alerts(persona: str, partnership: Partnership) -> None:
    user = getattr(partnership, persona)
    for method, url in _alert_urls(partnership, user):
        response = _alert_request(user, method, url)
        # Acknowledging on the page sends back to the list; everything else answers.
        expected = 302 if method == "post" and not url.startswith("/api/") else 200
        assert response.status_code == expected, (url, response.status_code)
    assert not Alert.objects.filter(recipient=user, acknowledged_at__isnull=True).exists()


@pytest.mark.parametrize("persona", ["sam", "bea"])
def test_administrator_and_analyst_never_reach_alerts(
    persona: str, partnership: Partnership
) -> None:
    """Even with an alert addressed to them (none ever is), they have no inbox: 404."""
    user = getattr(partnership, persona)
    for method, url in _alert_urls(partnership, user):
        response = _alert_request(user, method, url)
        assert response.status_code == 404, (url, response.status_code)
    assert not Alert.objects.filter(recipient=user, acknowledged_at__isnull=False).exists()
