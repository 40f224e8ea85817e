"""The account pages: sign-up, e-mail verification, log-in with its second factor and lock-out
page, password. The profile and children pages are ``applications.views.profile``.

Thin views: validate a form, call a service in ``accounts.services``, add a message, redirect.
"""

from __future__ import annotations

import math
from base64 import b32encode
from contextlib import suppress
from typing import Any
from urllib.parse import urlencode

import django_otp
import qrcode
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.generic import FormView, TemplateView
from django_otp.models import Device
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage

from accounts import selectors, services, sessions
from accounts.forms import (
    EmailAuthenticationForm,
    PasswordConfirmForm,
    PasswordResetRequestForm,
    SecondFactorCodeForm,
    SignupForm,
    VerificationResendForm,
    error_links,
)
from accounts.http import landing_url, signed_in_user
from accounts.language import remember_language, use_language
from accounts.lockout import ACCOUNT_THROTTLED, browser_remember
from accounts.models import User
from accounts.signals import SecurityChange, security_changed
from accounts.throttling import password_reset_limited

# ``login()`` needs to know the backend when the user did not come from ``authenticate()``.
MODEL_BACKEND = "accounts.backends.PermissionsKeptBackend"


def _base_url(request: HttpRequest) -> str:
    """The site's scheme and host, for links in e-mails."""
    return request.build_absolute_uri("/")


def _next_url(request: HttpRequest) -> str:
    """Where to go after a step: the ``next`` asked for, if it is a page of this site."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        return landing_url(user)
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


class ErrorSummaryMixin:
    """Puts the form's errors, as links to the fields, in the context as ``errors``."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        form = context.get("form")
        context["errors"] = error_links(form) if form is not None and form.is_bound else []
        return context


# --- Log-in ------------------------------------------------------------------------------------


class LoginView(ErrorSummaryMixin, auth_views.LoginView):
    """The password step. Who owes a second factor goes on to the code step from here."""

    authentication_form = EmailAuthenticationForm

    def get_default_redirect_url(self) -> str:
        """Without a ``next``: where the person's work is (``landing_url``)."""
        return landing_url(signed_in_user(self.request))

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        # ``login()`` gives the session a new key: one fixed before the log-in does not carry over.
        response = super().form_valid(form)
        user = form.get_user()
        if selectors.second_factor_required(user):
            device = selectors.second_factor_device(user)
            if isinstance(device, EmailDevice):
                # A code sent less than a minute ago is still on its way.
                with suppress(services.CodeNotSentYet):
                    services.email_code_send(device=device)
            response = redirect(_with_next("accounts:two_factor_verify", self.get_success_url()))
        # This browser may go on logging in to the account while others are throttled.
        browser_remember(self.request, response, user)
        return remember_language(response, user.preferred_language)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        if form.unverified_email:
            context["resend_form"] = VerificationResendForm(
                initial={"email": form.unverified_email}
            )
        return context


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page django-axes answers with instead of the log-in while log-ins are refused: this
    client address is locked out, or the account is throttled (``accounts.lockout``).

    It names no account, and a throttled address without an account gets the same page, so it
    tells nobody whether an address has one.
    """
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(
        request,
        "accounts/lockout.html",
        {
            "cooloff_minutes": minutes,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "account_throttled": getattr(request, ACCOUNT_THROTTLED, False),
        },
        status=429,
    )


# --- Second factor ------------------------------------------------------------------------------


def _second_factor_login(request: HttpRequest, device: Device) -> None:
    """Mark the session as verified by ``device``, under a new session key."""
    django_otp.login(request, device)
    # The session has just gained rights: a key seen before this step is worth nothing after it.
    request.session.cycle_key()


def _is_verified(request: HttpRequest) -> bool:
    # django-otp's middleware gives the user ``is_verified()``; the stubs do not know it.
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def _qr_code_svg(data: str) -> str:
    """``data`` as a QR code, an SVG element to place in the page (no image request, no JS)."""
    return qrcode.make(data, image_factory=SvgPathImage).to_string(encoding="unicode")


def _grouped(secret: str) -> str:
    """A secret in groups of four characters, as authenticator apps show it for typing in."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@method_decorator(never_cache, name="dispatch")
