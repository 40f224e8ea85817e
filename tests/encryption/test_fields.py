"""Encrypted model fields: what the database holds is ciphertext bound to its row and column,
what the code reads is the plaintext, and nothing lets a plain value into a query."""

from __future__ import annotations

import base64
import uuid
from datetime import date

import pytest
from django.core.exceptions import FieldError
from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.urls import reverse

from applications import services
from applications.forms_profile import ProfileForm
from applications.models import Applicant, Application, CaseNote
from encryption.crypto import DecryptionError
from encryption.fields import Sealed, encrypted_fields
from tests.applications.factories import ApplicantFactory, ApplicationFactory
from tests.encryption.conftest import new_key

pytestmark = pytest.mark.django_db


def stored(instance, column: str):
    """The column's value as the database holds it."""
    table = connection.ops.quote_name(type(instance)._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s",  # noqa: S608
            [instance.pk],
        )
        return cursor.fetchone()[0]


def store(instance, column: str, value) -> None:
    """Write a column behind the ORM's back, as someone with database access could."""
    table = connection.ops.quote_name(type(instance)._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {connection.ops.quote_name(column)} = %s WHERE id = %s",  # noqa: S608
            [value, instance.pk],
        )


@pytest.fixture
def person(use_keys):
    use_keys(new_key("k1"))
    return ApplicantFactory(
        nationality="UA",
        travel_document_number="FE123456",
        address="Vinohradská 12, Praha 2",
        date_of_birth=date(1987, 3, 9),
        phone="+420 777 123 456",
    )


# --- Round trips -------------------------------------------------------------------------------


def test_applicant_fields_round_trip_and_are_stored_sealed(person):
    fresh = Applicant.objects.get(pk=person.pk)

    assert fresh.travel_document_number == "FE123456"
    assert fresh.address == "Vinohradská 12, Praha 2"
    assert fresh.date_of_birth == date(1987, 3, 9)
    assert fresh.phone == "+420 777 123 456"
    for column, clear in [
        ("travel_document_number", "FE123456"),
        ("address", "Vinohradská"),
        ("date_of_birth", "1987-03-09"),
        ("phone", "777"),
    ]:
        raw = stored(person, column)
        assert raw.startswith("k1:"), column
        assert clear not in raw, column


def test_json_and_long_text_round_trip(person, caseworker):
    answers = {"vacancy_number": "CANARY-77", "weekly_hours": "40", "periods": [{"kind": "é"}]}
    application = ApplicationFactory(applicant=person, answers=answers)
    note = CaseNote.objects.create(
        application=application, author=caseworker, text="Žluťoučký " * 50
    )

    assert Application.objects.get(pk=application.pk).answers == answers
    assert CaseNote.objects.get(pk=note.pk).text == "Žluťoučký " * 50
    assert "CANARY-77" not in stored(application, "answers")
    assert "Žluťoučký" not in stored(note, "text")


def test_empty_values_are_stored_as_they_are(use_keys):
    use_keys(new_key("k1"))
    person = ApplicantFactory(address="", phone="")

    assert stored(person, "address") == ""
    assert Applicant.objects.get(pk=person.pk).address == ""
    assert Applicant.objects.filter(pk=person.pk, phone="").exists()


def test_a_changed_value_is_sealed_again(person):
    person.address = "Karlova 1"
    person.save(update_fields=["address"])

    assert Applicant.objects.get(pk=person.pk).address == "Karlova 1"
    assert "Karlova" not in stored(person, "address")


# --- Ciphertext in the wrong place, altered, or under an unknown key ---------------------------


def test_ciphertext_copied_to_another_row_fails(person):
    other = ApplicantFactory(address="Karlova 1")
    store(other, "address", stored(person, "address"))

    with pytest.raises(DecryptionError):
        Applicant.objects.get(pk=other.pk).address  # noqa: B018


def test_ciphertext_copied_through_the_orm_to_another_row_fails(person):
    other = ApplicantFactory()
    sealed = Applicant.objects.values_list("travel_document_number", flat=True).get(pk=person.pk)
    assert isinstance(sealed, Sealed)
    Applicant.objects.filter(pk=other.pk).update(travel_document_number=sealed)

    with pytest.raises(DecryptionError):
        Applicant.objects.get(pk=other.pk).travel_document_number  # noqa: B018


