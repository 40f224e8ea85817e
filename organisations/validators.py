"""The identification number of a Czech organisation (IČO)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The weights of the first seven digits (the business register's rule, ARES; outside the seeds).
WEIGHTS = (8, 7, 6, 5, 4, 3, 2)


def normalise_ico(value: str) -> str:
    """Digits only, as the business register writes them: "255 96 641" is 25596641."""
    return "".join(str(value).split())


def ico_check_digit(first_seven: str) -> int:
    """The eighth digit: 11 less the weighted sum modulo 11, modulo 10 (a remainder of 0 gives
    1, of 1 gives 0). Written here because no maintained library has the IČO: python-stdnum's
    Czech VAT number (DIČ) applies this sum to a legal person's eight digits, but adds its own
    rule (no DIČ of a legal person starts with 9), which is not a rule of the IČO."""
    remainder = (
        sum(weight * int(digit) for weight, digit in zip(WEIGHTS, first_seven, strict=True)) % 11
    )
    return (11 - remainder) % 10


def validate_ico(value: str) -> None:
    """Eight ASCII digits whose last is the check digit of the first seven."""
    number = normalise_ico(value)
    if len(number) != 8 or not (number.isascii() and number.isdigit()):
        raise ValidationError(_("An IČO has eight digits."), code="ico_length")
    if ico_check_digit(number[:7]) != int(number[7]):
        raise ValidationError(
            _("This IČO is not valid: check the digits against the business register."),
            code="ico_checksum",
        )
