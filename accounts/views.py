"""The account pages: sign-up, e-mail verification, log-in, password, profile and children.

Thin views: validate a form, call a service in ``accounts.services``, add a message, redirect.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts import selectors, services
from accounts.constants import Role
from accounts.forms import (
    ChildForm,
    EmailAuthenticationForm,
    LanguageForm,
    LocalizedPasswordResetForm,
    ProfileForm,
    SignupForm,
    VerificationResendForm,
    error_links,
)
from accounts.language import remember_language, use_language
from applications.models import Applicant

# ``login()`` needs to know the backend when the user did not come from ``authenticate()``.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _base_url(request: HttpRequest) -> str:
    """The site's scheme and host, for links in e-mails."""
    return request.build_absolute_uri("/")


class ErrorSummaryMixin:
    """Puts the form's errors, as links to the fields, in the context as ``errors``."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        form = context.get("form")
        context["errors"] = error_links(form) if form is not None and form.is_bound else []
        return context


class ApplicantRequiredMixin(LoginRequiredMixin):
    """Pages for applicants: anonymous visitors log in first, staff accounts are refused (403)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not request.user.has_role(Role.APPLICANT):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# --- Log-in ------------------------------------------------------------------------------------


class LoginView(ErrorSummaryMixin, auth_views.LoginView):
    authentication_form = EmailAuthenticationForm

    def form_valid(self, form: EmailAuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        return remember_language(response, form.get_user().preferred_language)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        if form.unverified_email:
            context["resend_form"] = VerificationResendForm(
                initial={"email": form.unverified_email}
            )
        return context


# --- Sign-up and verification -------------------------------------------------------------------


class SignupView(ErrorSummaryMixin, FormView):
    template_name = "accounts/signup.html"
    form_class = SignupForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return redirect("accounts:profile")
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
        return remember_language(redirect("accounts:profile"), user.preferred_language)

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


class PasswordResetView(ErrorSummaryMixin, auth_views.PasswordResetView):
    form_class = LocalizedPasswordResetForm
    template_name = "accounts/password/reset_form.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    email_template_name = "accounts/email/password_reset.txt"
    html_email_template_name = "accounts/email/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password/reset_done.html"


class PasswordResetConfirmView(ErrorSummaryMixin, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password/reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password/reset_complete.html"


class PasswordChangeView(ErrorSummaryMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password/change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password/change_done.html"


# --- Profile and children -----------------------------------------------------------------------


class ProfileView(LoginRequiredMixin, View):
    """The account holder's own personal data and preferred language, and their children.

    Staff accounts hold no applicant record: for them the page keeps the language only.
    """

    template_name = "accounts/profile.html"

    def _is_applicant(self) -> bool:
        return self.request.user.has_role(Role.APPLICANT)

    def _form(self, data: Any = None) -> ProfileForm | LanguageForm:
        user = self.request.user
        initial = {"preferred_language": user.preferred_language}
        if not self._is_applicant():
            return LanguageForm(data, initial=initial)
        instance = selectors.self_applicant_for_user(user=user)
        return ProfileForm(data, instance=instance, initial=initial)

    def _render(self, form: ProfileForm | LanguageForm) -> HttpResponse:
        is_applicant = self._is_applicant()
        context = {
            "form": form,
            "errors": error_links(form) if form.is_bound else [],
            "is_applicant": is_applicant,
            "children": (
                list(selectors.children_for_user(user=self.request.user)) if is_applicant else []
            ),
        }
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(self._form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form)
        try:
            if isinstance(form, ProfileForm):
                services.applicant_profile_update(user=request.user, data=form.cleaned_data)
            else:
                services.user_language_update(
                    user=request.user, language=form.cleaned_data["preferred_language"]
                )
        except ValidationError as error:
            form.add_error(None, error)
            return self._render(form)
        language = request.user.preferred_language
        # The confirmation already speaks the language just chosen.
        use_language(language)
        messages.success(request, _("Your profile was saved."))
        return remember_language(redirect("accounts:profile"), language)


class ChildFormView(ApplicantRequiredMixin, View):
    """Add a minor child the account holder represents, or correct one's data."""

    template_name = "accounts/child_form.html"

    def _child(self) -> Applicant | None:
        pk = self.kwargs.get("pk")
        if pk is None:
            return None
        # Scoped to the account: another account's child is a 404.
        return get_object_or_404(selectors.children_for_user(user=self.request.user), pk=pk)

    def _render(self, form: ChildForm, child: Applicant | None) -> HttpResponse:
        context = {
            "form": form,
            "child": child,
            "errors": error_links(form) if form.is_bound else [],
        }
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        child = self._child()
        return self._render(ChildForm(instance=child), child)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        child = self._child()
        form = ChildForm(request.POST, instance=child)
        if not form.is_valid():
            return self._render(form, child)
        try:
            if child is None:
                services.applicant_child_create(user=request.user, data=form.cleaned_data)
                messages.success(request, _("The child was added."))
            else:
                # A fresh copy: the form has already written the input onto ``child``.
                services.applicant_child_update(child=self._child(), data=form.cleaned_data)
                messages.success(request, _("The child's data was saved."))
        except ValidationError as error:
            form.add_error(None, error)
            return self._render(form, child)
        return HttpResponseRedirect(reverse("accounts:profile") + "#children")