class SecondFactorVerifyView(LoginRequiredMixin, View):
    """The code step after the password, for everyone who owes a second factor.

    Staff without a device are sent on to set up an authenticator app.
    """

    template_name = "accounts/two_factor/verify.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            if _is_verified(request) or not selectors.second_factor_required(request.user):
                return redirect(_next_url(request))
            self.device = selectors.second_factor_device(request.user)
            if self.device is None:
                return redirect(_with_next("accounts:two_factor_setup_app", _next_url(request)))
        return super().dispatch(request, *args, **kwargs)

    def _render(self, form: SecondFactorCodeForm) -> HttpResponse:
        by_email = isinstance(self.device, EmailDevice)
        context = {
            "form": form,
            "errors": error_links(form) if form.is_bound else [],
            "by_email": by_email,
            "next": _next_url(self.request),
        }
        return render(self.request, self.template_name, context)

    def _form(self, data: Any = None) -> SecondFactorCodeForm:
        by_app = isinstance(self.device, TOTPDevice)
        return SecondFactorCodeForm(data, digits_only=not by_app)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(self._form())

    def post(self, request: HttpRequest) -> HttpResponse:
        if "send" in request.POST and isinstance(self.device, EmailDevice):
            try:
                services.email_code_send(device=self.device)
            except services.CodeNotSentYet as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("We sent a new code to your e-mail address."))
            return redirect(_with_next("accounts:two_factor_verify", _next_url(request)))
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form)
        user = signed_in_user(request)
        code = services.normalize_code(form.cleaned_data["code"])
        device = selectors.device_for_code(user, code)
        try:
            if device is None:
                raise services.CodeRefused()
            verified = services.second_factor_check(user=user, device=device, code=code)
        except services.CodeRefused as error:
            form.add_error("code", error.message)
            return self._render(form)
        _second_factor_login(request, verified)
        if isinstance(verified, StaticDevice):
            left = selectors.recovery_codes_left(user)
            messages.warning(
                request,
                ngettext(
                    "You logged in with a recovery code; %(left)d is left. If your "
                    "authenticator app is lost, set up a new one in your profile.",
                    "You logged in with a recovery code; %(left)d are left. If your "
                    "authenticator app is lost, set up a new one in your profile.",
                    left,
                )
                % {"left": left},
            )
        return redirect(_next_url(request))


