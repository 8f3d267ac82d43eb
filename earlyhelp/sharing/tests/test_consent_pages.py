"""The consent, sharing decision and advice pages, as the personas use them.

Owen, the police officer, has no reason to see the Ashworth family: every page about it is
a 404 for him until a consent in force or a decision to share covers Wyvern Police (R-IS-2,
R-IS-13); then he gets through by the "sharing_basis" route, and the look records it.
"""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from conftest import Partnership
from earlyhelp.alerts.models import Alert
from earlyhelp.core.models import AccessAction, AccessEvent
from earlyhelp.people.tests.test_views import assert_shows_error
from earlyhelp.sharing.models import (
    AdviceRequest,
    Consent,
    ConsentGiver,
    InformFamilyTask,
    LawfulBasis,
    NoConsentReason,
    NotSharingReason,
    Regime,
    SharingDecision,
)
from earlyhelp.sharing.services import consent as services
from earlyhelp.sharing.tests.test_consent_services import (
    consent_for_police,
    days,
    make_ig_lead,
    saved_rows,
    share_with_police,
)

pytestmark = pytest.mark.django_db


def date_of(name: str, value: datetime.date) -> dict[str, str]:
    return {
        f"{name}_day": str(value.day),
        f"{name}_month": str(value.month),
        f"{name}_year": str(value.year),
    }


def page_text(response: Any) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def family_url(p: Partnership) -> str:
    return reverse("people:family_detail", kwargs={"pk": p.ashworth.pk})


def pages_about_the_family(p: Partnership) -> list[str]:
    """Every page of this module about the Ashworth family, with a record for each."""
    consent = consent_for_police(p, organisations=[p.early_help])  # not the police
    decision = share_with_police(p, recipients=[p.early_help])
    task = InformFamilyTask.objects.get(decision=decision)
    family = {"family_pk": p.ashworth.pk}
    return [
        family_url(p),
        reverse("sharing:consent_add", kwargs=family),
        reverse("sharing:decision_add", kwargs=family),
        reverse("sharing:advice_ask", kwargs=family),
        reverse("sharing:consent_detail", kwargs={"consent_pk": consent.pk}),
        reverse("sharing:consent_withdraw", kwargs={"consent_pk": consent.pk}),
        reverse("sharing:decision_detail", kwargs={"decision_pk": decision.pk}),
        reverse("sharing:inform_task_complete", kwargs={"task_pk": task.pk}),
    ]


# --- Who gets through -----------------------------------------------------------------------


@pytest.mark.parametrize("basis", ["consent", "consent by agency type", "decision to share"])
def test_police_see_the_family_only_once_a_sharing_basis_covers_them(
    partnership: Partnership, as_persona: Any, basis: str
) -> None:
    p = partnership
    urls = pages_about_the_family(p)
    owen = as_persona(p.owen)
    before = saved_rows()
    for url in urls:
        assert owen.get(url).status_code == 404, url
        # A page that only shows refuses the method instead; either way nothing is revealed.
        assert owen.post(url, {}).status_code in {404, 405}, url
    assert saved_rows() == before
    refused = AccessEvent.objects.filter(actor=p.owen, action=AccessAction.DENIED)
    assert refused.count() >= len(urls)
    if basis == "consent":
        consent_for_police(p)
    elif basis == "consent by agency type":
        consent_for_police(p, organisations=[], agency_types=["police"])
    else:
        share_with_police(p)
    for url in urls:
        assert owen.get(url).status_code == 200, url
    look = AccessEvent.objects.filter(
        actor=p.owen, action=AccessAction.VIEW, object_type="people.family"
    ).first()
    assert look is not None and look.route == "sharing_basis"
    assert AccessEvent.objects.filter(
        actor=p.owen, object_type="sharing.consent", route="sharing_basis"
    ).exists()


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_missing_records_and_records_out_of_reach_look_the_same(
    partnership: Partnership, as_persona: Any, persona: str
) -> None:
    p = partnership
    urls = pages_about_the_family(p)
    client = as_persona(getattr(p, persona))
    missing = [re.sub(r"/\d+/", "/999999/", url) for url in urls]
    for url in [*urls, *missing]:
        assert client.get(url).status_code == 404, url


