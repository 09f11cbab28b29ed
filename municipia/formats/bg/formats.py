"""Bulgarian (CLDR bg): "7 декември 2026 г.", "7.12.2026 г., 15:30 ч.", "1 065 000"."""

from django.conf.locale.bg.formats import *  # noqa: F403

# "E" is the month name in its date form, lowercase in Bulgarian ("януари"; see the catalogue).
DATE_FORMAT = r"j E Y \г."
DATETIME_FORMAT = r"j E Y \г., H:i \ч."
YEAR_MONTH_FORMAT = r"F Y \г."
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = r"j.m.Y \г."
SHORT_DATETIME_FORMAT = r"j.m.Y \г., H:i \ч."
FIRST_DAY_OF_WEEK = 1
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
