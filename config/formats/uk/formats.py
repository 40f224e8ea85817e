"""uk: see ``config/formats/__init__.py``."""

DATE_FORMAT = "j\u00a0E\u00a0Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j\u00a0E\u00a0Y, H:i"
YEAR_MONTH_FORMAT = "F\u00a0Y"
MONTH_DAY_FORMAT = "j\u00a0E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