def test_withdrawal_removes_access_on_the_very_next_request(
    partnership: Partnership, as_persona: Any
) -> None:
    """R-IS-13: withdrawal takes effect at once."""
    p = partnership
    consent = consent_for_police(p)
    owen, maya = as_persona(p.owen), as_persona(p.maya)
    assert owen.get(family_url(p)).status_code == 200
    withdraw = reverse("sharing:consent_withdraw", kwargs={"consent_pk": consent.pk})
    assert "From now on, agencies" in page_text(maya.get(withdraw))
    response = maya.post(withdraw, {"note": "Chloe asked us to stop"})
    assert response.status_code == 302
    assert response["Location"] == family_url(p)  # Maya's own access is by involvement
    assert owen.get(family_url(p)).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == p.maya


def test_withdrawing_the_consent_that_let_you_in_sends_you_to_your_families(
    partnership: Partnership, as_persona: Any
) -> None:
    p = partnership
    consent = consent_for_police(p)
    owen = as_persona(p.owen)
    url = reverse("sharing:consent_withdraw", kwargs={"consent_pk": consent.pk})
    response = owen.post(url, {"note": ""})
    assert response["Location"] == reverse("people:family_list")
    assert owen.get(family_url(p)).status_code == 404


def test_expired_consent_gives_nothing(partnership: Partnership, as_persona: Any) -> None:
    p = partnership
    consent_for_police(p, starts_on=days(-90), expires_on=days(-1))
    assert as_persona(p.owen).get(family_url(p)).status_code == 404


def test_consent_not_yet_started_gives_nothing(partnership: Partnership, as_persona: Any) -> None:
    p = partnership
    consent_for_police(p, starts_on=days(1))
    assert as_persona(p.owen).get(family_url(p)).status_code == 404


def test_a_decision_not_to_share_lets_nobody_in(partnership: Partnership, as_persona: Any) -> None:
    p = partnership
    share_with_police(
        p,
        share=False,
        no_consent_reason="",
        lawful_basis="",
        not_sharing_reason=NotSharingReason.NOT_NECESSARY,
    )
    assert as_persona(p.owen).get(family_url(p)).status_code == 404


# --- The family page's panel ----------------------------------------------------------------


def test_family_page_shows_consents_decisions_tasks_and_questions(
    partnership: Partnership, as_persona: Any
) -> None:
    p = partnership
    consent = consent_for_police(p, agency_types=["health_visiting"])
    decision = share_with_police(p)
    services.advice_request_ask(actor=p.maya, family=p.ashworth, question="Tell the GP too?")
    text = page_text(as_persona(p.maya).get(family_url(p)))
    assert "Consent and information sharing" in text
    assert reverse("sharing:consent_detail", kwargs={"consent_pk": consent.pk}) in text
    assert "Every agency of the type: Health visiting" in text
    assert "In force" in text
    assert reverse("sharing:decision_detail", kwargs={"decision_pk": decision.pk}) in text
    task = decision.inform_family_task
    assert reverse("sharing:inform_task_complete", kwargs={"task_pk": task.pk}) in text
    assert "Tell the GP too?" in text and "Waiting for an answer" in text
    for name in ("consent_add", "decision_add", "advice_ask"):
        assert reverse(f"sharing:{name}", kwargs={"family_pk": p.ashworth.pk}) in text


# --- Recording consent (R-IS-13) ------------------------------------------------------------


def consent_form(p: Partnership, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "given_by": str(p.chloe.pk),
        "giver_kind": ConsentGiver.YOUNG_PERSON,
        "competence_judgement": "She explained back what would be shared",
        "covers_people": [str(p.chloe.pk), str(p.unborn.pk)],
        "organisations": [str(p.police.pk)],
        "agency_types": ["gp_practice"],
        "purpose": "Support with housing and safety",
        **date_of("starts_on", days(0)),
    }
    data.update(changes)
    return data