class _SetUpMixin(LoginRequiredMixin):
    """Setting up a device: for a verified session, or for an account that has none yet.

    Someone who knows only the password of an account that has a device must not add one of
    their own: they are sent to the code step instead.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if (
            request.user.is_authenticated
            and not _is_verified(request)
            and selectors.second_factor_device(request.user) is not None
        ):
            return redirect(_with_next("accounts:two_factor_verify", request.get_full_path()))
        return super().dispatch(request, *args, **kwargs)


@method_decorator(never_cache, name="dispatch")
class SecondFactorAppSetupView(_SetUpMixin, View):
    """Set up an authenticator app: scan the QR code (or type in the key), confirm with a code."""

    template_name = "accounts/two_factor/setup_app.html"

    def _render(self, form: SecondFactorCodeForm, device: TOTPDevice) -> HttpResponse:
        user = signed_in_user(self.request)
        context = {
            "form": form,
            "errors": error_links(form) if form.is_bound else [],
            "qr_code": _qr_code_svg(device.config_url),
            "secret": _grouped(b32encode(device.bin_key).decode()),
            # Staff are here because they must be; others because they chose to.
            "staff_enrolment": user.is_staff_member
            and selectors.second_factor_device(user) is None,
            "next": _next_url(self.request),
        }
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest) -> HttpResponse:
        device = services.app_device_start(user=signed_in_user(request))
        return self._render(SecondFactorCodeForm(), device)

    def post(self, request: HttpRequest) -> HttpResponse:
        user = signed_in_user(request)
        device = services.app_device_start(user=user)
        form = SecondFactorCodeForm(request.POST)
        if not form.is_valid():
            return self._render(form, device)
        try:
            codes = services.app_device_confirm(
                user=user, device=device, code=form.cleaned_data["code"]
            )
        except services.CodeRefused as error:
            form.add_error("code", error.message)
            return self._render(form, device)
        device.refresh_from_db()
        _second_factor_login(request, device)
        _security_changed(request, SecurityChange.SECOND_FACTOR_ON)
        messages.success(request, _("Your authenticator app is set up."))
        return _show_recovery_codes(request, codes, _next_url(request))


@method_decorator(never_cache, name="dispatch")
class SecondFactorEmailSetupView(_SetUpMixin, View):
    """Turn on codes by e-mail (applicants): send a first code, confirm with it."""

    template_name = "accounts/two_factor/setup_email.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and request.user.is_staff_member:
            # Staff use an authenticator app: their e-mail may be read on shared machines.
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _render(self, form: SecondFactorCodeForm, sent: bool) -> HttpResponse:
        context = {
            "form": form,
            "errors": error_links(form) if form.is_bound else [],
            "sent": sent,
        }
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(SecondFactorCodeForm(), sent="sent" in request.GET)

    def post(self, request: HttpRequest) -> HttpResponse:
        user = signed_in_user(request)
        device = services.email_device_start(user=user)
        if "send" in request.POST:
            try:
                services.email_code_send(device=device)
            except services.CodeNotSentYet as error:
                messages.error(request, error.message)
            return redirect(reverse("accounts:two_factor_setup_email") + "?sent=1")
        form = SecondFactorCodeForm(request.POST)
        if not form.is_valid():
            return self._render(form, sent=True)
        try:
            services.email_device_confirm(user=user, device=device, code=form.cleaned_data["code"])
        except services.CodeRefused as error:
            form.add_error("code", error.message)
            return self._render(form, sent=True)
        device.refresh_from_db()
        _second_factor_login(request, device)
        _security_changed(request, SecurityChange.SECOND_FACTOR_ON)
        messages.success(
            request, _("Two-step log-in is on: each log-in now asks for a code we e-mail you.")
        )
        return redirect("accounts:two_factor")


def _security_changed(
    request: HttpRequest, change: SecurityChange, *, user: User | None = None
) -> None:
    security_changed.send(
        sender=SecurityChange, request=request, user=user or request.user, change=change
    )


def _show_recovery_codes(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    # Kept in the session for one page view, so a reload does not post the form again.
    request.session[RecoveryCodesView.session_key] = {"codes": codes, "next": next_url}
    return redirect("accounts:two_factor_recovery_codes")


def _second_factor_page(request: HttpRequest, disable_form: PasswordConfirmForm) -> HttpResponse:
    user = signed_in_user(request)
    device = selectors.second_factor_device(user)
    context = {
        "by_app": isinstance(device, TOTPDevice),
        "by_email": isinstance(device, EmailDevice),
        "is_staff_member": user.is_staff_member,
        "recovery_codes_left": selectors.recovery_codes_left(user),
        "disable_form": disable_form,
        "errors": error_links(disable_form) if disable_form.is_bound else [],
    }
    return render(request, "accounts/two_factor/settings.html", context)


class SecondFactorView(LoginRequiredMixin, View):
    """Two-step log-in in the profile: whether it is on, and how to change it."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return _second_factor_page(request, PasswordConfirmForm(user=request.user))


