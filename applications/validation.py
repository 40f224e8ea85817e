"""The rules a person's data keeps, in one place: what is refused at the door, and what is
unusual but possible and only flagged to the caseworker (``person_flags``).

Every form that takes a person's data (the profile and a child's, the support centre's new
person, a reported change) and every service that writes it (``applications.persons``) uses the
same functions here, so no path stores what another path refuses.

Refusals raise ``ValidationError`` with one translatable message per rule, saying what is wrong
and how to put it right. The values that pass come back normalised (``clean_person_value``):
names and addresses trimmed, a phone number in E.164 ("+420601234567"), a travel document
number in capitals without spaces or dashes (as its blind index reads it anyway).

The model has no issue or expiry date of the travel document yet; their rules are here
(``validate_document_issued_on``, ``validate_document_expires_on``, ``document_flags``) for the
forms and the record once it has them, and ``person_flags`` reads them when an object carries
them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from applications.constants import Relation
from core import clock

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from applications.models import Application

# --- Limits --------------------------------------------------------------------------------

# A name field as a passport's visual zone prints it: long compound names fit, a pasted text
# does not (the machine-readable zone itself holds 39 characters for all names together, ICAO
# Doc 9303 part 4, outside the seeds).
NAME_MAX_LENGTH = 100
# A postal address in the Czech Republic: street, house number, postcode, town and a line for
# "c/o" or a flat fits in far less.
ADDRESS_MAX_LENGTH = 300
# A place (of birth, of issue), for the forms that take one.
PLACE_MAX_LENGTH = 100
# A phone number as typed, with spaces and brackets; E.164 itself has at most 15 digits.
PHONE_MAX_LENGTH = 30
# A travel document number without spaces and dashes: ICAO Doc 9303 gives it 9 characters in
# the machine-readable zone and lets longer numbers run over into the optional data.
DOCUMENT_NUMBER_MIN_LENGTH = 5
DOCUMENT_NUMBER_MAX_LENGTH = 20
# The oldest a living person is taken to be: the oldest verified human lived to 122.
OLDEST_AGE = 120
# Adulthood under Czech law (Civil Code, Act No. 89/2012 Coll., § 30, outside the seeds).
ADULT_AGE = 18
# Older than this is possible, and worth a second look at the date of birth.
VERY_OLD_AGE = 100
# A document that expires within this many days may lapse during the proceedings.
EXPIRING_SOON_DAYS = 180
# A document issued within this many days is new: the person may have replaced a lost one.
RECENTLY_ISSUED_DAYS = 30
# Where a phone number is taken to be when it has no country code.
HOME_REGION = "CZ"

# --- Messages: one per rule ------------------------------------------------------------------

MESSAGES: dict[str, StrPromise] = {
    "name_characters": _(
        "Use only letters, spaces, hyphens and apostrophes, as the name is written in the "
        "travel document. Remove digits, symbols, emoji and markup."
    ),
    "name_no_letter": _("Enter the name as it is written in the travel document."),
    "too_long": _("This can have at most %(limit)d characters (it has %(length)d). Shorten it."),
    "text_characters": _(
        "This contains characters that cannot be stored (control characters or markup such as "
        "< and >). Remove them."
    ),
    "date_of_birth_future": _("The date of birth cannot be in the future."),
    "date_invalid": _("Enter the date of birth as a date."),
    "date_of_birth_too_old": _(
        "The date of birth would make the person more than %(limit)d years old. Check the year."
    ),
    "phone_characters": _(
        "Enter the phone number with digits only, a + before the country code, and spaces if "
        "you like, for example +420 601 234 567."
    ),
    "phone_invalid": _(
        "This is not a valid phone number. Enter it with the country code, for example "
        "+420 601 234 567."
    ),
    "document_characters": _(
        "Enter the travel document number with Latin letters and digits only, as it is printed "
        "in the document (spaces and dashes are left out)."
    ),
    "document_length": _(
        "A travel document number has %(min)d to %(max)d letters and digits. Check the number "
        "in the document."
    ),
    "document_no_digit": _(
        "A travel document number contains digits. Check the number in the document."
    ),
    "issued_future": _("The date of issue cannot be in the future."),
    "issued_before_birth": _("The date of issue cannot be before the date of birth."),
    "expires_before_issue": _("The expiry date cannot be before the date of issue."),
}


def _refuse(code: str, **params: Any) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params or None)


# --- Text ------------------------------------------------------------------------------------

# Control and format characters (zero-width joiners, direction overrides), and markup.
_UNSTORABLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
_MARKUP = set("<>")
# The apostrophe, the right single quotation mark and the modifier letter apostrophe.
_APOSTROPHES = "'\u2019\u02bc"
# Space, hyphen-minus and the hyphen.
_NAME_PUNCTUATION = set(" -\u2010" + _APOSTROPHES)


def _check_length(text: str, limit: int) -> None:
    if len(text) > limit:
        raise _refuse("too_long", limit=limit, length=len(text))


def clean_free_text(value: str, *, limit: int, multiline: bool = False) -> str:
    """Free text of a person (an address, a place): trimmed, at most ``limit`` characters, no
    control characters (line breaks allowed when ``multiline``) and no markup."""
    text = unicodedata.normalize("NFC", str(value or "")).strip()
    if multiline:
        text = "\n".join(line.strip() for line in text.replace("\r\n", "\n").split("\n"))
    for char in text:
        if multiline and char == "\n":
            continue
        if char in _MARKUP or unicodedata.category(char) in _UNSTORABLE_CATEGORIES:
            raise _refuse("text_characters")
    _check_length(text, limit)
    return text


def clean_name(value: str) -> str:
    """A given name or surname as a passport's visual zone may print it: letters of any script
    (with their accents), spaces, hyphens and apostrophes; no digits, emoji, control characters
    or markup. Spaces are collapsed."""
    text = " ".join(unicodedata.normalize("NFC", str(value or "")).split())
    for char in text:
        category = unicodedata.category(char)
        if category[0] in "LM" or char in _NAME_PUNCTUATION:
            continue
        raise _refuse("name_characters")
    if text and not any(unicodedata.category(char)[0] == "L" for char in text):
        raise _refuse("name_no_letter")
    _check_length(text, NAME_MAX_LENGTH)
    return text


def is_latin_script(text: str) -> bool:
    """Whether any letter of ``text`` is a Latin one ("Nguyễn" yes, "Олена" no)."""
    return any(
        unicodedata.category(char)[0] == "L" and "LATIN" in unicodedata.name(char, "")
        for char in text
    )


# --- Dates -----------------------------------------------------------------------------------


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def validate_date_of_birth(date_of_birth: date, *, today: date | None = None) -> None:
    """A plausible date of birth: not in the future, not more than ``OLDEST_AGE`` years ago."""
    today = today or clock.today()
    if date_of_birth > today:
        raise _refuse("date_of_birth_future")
    if date_of_birth < _years_before(today, OLDEST_AGE):
        raise _refuse("date_of_birth_too_old", limit=OLDEST_AGE)


def earliest_date_of_birth(*, today: date | None = None) -> date:
    """The earliest date of birth ``validate_date_of_birth`` accepts (a date field's ``min``)."""
    return _years_before(today or clock.today(), OLDEST_AGE)


def validate_document_issued_on(
    issued_on: date, *, date_of_birth: date | None = None, today: date | None = None
) -> None:
    """A travel document's date of issue: in the past (today at the latest), not before birth."""
    today = today or clock.today()
    if issued_on > today:
        raise _refuse("issued_future")
    if date_of_birth is not None and issued_on < date_of_birth:
        raise _refuse("issued_before_birth")


def validate_document_expires_on(expires_on: date, *, issued_on: date | None = None) -> None:
    """A travel document's expiry: it may be in the future or past, but not before its issue."""
    if issued_on is not None and expires_on < issued_on:
        raise _refuse("expires_before_issue")


# --- Phone -----------------------------------------------------------------------------------

_PHONE_TYPED = re.compile(r"\+?[0-9 ()./-]+")


def clean_phone(value: str) -> str:
    """A phone number in E.164 ("+420 601 234 567" → "+420601234567"); without a country code
    it is taken to be Czech. Empty stays empty."""
    text = str(value or "").strip()
    if not text:
        return ""
    _check_length(text, PHONE_MAX_LENGTH)
    if not _PHONE_TYPED.fullmatch(text):
        raise _refuse("phone_characters")
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, HOME_REGION)
    except phonenumbers.NumberParseException:
        raise _refuse("phone_invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise _refuse("phone_invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_region(phone: str) -> str | None:
    """The country ("CZ", "UA") a stored phone number belongs to, or None if it cannot tell."""
    if not phone:
        return None
    try:
        number = phonenumbers.parse(phone, HOME_REGION)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.region_code_for_number(number)


# --- Travel document number ------------------------------------------------------------------

_DOCUMENT_SEPARATORS = re.compile(r"[\s\-]+")
_DOCUMENT_CHARACTERS = re.compile(r"[A-Z0-9]+")
# The usual formats of passports of the nationalities most often seen; another format is
# possible (an older series, an identity card used as a travel document) and only flagged.
USUAL_DOCUMENT_FORMATS: dict[str, re.Pattern[str]] = {
    # Ukrainian passports: two letters and six digits; the ID card: nine digits.
    "UA": re.compile(r"[A-Z]{2}[0-9]{6}|[0-9]{9}"),
    # Vietnamese passports: a letter and seven (older: eight) digits.
    "VN": re.compile(r"[A-Z][0-9]{7,8}"),
    # Russian passports for travel abroad: nine digits (series and number).
    "RU": re.compile(r"[0-9]{9}"),
}


def clean_travel_document_number(value: str) -> str:
    """A travel document number as the machine-readable zone holds it: Latin capitals and
    digits, ``DOCUMENT_NUMBER_MIN_LENGTH`` to ``DOCUMENT_NUMBER_MAX_LENGTH`` of them, at least
    one digit ("fe 123-456" → "FE123456"). Empty stays empty (the form says it is required)."""
    text = _DOCUMENT_SEPARATORS.sub("", unicodedata.normalize("NFC", str(value or ""))).upper()
    if not text:
        return ""
    if not _DOCUMENT_CHARACTERS.fullmatch(text):
        raise _refuse("document_characters")
    if not DOCUMENT_NUMBER_MIN_LENGTH <= len(text) <= DOCUMENT_NUMBER_MAX_LENGTH:
        raise _refuse(
            "document_length", min=DOCUMENT_NUMBER_MIN_LENGTH, max=DOCUMENT_NUMBER_MAX_LENGTH
        )
    if not any(char.isdigit() for char in text):
        raise _refuse("document_no_digit")
    return text


# --- All of a person's data ------------------------------------------------------------------

# Each field of a person, and the function that checks and normalises its value.
CLEANERS: dict[str, Callable[[Any], Any]] = {
    "given_names": clean_name,
    "surname": clean_name,
    "address": lambda value: clean_free_text(value, limit=ADDRESS_MAX_LENGTH, multiline=True),
    "phone": clean_phone,
    "travel_document_number": clean_travel_document_number,
}
# The most characters each text field takes (for the forms' ``maxlength``).
MAX_LENGTHS = {
    "given_names": NAME_MAX_LENGTH,
    "surname": NAME_MAX_LENGTH,
    "address": ADDRESS_MAX_LENGTH,
    "phone": PHONE_MAX_LENGTH,
    # Typed with spaces or dashes, perhaps.
    "travel_document_number": DOCUMENT_NUMBER_MAX_LENGTH + 10,
}


def clean_person_value(name: str, value: Any, *, today: date | None = None) -> Any:
    """One field of a person's data, checked and normalised; ``ValidationError`` if refused.
    Fields without a rule here come back as they are."""
    if name == "date_of_birth":
        if isinstance(value, str):  # from a service's caller: ISO 8601
            try:
                value = date.fromisoformat(value.strip())
            except ValueError:
                raise _refuse("date_invalid") from None
        if value is not None:
            validate_date_of_birth(value, today=today)
        return value
    cleaner = CLEANERS.get(name)
    return cleaner(value) if cleaner else value


def clean_person_data(data: Mapping[str, Any], *, today: date | None = None) -> dict[str, Any]:
    """A person's data checked field by field: the values normalised, or ``ValidationError``
    by field with every refusal at once. Keys without a rule pass unchanged."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, ValidationError] = {}
    for name, value in data.items():
        try:
            cleaned[name] = clean_person_value(name, value, today=today)
        except ValidationError as error:
            errors[name] = error
    if errors:
        raise ValidationError(errors)
    return cleaned


class PersonDataFormMixin:
    """Puts the rules of this module on a form's fields of a person's data: the length limits
    (``maxlength`` in the page, and the rule's message instead of Django's), the date of birth's
    range, and, in ``clean``, each value checked and normalised. Put it before the form class:
    ``class MyForm(PersonDataFormMixin, forms.ModelForm)``."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.apply_person_rules()

    def apply_person_rules(self) -> None:
        """Set the limits on the fields the form has now; run again before validating, for
        forms that add or replace fields after ``__init__``."""
        for name, limit in MAX_LENGTHS.items():
            field = self.fields.get(name)
            if field is None:
                continue
            # Ours says how long it is and how to fix it; Django's would say it again.
            field.validators = [
                v for v in field.validators if not isinstance(v, MaxLengthValidator)
            ]
            field.widget.attrs["maxlength"] = str(limit)
        born = self.fields.get("date_of_birth")
        if born is not None:
            born.widget.attrs["min"] = earliest_date_of_birth().isoformat()
            born.widget.attrs["max"] = clock.today().isoformat()

    def full_clean(self) -> None:
        self.apply_person_rules()
        super().full_clean()  # type: ignore[misc]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        for name in (*CLEANERS, "date_of_birth"):
            if name not in self.fields or name not in self.cleaned_data:
                continue
            try:
                self.cleaned_data[name] = clean_person_value(name, self.cleaned_data[name])
            except ValidationError as error:
                self.add_error(name, error)  # type: ignore[attr-defined]
        return cleaned if cleaned is not None else self.cleaned_data


# --- Unusual but possible: flags for the caseworker ------------------------------------------


@dataclass(frozen=True)
class Flag:
    """Something unusual but possible in a person's data, for the caseworker to look at."""

    code: str
    message: str


def _flag(code: str, message: StrPromise, **params: Any) -> Flag:
    return Flag(code=code, message=str(message) % params if params else str(message))


def document_flags(
    *, issued_on: date | None, expires_on: date | None, today: date | None = None
) -> list[Flag]:
    """What is unusual in a travel document's dates."""
    today = today or clock.today()
    flags = []
    if expires_on is not None:
        if expires_on < today:
            # The proceedings need a valid document (Act No. 326/1999 Coll., § 108, outside the
            # seeds): the caseworker asks for the new one.
            flags.append(_flag("document_expired", _("The travel document has expired.")))
        elif expires_on <= today + timedelta(days=EXPIRING_SOON_DAYS):
            # It may lapse before the decision; the permit's validity may depend on it.
            flags.append(
                _flag(
                    "document_expiring",
                    _("The travel document expires within %(days)d days, on %(day)s."),
                    days=EXPIRING_SOON_DAYS,
                    day=expires_on.isoformat(),
                )
            )
    if issued_on is not None and today - issued_on <= timedelta(days=RECENTLY_ISSUED_DAYS):
        # A new document may replace a lost or stolen one: worth comparing with the old number.
        flags.append(
            _flag(
                "document_new",
                _("The travel document was issued within the last %(days)d days."),
                days=RECENTLY_ISSUED_DAYS,
            )
        )
    return flags


def person_flags(
    applicant: Any, *, application: Application | None = None, today: date | None = None
) -> list[Flag]:
    """The unusual but possible findings in a person's data (an ``Applicant`` or the ``Party``
    a case holds), each with its code and a translated message. Nothing here is refused: each
    is a reason for the caseworker to look again. ``application`` (with its ``applicant``
    loaded) tells whether the person files alone; no query is made."""
    today = today or clock.today()
    flags: list[Flag] = []
    born = getattr(applicant, "date_of_birth", None)
    if born is not None:
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if age >= VERY_OLD_AGE:
            # Possible, but a mistyped year (1924 for 1994) is likelier.
            flags.append(
                _flag(
                    "very_old",
                    _("The person is %(age)d years old: check the year of birth."),
                    age=age,
                )
            )
        record = application.applicant if application is not None else applicant
        relation = getattr(record, "relation", None)
        if age < ADULT_AGE and relation == Relation.SELF:
            # A minor acts through a legal representative (Administrative Procedure Code,
            # Act No. 500/2004 Coll., § 29 and § 32, outside the seeds; [002] for a parent's
            # account). On a parent's account the parent is the representative; on the minor's
            # own record the representative is only a name in the answers
            # (``minor.legal_representative``), which nobody has verified yet.
            flags.append(
                _flag(
                    "minor_alone",
                    _(
                        "The person is %(age)d, a minor, and files on their own record, not "
                        "through a parent's account: check the legal representative named in "
                        "the application and their authority."
                    ),
                    age=age,
                )
            )
    names = f"{getattr(applicant, 'given_names', '')} {getattr(applicant, 'surname', '')}"
    if names.strip() and not is_latin_script(names):
        # Lists, letters and the match against other records read Latin letters; the passport's
        # machine-readable zone has the Latin transcription.
        flags.append(
            _flag(
                "name_not_latin",
                _(
                    "The name is only in a non-Latin script: add the Latin form from the "
                    "machine-readable zone of the travel document."
                ),
            )
        )
    nationality = str(getattr(getattr(applicant, "nationality", ""), "code", "") or "")
    region = phone_region(getattr(applicant, "phone", "") or "")
    if region and region not in {HOME_REGION, nationality}:
        # A phone from neither the Czech Republic nor the person's country: an agent's or
        # a relative's number, perhaps; the office's calls and text messages go to it.
        flags.append(
            _flag(
                "phone_foreign",
                _(
                    "The phone number is from %(country)s, neither the Czech Republic nor the "
                    "person's country: check whose number it is."
                ),
                country=countries.name(region) or region,
            )
        )
    number = getattr(applicant, "travel_document_number", "") or ""
    usual = USUAL_DOCUMENT_FORMATS.get(nationality)
    if number and usual and not usual.fullmatch(_DOCUMENT_SEPARATORS.sub("", number).upper()):
        # Another series or an identity card, perhaps; or a typing error.
        flags.append(
            _flag(
                "document_format",
                _(
                    "The travel document number does not have the usual format of this "
                    "nationality's passports: check it against the document."
                ),
            )
        )
    flags += document_flags(
        issued_on=getattr(applicant, "travel_document_issued_on", None),
        expires_on=getattr(applicant, "travel_document_valid_until", None),
        today=today,
    )
    return flags