def test_maya_records_consent_and_owen_can_then_see_the_family(
    partnership: Partnership, as_persona: Any
) -> None:
    p = partnership
    maya = as_persona(p.maya)
    url = reverse("sharing:consent_add", kwargs={"family_pk": p.ashworth.pk})
    form_page = page_text(maya.get(url))
    assert "Who gave consent?" in form_page
    assert "Unborn baby" in form_page  # may be covered, though it cannot consent
    response = maya.post(url, consent_form(p))
    consent = Consent.objects.get()
    assert response["Location"] == reverse(
        "sharing:consent_detail", kwargs={"consent_pk": consent.pk}
    )
    assert consent.giver_kind == ConsentGiver.YOUNG_PERSON
    assert {t.agency_type for t in consent.agency_types.all()} == {"gp_practice"}
    detail = page_text(maya.get(response["Location"]))
    assert "She explained back what would be shared" in detail
    assert "Every agency of the type: GP practice" in detail
    assert as_persona(p.owen).get(family_url(p)).status_code == 200


@pytest.mark.parametrize(
    ("case", "changes", "field", "message"),
    [
        (
            "expiry before start",
            {**date_of("starts_on", days(10)), **date_of("expires_on", days(9))},
            "expires_on",
            "The expiry date must be on or after the date it starts",
        ),
        (
            "young person without judgement",
            {"competence_judgement": ""},
            "competence_judgement",
            "Enter why you judge the young person able to understand",
        ),
        (
            "no agencies",
            {"organisations": [], "agency_types": []},
            "organisations",
            "Select the agencies, or types of agency, it covers",
        ),
        (
            "no start",
            {"starts_on_day": "", "starts_on_month": "", "starts_on_year": ""},
            "starts_on",
            "Enter the date the consent starts",
        ),
        ("not a date", {"starts_on_month": "13"}, "starts_on", "must be a real date"),
        ("someone made up", {"given_by": "999999"}, "given_by", "Select who gave consent"),
    ],
)
def test_consent_page_shows_each_problem_and_saves_nothing(
    partnership: Partnership,
    as_persona: Any,
    case: str,
    changes: dict[str, Any],
    field: str,
    message: str,
) -> None:
    p = partnership
    url = reverse("sharing:consent_add", kwargs={"family_pk": p.ashworth.pk})
    before = saved_rows()
    response = as_persona(p.maya).post(url, consent_form(p, **changes))
    assert_shows_error(response, field, message)
    assert saved_rows() == before


def test_an_empty_consent_form_lists_every_problem(
    partnership: Partnership, as_persona: Any
) -> None:
    p = partnership
    url = reverse("sharing:consent_add", kwargs={"family_pk": p.ashworth.pk})
    response = as_persona(p.maya).post(url, {})
    for field, message in [
        ("given_by", "Select who gave consent"),
        ("covers_people", "Select at least one member of the family"),
        ("purpose", "Enter what the consent is for"),
    ]:
        assert_shows_error(response, field, message)
    assert not Consent.objects.exists()


# --- Recording a decision (R-IS-1, R-IS-2, R-IS-3, R-CW-3) ---------------------------------


def decision_form(p: Partnership, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "about_people": [str(p.chloe.pk), str(p.jordan.pk)],
        "what": "Jordan's threats at the booking appointment",
        "purpose": "Protect Chloe and the baby",
        "recipients": [str(p.police.pk)],
        "decision": "share_without_consent",
        "no_consent_reason": NoConsentReason.WOULD_PREJUDICE_PROTECTION,
        "lawful_basis": LawfulBasis.PUBLIC_TASK_SAFEGUARDING,
        "regime": Regime.UK_GDPR,
        "reasons": "Risk of serious harm; asking would alert Jordan",
        "inform_family": "yes",
    }
    data.update(changes)
    return data


