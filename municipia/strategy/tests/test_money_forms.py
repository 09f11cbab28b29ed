"""Money in forms: an action's budget is shown and typed as the reader's language writes it."""

from decimal import Decimal

import pytest
from django.utils import translation

from municipia.core.money import format_money, parse_money
from municipia.strategy.models import Action
from municipia.strategy.tests.test_views import (  # noqa: F401  (fixtures)
    action,
    action_post,
    council,
    editor,
    editor_client,
    plan,
    url,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "shown"),
    [("en", "1,065,000.00"), ("es", "1.065.000,00"), ("ca", "1.065.000,00"), ("bg", "1\xa0065\xa0000,00")],
)
def test_the_budget_is_shown_formatted_in_the_edit_form(editor_client, action, lang, shown):
    Action.objects.filter(pk=action.pk).update(budget=Decimal("1065000"))
    html = editor_client.get(url("action-update", action.pk, lang=lang)).content.decode()
    assert f'name="budget" value="{shown}"' in html
    assert 'inputmode="decimal"' in html


@pytest.mark.parametrize(
    ("lang", "typed", "saved"),
    [
        ("bg", "1 065 000,50", "1065000.50"),
        ("es", "1.065.000,00", "1065000.00"),
        ("ca", "2.500", "2500.00"),
        ("en", "1,065,000.00", "1065000.00"),
        # The other convention, when it cannot be misread, is understood too.
        ("en", "1.065.000,00", "1065000.00"),
        ("es", "1065000.5", "1065000.50"),
    ],
)
def test_a_formatted_budget_is_accepted(editor_client, action, lang, typed, saved):
    response = editor_client.post(url("action-update", action.pk, lang=lang), action_post(action, budget=typed))
    assert response.status_code == 302, response.context["form"].errors
    action.refresh_from_db()
    assert action.budget == Decimal(saved)


def test_an_unreadable_budget_is_refused_naming_the_field_and_keeping_the_text(editor_client, action):
    before = action.budget
    response = editor_client.post(url("action-update", action.pk, lang="es"), action_post(action, budget="1.06.5"))
    assert response.status_code == 400
    error = response.context["form"].errors["budget"][0]
    assert "1.06.5" in error and "1.065.000,00" in error
    assert 'value="1.06.5"' in response.content.decode()
    action.refresh_from_db()
    assert action.budget == before


def test_parse_and_format_round_trip_in_every_language():
    for lang in ("en", "es", "ca", "bg"):
        with translation.override(lang):
            for amount in (Decimal("0.50"), Decimal("999"), Decimal("1065000.25"), Decimal("-12000")):
                assert parse_money(format_money(amount)) == amount
            assert parse_money("12,34,5") is None
            assert parse_money("") is None
