"""The profile's "API access" pages: a person's personal access tokens and the OAuth
applications they allowed to act for them.

Thin views: validate a form, call a service in ``api.tokens``, add a message, redirect.
Someone else's token or an application that holds nothing of the person's is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from accounts.forms import error_links
from accounts.http import second_factor_verified, signed_in_user
from api import scopes as api_scopes
from api import tokens
from api.forms import TokenForm
from api.models import PAT_MARK

# The whole new token, kept in the session for the one page view that shows it.
NEW_TOKEN_SESSION_KEY = "api_new_token"  # noqa: S105 (a session key, not a secret)


def _token_rows(request: HttpRequest) -> list[dict[str, Any]]:
    now = timezone.now()
    rows = []
    for token in tokens.tokens_of(user=signed_in_user(request)):
        if token.revoked_at is not None:
            state = "revoked"
        elif token.expires_at <= now:
            state = "expired"
        else:
            state = "active"
        rows.append(
            {
                "token": token,
                "shown_as": f"{PAT_MARK}{token.prefix}…",
                "scopes": api_scopes.labels(token.scopes),
                "state": state,
                "can_revoke": state == "active",
            }
        )
    return rows


def _application_rows(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"allowed": allowed, "scopes": api_scopes.labels(allowed.scopes)}
        for allowed in tokens.applications_allowed_by(user=signed_in_user(request))
    ]


@method_decorator(never_cache, name="dispatch")
class ApiAccessView(LoginRequiredMixin, View):
    """The person's tokens and allowed applications, and the form for a new token.

    The form is offered, and its POST accepted, only in a session that passed the second
    factor; otherwise the page says how to turn two-step log-in on.
    """

    template_name = "api/access.html"

    def _render(self, form: TokenForm | None, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "errors": error_links(form) if form is not None and form.is_bound else [],
            "can_create": second_factor_verified(self.request),
            "token_rows": _token_rows(self.request),
            "application_rows": _application_rows(self.request),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(TokenForm() if second_factor_verified(request) else None)

    def post(self, request: HttpRequest) -> HttpResponse:
        if not second_factor_verified(request):
            messages.error(request, tokens.SecondFactorNeeded().message)
            return self._render(None, status=403)
        form = TokenForm(request.POST)
        if not form.is_valid():
            return self._render(form)
        try:
            made = tokens.create_token(
                user=signed_in_user(request),
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                days=form.cleaned_data["days"],
                second_factor_verified=True,
                request=request,
            )
        except tokens.TokenInvalid as error:
            form.add_error(None, error.message)
            return self._render(form)
        request.session[NEW_TOKEN_SESSION_KEY] = {"token_id": made.token.pk, "secret": made.secret}
        return redirect("api_pages:token_created")


@method_decorator(never_cache, name="dispatch")
class TokenCreatedView(LoginRequiredMixin, View):
    """The new token, shown once: the session keeps it for this one page view."""

    template_name = "api/token_created.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        shown = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
        token = (
            tokens.token_of(user=signed_in_user(request), pk=shown["token_id"]) if shown else None
        )
        if token is None:
            return redirect("api_pages:index")
        context = {
            "token": token,
            "secret": shown["secret"],
            "scopes": api_scopes.labels(token.scopes),
        }
        return render(request, self.template_name, context)


@method_decorator(never_cache, name="dispatch")
class TokenRevokeView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        token = tokens.token_of(user=signed_in_user(request), pk=pk)
        if token is None:
            raise Http404
        if tokens.revoke_token(token=token, request=request):
            messages.success(
                request,
                _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name},
            )
        return redirect("api_pages:index")


@method_decorator(never_cache, name="dispatch")
class ApplicationRevokeView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = tokens.application_of(pk=pk)
        if application is None:
            raise Http404
        withdrawn = tokens.revoke_grant(
            user=signed_in_user(request), application=application, request=request
        )
        if not withdrawn:
            raise Http404
        messages.success(
            request,
            _(
                "%(application)s can no longer act for you. To use it again, you will be asked "
                "to allow it again."
            )
            % {"application": application.name},
        )
        return redirect("api_pages:index")