def test_decision_page_offers_advice_without_blocking(
    partnership: Partnership, as_persona: Any
) -> None:
    """R-IS-6: the "not sure" route is there, and the share form stays usable."""
    p = partnership
    text = page_text(
        as_persona(p.maya).get(reverse("sharing:decision_add", kwargs={"family_pk": p.ashworth.pk}))
    )
    assert reverse("sharing:advice_ask", kwargs={"family_pk": p.ashworth.pk}) in text
    assert "You do not need to wait for an answer if a child may be at risk" in text
    assert "Consent is not needed when a child may be at risk of harm" in text
    assert "The duty to share is in force" not in text


def test_maya_shares_without_consent_and_is_asked_to_tell_the_family(
    partnership: Partnership, as_persona: Any
) -> None:
    p = partnership
    maya = as_persona(p.maya)
    url = reverse("sharing:decision_add", kwargs={"family_pk": p.ashworth.pk})
    response = maya.post(url, decision_form(p, **date_of("access_until", days(30))))
    decision = SharingDecision.objects.get()
    assert response["Location"] == reverse(
        "sharing:decision_detail", kwargs={"decision_pk": decision.pk}
    )
    assert decision.share and decision.consent is None
    assert decision.access_until == days(30)
    task = InformFamilyTask.objects.get(decision=decision)
    detail = page_text(maya.get(response["Location"]))
    assert "Decisions cannot be changed" in detail
    assert reverse("sharing:inform_task_complete", kwargs={"task_pk": task.pk}) in detail
    # The family is told, and that is recorded.
    done = maya.post(
        reverse("sharing:inform_task_complete", kwargs={"task_pk": task.pk}),
        {"note": "Told Chloe alone at clinic"},
    )
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.done_at is not None and task.note == "Told Chloe alone at clinic"
    assert as_persona(p.owen).get(family_url(p)).status_code == 200


def test_unsafe_to_tell_the_family_needs_a_reason_on_the_page(
    partnership: Partnership, as_persona: Any
) -> None:
    p = partnership
    maya = as_persona(p.maya)
    url = reverse("sharing:decision_add", kwargs={"family_pk": p.ashworth.pk})
    response = maya.post(url, decision_form(p, inform_family="no"))
    assert_shows_error(response, "unsafe_to_inform_reason", "Enter why it is not safe to tell them")
    maya.post(
        url, decision_form(p, inform_family="no", unsafe_to_inform_reason="He reads her texts")
    )
    decision = SharingDecision.objects.get()
    assert decision.unsafe_to_inform_reason == "He reads her texts"
    assert not InformFamilyTask.objects.exists()


def test_share_with_consent_on_the_page(partnership: Partnership, as_persona: Any) -> None:
    p = partnership
    consent = consent_for_police(p)
    maya = as_persona(p.maya)
    url = reverse("sharing:decision_add", kwargs={"family_pk": p.ashworth.pk})
    # Answers under the choice not taken are dropped, as they were hidden.
    maya.post(
        url,
        decision_form(
            p,
            decision="share_with_consent",
            consent=str(consent.pk),
            about_people=[str(p.chloe.pk)],
        ),
    )
    decision = SharingDecision.objects.get()
    assert decision.consent == consent
    assert decision.no_consent_reason == "" and decision.lawful_basis == ""


