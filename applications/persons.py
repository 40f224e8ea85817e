"""A person's record (``Applicant``), the party to proceedings: every write of it, and how the
support centre finds people on record.

The account holder keeps their own record and their minor children's [002]; support-centre staff
record a person who has no account [000], after seeing who may already be recorded
(``matching_people``), and find anyone recorded (``people_for_support``); the retention job
anonymises a person with their last case. The data as filed on a case is not written here: it
is frozen onto the case when it is filed (``applications.services.application_file``), and later
changes are reported changes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Case, Count, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.services import AccountError, user_language_update
from applications.constants import Relation
from applications.models import (
    PARTY_FIELDS,
    PERSON_DETAILS,
    Applicant,
    Application,
    name_key_of,
    travel_document_indexes,
)
from applications.validation import clean_person_data, validate_date_of_birth
from core import clock
from core.errors import ApplicationError, NotPermitted
from privacy.constants import ANONYMISED

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from accounts.models import User
    from encryption.fields import BlindIndexField

logger = logging.getLogger(__name__)

# The personal data an account holder keeps on their own applicant record (the e-mail address
# and the language are the account's); on a child's, ``PERSON_DETAILS``.
PROFILE_FIELDS = (*PERSON_DETAILS, "phone")


def validate_child_date_of_birth(date_of_birth: date, *, today: date | None = None) -> None:
    """A parent's account represents only minor children [002]: refuse anyone 18 or older."""
    today = today or clock.today()
    validate_date_of_birth(date_of_birth, today=today)
    if not Applicant(date_of_birth=date_of_birth).is_minor_on(today):
        raise ValidationError(
            _("A child must be under 18. An adult needs an account of their own."),
            code="child_not_minor",
        )


def _fill(applicant: Applicant, data: Mapping[str, Any], fields: tuple[str, ...]) -> None:
    """Copy onto the record the ``fields`` that ``data`` has; the others stay as they are."""
    for field in fields:
        if field in data:
            setattr(applicant, field, data[field])


def _check_date_of_birth(born: date | None, validate: Callable[[date], None]) -> None:
    """Run ``validate`` on a date of birth, if there is one; its refusal names the field."""
    if born is None:
        return
    try:
        validate(born)
    except ValidationError as error:
        raise ValidationError({"date_of_birth": error}) from error


# --- The account holder's own record ---------------------------------------------------------


def profile_language_update(*, user: User, language: str) -> User:
    """The account holder chooses the language they read the portal and their e-mails in
    (SPEC §7); their own applicant record follows, so letters about their cases use it too.

    Raises ``ValidationError`` for a language the portal does not offer.
    """
    with transaction.atomic():
        user_language_update(user=user, language=language)
        Applicant.objects.filter(account=user, relation=Relation.SELF).update(
            preferred_language=language
        )
    return user


