"""The office's phrase catalogue (``permits.phrases``): seeded in five languages, versions
append-only, the newest current, and only complete versions usable."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.errors import ApplicationError
from permits.models import PHRASE_LANGUAGES, Phrase, PhrasePurpose, PhraseVersion
from permits.phrases import (
    STOP_PHRASE,
    check_phrases,
    compose_czech,
    current_versions,
    office_text,
    phrase_version_add,
)
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

TEXTS = {code: f"Text {code}" for code in PHRASE_LANGUAGES}


def seeded(code: str) -> PhraseVersion:
    return current_versions(Phrase.objects.get(code=code).purpose).get(phrase__code=code)


def test_the_seed_has_every_purpose_in_all_five_languages():
    for purpose in PhrasePurpose:
        versions = list(current_versions(purpose))
        assert versions, purpose
        for version in versions:
            assert all(version.text_in(code).strip() for code in PHRASE_LANGUAGES)
    assert Phrase.objects.filter(code=STOP_PHRASE, purpose=PhrasePurpose.STOP).exists()
    missing = Phrase.objects.filter(code="missing-accommodation").get()
    assert missing.document_kind is not None
    assert missing.document_kind.code == "accommodation"


def test_the_seed_speaks_formally():
    version = seeded("document-expired")
    assert "Vámi" in version.text_cs
    assert "Вами" in version.text_uk
    assert "Вами" in version.text_ru
    assert "bạn" in version.text_vi


def test_a_new_version_becomes_current_and_the_old_one_stays():
    phrase = Phrase.objects.get(code="missing-accommodation")
    first = seeded("missing-accommodation")
    second = phrase_version_add(phrase=phrase, texts=TEXTS, created_by=UserFactory())
    assert second.number == first.number + 1
    assert list(current_versions(PhrasePurpose.INTERRUPTION).filter(phrase=phrase)) == [second]
    first.refresh_from_db()
    assert first.text_cs.startswith("K žádosti chybí doklad o zajištění ubytování")


def test_a_version_is_never_changed():
    version = seeded("missing-accommodation")
    version.text_en = "Changed"
    with pytest.raises(PermissionError):
        version.save()


def test_a_version_needs_all_five_texts():
    phrase = Phrase.objects.get(code="missing-accommodation")
    with pytest.raises(ApplicationError, match="vi"):
        phrase_version_add(phrase=phrase, texts={**TEXTS, "vi": "  "})
    with pytest.raises(IntegrityError), transaction.atomic():
        PhraseVersion.objects.create(
            phrase=phrase, number=99, **{f"text_{c}": "x" for c in ["cs", "en", "uk", "vi"]}
        )


def test_check_refuses_the_wrong_purpose_an_inactive_or_a_superseded_phrase():
    rejection = seeded("rejection-financial-means")
    with pytest.raises(ApplicationError, match="rejection-financial-means"):
        check_phrases([rejection], purpose=PhrasePurpose.INTERRUPTION)
    missing = seeded("missing-photograph")
    Phrase.objects.filter(pk=missing.phrase_id).update(active=False)
    missing.phrase.refresh_from_db()
    with pytest.raises(ApplicationError, match="no longer in use"):
        check_phrases([missing], purpose=PhrasePurpose.INTERRUPTION)
    old = seeded("missing-accommodation")
    phrase_version_add(phrase=old.phrase, texts=TEXTS)
    with pytest.raises(ApplicationError, match="newer wording"):
        check_phrases([old], purpose=PhrasePurpose.INTERRUPTION)


def test_inactive_phrases_are_not_offered():
    Phrase.objects.filter(code="missing-photograph").update(active=False)
    codes = {v.phrase.code for v in current_versions(PhrasePurpose.INTERRUPTION)}
    assert "missing-photograph" not in codes
    assert "missing-accommodation" in codes


def test_the_phrases_about_the_requested_kinds_come_first():
    from permits.models import DocumentKind

    kind = DocumentKind.objects.get(code="photograph")
    versions = list(current_versions(PhrasePurpose.INTERRUPTION, kinds_first=[kind]))
    assert versions[0].phrase.code == "missing-photograph"
    assert versions[1].phrase.document_kind is None


def test_composing_and_reading_in_each_language():
    version = seeded("missing-accommodation")
    record = compose_czech([version], "Podpis musí být ověřen.")
    assert record == version.text_cs + "\n\nPodpis musí být ověřen."
    for code in PHRASE_LANGUAGES:
        text = office_text(
            record=record,
            versions=[version],
            free_text="Podpis musí být ověřen.",
            translation="The signature must be certified.",
            translation_language="en",
            language=code,
        )
        assert text.phrases == [version.text_in(code)]
        assert text.is_czech == (code == "cs")
        assert text.free_text == "Podpis musí být ověřen."
    assert text.translation_language_name == "English"


def test_a_text_from_before_the_catalogue_is_all_free_text():
    text = office_text(record="Chybí doklad.", versions=[], free_text="", language="uk")
    assert text.phrases == []
    assert text.free_text == "Chybí doklad."


def test_the_admin_writes_a_new_version_on_a_change(client_for, superuser):
    phrase = Phrase.objects.get(code="missing-accommodation")
    url = reverse("admin:permits_phrase_change", args=[phrase.pk])
    browser = client_for(superuser)
    page = browser.get(url)
    assert page.status_code == 200
    assert "K žádosti chybí doklad o zajištění ubytování" in page.content.decode()
    data = {
        "code": phrase.code,
        "purpose": phrase.purpose,
        "document_kind": phrase.document_kind_id,
        "situation": phrase.situation,
        "active": "on",
        "sort_order": phrase.sort_order,
        **{f"text_{code}": f"New {code}" for code in PHRASE_LANGUAGES},
        "versions-TOTAL_FORMS": 1,
        "versions-INITIAL_FORMS": 1,
        "versions-MIN_NUM_FORMS": 0,
        "versions-MAX_NUM_FORMS": 1000,
    }
    incomplete = browser.post(url, {**data, "text_ru": ""})
    assert incomplete.status_code == 200  # the form again, with its error
    assert phrase.versions.count() == 1
    response = browser.post(url, data)
    assert response.status_code == 302
    assert [v.number for v in phrase.versions.all()] == [2, 1]
    assert phrase.versions.first().text_ru == "New ru"
    # Saved again unchanged: no new version.
    assert browser.post(url, data).status_code == 302
    assert phrase.versions.count() == 2
