"""Forms of the account pages. They validate input only; ``accounts.services`` writes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, SetPasswordMixin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts import selectors
from accounts.backends import login_failure_record, login_locked_out
from accounts.constants import Language
from accounts.mail import language_of

# --- Error summary ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErrorLink:
    """One line of the error summary at the top of a page: what is wrong and a link to it."""

    target: str  # the id of the element to jump to
    label: str
    message: str


def error_links(
    form: forms.BaseForm, *, row_label: str = "", non_field_target: str | None = None
) -> list[ErrorLink]:
    """The errors of ``form`` as summary links to their fields, in the order of the fields.

    An error about the form as a whole links to ``non_field_target``, by default to the form's
    first field. ``row_label`` names the row of a formset the form is, before each field label.
    """
    links = []
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS:
            target = _first_field_id(form) if non_field_target is None else non_field_target
            label = row_label
        else:
            field = form[name]
            # Radio buttons have no single labelled element: jump to the first one.
            target = field.id_for_label or f"{field.auto_id}_0"
            label = f"{row_label}: {field.label}" if row_label else str(field.label)
            if isinstance(field.field.widget, forms.CheckboxInput):
                # A checkbox's label is a whole sentence; its error message says it all.
                label = row_label
        links += [ErrorLink(target=target, label=label, message=str(error)) for error in errors]
    return links


def _first_field_id(form: forms.BaseForm) -> str:
    first_field = next(iter(form), None)
    return first_field.id_for_label if first_field is not None else ""


def preferred_language_field() -> forms.ChoiceField:
    """The language the portal and our e-mails use, as sign-up, the profile and staff set it."""
    return forms.ChoiceField(
        label=_("Preferred language"),
        choices=Language.choices,
        help_text=_("The portal and our e-mails to you use this language."),
        widget=forms.Select(attrs={"autocomplete": "language"}),
    )


def _helper(*layout: Any) -> FormHelper:
    # The template writes the <form> element, its CSRF token and the buttons.
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*layout)
    return helper


def current_language() -> str:
    """The language the page is shown in, if the portal offers it (else Czech)."""
    return language_of(translation.get_language())


# --- Log-in, sign-up, verification ----------------------------------------------------------------


class EmailAuthenticationForm(AuthenticationForm):
    """Log in by e-mail address (in any letter case) and password.

    An account waiting for e-mail verification gets a hint how to verify, but only when the
    password is right: a wrong password gets the usual answer, so the form does not tell who
    has an account.
    """

    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter a correct e-mail address and password. Note that the password is "
            "case-sensitive."
        ),
        "unverified": _(
            "Your account is not active yet. Open the link in the e-mail we sent you when you "
            "signed up, or have it sent again below."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Set when the right password was given for an account that waits for verification.
        self.unverified_email: str | None = None

    def clean(self) -> dict[str, Any]:
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email and password:
            pending = selectors.user_awaiting_verification(email=email)
            if pending is not None:
                # This answer comes before ``authenticate()``, so it honours the lock-out and
                # counts a wrong password itself: the hint must not let anyone guess passwords
                # without limit.
                if login_locked_out(self.request, email):
                    raise self.get_invalid_login_error()
                # One password check, as ``authenticate()`` makes for other addresses, so the
                # answer takes as long as any other.
                if pending.check_password(password):
                    self.unverified_email = pending.email
                    raise ValidationError(self.error_messages["unverified"], code="unverified")
                login_failure_record(self.request, email)
                raise self.get_invalid_login_error()
        return super().clean()


class SignupForm(SetPasswordMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send a link to this address; open it to activate your account."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password1, password2 = SetPasswordMixin.create_password_fields()
    preferred_language = preferred_language_field()
    consent = forms.BooleanField(
        label=_(
            "I consent to the processing of my personal data for the purposes of my "
            "applications and the proceedings on them."
        ),
        error_messages={
            "required": _("Tick the box to consent to the processing of your personal data.")
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].initial = current_language()
        self.helper = _helper("email", "password1", "password2", "preferred_language", "consent")

    def clean(self) -> dict[str, Any]:
        self.validate_passwords()
        # The validators compare the password with the e-mail address, as for any account.
        candidate = get_user_model()(email=self.cleaned_data.get("email", ""))
        self.validate_password_for_user(candidate)
        return self.cleaned_data


class VerificationResendForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("email")


# --- Second factor -----------------------------------------------------------------------------


class SecondFactorCodeForm(forms.Form):
    """A one-time code: six digits from the app or an e-mail, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autofocus": True,
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
    )

    def __init__(self, *args: Any, digits_only: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if digits_only:
            # Phones show the number pad; recovery codes have letters, so not when they count.
            self.fields["code"].widget.attrs["inputmode"] = "numeric"
        else:
            self.fields["code"].help_text = _(
                "The six digits your authenticator app shows, or one of your recovery codes."
            )


class PasswordConfirmForm(forms.Form):
    """The account's password again, before a change that weakens the log-in."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("This is not your password."), code="password_incorrect")
        return password


# --- Password reset -----------------------------------------------------------------------------


class PasswordResetRequestForm(forms.Form):
    """The address to send a link for setting a new password to (accounts.services)."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


# --- Language ----------------------------------------------------------------------------------


class LanguageForm(forms.Form):
    """The preferred language alone, for accounts that hold no applicant record (staff)."""

    preferred_language = preferred_language_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("preferred_language")