@pytest.mark.parametrize(
    ("case", "changes", "field", "message"),
    [
        ("no decision", {"decision": ""}, "decision", "Select whether you will share"),
        (
            "without consent, no reason",
            {"no_consent_reason": ""},
            "no_consent_reason",
            "Select why you are sharing without consent",
        ),
        (
            "without consent, no basis",
            {"lawful_basis": ""},
            "lawful_basis",
            "Select the lawful basis for sharing without consent",
        ),
        (
            "with consent, none in force",
            {"decision": "share_with_consent"},
            "consent",
            "There is no consent in force for this family",
        ),
        (
            "not sharing, no reason",
            {"decision": "do_not_share"},
            "not_sharing_reason",
            "Select why you decided not to share",
        ),
        ("no reasons", {"reasons": ""}, "reasons", "Enter the reasons for your decision"),
        (
            "nobody chosen",
            {"recipients": []},
            "recipients",
            "Select the agencies you are sharing with",
        ),
        ("made-up agency", {"recipients": ["999999"]}, "recipients", "Select from the list"),
    ],
)
def test_decision_page_shows_each_problem_and_saves_nothing(
    partnership: Partnership,
    as_persona: Any,
    case: str,
    changes: dict[str, Any],
    field: str,
    message: str,
) -> None:
    p = partnership
    url = reverse("sharing:decision_add", kwargs={"family_pk": p.ashworth.pk})
    before = saved_rows()
    response = as_persona(p.maya).post(url, decision_form(p, **changes))
    assert_shows_error(response, field, message)
    assert saved_rows() == before


@override_settings(CWSA_S4_IN_FORCE=True)
def test_with_the_duty_to_share_in_force_only_detriment_justifies_not_sharing(
    partnership: Partnership, as_persona: Any
) -> None:
    """R-CW-3 and R-CW-2."""
    p = partnership
    maya = as_persona(p.maya)
    url = reverse("sharing:decision_add", kwargs={"family_pk": p.ashworth.pk})
    text = page_text(maya.get(url))
    assert "The duty to share is in force" in text
    assert NotSharingReason.NOT_RELEVANT.label not in text
    refused = maya.post(
        url,
        decision_form(p, decision="do_not_share", not_sharing_reason=NotSharingReason.NOT_RELEVANT),
    )
    assert_shows_error(refused, "not_sharing_reason", "Select why you decided not to share")
    maya.post(
        url,
        decision_form(
            p,
            decision="do_not_share",
            not_sharing_reason=NotSharingReason.MORE_DETRIMENTAL,
            reasons="Telling the police now would lead Jordan to harm Chloe",
        ),
    )
    decision = SharingDecision.objects.get()
    assert not decision.share
    assert decision.not_sharing_reason == NotSharingReason.MORE_DETRIMENTAL


# --- Not sure? Ask information governance (R-IS-6) ------------------------------------------


def test_asking_information_governance(partnership: Partnership, as_persona: Any) -> None:
    p = partnership
    ingrid = make_ig_lead(p)
    maya = as_persona(p.maya)
    url = reverse("sharing:advice_ask", kwargs={"family_pk": p.ashworth.pk})
    assert "You do not need to wait for an answer if a child may be at risk" in page_text(
        maya.get(url)
    )
    assert_shows_error(maya.post(url, {"question": ""}), "question", "Enter your question")
    response = maya.post(url, {"question": "Can I tell the GP about Jordan?", "urgent": "yes"})
    assert response["Location"] == family_url(p)
    advice = AdviceRequest.objects.get()
    assert advice.urgent and advice.asked_by == p.maya
    assert Alert.objects.filter(recipient=ingrid, kind="advice_request").exists()
    # The share form stays usable while the question waits.
    maya.post(
        reverse("sharing:decision_add", kwargs={"family_pk": p.ashworth.pk}), decision_form(p)
    )
    assert SharingDecision.objects.count() == 1

    lead = as_persona(ingrid)
    listing = page_text(lead.get(reverse("sharing:advice_list")))
    assert "Can I tell the GP about Jordan?" in listing and "Urgent" in listing
    # Ingrid may not see the family's record, so its name is not shown to her.
    assert "Ashworth" not in listing
    answer_url = reverse("sharing:advice_answer", kwargs={"advice_pk": advice.pk})
    assert lead.get(answer_url).status_code == 200
    assert_shows_error(lead.post(answer_url, {"answer": ""}), "answer", "Enter your answer")
    assert lead.post(answer_url, {"answer": "Yes, under para 18"})["Location"] == reverse(
        "sharing:advice_list"
    )
    advice.refresh_from_db()
    assert advice.answer == "Yes, under para 18"
    assert "No questions are waiting" in page_text(lead.get(reverse("sharing:advice_list")))
    assert "Yes, under para 18" in page_text(maya.get(family_url(p)))


