"""The identification number of a Czech organisation (IČO)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cz import dic


def normalise_ico(value: str) -> str:
    """Digits only, as the business register writes them: "255 96 641" is 25596641."""
    return "".join(str(value).split())


def validate_ico(value: str) -> None:
    """Eight digits whose last is the check digit of the first seven (weights 8 to 2, modulo
    11), the rule of the business register (ARES; outside the seeds). python-stdnum's Czech
    VAT number applies exactly this rule to a legal person's eight digits, so it is used for
    the checksum; a VAT number's other forms (a person's birth number) are not IČO."""
    number = normalise_ico(value)
    if len(number) != 8 or not number.isdigit():
        raise ValidationError(_("An IČO has eight digits."), code="ico_length")
    if not dic.is_valid(number):
        raise ValidationError(
            _("This IČO is not valid: check the digits against the business register."),
            code="ico_checksum",
        )
