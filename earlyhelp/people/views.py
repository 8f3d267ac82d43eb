"""Pages for finding and recording people and families.

Thin on purpose: reads go through people.selectors and people.search (the sharing policy and
the record of every look), writes through people.services. Missing and forbidden records
are the same 404 (house style); roles that never open family records get 404 for every page.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.accounts.models import CASEWORK_ROLES, Organisation, User
from earlyhelp.core.access import access_record
from earlyhelp.core.errors import EditConflict, ValidationProblem
from earlyhelp.core.http import guarded_page, page_actor, posted
from earlyhelp.core.models import AccessAction
from earlyhelp.people import rules, search, selectors, services
from earlyhelp.people.forms import (
    AddressForm,
    DuplicateCheckMixin,
    FamilyCreateForm,
    InvolvementEndForm,
    InvolvementForm,
    MemberAddForm,
    PersonForm,
    RecordBirthForm,
    SearchForm,
)
from earlyhelp.people.models import (
    PARENT_RELATIONSHIPS,
    Family,
    FamilyMember,
    Involvement,
    Person,
    Relationship,
)
from earlyhelp.sharing import policies

EDIT_CONFLICT = (
    "Someone else changed this record while you were editing. Check their changes and try again."
)
FAMILIES_PER_PAGE = 50
SEARCH_RESULTS = 25

View = Callable[..., HttpResponse]


def people_page(object_type: str) -> Callable[[View], View]:
    """Sign-in, the casework check and one 404 for missing and forbidden, on every page.

    A refused look is recorded here for roles that never open family records; the
    selectors record the others.
    """

    def refused_type(kwargs: dict[str, Any]) -> str:
        return "people.person" if "person_pk" in kwargs else object_type

    return guarded_page(refused_type, policies.can_open_family_records)


def _today() -> datetime.date:
    return timezone.localdate()


def _casework_organisations(actor: User) -> list[Organisation]:
    """The agencies the actor works for as a practitioner: whose involvement they record."""
    found: dict[int, Organisation] = {}
    for membership in actor.active_memberships():
        if membership.role in CASEWORK_ROLES:
            found.setdefault(membership.team.organisation_id, membership.team.organisation)
    return list(found.values())


# What the pages show about a person, worked out once for tables and summaries.


def nhs_number_display(number: str | None) -> str:
    """Shown 3-3-4, as on NHS letters: 943 476 5919."""
    if not number:
        return ""
    return f"{number[:3]} {number[3:6]} {number[6:]}"


@dataclass(frozen=True)
class PersonSummary:
    person: Person
    age: int | None
    nhs_number: str
    postcode: str
    # R-WT-9: a parent under 18 is also a child in their own right.
    child_parent: bool
    relationship: str = ""


def _current_postcode(person: Person) -> str:
    # Addresses are prefetched where a list shows them; the current one has no end date.
    current = next((a for a in person.addresses.all() if a.moved_out_on is None), None)
    return current.postcode if current else ""


def _summary(
    person: Person,
    today: datetime.date,
    *,
    is_parent: bool,
    member: FamilyMember | None = None,
    with_postcode: bool = False,
) -> PersonSummary:
    return PersonSummary(
        person=person,
        age=person.age_on(today),
        nhs_number=nhs_number_display(person.nhs_number),
        postcode=_current_postcode(person) if with_postcode else "",
        child_parent=is_parent and rules.is_child(person.date_of_birth, today),
        relationship=member.get_relationship_display() if member else "",
    )


# Finding people


@require_GET
@people_page("people.person")
def search_people(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    # The first visit shows an empty form; a submitted empty form is an error.
    form = SearchForm(request.GET if request.GET else None)
    result = None
    rows: list[PersonSummary] = []
    if form.is_bound and form.is_valid():
        result = search.person_search(
            actor=actor, criteria=form.criteria(), limit=SEARCH_RESULTS, request=request
        )
        today = _today()
        rows = [_summary(p, today, is_parent=False, with_postcode=True) for p in result.persons]
    return render(
        request,
        "people/search.html",
        {"form": form, "result": result, "rows": rows, "limit": SEARCH_RESULTS},
    )


# One person


def _person_page_context(person: Person, actor: User) -> dict[str, Any]:
    today = _today()
    memberships = list(person.family_members.all())
    is_parent = any(m.relationship in PARENT_RELATIONSHIPS for m in memberships)
    return {
        "person": person,
        "summary": _summary(person, today, is_parent=is_parent),
        "memberships": memberships,
        "involvements": list(person.involvements.all()),
        "own_organisation_ids": {o.pk for o in _casework_organisations(actor)},
    }


@require_GET
@people_page("people.person")
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = page_actor(request)
    person = selectors.person_get(actor=actor, person_id=pk, request=request)
    return render(request, "people/person_detail.html", _person_page_context(person, actor))


def _person_initial(person: Person) -> dict[str, Any]:
    return {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "sex": person.sex,
        "date_of_birth": person.date_of_birth,
        "expected_date_of_delivery": person.expected_date_of_delivery,
        "nhs_number": nhs_number_display(person.nhs_number),
        "nhs_number_source": person.nhs_number_source,
        "ethnicity": person.ethnicity,
        "first_language": person.first_language,
        "version": person.version,
    }


@require_http_methods(["GET", "POST"])
@people_page("people.person")
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = page_actor(request)
    person = selectors.person_get(actor=actor, person_id=pk, request=request)
    conflict = False
    if request.method == "POST":
        form = PersonForm(request.POST, is_unborn=person.is_unborn)
        if form.is_valid():
            try:
                services.person_update(
                    actor=actor,
                    person=person,
                    details=form.details(),
                    version=form.cleaned_data["version"],
                )
            except ValidationProblem as problem:
                form.add_problem(problem)
            except EditConflict:
                # Keep what they typed, show what is saved now, and let the next save
                # apply to the current version once they have checked.
                conflict = True
                data = request.POST.copy()
                data["version"] = str(person.version)
                form = PersonForm(data, is_unborn=person.is_unborn)
                form.is_valid()
                form.add_error(None, EDIT_CONFLICT)
            else:
                messages.success(request, f"{person.display_name}'s details have been saved")
                return redirect("people:person_detail", pk=person.pk)
    else:
        form = PersonForm(initial=_person_initial(person), is_unborn=person.is_unborn)
    return render(
        request,
        "people/person_edit.html",
        {
            "form": form,
            "person": person,
            # After a conflict, ``person`` is what is saved now: the page shows it.
            "conflict": conflict,
            "summary": _summary(person, _today(), is_parent=False),
        },
    )


@require_http_methods(["GET", "POST"])
@people_page("people.person")
def record_birth(request: HttpRequest, pk: int) -> HttpResponse:
    actor = page_actor(request)
    person = selectors.person_get(actor=actor, person_id=pk, request=request)
    if not person.is_unborn:
        messages.info(request, "The birth has already been recorded")
        return redirect("people:person_detail", pk=person.pk)
    form = RecordBirthForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.person_record_birth(
                actor=actor,
                person=person,
                date_of_birth=data["date_of_birth"],
                given_name=data["given_name"],
                sex=data["sex"],
                nhs_number=data["nhs_number"],
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(
                request,
                f"Birth recorded. {person.display_name}'s record keeps everything recorded "
                "before birth",
            )
            return redirect("people:person_detail", pk=person.pk)
    return render(request, "people/record_birth.html", {"form": form, "person": person})


@require_http_methods(["GET", "POST"])
@people_page("people.person")
def address_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = page_actor(request)
    person = selectors.person_get(actor=actor, person_id=pk, request=request)
    form = AddressForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.address_add(
                actor=actor,
                person=person,
                line_1=data["line_1"],
                line_2=data["line_2"],
                town=data["town"],
                postcode=data["postcode"],
                local_authority=data["local_authority"],
                inside_partnership_area=data["inside_partnership_area"] == "yes",
                accommodation_type=data["accommodation_type"],
                moved_in_on=data["moved_in_on"],
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, f"New address added for {person.display_name}")
            return redirect("people:person_detail", pk=person.pk)
    return render(request, "people/address_add.html", {"form": form, "person": person})


# Families


@require_GET
@people_page("people.family")
def family_list(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    page = _families_page(actor, request.GET.get("after"), request.GET.get("page"))
    # Names of families and their members are personal data: the list is a look too.
    access_record(
        actor=actor,
        action=AccessAction.LIST,
        object_type="people.family",
        detail=f"page {page.number}: {len(page.object_list)} shown",
        request=request,
    )
    return render(request, "people/family_list.html", {"page": page})


@dataclass
class ListPage:
    number: int
    object_list: list[Family]
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_after(self) -> int | None:
        return self.object_list[-1].pk if self.has_next and self.object_list else None


def _number(value: str | None, *, default: int) -> int:
    try:
        return max(1, int(value or default))
    except ValueError:
        return default


def _families_page(actor: User, after: str | None, number: str | None) -> ListPage:
    """The page after a given family, and whether another follows, without counting them all.

    Pages follow on from the last family shown (``?after=<id>``), never by skipping N rows:
    an agency can work with a hundred thousand families, and counting or skipping them all
    cost more than showing the page (docs/benchmarks.md). The page number is only shown.
    """
    after_id = int(after) if after and after.isascii() and after.isdigit() else None
    rows = selectors.family_list_page(actor=actor, after_id=after_id, limit=FAMILIES_PER_PAGE + 1)
    return ListPage(
        number=_number(number, default=1) if after_id else 1,
        object_list=rows[:FAMILIES_PER_PAGE],
        has_next=len(rows) > FAMILIES_PER_PAGE,
    )


def _member_rows(family: Family, today: datetime.date) -> list[PersonSummary]:
    return [
        _summary(
            member.person,
            today,
            is_parent=member.relationship in PARENT_RELATIONSHIPS,
            member=member,
        )
        for member in family.members.all()
    ]


@require_GET
@people_page("people.family")
def family_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = page_actor(request)
    family = selectors.family_get(actor=actor, family_id=pk, request=request)
    return render(
        request,
        "people/family_detail.html",
        {
            "family": family,
            "members": _member_rows(family, _today()),
            "involvements": list(family.involvements.all()),
            "own_organisation_ids": {o.pk for o in _casework_organisations(actor)},
        },
    )


def _duplicates_check(
    request: HttpRequest, form: DuplicateCheckMixin, actor: User
) -> selectors.DuplicateCheck | None:
    """Likely existing records the practitioner has not yet said are someone else.

    Returns None to go ahead. The first time matches are found they are shown as a warning;
    submitting again without the confirmation is an error on the checkbox.
    """
    data = form.cleaned_data
    if data.get("not_a_duplicate"):
        return None
    found = selectors.person_likely_duplicates(
        actor=actor,
        given_name=data.get("given_name", ""),
        family_name=data.get("family_name", ""),
        date_of_birth=data.get("date_of_birth"),
        nhs_number=data.get("nhs_number", ""),
        request=request,
    )
    if not found.any:
        return None
    if request.POST.get("duplicates_shown"):
        form.add_error("not_a_duplicate", form.NOT_CONFIRMED)
    return found


@require_http_methods(["GET", "POST"])
@people_page("people.family")
def family_create(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    form = FamilyCreateForm(posted(request))
    duplicates = None
    if request.method == "POST" and form.is_valid():
        duplicates = _duplicates_check(request, form, actor)
        if duplicates is None:
            try:
                family = _family_record(actor, form)
            except ValidationProblem as problem:
                form.add_problem(problem)
            else:
                messages.success(request, f"{family.name} has been recorded")
                return redirect("people:family_detail", pk=family.pk)
    return render(request, "people/family_create.html", {"form": form, "duplicates": duplicates})


def _family_record(actor: User, form: FamilyCreateForm) -> Family:
    """The family, its first member and any unborn baby: all saved, or nothing.

    Both people are checked even when the first has problems, so every message shows at once;
    any problem rolls back the whole family.
    """
    with transaction.atomic():
        family = services.family_create(actor=actor, name=form.cleaned_data["name"])
        errors: dict[str, list[str]] = {}
        try:
            services.person_create(
                actor=actor,
                details=form.first_member(),
                family=family,
                relationship=form.cleaned_data["relationship"],
            )
        except ValidationProblem as problem:
            errors.update(problem.errors)
        baby = form.unborn_baby()
        if baby is not None:
            try:
                services.person_create(
                    actor=actor,
                    details=baby,
                    family=family,
                    relationship=Relationship.UNBORN_BABY,
                )
            except ValidationProblem as problem:
                for key, messages_for_key in problem.errors.items():
                    errors.setdefault(key, [])
                    errors[key] += [m for m in messages_for_key if m not in errors[key]]
        if errors:
            raise ValidationProblem(errors)
    return family


@require_http_methods(["GET", "POST"])
@people_page("people.family")
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = page_actor(request)
    family = selectors.family_get(actor=actor, family_id=pk, request=request)
    form = MemberAddForm(posted(request))
    duplicates = None
    if request.method == "POST" and form.is_valid():
        duplicates = _duplicates_check(request, form, actor)
        if duplicates is None:
            try:
                person = services.person_create(
                    actor=actor,
                    details=form.details(),
                    family=family,
                    relationship=form.cleaned_data["relationship"],
                )
            except ValidationProblem as problem:
                form.add_problem(problem)
            else:
                messages.success(request, f"{person.display_name} has been added to {family}")
                return redirect("people:family_detail", pk=family.pk)
    return render(
        request,
        "people/member_add.html",
        {"form": form, "family": family, "duplicates": duplicates},
    )


# Involvement: the agency's working relationship, which is also what gives access.


@require_http_methods(["GET", "POST"])
@people_page("people.family")
def involvement_add(
    request: HttpRequest, family_pk: int | None = None, person_pk: int | None = None
) -> HttpResponse:
    actor = page_actor(request)
    family = person = None
    if family_pk is not None:
        family = selectors.family_get(actor=actor, family_id=family_pk, request=request)
        back = reverse("people:family_detail", kwargs={"pk": family_pk})
    else:
        assert person_pk is not None
        person = selectors.person_get(actor=actor, person_id=person_pk, request=request)
        back = reverse("people:person_detail", kwargs={"pk": person_pk})
    organisations = _casework_organisations(actor)
    form = InvolvementForm(posted(request), organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            involvement = services.involvement_start(
                actor=actor,
                organisation=form.chosen_organisation(),
                service=form.cleaned_data["service"],
                family=family,
                person=person,
                started_on=form.cleaned_data["started_on"],
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(
                request, f"{involvement.organisation.name}'s involvement has been recorded"
            )
            return redirect(back)
    return render(
        request,
        "people/involvement_add.html",
        {
            "form": form,
            "subject": family or person,
            "back": back,
            "organisations": organisations,
        },
    )


@require_http_methods(["GET", "POST"])
@people_page("people.involvement")
def involvement_end(request: HttpRequest, pk: int) -> HttpResponse:
    actor = page_actor(request)
    involvement = selectors.involvement_get(actor=actor, involvement_id=pk, request=request)
    # Only the agency's own people end its involvement (the service checks this too).
    if involvement.organisation_id not in {o.pk for o in _casework_organisations(actor)}:
        access_record(actor=actor, action=AccessAction.DENIED, obj=involvement, request=request)
        raise Http404
    subject, back = _involvement_subject(actor, involvement, request)
    form = InvolvementEndForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.involvement_end(
                actor=actor, involvement=involvement, ended_on=form.cleaned_data["ended_on"]
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(
                request, f"{involvement.organisation.name}'s involvement has been ended"
            )
            # Ending the last involvement can end the access too: go where they still may.
            still_visible = (
                policies.family_access_route(actor, subject) is not None
                if isinstance(subject, Family)
                else policies.person_access_route(actor, subject) is not None
            )
            return redirect(back if still_visible else reverse("people:family_list"))
    return render(
        request,
        "people/involvement_end.html",
        {"form": form, "involvement": involvement, "subject": subject, "back": back},
    )


def _involvement_subject(
    actor: User, involvement: Involvement, request: HttpRequest
) -> tuple[Family | Person, str]:
    if involvement.family_id is not None:
        family = selectors.family_get(actor=actor, family_id=involvement.family_id, request=request)
        return family, reverse("people:family_detail", kwargs={"pk": family.pk})
    assert involvement.person_id is not None
    person = selectors.person_get(actor=actor, person_id=involvement.person_id, request=request)
    return person, reverse("people:person_detail", kwargs={"pk": person.pk})
