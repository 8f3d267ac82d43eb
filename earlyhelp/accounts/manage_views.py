"""Account management for system administrators. Every other role gets 404 (missing and
forbidden look the same) and the refusal is recorded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.accounts import selectors, services
from earlyhelp.accounts.forms import AccountCreateForm, AccountSearchForm, MembershipForm
from earlyhelp.accounts.models import User
from earlyhelp.accounts.policies import can_manage_accounts
from earlyhelp.accounts.rules import duration_in_words
from earlyhelp.accounts.views import signed_in_user
from earlyhelp.core.access import access_record
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.models import AccessAction

ACCOUNTS_PER_PAGE = 50

View = Callable[..., HttpResponse]


def account_manager_only(view: View) -> View:
    """The outermost decorator of every page here: 404 unless the actor manages accounts
    (before anything else, so not even the allowed methods show), and any
    NotFoundOrForbidden a selector or service raises becomes the same 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        actor = signed_in_user(request)
        try:
            if not can_manage_accounts(actor):
                raise NotFoundOrForbidden
            return view(request, actor, *args, **kwargs)
        except NotFoundOrForbidden:
            access_record(
                actor=actor,
                action=AccessAction.DENIED,
                object_type="accounts.user",
                object_id=str(kwargs.get("account_id", "")),
                detail="Account management",
                request=request,
            )
            raise Http404 from None

    return never_cache(wrapper)


@account_manager_only
@require_GET
def account_list(request: HttpRequest, actor: User) -> HttpResponse:
    search_form = AccountSearchForm(request.GET)
    search = search_form.cleaned_data["q"] if search_form.is_valid() else ""
    page = Paginator(
        selectors.account_list(actor=actor, search=search), ACCOUNTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/manage/account_list.html",
        {"search_form": search_form, "search": search, "page": page},
    )


@account_manager_only
@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest, actor: User) -> HttpResponse:
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.account_create(actor=actor, **form.cleaned_data)
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            link = services.password_set_link_create(actor=actor, account=account)
            return _password_link_page(request, account=account, link=link, created=True)
    return render(request, "accounts/manage/account_create.html", {"form": form})


def _password_link_page(
    request: HttpRequest, *, account: User, link: str, created: bool
) -> HttpResponse:
    # The link is shown once, on this answer to a POST, and never stored.
    return render(
        request,
        "accounts/manage/password_link.html",
        {
            "account": account,
            "link": request.build_absolute_uri(link),
            "link_lifetime": duration_in_words(settings.PASSWORD_RESET_TIMEOUT),
            "created": created,
        },
    )


@account_manager_only
@require_GET
def account_detail(request: HttpRequest, actor: User, account_id: int) -> HttpResponse:
    account = selectors.account_get(actor=actor, account_id=account_id)
    return render(
        request,
        "accounts/manage/account_detail.html",
        {
            "account": account,
            "memberships": selectors.account_memberships(actor=actor, account=account),
            "is_self": account.pk == actor.pk,
        },
    )


@account_manager_only
@require_http_methods(["GET", "POST"])
def membership_add(request: HttpRequest, actor: User, account_id: int) -> HttpResponse:
    account = selectors.account_get(actor=actor, account_id=account_id)
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(actor=actor, account=account, **form.cleaned_data)
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(
                request,
                f"{account.full_name} is now {membership.get_role_display().lower()} "
                f"in {membership.team.name}",
            )
            return redirect("accounts:account_detail", account_id=account.pk)
    return render(
        request, "accounts/manage/membership_add.html", {"form": form, "account": account}
    )


@dataclass(frozen=True)
class Confirmation:
    """A "check before you do it" page for an action on an account."""

    account: User
    heading: str
    body: str
    button: str
    warning: bool = True

    def render(self, request: HttpRequest, errors: list[str] | None = None) -> HttpResponse:
        return render(
            request,
            "accounts/manage/confirm.html",
            {**vars(self), "errors": errors or []},
            status=400 if errors else 200,
        )


def _problem_messages(problem: ValidationProblem) -> list[str]:
    return [message for messages_ in problem.errors.values() for message in messages_]


