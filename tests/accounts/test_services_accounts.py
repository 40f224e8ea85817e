from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts import services
from accounts.tokens import email_verification_token
from applications import persons
from applications.constants import Relation
from tests.accounts.conftest import link_in

pytestmark = pytest.mark.django_db


def _link_parts(message) -> tuple[str, str]:
    _, _, _, uidb64, token, _ = link_in(message, "/accounts/verify/").split("/")
    return uidb64, token


def test_a_verification_link_activates_once(unverified_user):
    services.user_verification_resend(email=unverified_user.email, base_url="http://testserver")
    uidb64, token = _link_parts(mail.outbox[0])

    user = services.user_verify(uidb64=uidb64, token=token)

    assert user.pk == unverified_user.pk
    assert user.is_active
    with pytest.raises(services.VerificationLinkInvalid):
        services.user_verify(uidb64=uidb64, token=token)


def test_an_older_link_still_works_until_the_account_is_active(unverified_user):
    first = email_verification_token.make_token(unverified_user)
    second = email_verification_token.make_token(unverified_user)

    assert email_verification_token.check_token(unverified_user, first)
    assert email_verification_token.check_token(unverified_user, second)
    unverified_user.is_active = True
    assert not email_verification_token.check_token(unverified_user, first)


def test_profile_update_leaves_fields_not_given(applicant):
    own = applicant.applicants.get()

    persons.applicant_profile_update(user=applicant, data={"phone": "+420 601 000 000"})

    own.refresh_from_db()
    assert own.phone == "+420601000000"  # normalised to E.164
    assert own.travel_document_number.startswith("FP")


def test_profile_update_refuses_incomplete_first_save(db):
    from tests.accounts.factories import UserFactory

    user = UserFactory()

    with pytest.raises(ValidationError) as refused:
        persons.applicant_profile_update(user=user, data={"given_names": "Olena"})

    assert "surname" in refused.value.message_dict


def test_language_must_be_one_the_portal_offers(applicant):
    with pytest.raises(ValidationError):
        services.user_language_update(user=applicant, language="de")


def test_child_service_refuses_adults_whoever_calls_it(applicant):
    with pytest.raises(ValidationError) as refused:
        persons.applicant_child_create(
            user=applicant,
            data={
                "given_names": "Adult",
                "surname": "Person",
                "date_of_birth": date(1990, 1, 1),
                "nationality": "UA",
                "travel_document_number": "X1234567",
            },
        )

    assert "date_of_birth" in refused.value.message_dict
    assert not applicant.applicants.filter(relation=Relation.CHILD).exists()


def test_child_update_refuses_the_account_holders_own_record(applicant):
    with pytest.raises(services.AccountError):
        persons.applicant_child_update(child=applicant.applicants.get(), data={})


@pytest.mark.parametrize(
    ("born", "minor"),
    [(date(2008, 3, 15), False), (date(2008, 3, 16), True), (date(2026, 3, 15), True)],
)
def test_child_age_boundary(born, minor):
    today = date(2026, 3, 15)
    if minor:
        persons.validate_child_date_of_birth(born, today=today)
    else:
        with pytest.raises(ValidationError):
            persons.validate_child_date_of_birth(born, today=today)


def test_verification_records_when_and_consent_is_recorded_at_signup():
    from accounts import services as account_services

    user = account_services.user_signup(
        email="new@example.com",
        password="a-long-pass-phrase-1",
        preferred_language="en",
        base_url="http://testserver",
    )
    assert user.consent_given_at is not None
    assert user.email_verified_at is None


def test_account_staff_created_and_deactivated_cannot_be_activated_by_a_link():
    from accounts import selectors as account_selectors
    from tests.accounts.factories import UserFactory

    user = UserFactory(is_active=False)
    assert not account_selectors.user_is_awaiting_verification(user)
