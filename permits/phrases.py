"""The office's phrase catalogue: standard texts in Czech and the applicants' four languages.

A phrase's words are in its versions (``PhraseVersion``): a new wording is a new version, the
newest is current, and a version is never changed once written, so a case keeps citing what it
was told. A case records the versions it used (``applications``); the applicant reads them in
their language, the Czech stays the text of record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Case, Max, OuterRef, QuerySet, Subquery, Value, When
from django.utils.translation import gettext as _

from accounts.constants import Language
from core.errors import ApplicationError
from permits.models import PHRASE_LANGUAGES, Phrase, PhrasePurpose, PhraseVersion

if TYPE_CHECKING:
    from accounts.models import User
    from permits.models import DocumentKind

# The standard reasoning of a stop: the documents were not supplied by the deadline
# (Administrative Procedure Code § 66(1)(c), outside the seeds); the stop form proposes it.
STOP_PHRASE = "stop-documents-not-supplied"


def phrase_version_add(
    *, phrase: Phrase, texts: Mapping[str, str], created_by: User | None = None
) -> PhraseVersion:
    """Write a new wording of ``phrase``: Czech and all four translations, each required. The
    new version becomes the current one; the earlier ones stay as they were."""
    cleaned = {code: (texts.get(code) or "").strip() for code in PHRASE_LANGUAGES}
    missing = [code for code, text in cleaned.items() if not text]
    if missing:
        raise ApplicationError(
            _("A phrase needs its Czech text and all four translations; missing: %(codes)s.")
            % {"codes": ", ".join(missing)}
        )
    with transaction.atomic():
        # The phrase row is locked so two editors do not write the same version number.
        Phrase.objects.select_for_update().filter(pk=phrase.pk).first()
        last = phrase.versions.aggregate(last=Max("number"))["last"] or 0
        return PhraseVersion.objects.create(
            phrase=phrase,
            number=last + 1,
            created_by=created_by,
            **{f"text_{code}": text for code, text in cleaned.items()},
        )


def current_versions(
    purpose: PhrasePurpose | str, *, kinds_first: Iterable[DocumentKind | int] = ()
) -> QuerySet[PhraseVersion]:
    """The current version of every active phrase of ``purpose``, in the catalogue's order;
    with ``kinds_first``, the phrases about those document kinds first, then the general ones,
    then those about other kinds (the interrupt form's order)."""
    newest = (
        PhraseVersion.objects.filter(phrase=OuterRef("phrase"))
        .order_by("-number")
        .values("number")[:1]
    )
    kind_ids = [getattr(kind, "pk", kind) for kind in kinds_first]
    return (
        PhraseVersion.objects.filter(phrase__purpose=purpose, phrase__active=True)
        .filter(number=Subquery(newest))
        .select_related("phrase", "phrase__document_kind")
        .annotate(
            rank=Case(
                When(phrase__document_kind__in=kind_ids, then=Value(0)),
                When(phrase__document_kind__isnull=True, then=Value(1)),
                default=Value(2),
            )
        )
        .order_by("rank", "phrase__sort_order", "phrase__code")
    )


def check_phrases(
    versions: Sequence[PhraseVersion], *, purpose: PhrasePurpose | str
) -> list[PhraseVersion]:
    """Refuse phrases a case cannot cite for ``purpose``: of another purpose, inactive, or
    superseded by a newer wording; the same phrase twice counts once."""
    purpose = PhrasePurpose(purpose)
    chosen: list[PhraseVersion] = []
    seen: set[int] = set()
    if not versions:
        return chosen
    newest = dict(
        PhraseVersion.objects.filter(phrase__in=[v.phrase_id for v in versions])
        .values("phrase")
        .annotate(last=Max("number"))
        .values_list("phrase", "last")
    )
    for version in versions:
        phrase = version.phrase
        if phrase.purpose != purpose:
            raise ApplicationError(
                _("The phrase “%(code)s” is not a %(purpose)s.")
                % {"code": phrase.code, "purpose": str(purpose.label).lower()}
            )
        if not phrase.active:
            raise ApplicationError(
                _("The phrase “%(code)s” is no longer in use.") % {"code": phrase.code}
            )
        if newest.get(phrase.pk) != version.number:
            raise ApplicationError(
                _("The phrase “%(code)s” has a newer wording: reload the page.")
                % {"code": phrase.code}
            )
        if phrase.pk not in seen:
            seen.add(phrase.pk)
            chosen.append(version)
    return chosen


def compose_czech(versions: Sequence[PhraseVersion], free_text: str) -> str:
    """The complete Czech text of record: the phrases' Czech, then the free text, as
    paragraphs."""
    parts = [version.text_cs.strip() for version in versions]
    if free_text.strip():
        parts.append(free_text.strip())
    return "\n\n".join(parts)


@dataclass(frozen=True)
class OfficeText:
    """What the office wrote, as one reader reads it: the catalogue's parts in ``language``;
    the free text in Czech (the office's own words, not translated by the catalogue) and the
    caseworker's translation of it, if given. In Czech the text of record is ``record``."""

    language: str
    record: str
    phrases: list[str] = field(default_factory=list)
    free_text: str = ""
    translation: str = ""
    translation_language: str = ""

    @property
    def is_czech(self) -> bool:
        return self.language == "cs"

    @property
    def translation_language_name(self) -> str:
        """The translation's language, named in itself (Українська, Tiếng Việt…)."""
        if self.translation_language in Language.values:
            return str(Language(self.translation_language).label)
        return self.translation_language


def office_text(
    *,
    record: str,
    versions: Sequence[PhraseVersion],
    free_text: str,
    translation: str = "",
    translation_language: str = "",
    language: str | None,
) -> OfficeText:
    """The office's text for a reader of ``language``. A record without catalogue phrases nor
    separate free text (written before the catalogue) is all free text."""
    code = (language or "cs").split("-")[0]
    code = code if code in PHRASE_LANGUAGES else "en"
    if not versions and not free_text.strip():
        free_text = record
    return OfficeText(
        language=code,
        record=record,
        phrases=[version.text_in(code) for version in versions],
        free_text=free_text.strip(),
        translation=translation.strip(),
        translation_language=translation_language,
    )
