"""Catalan (CLDR ca): "7 de desembre de 2026", "7 d’abril de 2026", "desembre de 2026"."""

from django.conf.locale.ca.formats import *  # noqa: F403

# "E" carries its preposition, elided before a vowel ("de desembre", "d’abril"; see the catalogue).
DATE_FORMAT = r"j E \d\e Y"
DATETIME_FORMAT = r"j E \d\e Y, \a \l\e\s G:i"
YEAR_MONTH_FORMAT = r"F \d\e Y"
MONTH_DAY_FORMAT = "j E"
