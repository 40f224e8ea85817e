"""cs: see ``config/formats/__init__.py``."""

DATE_FORMAT = "j.\u00a0E\u00a0Y"
TIME_FORMAT = "G:i"
DATETIME_FORMAT = "j.\u00a0E\u00a0Y G:i"
YEAR_MONTH_FORMAT = "F\u00a0Y"
MONTH_DAY_FORMAT = "j.\u00a0E"
SHORT_DATE_FORMAT = "j.\u00a0n.\u00a0Y"
SHORT_DATETIME_FORMAT = "j.\u00a0n.\u00a0Y G:i"