def _checked(data: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    """``data`` with the ``fields`` it has checked and normalised by the rules of
    ``applications.validation`` (the same the forms use), so no path stores what a form
    refuses. Raises ``ValidationError`` by field."""
    checked = dict(data)
    checked.update(clean_person_data({name: data[name] for name in fields if name in data}))
    return checked


def _save_own_applicant(*, user: User, data: Mapping[str, Any]) -> Applicant:
    data = _checked(data, PROFILE_FIELDS)
    with transaction.atomic():
        applicant = (
            Applicant.objects.select_for_update()
            .filter(account=user, relation=Relation.SELF)
            .first()
        )
        if applicant is None:
            applicant = Applicant(account=user, relation=Relation.SELF, created_by=user)
        _fill(applicant, data, PROFILE_FIELDS)
        language = data.get("preferred_language", user.preferred_language)
        applicant.email = user.email
        applicant.preferred_language = language
        applicant.full_clean()
        applicant.save()
        user.first_name = applicant.given_names[:150]
        user.last_name = applicant.surname[:150]
        user.save(update_fields=["first_name", "last_name"])
        profile_language_update(user=user, language=language)
    return applicant


def applicant_profile_update(*, user: User, data: Mapping[str, Any]) -> Applicant:
    """Save the account holder's own personal data and preferred language.

    Their applicant record (relation "self") is created on the first save and updated after; it
    carries the account's e-mail address, and the account's name follows the record's. Keys of
    ``data`` missing from ``PROFILE_FIELDS`` are left as they are. Raises ``ValidationError``
    (by field) for data the record cannot hold.
    """
    try:
        return _save_own_applicant(user=user, data=data)
    except IntegrityError:
        # Two first saves at once: the other one created the record, so update it instead.
        return _save_own_applicant(user=user, data=data)


# --- Children the account holder represents ----------------------------------------------------


def _fill_child(child: Applicant, data: Mapping[str, Any]) -> None:
    _fill(child, _checked(data, PERSON_DETAILS), PERSON_DETAILS)
    _check_date_of_birth(child.date_of_birth, validate_child_date_of_birth)
    child.full_clean()


def applicant_child_create(*, user: User, data: Mapping[str, Any]) -> Applicant:
    """Add a minor child whom the account holder represents in proceedings [002].

    Raises ``ValidationError`` (by field), among others for a child who is 18 or older.
    """
    child = Applicant(
        account=user,
        relation=Relation.CHILD,
        created_by=user,
        preferred_language=user.preferred_language,
    )
    _fill_child(child, data)
    child.save()
    return child


def applicant_child_update(*, child: Applicant, data: Mapping[str, Any]) -> Applicant:
    """Correct the personal data of a child the account holder represents.

    The caller fetches ``child`` scoped to the account holder. Raises ``ValidationError``, and
    ``AccountError`` for a record that is not a child's.
    """
    if child.relation != Relation.CHILD:
        raise AccountError(_("This person is not a child on your account."))
    _fill_child(child, data)
    child.save()
    return child


# --- Who is already recorded -------------------------------------------------------------------

# What an anonymised record's names become (``applicant_anonymise``): nobody to match or find.
_ANONYMISED_KEY = name_key_of(ANONYMISED, ANONYMISED)
# The most people a check before recording lists: the strongest matches first.
MATCH_LIMIT = 20
# What ``matching_people`` compares, of the data typed for a new person.
MATCHED_FIELDS = (
    "given_names",
    "surname",
    "date_of_birth",
    "nationality",
    "travel_document_number",
)


class MatchReason(models.TextChoices):
    """Why a recorded person may be the one about to be recorded, strongest first."""

    TRAVEL_DOCUMENT = "travel_document", _("Same travel document (nationality and number)")
    NAME_AND_BIRTH = "name_and_birth", _("Same name and date of birth")
    SURNAME_AND_BIRTH = (
        "surname_and_birth",
        _("Same surname and date of birth, other given names"),
    )


def mask_travel_document(number: str) -> str:
    """A travel document number as lists show it: its last four characters at most, and never
    more than the number minus four ("C1234567" → "•••• 4567", "AB12" → "••••")."""
    compact = "".join(number.split())
    shown = min(4, max(0, len(compact) - 4))
    return f"•••• {compact[-shown:]}" if shown else "••••"


def _recorded_by(person: Applicant) -> str:
    if person.created_by is None:
        return "—"
    if person.account_id is not None and person.created_by_id == person.account_id:
        return gettext("The account holder, online")
    return person.created_by.get_full_name() or person.created_by.email


def _account_label(person: Applicant) -> StrPromise:
    if person.account_id is None:
        return _("No account")
    if person.relation == Relation.CHILD:
        return _("A child on a parent's account")
    return _("Has an account")


@dataclass(frozen=True)
class Match:
    """A recorded person who may be the one about to be recorded, and why."""

    person: Applicant
    reasons: tuple[MatchReason, ...]

    @property
    def strong(self) -> bool:
        """The same document, or the same name and birth date: very likely the same person."""
        return any(reason != MatchReason.SURNAME_AND_BIRTH for reason in self.reasons)

    @property
    def reason_labels(self) -> list[str]:
        return [str(reason.label) for reason in self.reasons]

    @property
    def masked_document(self) -> str:
        return mask_travel_document(self.person.travel_document_number)

    @property
    def recorded_by(self) -> str:
        return _recorded_by(self.person)

    @property
    def account_label(self) -> StrPromise:
        return _account_label(self.person)


def _blind_index(field: str, **values: Any) -> str:
    """The blind index ``field`` would store for a record with ``values``: computed by the
    field itself, so a search matches what ``save()`` wrote."""
    index = cast("BlindIndexField", Applicant._meta.get_field(field))
    return index.compute(Applicant(**values))


def recorded_people() -> QuerySet[Applicant]:
    """Every person on record, with an account or without, but not the anonymised ones."""
    return Applicant.objects.exclude(name_key=_ANONYMISED_KEY)


def matching_people(
    *,
    given_names: str,
    surname: str,
    date_of_birth: date | None,
    nationality: Any,
    travel_document_number: str,
) -> list[Match]:
    """The people already recorded who are likely the person about to be recorded: the same
    travel document (nationality and number); the same name and date of birth; or, weaker, the
    same date of birth and surname with other given names (a second given name left out, a
    transliteration). Names are compared by ``name_key_of`` (no case, no diacritics).

    One query on the blind indexes (``applicant_travel_doc_bidx``, ``applicant_born_bidx``),
    the strongest matches first, at most ``MATCH_LIMIT``.
    """
    document = str(travel_document_number or "").strip()
    key = name_key_of(surname, given_names)
    surname_key = key.split("|", 1)[0]
    document_index = born_index = ""
    conditions: list[Q] = []
    if document and nationality:
        document_index = _blind_index(
            "travel_document_index", nationality=nationality, travel_document_number=document
        )
        conditions.append(Q(travel_document_index=document_index))
    if date_of_birth is not None and surname_key:
        born_index = _blind_index("date_of_birth_index", date_of_birth=date_of_birth)
        conditions.append(Q(date_of_birth_index=born_index, name_key__startswith=f"{surname_key}|"))
    if not conditions:
        return []
    found = Q()
    for condition in conditions:
        found |= condition
    strongest_first = [When(name_key=key, then=Value(1))]
    if document_index:
        strongest_first.insert(0, When(travel_document_index=document_index, then=Value(0)))
    strength = Case(*strongest_first, default=Value(2))
    people = (
        recorded_people()
        .filter(found)
        .select_related("created_by")
        .alias(strength=strength)
        .order_by("strength", "name_key", "pk")[:MATCH_LIMIT]
    )
    matches = []
    for person in people:
        reasons = []
        if document_index and person.travel_document_index == document_index:
            reasons.append(MatchReason.TRAVEL_DOCUMENT)
        if born_index and person.date_of_birth_index == born_index:
            if person.name_key == key:
                reasons.append(MatchReason.NAME_AND_BIRTH)
            elif person.name_key.startswith(f"{surname_key}|"):
                reasons.append(MatchReason.SURNAME_AND_BIRTH)
        matches.append(Match(person=person, reasons=tuple(reasons)))
    return matches


# --- Finding a person at the support centre ----------------------------------------------------


def name_prefix_of(text: str) -> str:
    """A typed name as a prefix of ``Applicant.name_key``: the surname, or its beginning
    ("nguy" → "NGUY"); "Surname, given names" also narrows by the given names
    ("Nguyễn, Van" → "NGUYEN|VAN"). Empty when nothing of a surname was typed."""
    surname, _comma, given_names = text.partition(",")
    key = name_key_of(surname, given_names)
    if key.startswith("|"):
        return ""
    return key if _comma else key.removesuffix("|")


def people_for_support(
    *, name_or_document: str = "", date_of_birth: date | None = None
) -> QuerySet[Applicant]:
    """Everyone recorded (``recorded_people``), whoever recorded them, found by the beginning of
    their name (diacritics and case ignored: "nguyen" finds "Nguyễn"), or by their travel
    document number (any nationality, or "UA FE123456"), and/or by their exact date of birth.
    The document and the date are compared through their blind indexes. Without any of them,
    nobody: the support centre looks a person up, it does not browse.

    Each person comes with ``application_count``, all their applications, and ``created_by``.
    """
    text = name_or_document.strip()
    if not text and date_of_birth is None:
        return Applicant.objects.none()
    people = recorded_people()
    if text:
        found = Q(travel_document_index__in=travel_document_indexes(text))
        prefix = name_prefix_of(text)
        if prefix:
            found |= Q(name_key__startswith=prefix)
        people = people.filter(found)
    if date_of_birth is not None:
        people = people.filter(
            date_of_birth_index=_blind_index("date_of_birth_index", date_of_birth=date_of_birth)
        )
    # A subquery, not a join with GROUP BY: the paginator's count leaves it out.
    applications = (
        Application.objects.filter(applicant=OuterRef("pk"))
        .order_by()
        .values("applicant")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        people.select_related("created_by")
        .annotate(application_count=Coalesce(Subquery(applications), 0))
        .order_by("name_key", "pk")
    )


@dataclass(frozen=True)
class PersonRow:
    """One person found at the support centre, as the list shows them."""

    person: Applicant

    @property
    def masked_document(self) -> str:
        return mask_travel_document(self.person.travel_document_number)

    @property
    def application_count(self) -> int:
        return int(getattr(self.person, "application_count", 0))

    @property
    def recorded_by(self) -> str:
        return _recorded_by(self.person)

    @property
    def account_label(self) -> StrPromise:
        return _account_label(self.person)


def person_for_support(*, pk: int) -> Applicant:
    """One recorded person for the support centre's page of them, or 404 (anonymised included:
    nothing is left to act on)."""
    return get_object_or_404(recorded_people().select_related("created_by"), pk=pk)


def application_count_of(person: Applicant) -> int:
    """How many applications the person has, whoever started them."""
    return person.applications.count()


# --- People without an account -----------------------------------------------------------------


class PossibleDuplicate(ApplicationError):
    """A person with the same travel document is already recorded."""

    default_message = _(
        "A person with this travel document (nationality and number) is already recorded. "
        "Use their record, or confirm that this is a different person."
    )

    def __init__(self, matches: Sequence[Match]) -> None:
        super().__init__()
        self.matches = list(matches)


def applicant_create_by_support(
    *, actor: User, data: Mapping[str, Any], confirmed_duplicate: bool = False
) -> Applicant:
    """Support-centre staff record a person who has no account, to file for them [000].

    The record belongs to no account. A person with the same travel document (nationality and
    number) already on record is refused (``PossibleDuplicate``): one person, one record, or
    their cases and their history split. The staff member overrides it with
    ``confirmed_duplicate`` once they have seen the people ``matching_people`` lists and are
    sure this is someone else (a reissued number, a clerical clash); the override is logged
    with the records' ids.
    """
    if not actor.has_perm("applications.file_on_behalf"):
        raise NotPermitted()
    fields = _checked({name: data[name] for name in PARTY_FIELDS if name in data}, PARTY_FIELDS)
    for name in ("given_names", "surname", "travel_document_number"):
        fields[name] = str(fields.get(name, "")).strip()
        if not fields[name]:
            raise ApplicationError(gettext("Enter the person's names and travel document number."))
    if not fields.get("date_of_birth") or not fields.get("nationality"):
        raise ApplicationError(gettext("Enter the person's date of birth and nationality."))
    with transaction.atomic():
        matches = matching_people(**{name: fields[name] for name in MATCHED_FIELDS})
        same_document = any(MatchReason.TRAVEL_DOCUMENT in match.reasons for match in matches)
        if same_document and not confirmed_duplicate:
            raise PossibleDuplicate(matches)
        applicant = Applicant.objects.create(
            account=None, relation=Relation.SELF, created_by=actor, **fields
        )
    if matches and confirmed_duplicate:
        # Ids only: the log holds no personal data.
        logger.info(
            "Possible duplicate overridden: user %s recorded person %s; possibly the same as %s",
            actor.pk,
            applicant.pk,
            ",".join(str(match.person.pk) for match in matches),
        )
    return applicant


# --- Retention ---------------------------------------------------------------------------------


def applicant_anonymise(*, applicant: Applicant) -> None:
    """The person's record without what identifies them: names replaced, the travel document,
    address, e-mail and phone emptied, the birth date reduced to its year (1 January).

    Nationality, birth year and preferred language stay for the statistics of proceedings.
    """
    born = applicant.date_of_birth
    applicant.given_names = ANONYMISED
    applicant.surname = ANONYMISED
    applicant.travel_document_number = ""
    applicant.address = ""
    applicant.email = ""
    applicant.phone = ""
    applicant.date_of_birth = date(born.year, 1, 1)
    applicant.save(
        update_fields=[
            "given_names",
            "surname",
            "travel_document_number",
            "address",
            "email",
            "phone",
            "date_of_birth",
            "updated_at",
        ]
    )
