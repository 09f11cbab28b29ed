"""Spanish (CLDR es): "7 de diciembre de 2026", "1.065.000"."""

from django.conf.locale.es.formats import *  # noqa: F403

THOUSAND_SEPARATOR = "."
