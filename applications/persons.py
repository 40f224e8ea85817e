"""Every write of a person's record (``Applicant``), the party to proceedings.

The account holder keeps their own record and their minor children's [002]; support-centre staff
record a person who has no account [000]; the retention job anonymises a person with their last
case. The data as filed on a case is not written here: it is frozen onto the case when it is filed
(``applications.services.application_file``), and later changes are reported changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.services import AccountError, user_language_update
from applications.constants import Relation
from applications.models import PARTY_FIELDS, PERSON_DETAILS, Applicant
from core import clock
from core.errors import ApplicationError, NotPermitted
from privacy.constants import ANONYMISED

if TYPE_CHECKING:
    from accounts.models import User

# The personal data an account holder keeps on their own applicant record (the e-mail address
# and the language are the account's); on a child's, ``PERSON_DETAILS``.
PROFILE_FIELDS = (*PERSON_DETAILS, "phone")


def validate_date_of_birth(date_of_birth: date, *, today: date | None = None) -> None:
    """Refuse a date of birth in the future."""
    today = today or clock.today()
    if date_of_birth > today:
        raise ValidationError(
            _("The date of birth cannot be in the future."), code="date_of_birth_future"
        )


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


def _save_own_applicant(*, user: User, data: Mapping[str, Any]) -> Applicant:
    with transaction.atomic():
        applicant = (
            Applicant.objects.select_for_update()
            .filter(account=user, relation=Relation.SELF)
            .first()
        )
        if applicant is None:
            applicant = Applicant(account=user, relation=Relation.SELF, created_by=user)
        _fill(applicant, data, PROFILE_FIELDS)
        _check_date_of_birth(data.get("date_of_birth"), validate_date_of_birth)
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
    _fill(child, data, PERSON_DETAILS)
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


# --- People without an account -----------------------------------------------------------------


def applicant_create_by_support(*, actor: User, data: Mapping[str, Any]) -> Applicant:
    """Support-centre staff record a person who has no account, to file for them [000].

    The record belongs to no account; the staff member who created it (and no other support
    worker) may act for the person.
    """
    if not actor.has_perm("applications.file_on_behalf"):
        raise NotPermitted()
    fields = {name: data[name] for name in PARTY_FIELDS if name in data}
    for name in ("given_names", "surname", "travel_document_number"):
        fields[name] = str(fields.get(name, "")).strip()
        if not fields[name]:
            raise ApplicationError(gettext("Enter the person's names and travel document number."))
    if not fields.get("date_of_birth") or not fields.get("nationality"):
        raise ApplicationError(gettext("Enter the person's date of birth and nationality."))
    return Applicant.objects.create(
        account=None, relation=Relation.SELF, created_by=actor, **fields
    )


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