def test_ciphertext_copied_to_another_column_fails(person):
    store(person, "phone", stored(person, "address"))

    with pytest.raises(DecryptionError):
        Applicant.objects.get(pk=person.pk).phone  # noqa: B018


def test_a_sealed_value_moved_to_another_instance_is_refused_on_save(person):
    other = ApplicantFactory()
    other.__dict__["address"] = Applicant.objects.get(pk=person.pk).__dict__["address"]

    with pytest.raises(DecryptionError):
        other.save()


def test_a_tampered_byte_fails(person):
    key_id, body = stored(person, "address").split(":", 1)
    raw = bytearray(base64.b64decode(body))
    raw[20] ^= 0x01
    store(person, "address", f"{key_id}:{base64.b64encode(bytes(raw)).decode()}")

    with pytest.raises(DecryptionError):
        Applicant.objects.get(pk=person.pk).address  # noqa: B018


def test_an_unknown_key_id_fails(person, use_keys):
    use_keys(new_key("k2"))

    with pytest.raises(DecryptionError, match="k1"):
        Applicant.objects.get(pk=person.pk).travel_document_number  # noqa: B018


def test_pages_fail_rather_than_show_ciphertext(person, caseworker, client):
    application = ApplicationFactory(applicant=person, filed=True)
    store(person, "address", stored(ApplicantFactory(), "address"))
    # The case page shows the person as filed (SPEC §2): that value is moved from another case.
    other = ApplicationFactory(filed=True)
    store(application, "filed_party", stored(other, "filed_party"))
    client.force_login(caseworker)

    with pytest.raises(DecryptionError):
        client.get(reverse("caseworker:case", args=[application.pk]))
    with pytest.raises(DecryptionError):
        ProfileForm(instance=Applicant.objects.get(pk=person.pk))


def test_reading_never_returns_ciphertext(person):
    fresh = Applicant.objects.get(pk=person.pk)
    for field in encrypted_fields(Applicant):
        value = getattr(fresh, field.attname)
        assert not isinstance(value, Sealed), field.name
        assert not str(value).startswith("k1:"), field.name


# --- Plaintext never reaches a query -----------------------------------------------------------


def test_update_with_a_plain_value_is_refused(person):
    # Each in a savepoint: a refused update marks the transaction for rollback.
    with pytest.raises(TypeError, match="encrypted"), transaction.atomic():
        Applicant.objects.filter(pk=person.pk).update(travel_document_number="X")
    with pytest.raises(TypeError, match="encrypted"), transaction.atomic():
        Application.objects.filter(applicant=person).update(answers={"a": 1})

    assert Applicant.objects.get(pk=person.pk).travel_document_number == "FE123456"


def test_comparing_with_a_plain_value_is_refused(person):
    with pytest.raises(TypeError, match="blind index"):
        Applicant.objects.filter(travel_document_number="FE123456").exists()
    with pytest.raises(TypeError):
        Applicant.objects.filter(address__in=["Vinohradská 12, Praha 2"]).exists()
    with pytest.raises(FieldError):
        Applicant.objects.filter(address__icontains="Vinohradská").exists()
    with pytest.raises(FieldError):
        Applicant.objects.filter(date_of_birth__year=1987).exists()
    with pytest.raises(FieldError):
        Application.objects.filter(answers__weekly_hours="40").exists()


def test_bulk_update_and_computed_values_are_refused(person):
    person.address = "Karlova 1"
    with pytest.raises(TypeError), transaction.atomic():
        Applicant.objects.bulk_update([person], ["address"])
    for computed in (Value("Karlova 1"), Concat(Value("Karlova "), Value("1")), F("surname")):
        with pytest.raises(TypeError), transaction.atomic():
            Applicant.objects.filter(pk=person.pk).update(address=computed)
    with pytest.raises(TypeError), transaction.atomic():
        Applicant.objects.create(
            given_names="A",
            surname="B",
            date_of_birth=date(1990, 1, 1),
            nationality="UA",
            travel_document_number=Value("FE1"),
        )

    assert Applicant.objects.get(pk=person.pk).address == "Vinohradská 12, Praha 2"