@account_manager_only
@require_http_methods(["GET", "POST"])
def membership_end(
    request: HttpRequest, actor: User, account_id: int, membership_id: int
) -> HttpResponse:
    account = selectors.account_get(actor=actor, account_id=account_id)
    membership = selectors.membership_get(actor=actor, account=account, membership_id=membership_id)
    role_and_team = f"{membership.get_role_display().lower()} in {membership.team}"
    confirm = Confirmation(
        account=account,
        heading=f"End {account.full_name}'s membership",
        body=(
            f"They will stop being {role_and_team} from today. What they see depends on "
            "their memberships, so this can take away access to families at once."
        ),
        button="End membership",
    )
    if request.method == "POST":
        try:
            services.membership_end(actor=actor, membership=membership)
        except ValidationProblem as problem:
            return confirm.render(request, _problem_messages(problem))
        messages.success(request, f"{account.full_name} is no longer {role_and_team}")
        return redirect("accounts:account_detail", account_id=account.pk)
    return confirm.render(request)


@account_manager_only
@require_http_methods(["GET", "POST"])
def account_deactivate(request: HttpRequest, actor: User, account_id: int) -> HttpResponse:
    account = selectors.account_get(actor=actor, account_id=account_id)
    confirm = Confirmation(
        account=account,
        heading=f"Deactivate {account.full_name}'s account",
        body=(
            "They will be signed out straight away and will not be able to sign in. "
            "Their memberships and everything they recorded are kept."
        ),
        button="Deactivate account",
    )
    if request.method == "POST":
        try:
            services.account_deactivate(actor=actor, account=account)
        except ValidationProblem as problem:
            return confirm.render(request, _problem_messages(problem))
        messages.success(request, f"{account.full_name}'s account has been deactivated")
        return redirect("accounts:account_detail", account_id=account.pk)
    return confirm.render(request)


@account_manager_only
@require_http_methods(["GET", "POST"])
def account_reactivate(request: HttpRequest, actor: User, account_id: int) -> HttpResponse:
    account = selectors.account_get(actor=actor, account_id=account_id)
    if request.method == "POST":
        services.account_reactivate(actor=actor, account=account)
        messages.success(request, f"{account.full_name}'s account has been reactivated")
        return redirect("accounts:account_detail", account_id=account.pk)
    return Confirmation(
        account=account,
        heading=f"Reactivate {account.full_name}'s account",
        body="They will be able to sign in again with their password and authenticator app.",
        button="Reactivate account",
        warning=False,
    ).render(request)


@account_manager_only
@require_http_methods(["GET", "POST"])
def authenticator_reset(request: HttpRequest, actor: User, account_id: int) -> HttpResponse:
    account = selectors.account_get(actor=actor, account_id=account_id)
    if request.method == "POST":
        services.authenticator_reset(actor=actor, account=account)
        messages.success(
            request,
            f"{account.full_name}'s authenticator app has been reset. "
            "They will be asked to set one up the next time they use the service",
        )
        return redirect("accounts:account_detail", account_id=account.pk)
    return Confirmation(
        account=account,
        heading=f"Reset {account.full_name}'s authenticator app",
        body=(
            "Only do this if you have checked who is asking, for example by calling them "
            "on a number you already have. Their current app will stop working and they "
            "will set up a new one after signing in with their password."
        ),
        button="Reset authenticator app",
    ).render(request)


@account_manager_only
@require_http_methods(["GET", "POST"])
def password_set_link(request: HttpRequest, actor: User, account_id: int) -> HttpResponse:
    account = selectors.account_get(actor=actor, account_id=account_id)
    confirm = Confirmation(
        account=account,
        heading=f"Create a set-password link for {account.full_name}",
        body=(
            "Use this when someone has a new account whose link has expired, or has "
            "forgotten their password. Their current password keeps working until they "
            "use the link."
        ),
        button="Create link",
        warning=False,
    )
    if request.method == "POST":
        try:
            link = services.password_set_link_create(actor=actor, account=account)
        except ValidationProblem as problem:
            return confirm.render(request, _problem_messages(problem))
        return _password_link_page(request, account=account, link=link, created=False)
    return confirm.render(request)
