"""Dates, numbers and words as each language writes them (CLDR), and text marked with its language."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import pgettext

from municipia.core.i18n import shown_language


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load i18n portal %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "new_year", "december", "april"),
    [
        ("bg", "1 януари 2022 г.", "7 декември 2026 г.", "7 април 2026 г."),
        ("ca", "1 de gener de 2022", "7 de desembre de 2026", "7 d’abril de 2026"),
        ("es", "1 de enero de 2022", "7 de diciembre de 2026", "7 de abril de 2026"),
    ],
)
def test_long_dates_follow_cldr(language, new_year, december, april):
    source = '{{ a|date:"DATE_FORMAT" }}|{{ b|date:"DATE_FORMAT" }}|{{ c|date:"DATE_FORMAT" }}'
    text = render(source, language, a=dt.date(2022, 1, 1), b=dt.date(2026, 12, 7), c=dt.date(2026, 4, 7))
    assert text == f"{new_year}|{december}|{april}"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("bg", "7 декември 2026 г., 15:30 ч."),
        ("ca", "7 de desembre de 2026, a les 15:30"),
        ("es", "7 de diciembre de 2026 a las 15:30"),
    ],
)
def test_date_and_time_in_the_language_order_not_the_american_one(language, expected, settings):
    settings.TIME_ZONE = "UTC"
    moment = dt.datetime(2026, 12, 7, 15, 30, tzinfo=dt.UTC)
    assert render('{{ t|date:"DATETIME_FORMAT" }}', language, t=moment) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("bg", "1\xa0065\xa0000 €"), ("ca", "1.065.000 €"), ("es", "1.065.000 €"), ("en", "1,065,000 €")],
)
def test_amounts_are_grouped_in_thousands(language, expected):
    assert render('{{ n|floatformat:"0g" }} €', language, n=1065000) == expected


def test_owner_the_person_and_owner_the_entity_are_translated_apart():
    with translation.override("es"):
        assert pgettext("person", "Owner") == "Responsable"
        assert translation.gettext("Owner") == "Entidad titular"
    with translation.override("ca"):
        assert pgettext("person", "Owner") == "Responsable"


def test_one_overdue_task_is_singular_in_catalan():
    with translation.override("ca"):
        assert pgettext("one task", "Overdue") == "Endarrerida"
        assert pgettext("tasks", "Overdue") == "Endarrerides"


def test_text_shown_in_a_fallback_language_carries_its_lang():
    target = SimpleNamespace(title_en="Reduce waste", title_es="Reducir residuos", title_ca="", title_bg="")
    assert render('<span{{ t|lang_attr:"title" }}>', "bg", t=target) == '<span lang="en">'
    # Catalan falls back to Spanish first.
    assert render('<span{{ t|lang_attr:"title" }}>', "ca", t=target) == '<span lang="es">'
    assert render('<span{{ t|lang_attr:"title" }}>', "es", t=target) == "<span>"
    with translation.override("bg"):
        assert shown_language(SimpleNamespace(title_en="", title_es="", title_ca="", title_bg=""), "title") is None