# --- The ORM around the fields ------------------------------------------------------------------


def test_a_deferred_field_loads_with_one_query(person, django_assert_num_queries):
    fresh = Applicant.objects.only("surname").get(pk=person.pk)

    with django_assert_num_queries(1):
        assert fresh.address == "Vinohradská 12, Praha 2"


def test_refresh_from_db(person):
    stale = Applicant.objects.get(pk=person.pk)
    person.address = "Karlova 1"
    person.save()

    stale.refresh_from_db(fields=["address"])
    assert stale.address == "Karlova 1"
    person.travel_document_number = "FE999"
    person.save()
    stale.refresh_from_db()
    assert stale.travel_document_number == "FE999"


def test_bulk_create_encrypts_and_indexes(use_keys):
    use_keys(new_key("k1"))
    [made] = Applicant.objects.bulk_create(
        [
            Applicant(
                given_names="Iryna",
                surname="Bulk",
                date_of_birth=date(1990, 1, 2),
                nationality="UA",
                travel_document_number="FE555",
            )
        ]
    )
    made = Applicant.objects.get(surname="Bulk")

    assert made.travel_document_number == "FE555"
    assert stored(made, "travel_document_number").startswith("k1:")
    assert made.travel_document_index


def test_model_forms_show_and_save_the_plaintext(person):
    form = ProfileForm(instance=Applicant.objects.get(pk=person.pk))
    assert form["travel_document_number"].value() == "FE123456"
    assert form["date_of_birth"].value() == date(1987, 3, 9)

    data = {name: form[name].value() for name in form.fields}
    data.update(address="Karlova 1", date_of_birth="1987-03-09", preferred_language="uk")
    bound = ProfileForm(data, instance=Applicant.objects.get(pk=person.pk))
    assert bound.is_valid(), bound.errors
    bound.save()
    assert Applicant.objects.get(pk=person.pk).address == "Karlova 1"


def test_the_admin_shows_the_plaintext(person, superuser, client):
    client.force_login(superuser)

    page = client.get(reverse("admin:applications_applicant_change", args=[person.pk]))
    listing = client.get(reverse("admin:applications_applicant_changelist"))

    assert page.status_code == 200
    assert "FE123456" in page.text
    assert "Vinohradská 12" in page.text
    assert "k1:" not in page.text
    assert listing.status_code == 200
    assert "k1:" not in listing.text


def test_services_write_encrypted_free_text(caseworker, use_keys):
    use_keys(new_key("k1"))
    application = ApplicationFactory(appealed=True, caseworker=caseworker)
    note = services.case_note_add(application=application, author=caseworker, text="Canary note")

    decision = application.decisions.get()
    appeal = application.appeals.get()
    assert decision.reasoning == "The conditions are not met."
    assert appeal.grounds == "I disagree."
    assert stored(decision, "reasoning").startswith("k1:")
    assert stored(appeal, "grounds").startswith("k1:")
    assert stored(note, "text").startswith("k1:")
    notes = [entry.note for entry in application.audit_entries.all()]
    assert "I disagree." in notes
    for entry in application.audit_entries.exclude(note=""):
        assert stored(entry, "note").startswith("k1:")


def test_a_decision_with_reasons_validates_and_one_without_is_refused(caseworker):
    from django.db import IntegrityError

    from applications.constants import Outcome
    from applications.models import Decision

    application = ApplicationFactory(filed=True)
    decision = Decision(
        application=application,
        outcome=Outcome.REJECTED,
        reasoning="The conditions are not met.",
        decided_on=date.today(),
        decided_by=caseworker,
    )
    decision.full_clean()
    decision.save()
    assert Decision.objects.get(pk=decision.pk).reasoning == "The conditions are not met."

    decision.pk, decision.row_key, decision.reasoning = None, uuid.uuid4(), ""
    with pytest.raises(IntegrityError), transaction.atomic():
        decision.save()
