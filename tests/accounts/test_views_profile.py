from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from accounts.constants import Role
from applications.constants import Relation
from applications.models import Applicant
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicantFactory

pytestmark = pytest.mark.django_db

# A Wednesday morning in Prague: "today" and "tomorrow" are read from this clock, never from the
# machine's, so no weekend or midnight in Prague changes what the tests see.
PINNED = datetime(2026, 3, 4, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(PINNED, tick=False):
        yield


PROFILE_URL = "/accounts/profile/"
ADD_CHILD_URL = "/accounts/children/add/"


def _profile_data(**overrides):
    return {
        "given_names": "Olena Maria",
        "surname": "Kovalenko",
        "date_of_birth": "1991-04-12",
        "nationality": "UA",
        "travel_document_number": "FA123456",
        "address": "Vinohradská 12, 120 00 Praha 2",
        "phone": "+420 777 123 456",
        "preferred_language": "uk",
        **overrides,
    }


def _child_data(**overrides):
    return {
        "given_names": "Taras",
        "surname": "Kovalenko",
        "date_of_birth": "2015-09-01",
        "nationality": "UA",
        "travel_document_number": "FA765432",
        "address": "",
        **overrides,
    }


def _years_ago(years: int, *, days: int = 0) -> date:
    today = timezone.localdate()
    if (today.month, today.day) == (2, 29):
        today -= timedelta(days=1)
    return today.replace(year=today.year - years) + timedelta(days=days)


@pytest.fixture
def new_applicant(db):
    """A freshly verified account that has not saved its personal data yet."""
    return UserFactory(role=Role.APPLICANT, email="olena@example.com", preferred_language="cs")


@pytest.fixture
def child(applicant):
    return ApplicantFactory(
        account=applicant, relation=Relation.CHILD, date_of_birth=_years_ago(7), given_names="Ivo"
    )


# --- Profile -------------------------------------------------------------------------------------


def test_profile_requires_login(anonymous):
    response = anonymous.get(PROFILE_URL)

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/accounts/profile/"
    assert anonymous.post(PROFILE_URL, _profile_data()).status_code == 302
    assert not Applicant.objects.exists()


def test_profile_answers_405_to_other_methods(client, applicant):
    client.force_login(applicant)

    assert client.put(PROFILE_URL).status_code == 405
    assert client.delete(PROFILE_URL).status_code == 405


def test_first_save_creates_the_own_applicant_record(client, new_applicant):
    client.force_login(new_applicant)
    page = client.get(PROFILE_URL)
    assert page.status_code == 200
    assert 'autocomplete="given-name"' in page.text
    assert 'autocomplete="bday"' in page.text

    response = client.post(PROFILE_URL, _profile_data())

    assert response.status_code == 302
    assert response.url == PROFILE_URL
    applicant = Applicant.objects.get(account=new_applicant)
    assert applicant.relation == Relation.SELF
    assert applicant.given_names == "Olena Maria"
    assert applicant.surname == "Kovalenko"
    assert applicant.date_of_birth == date(1991, 4, 12)
    assert applicant.nationality.code == "UA"
    assert applicant.travel_document_number == "FA123456"
    assert applicant.address == "Vinohradská 12, 120 00 Praha 2"
    assert applicant.phone == "+420777123456"  # normalised to E.164
    assert applicant.email == "olena@example.com"
    assert applicant.created_by == new_applicant
    new_applicant.refresh_from_db()
    assert (new_applicant.first_name, new_applicant.last_name) == ("Olena Maria", "Kovalenko")


def test_saving_again_updates_the_same_record(client, applicant):
    own = applicant.applicants.get()
    client.force_login(applicant)

    page = client.get(PROFILE_URL)
    assert page.context["form"]["surname"].value() == own.surname

    client.post(PROFILE_URL, _profile_data(surname="Shevchenko"))

    assert applicant.applicants.count() == 1
    own.refresh_from_db()
    assert own.surname == "Shevchenko"


def test_profile_errors_are_summarised_and_nothing_typed_is_lost(client, new_applicant):
    client.force_login(new_applicant)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = client.post(
        PROFILE_URL, _profile_data(surname="", date_of_birth=tomorrow, preferred_language="vi")
    )

    assert response.status_code == 200
    assert not Applicant.objects.exists()
    assert 'role="alert"' in response.text
    assert 'href="#id_surname"' in response.text
    assert 'href="#id_date_of_birth"' in response.text
    assert "The date of birth cannot be in the future." in response.text
    for typed in ("Olena Maria", "FA123456", tomorrow, "+420 777 123 456"):
        assert typed in response.text
    assert response.context["form"]["preferred_language"].value() == "vi"
    new_applicant.refresh_from_db()
    assert new_applicant.preferred_language == "cs"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_saving_the_language_remembers_it(client, applicant):
    client.force_login(applicant)

    response = client.post(PROFILE_URL, _profile_data(preferred_language="vi"), follow=True)

    first = response.redirect_chain[0]
    assert first == (PROFILE_URL, 302)
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "vi"
    applicant.refresh_from_db()
    assert applicant.preferred_language == "vi"
    assert applicant.applicants.get().preferred_language == "vi"
    # The next page is in the language chosen.
    assert '<html lang="vi" data-theme="light">' in response.text


def test_staff_keep_only_their_language(client, caseworker):
    client.force_login(caseworker)
    page = client.get(PROFILE_URL)
    assert "given_names" not in page.context["form"].fields
    assert "Children you represent" not in page.text

    response = client.post(PROFILE_URL, {"preferred_language": "en"})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    caseworker.refresh_from_db()
    assert caseworker.preferred_language == "en"
    assert not Applicant.objects.filter(account=caseworker).exists()


def test_profile_lists_only_the_accounts_children(
    client, applicant, child, other_applicant, django_assert_max_num_queries
):
    ApplicantFactory(
        account=applicant,
        relation=Relation.CHILD,
        given_names="Marta",
        date_of_birth=_years_ago(12),
    )
    ApplicantFactory(account=other_applicant, relation=Relation.CHILD, given_names="Stranger")
    client.force_login(applicant)

    with django_assert_max_num_queries(10):
        response = client.get(PROFILE_URL)

    assert [c.given_names for c in response.context["children"]] == ["Marta", "Ivo"]
    assert f'href="/accounts/children/{child.pk}/"' in response.text
    assert "Stranger" not in response.text


# --- Children ------------------------------------------------------------------------------------


def test_add_a_child(client, applicant):
    client.force_login(applicant)
    assert client.get(ADD_CHILD_URL).status_code == 200

    response = client.post(ADD_CHILD_URL, _child_data())

    assert response.status_code == 302
    assert response.url == f"{PROFILE_URL}#children"
    child = Applicant.objects.get(relation=Relation.CHILD)
    assert child.account == applicant
    assert child.created_by == applicant
    assert child.given_names == "Taras"
    assert child.date_of_birth == date(2015, 9, 1)
    assert "Taras Kovalenko" in client.get(PROFILE_URL).text


@pytest.mark.parametrize(
    ("born", "message"),
    # Worked out when the test runs, not when it is collected: the day may have changed since,
    # and the test runs on its own clock (TEST_CLOCK).
    [
        (lambda: _years_ago(18), "A child must be under 18."),
        (lambda: _years_ago(40), "A child must be under 18."),
        (
            lambda: timezone.localdate() + timedelta(days=1),
            "The date of birth cannot be in the future.",
        ),
    ],
    ids=["18-today", "adult", "future"],
)
def test_a_child_must_be_a_minor(client, applicant, born, message):
    client.force_login(applicant)

    response = client.post(ADD_CHILD_URL, _child_data(date_of_birth=born().isoformat()))

    assert response.status_code == 200
    assert message in response.text
    assert 'href="#id_date_of_birth"' in response.text
    assert 'value="Taras"' in response.text
    assert not Applicant.objects.filter(relation=Relation.CHILD).exists()


def test_a_child_turning_18_tomorrow_is_still_a_minor(client, applicant):
    client.force_login(applicant)

    response = client.post(
        ADD_CHILD_URL, _child_data(date_of_birth=_years_ago(18, days=1).isoformat())
    )

    assert response.status_code == 302
    assert Applicant.objects.filter(relation=Relation.CHILD).count() == 1


def test_edit_own_child(client, applicant, child):
    client.force_login(applicant)
    url = f"/accounts/children/{child.pk}/"

    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["given_names"].value() == "Ivo"

    response = client.post(url, _child_data(given_names="Ivan", date_of_birth=child.date_of_birth))

    assert response.status_code == 302
    child.refresh_from_db()
    assert child.given_names == "Ivan"
    assert child.relation == Relation.CHILD
    assert child.account == applicant


def test_edit_refuses_an_adult_date_and_keeps_the_record(client, applicant, child):
    client.force_login(applicant)

    response = client.post(
        f"/accounts/children/{child.pk}/", _child_data(date_of_birth="1990-01-01")
    )

    assert response.status_code == 200
    assert "A child must be under 18." in response.text
    child.refresh_from_db()
    assert child.date_of_birth == _years_ago(7)


def test_another_accounts_child_is_404(client, other_applicant, child):
    client.force_login(other_applicant)
    url = f"/accounts/children/{child.pk}/"

    assert client.get(url).status_code == 404
    assert client.post(url, _child_data(given_names="Hacked")).status_code == 404
    child.refresh_from_db()
    assert child.given_names == "Ivo"


def test_the_account_holders_own_record_is_not_a_child(client, applicant):
    client.force_login(applicant)

    assert client.get(f"/accounts/children/{applicant.applicants.get().pk}/").status_code == 404


def test_child_pages_require_login(anonymous, child):
    for url in (ADD_CHILD_URL, f"/accounts/children/{child.pk}/"):
        response = anonymous.get(url)
        assert response.status_code == 302
        assert response.url == f"/accounts/login/?next={url}"
    anonymous.post(ADD_CHILD_URL, _child_data())
    assert Applicant.objects.filter(relation=Relation.CHILD).count() == 1


def test_child_pages_refuse_staff(client, caseworker, child):
    client.force_login(caseworker)

    assert client.get(ADD_CHILD_URL).status_code == 403
    assert client.get(f"/accounts/children/{child.pk}/").status_code == 403


def test_child_pages_answer_405_to_other_methods(client, applicant, child):
    client.force_login(applicant)

    assert client.delete(f"/accounts/children/{child.pk}/").status_code == 405
    assert client.put(ADD_CHILD_URL).status_code == 405
