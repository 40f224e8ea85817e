"""vi: see ``config/formats/__init__.py``."""

_NBSP = "\u00a0"
_DATE = "j" + _NBSP + r"\t\h\á\n\g" + _NBSP + "n" + _NBSP + r"\n\ă\m" + _NBSP + "Y"

DATE_FORMAT = _DATE  # 28 tháng 12 năm 2026
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "H:i, " + _DATE
YEAR_MONTH_FORMAT = r"\t\h\á\n\g" + _NBSP + "n" + _NBSP + r"\n\ă\m" + _NBSP + "Y"
MONTH_DAY_FORMAT = "j" + _NBSP + r"\t\h\á\n\g" + _NBSP + "n"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