@pytest.mark.parametrize("persona", ["maya", "owen", "fatima", "sam", "bea"])
def test_only_information_governance_leads_see_the_questions(
    partnership: Partnership, as_persona: Any, persona: str
) -> None:
    p = partnership
    advice = services.advice_request_ask(actor=p.maya, family=p.ashworth, question="May I?")
    client = as_persona(getattr(p, persona))
    assert client.get(reverse("sharing:advice_list")).status_code == 404
    url = reverse("sharing:advice_answer", kwargs={"advice_pk": advice.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"answer": "Yes"}).status_code == 404
    advice.refresh_from_db()
    assert advice.answered_at is None


def test_anonymous_visitors_are_sent_to_sign_in(partnership: Partnership) -> None:
    response = Client().get(reverse("sharing:advice_list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")


# --- Never a 500 ----------------------------------------------------------------------------


GARBAGE = {
    "given_by": ["1", "abc"],
    "giver_kind": "\x00",
    "covers_people": ["-1", "x" * 300],
    "categories": ["9" * 30],
    "organisations": ["0"],
    "agency_types": ["<script>"],
    "purpose": "x" * 10000,
    "starts_on_day": "99",
    "starts_on_month": "x",
    "starts_on_year": "99999",
    "expires_on_day": "\x00",
    "about_people": ["1e9"],
    "what": "\t" * 3,
    "decision": "share_with_consent",
    "consent": "'; DROP TABLE",
    "lawful_basis": ["a", "b"],
    "regime": "x" * 1000,
    "access_until_year": "0000",
    "inform_family": "maybe",
    "note": "\x00",
    "question": "x" * 20000,
    "urgent": "perhaps",
    "answer": "\x00",
}


def test_no_page_answers_garbage_with_a_server_error(
    partnership: Partnership, as_persona: Any
) -> None:
    p = partnership
    ingrid = make_ig_lead(p)
    urls = pages_about_the_family(p)
    advice = services.advice_request_ask(actor=p.maya, family=p.ashworth, question="May I?")
    before = saved_rows()
    for user, targets in [
        (p.maya, urls),
        (ingrid, [reverse("sharing:advice_answer", kwargs={"advice_pk": advice.pk})]),
    ]:
        client = as_persona(user)
        for url in targets:
            response = client.post(url, GARBAGE)
            assert response.status_code in {200, 404, 405}, (url, response.status_code)
    assert saved_rows() == before


def test_one_submission_shows_every_problem_but_none_on_hidden_questions(
    partnership: Partnership, as_persona: Any
) -> None:
    p = partnership
    maya = as_persona(p.maya)
    url = reverse("sharing:decision_add", kwargs={"family_pk": p.ashworth.pk})
    response = maya.post(url, decision_form(p, decision="share_with_consent", reasons="", what=""))
    assert_shows_error(response, "consent", "There is no consent in force for this family")
    assert_shows_error(response, "reasons", "Enter the reasons for your decision")
    assert_shows_error(response, "what", "Enter what information is, or is not, shared")
    # The reason for sharing without consent was hidden under another answer.
    assert "Select why you are sharing without consent" not in page_text(response)

    nothing = maya.post(url, {})
    assert_shows_error(nothing, "decision", "Select whether you will share")
    assert_shows_error(nothing, "about_people", "Select at least one member of the family")
    assert "Select why you decided not to share" not in page_text(nothing)

    consent_page = reverse("sharing:consent_add", kwargs={"family_pk": p.ashworth.pk})
    dated = maya.post(consent_page, consent_form(p, starts_on_month="13", purpose=""))
    assert_shows_error(dated, "starts_on", "must be a real date")
    assert_shows_error(dated, "purpose", "Enter what the consent is for")
    assert not SharingDecision.objects.exists() and not Consent.objects.exists()
