"""Changes to how an account is protected go to the access log: password change and reset,
two-step log-in on and off, new recovery codes, deactivation in the back office."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from privacy.constants import Action
from privacy.models import AccessEvent
from tests.accounts.two_factor import TEST_PASSWORD, totp_code

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-and-long-passphrase-42"


def security_events():
    return list(
        AccessEvent.objects.filter(action=Action.ACCOUNT_SECURITY)
        .order_by("pk")
        .values_list("actor_id", "object_type", "object_id", "detail", "ip_address")
    )


def test_a_password_change_is_logged(client, applicant):
    client.force_login(applicant)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert security_events() == [
        (
            applicant.pk,
            "accounts.user",
            str(applicant.pk),
            {"change": "password_changed"},
            "127.0.0.1",
        )
    ]


def test_a_refused_password_change_is_not_logged(client, applicant):
    client.force_login(applicant)
    client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert security_events() == []


def test_a_password_reset_is_logged_for_the_account(client, applicant):
    uid = urlsafe_base64_encode(force_bytes(applicant.pk))
    token = default_token_generator.make_token(applicant)
    form_url = client.get(reverse("accounts:password_reset_confirm", args=[uid, token])).url
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert security_events() == [
        (
            applicant.pk,
            "accounts.user",
            str(applicant.pk),
            {"change": "password_reset"},
            "127.0.0.1",
        )
    ]


def test_turning_an_app_on_and_off_and_new_recovery_codes_are_logged(client, applicant):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(applicant)
    client.get(reverse("accounts:two_factor_setup_app"))
    device = TOTPDevice.objects.get(user=applicant)
    client.post(reverse("accounts:two_factor_setup_app"), {"code": totp_code(device)})
    client.post(reverse("accounts:two_factor_recovery_codes"))
    client.post(reverse("accounts:two_factor_disable"), {"password": TEST_PASSWORD})

    changes = [event[3]["change"] for event in security_events()]
    assert changes == ["second_factor_on", "recovery_codes_renewed", "second_factor_off"]


def test_deactivation_in_the_admin_names_the_admin_and_the_account(client, superuser, applicant):
    client.force_login(superuser)
    url = reverse("admin:accounts_user_change", args=[applicant.pk])
    page = client.get(url)
    assert page.status_code == 200
    # Send the form back as the admin shows it, with "active" unticked.
    fields = dict(
        re.findall(r'<input type="(?:text|email|hidden)" name="([^"]+)" value="([^"]*)"', page.text)
    )
    fields.pop("is_active", None)
    fields.update(
        {"email": applicant.email, "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00"}
    )
    fields["preferred_language"] = applicant.preferred_language
    response = client.post(url, fields)
    assert response.status_code == 302, response.content[:2000]
    applicant.refresh_from_db()
    assert not applicant.is_active
    assert security_events() == [
        (superuser.pk, "accounts.user", str(applicant.pk), {"change": "deactivated"}, "127.0.0.1")
    ]
    assert not mail.outbox or all("password" not in m.body.lower() for m in mail.outbox)