class SecondFactorDisableView(LoginRequiredMixin, View):
    """Turn two-step log-in off (applicants only), after typing the password again."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        user = signed_in_user(request)
        if user.is_staff_member:
            raise PermissionDenied
        form = PasswordConfirmForm(request.POST, user=user)
        if not form.is_valid():
            return _second_factor_page(request, form)
        services.second_factor_disable(user=user)
        _security_changed(request, SecurityChange.SECOND_FACTOR_OFF)
        messages.success(request, _("Two-step log-in is off: your password alone logs you in."))
        return redirect("accounts:two_factor")


@method_decorator(never_cache, name="dispatch")
class RecoveryCodesView(LoginRequiredMixin, View):
    """New recovery codes (POST), and the page that shows them, once."""

    template_name = "accounts/two_factor/recovery_codes.html"
    session_key = "accounts_recovery_codes"

    def get(self, request: HttpRequest) -> HttpResponse:
        shown = request.session.pop(self.session_key, None)
        if not shown:
            return redirect("accounts:two_factor")
        return render(request, self.template_name, shown)

    def post(self, request: HttpRequest) -> HttpResponse:
        user = signed_in_user(request)
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            return redirect("accounts:two_factor")
        codes = services.recovery_codes_renew(user=user)
        _security_changed(request, SecurityChange.RECOVERY_CODES_RENEWED)
        messages.success(request, _("You have new recovery codes; the old ones no longer work."))
        return _show_recovery_codes(request, codes, reverse("accounts:two_factor"))


# --- Sign-up and verification -------------------------------------------------------------------


class SignupView(ErrorSummaryMixin, FormView):
    template_name = "accounts/signup.html"
    form_class = SignupForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            return redirect("profile:profile")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: SignupForm) -> HttpResponse:
        services.user_signup(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            preferred_language=form.cleaned_data["preferred_language"],
            base_url=_base_url(self.request),
        )
        # The same answer whether or not the address already had an account.
        return redirect("accounts:verify_sent")


class VerificationSentView(TemplateView):
    """The "check your e-mail" page, after sign-up and after asking for the link again."""

    template_name = "accounts/verify_sent.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "resend_form": VerificationResendForm()}


class VerificationResendView(ErrorSummaryMixin, FormView):
    http_method_names = ["post"]
    template_name = "accounts/verify_resend.html"
    form_class = VerificationResendForm

    def form_valid(self, form: VerificationResendForm) -> HttpResponse:
        services.user_verification_resend(
            email=form.cleaned_data["email"], base_url=_base_url(self.request)
        )
        return redirect("accounts:verify_sent")


class VerifyView(View):
    """The link in the verification e-mail.

    Opening it (GET) only shows a button; the account is activated by pressing it (POST). Mail
    scanners and link previews fetch links in e-mails, and would otherwise use up the link before
    its owner does (django-allauth confirms by POST for the same reason).
    """

    def get(self, request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
        user = selectors.user_from_verification_link(uidb64=uidb64, token=token)
        if user is None:
            return self._invalid(request)
        return render(request, "accounts/verify_confirm.html", {"email": user.email})

    def post(self, request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
        try:
            user = services.user_verify(uidb64=uidb64, token=token)
        except services.VerificationLinkInvalid:
            return self._invalid(request)
        # A new session key: a session fixed before the log-in does not carry over.
        login(request, user, backend=MODEL_BACKEND)
        use_language(user.preferred_language)
        messages.success(request, _("Your account is active. Please complete your personal data."))
        return remember_language(redirect("profile:profile"), user.preferred_language)

    def _invalid(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "accounts/verify_invalid.html",
            {
                "message": services.VerificationLinkInvalid().message,
                "form": VerificationResendForm(),
            },
        )


# --- Password reset and change ------------------------------------------------------------------


@method_decorator(csrf_protect, name="dispatch")
class PasswordResetView(ErrorSummaryMixin, FormView):
    """Ask for a link to set a new password. The answer is the same page, as fast, whether or
    not the address has an account; the mail leaves through the outbox, and requests are
    limited per address and per client address (``password_reset_limited``).

    Not Django's ``PasswordResetView``: its form and its ``form_valid()``, which mails at once,
    would both be replaced, and our form is not its ``PasswordResetForm``."""

    form_class = PasswordResetRequestForm
    template_name = "accounts/password/reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: PasswordResetRequestForm) -> HttpResponse:
        email = form.cleaned_data["email"]
        if not password_reset_limited(self.request, email):
            services.password_reset_request(
                email=email, base_url=self.request.build_absolute_uri("/")
            )
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password/reset_done.html"


class _PasswordSetMixin(ErrorSummaryMixin):
    """A page that sets the account's password, and says so once it is set."""

    security_change: SecurityChange

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)  # type: ignore[misc]
        _security_changed(self.request, self.security_change, user=form.user)  # type: ignore[attr-defined]
        return response


class PasswordResetConfirmView(_PasswordSetMixin, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password/reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    security_change = SecurityChange.PASSWORD_RESET


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password/reset_complete.html"


class PasswordChangeView(_PasswordSetMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password/change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")
    security_change = SecurityChange.PASSWORD_CHANGED


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password/change_done.html"


# --- The idle warning (static/js/idle-timeout.js) -----------------------------------------------


class _SignedInScriptView(View):
    """Asked by a script, not opened by a person: an anonymous caller gets 401, not the log-in
    page (which would take the message meant for the person, see ``SessionTimeoutMiddleware``).
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return HttpResponse(status=401)
        return super().dispatch(request, *args, **kwargs)


@method_decorator(never_cache, name="dispatch")
class SessionStatusView(_SignedInScriptView):
    """How many seconds the session has left before the idle timeout. Asking does not count as
    activity (``SessionTimeoutMiddleware.passive_paths``), so the warning in a tab left open
    tells the truth when the person works in another tab."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest) -> HttpResponse:
        return JsonResponse(
            {
                "seconds_left": math.floor(sessions.idle_seconds_left(request)),
                "idle_timeout": settings.SESSION_IDLE_TIMEOUT,
            }
        )


@method_decorator(never_cache, name="dispatch")
class KeepAliveView(_SignedInScriptView):
    """ "Stay logged in": the idle clock starts again. POST only, with the CSRF token, so that
    no link or image on another site can keep a session open."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        sessions.session_seen(request)
        return HttpResponse(status=204)
