"""The portfolio pages: they render in every language, show what the reader may see, and keep their query count."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from municipia.organizations.tests.factories import RoleFactory, UserFactory
from municipia.portfolio import services
from municipia.portfolio.choices import ProposalStatus
from municipia.portfolio.models import Scenario
from municipia.portfolio.tests.factories import (
    BudgetLineFactory,
    CriteriaSetFactory,
    CriterionFactory,
    EvaluatorAssignmentFactory,
    ExecutionEntryFactory,
    FundingSourceFactory,
    ProposalFactory,
    ScoreFactory,
    SourceAllocationFactory,
    criterion_of,
)
from municipia.strategy.tests.factories import ActionFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return PlanFactory(is_published=True)


def _world(plan, size: int):
    source = FundingSourceFactory(plan=plan, is_illustrative=True)
    SourceAllocationFactory(source=source, year=2024)
    objective = ObjectiveFactory(axis__plan=plan)
    criterion = criterion_of(plan)
    for _n in range(size):
        action = ActionFactory(objective=objective, plan=plan)
        for year in (2024, 2025):
            line = BudgetLineFactory(action=action, plan=plan, source=source, year=year)
            ExecutionEntryFactory(budget_line=line)
        proposal = ProposalFactory(axis=objective.axis, status=ProposalStatus.UNDER_EVALUATION)
        ScoreFactory(assignment=EvaluatorAssignmentFactory(proposal=proposal), criterion=criterion)
    return source


def _get(client, url):
    with translation.override(None):
        return client.get(url)


@pytest.mark.parametrize("name", ["plan-portfolio", "ranking", "fundingsource-list", "plan-budget", "evaluation"])
def test_plan_pages_keep_their_query_count(client, plan, name, django_assert_max_num_queries):
    admin = UserFactory(is_superuser=True)
    client.force_login(admin)
    _world(plan, 2)
    url = reverse(f"portfolio:{name}", args=[plan.slug])
    with django_assert_max_num_queries(1000) as small:
        assert _get(client, url).status_code == 200
    _world(plan, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert _get(client, url).status_code == 200


@pytest.mark.parametrize("code", ["en", "es", "ca", "bg"])
def test_budget_page_in_every_language_says_figures_are_illustrative(client, plan, code):
    _world(plan, 1)
    response = _get(client, f"/{code}/portfolio/plans/{plan.slug}/budget/")
    assert response.status_code == 200
    assert f'<html lang="{code}">' in response.content.decode()


def test_budget_page_shows_planned_committed_paid(client, plan):
    _world(plan, 1)
    html = _get(client, reverse("portfolio:plan-budget", args=[plan.slug])).content.decode()
    assert "illustrative" in html
    assert "2,000.00" in html and "1,000.00" in html  # planned 2 × 1000; committed 2 × 500


def test_a_draft_proposal_is_hidden_from_the_public(client, plan):
    proposal = ProposalFactory(axis__plan=plan, status=ProposalStatus.DRAFT)
    assert _get(client, proposal.get_absolute_url()).status_code == 404
    client.force_login(RoleFactory(organization=plan.owner).user)
    assert _get(client, proposal.get_absolute_url()).status_code == 200


def test_an_accepted_proposal_of_a_published_plan_is_public(client, plan):
    proposal = ProposalFactory(axis__plan=plan, status=ProposalStatus.ACCEPTED)
    assert _get(client, proposal.get_absolute_url()).status_code == 200


def test_a_coordinator_compares_two_scenarios_and_applies_one(client, plan):
    """The flow the browser test walks: two scenarios side by side, one applied, its proposals become actions."""
    writer = RoleFactory(organization=plan.owner).user
    objective = ObjectiveFactory(axis__plan=plan)
    source = FundingSourceFactory(plan=plan, cofinancing_rate=Decimal("100"))
    SourceAllocationFactory(source=source, year=2024, amount=Decimal("100"))
    criterion = CriterionFactory(criteria_set=CriteriaSetFactory(plan=plan))
    proposals = []
    for value, cost in ((7, 60), (5, 50), (5, 50)):
        proposal = ProposalFactory(axis=objective.axis, status=ProposalStatus.UNDER_EVALUATION)
        services.budget_line_create(
            acting_user=None,
            plan=plan,
            data={
                "proposal": proposal,
                "year": 2024,
                "source": source,
                "cost_category": "services",
                "amount": Decimal(cost),
            },
        )
        ScoreFactory(
            assignment=EvaluatorAssignmentFactory(proposal=proposal), criterion=criterion, value=Decimal(value)
        )
        proposals.append(proposal)
    client.force_login(writer)
    for title, fields in (
        ("Full budget", {}),
        ("ERDF cut by 20 %", {f"source__{source.code}": "80"}),
    ):
        response = client.post(reverse("portfolio:scenario-create", args=[plan.slug]), {"title": title, **fields})
        assert response.status_code == 302, response.content.decode()[:2000]
    page = _get(client, reverse("portfolio:scenario-list", args=[plan.slug])).content.decode()
    assert "Full budget" in page and "ERDF cut by 20 %" in page and "Proven optimal (gap 0)." in page
    full = Scenario.objects.get(title="Full budget")
    assert sorted(full.result["selected"]) == sorted(f"p{p.pk}" for p in proposals[1:])
    cut = Scenario.objects.get(title="ERDF cut by 20 %")
    assert cut.result["selected"] == [f"p{proposals[0].pk}"]  # 80 €: only the 60 € proposal fits
    response = client.post(reverse("portfolio:scenario-apply", args=[full.pk]))
    assert response.status_code == 302
    for proposal in proposals:
        proposal.refresh_from_db()
    assert [p.status for p in proposals] == ["under_evaluation", "accepted", "accepted"]
    assert plan.actions.filter(proposal__in=proposals[1:]).count() == 2
    detail = _get(client, reverse("portfolio:scenario-detail", args=[full.pk])).content.decode()
    assert "ERDF" not in detail or "allocation" in detail


def test_plan_page_links_to_the_portfolio_pages(client, plan):
    source = _world(plan, 1)
    axis = plan.axes.get()
    html = _get(client, plan.get_absolute_url()).content.decode()
    for name in ("plan-portfolio", "ranking", "plan-budget", "fundingsource-list", "plan-timeline"):
        assert f'href="{reverse(f"portfolio:{name}", args=[plan.slug])}"' in html, name
    assert f"{reverse('portfolio:plan-portfolio', args=[plan.slug])}?axis={axis.code}" in html
    # Scenarios and funding reports are the plan writers' working papers.
    assert reverse("portfolio:scenario-list", args=[plan.slug]) not in html
    assert reverse("portfolio:fundingsource-report-pdf", args=[source.pk]) not in html
    client.force_login(RoleFactory(organization=plan.owner).user)
    html = _get(client, plan.get_absolute_url()).content.decode()
    assert reverse("portfolio:scenario-list", args=[plan.slug]) in html
    assert reverse("portfolio:fundingsource-report-pdf", args=[source.pk]) in html
    assert reverse("portfolio:fundingsource-report-xlsx", args=[source.pk]) in html


def test_an_axis_link_shows_that_axis_proposals_only(client, plan):
    mine = ProposalFactory(axis__plan=plan, status=ProposalStatus.ACCEPTED, title_en="Smart lighting")
    other = ProposalFactory(axis__plan=plan, status=ProposalStatus.ACCEPTED, title_en="Open data portal")
    url = reverse("portfolio:plan-portfolio", args=[plan.slug])
    html = _get(client, f"{url}?axis={mine.axis.code}").content.decode()
    assert "Smart lighting" in html and "Open data portal" not in html
    assert mine.axis.title in html
    ranking = _get(client, reverse("portfolio:ranking", args=[plan.slug]) + f"?axis={other.axis.code}")
    assert "Open data portal" in ranking.content.decode() and "Smart lighting" not in ranking.content.decode()


def test_accepted_proposal_and_its_action_link_each_other(client, plan):
    writer = RoleFactory(organization=plan.owner).user
    objective = ObjectiveFactory(axis__plan=plan)
    proposal = ProposalFactory(axis=objective.axis, status=ProposalStatus.UNDER_EVALUATION, title_en="Wi-Fi in parks")
    services.proposal_accept(acting_user=writer, proposal=proposal)
    proposal.refresh_from_db()
    action_html = _get(client, proposal.action.get_absolute_url()).content.decode()
    assert "Accepted proposal" in action_html and f'href="{proposal.get_absolute_url()}"' in action_html
    proposal_html = _get(client, proposal.get_absolute_url()).content.decode()
    assert "Became the plan's action" in proposal_html
    assert f'href="{proposal.action.get_absolute_url()}"' in proposal_html


def test_an_action_without_a_proposal_or_budget_lines_has_no_portfolio_card(client, plan):
    action = ActionFactory(objective=ObjectiveFactory(axis__plan=plan), plan=plan)
    assert 'id="portfolio"' not in _get(client, action.get_absolute_url()).content.decode()


@pytest.mark.parametrize("name", ["plan-budget", "fundingsource-list", "ranking", "plan-timeline"])
def test_breadcrumb_names_the_portfolio_not_always_proposals(client, plan, name):
    _world(plan, 1)
    html = _get(client, reverse(f"portfolio:{name}", args=[plan.slug])).content.decode()
    breadcrumb = html.split('class="breadcrumb"')[1].split("</nav>")[0]
    assert "Portfolio and funding" in breadcrumb
    assert "Proposals" not in breadcrumb
    assert 'aria-current="page"' in html


def test_detail_pages_breadcrumb_names_their_list(client, plan):
    source = _world(plan, 1)
    html = _get(client, reverse("portfolio:fundingsource-detail", args=[source.pk])).content.decode()
    breadcrumb = html.split('class="breadcrumb"')[1].split("</nav>")[0]
    assert reverse("portfolio:fundingsource-list", args=[plan.slug]) in breadcrumb and "Proposals" not in breadcrumb


def _scenario_world(plan):
    objective = ObjectiveFactory(axis__plan=plan)
    source = FundingSourceFactory(plan=plan, cofinancing_rate=Decimal("100"))
    SourceAllocationFactory(source=source, year=2024, amount=Decimal("100"))
    SourceAllocationFactory(source=source, year=2025, amount=Decimal("100"))
    proposals = [
        ProposalFactory(axis=objective.axis, status=ProposalStatus.SUBMITTED, title_en=f"Idea {n}") for n in range(2)
    ]
    return objective.axis, source, proposals


def test_scenario_form_has_a_field_per_source_year_axis_and_proposal(client, plan):
    axis, source, proposals = _scenario_world(plan)
    client.force_login(RoleFactory(organization=plan.owner).user)
    form = client.get(reverse("portfolio:scenario-create", args=[plan.slug])).context["form"]
    for name in (
        f"source__{source.code}",
        f"year__{source.code}__2024",
        f"year__{source.code}__2025",
        f"axis_min__{axis.code}",
        f"axis_max__{axis.code}",
        "council_floor",
        "action_score",
        "include",
        "exclude",
    ):
        assert name in form.fields, name
    assert [key for key, _label in form.fields["include"].choices] == [f"p{p.pk}" for p in proposals]
    response = client.post(
        reverse("portfolio:scenario-create", args=[plan.slug]),
        {
            "title": "Lean year",
            f"source__{source.code}": "90",
            f"year__{source.code}__2025": "0",
            f"axis_max__{axis.code}": "1",
            "council_floor": "",
            "include": [f"p{proposals[1].pk}"],
            "exclude": [f"p{proposals[0].pk}"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    scenario = Scenario.objects.get(title="Lean year")
    assert scenario.parameters == {
        "source_factors": {source.code: 0.9},
        "year_factors": {f"{source.code}|2025": 0.0},
        "axis_max": {axis.code: 1},
        "include": [f"p{proposals[1].pk}"],
        "exclude": [f"p{proposals[0].pk}"],
    }
    # Editing shows what was saved, in the same fields.
    form = client.get(reverse("portfolio:scenario-update", args=[scenario.pk])).context["form"]
    assert form[f"source__{source.code}"].value() == Decimal("90")
    assert form[f"year__{source.code}__2025"].value() == Decimal("0")
    assert form["include"].value() == [f"p{proposals[1].pk}"]
    detail = client.get(scenario.get_absolute_url()).content.decode()
    assert f"{source.code} in 2025: 0 % of its allocation." in detail and "Must include: Idea 1." in detail


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"source__{code}": "-5"}, "source__{code}", "greater than or equal to 0"),
        ({"year__{code}__2024": "lots"}, "year__{code}__2024", "Enter a number."),
        ({"axis_min__{axis}": "3", "axis_max__{axis}": "1"}, "axis_max__{axis}", "The maximum is below the minimum."),
        ({"include": ["{p0}"], "exclude": ["{p0}"]}, "exclude", "cannot be both included and excluded"),
        ({"council_floor": "-1"}, "council_floor", "greater than or equal to 0"),
    ],
)
def test_bad_scenario_input_names_the_field_and_keeps_what_was_typed(client, plan, fields, field, message):
    axis, source, proposals = _scenario_world(plan)
    names = {"code": source.code, "axis": axis.code, "p0": f"p{proposals[0].pk}"}
    data = {"title": "Typed title", f"axis_min__{axis.code}": "2"}
    for key, value in fields.items():
        data[key.format(**names)] = [v.format(**names) for v in value] if isinstance(value, list) else value
    client.force_login(RoleFactory(organization=plan.owner).user)
    response = client.post(reverse("portfolio:scenario-create", args=[plan.slug]), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert message in " ".join(form.errors[field.format(**names)])
    assert 'value="Typed title"' in response.content.decode()
    assert form[f"axis_min__{axis.code}"].value() == data[f"axis_min__{axis.code}"]
    assert not Scenario.objects.exists()


def test_a_must_include_that_cannot_be_funded_is_explained(client, plan):
    axis, source, proposals = _scenario_world(plan)
    client.force_login(RoleFactory(organization=plan.owner).user)
    response = client.post(
        reverse("portfolio:scenario-create", args=[plan.slug]),
        {"title": "Impossible", f"axis_max__{axis.code}": "0", "include": [f"p{proposals[0].pk}"]},
    )
    assert response.status_code == 302
    detail = client.get(Scenario.objects.get().get_absolute_url()).content.decode()
    assert "No selection fits every constraint." in detail
    assert "The maximum of 0 proposals in axis" in detail


def _many_actions(plan, count: int):
    """`count` actions coded 1.1.1 … 1.1.<count>, the n-th with one line of n × 100 € and n × 10 € paid."""
    source = FundingSourceFactory(plan=plan, is_illustrative=True)
    objective = ObjectiveFactory(axis__plan=plan)
    for n in range(1, count + 1):
        action = ActionFactory(objective=objective, plan=plan, code=f"1.1.{n}", title_en=f"Budgeted action {n}")
        line = BudgetLineFactory(
            action=action, plan=plan, source=source, amount=Decimal(n * 100), eu_share=Decimal(n * 80),
            own_share=Decimal(n * 20),
        )  # fmt: skip
        ExecutionEntryFactory(budget_line=line, kind="payment", amount=Decimal(n * 10))
    return source


def _action_rows(html: str) -> list[str]:
    section = html.split('id="by-action"')[1]
    return [part.split("</a>")[0].split(">")[-1] for part in section.split('<th scope="row"><a href=')[1:]]


def test_budget_page_lists_actions_fifty_a_page_under_the_whole_plans_totals(client, plan):
    _many_actions(plan, 55)
    url = reverse("portfolio:plan-budget", args=[plan.slug])
    first = _get(client, url).content.decode()
    # Codes in reading order (1.1.2 before 1.1.10), fifty of them; the totals are the whole plan's 55.
    rows = _action_rows(first)
    assert len(rows) == 50 and rows[0] == "1.1.1. Budgeted action 1" and rows[9] == "1.1.10. Budgeted action 10"
    assert "Actions 1–50 of 55" in first
    assert "154,000.00" in first  # planned: 100 × (1 + … + 55)
    second = _get(client, url + "?page=2").content.decode()
    assert _action_rows(second) == [f"1.1.{n}. Budgeted action {n}" for n in range(51, 56)]
    assert "154,000.00" in second


def test_budget_page_sorts_actions_by_amount_paid(client, plan):
    _many_actions(plan, 55)
    url = reverse("portfolio:plan-budget", args=[plan.slug])
    html = _get(client, url + "?sort=paid").content.decode()
    assert _action_rows(html)[:2] == ["1.1.55. Budgeted action 55", "1.1.54. Budgeted action 54"]
    assert '<option value="paid" selected>' in html
    # An unknown order falls back to the codes'.
    assert _action_rows(_get(client, url + "?sort=nonsense").content.decode())[0] == "1.1.1. Budgeted action 1"


def test_budget_page_shows_a_new_payment_at_once_although_its_sums_are_kept(client, plan):
    source = _many_actions(plan, 2)
    url = reverse("portfolio:plan-budget", args=[plan.slug])
    assert "30.00" in _get(client, url).content.decode()  # paid: 10 + 20
    line = BudgetLineFactory(action__objective__axis__plan=plan, plan=plan, source=source, amount=Decimal("5000"))
    ExecutionEntryFactory(budget_line=line, kind="payment", amount=Decimal("4000"))
    for reader in (client, None):
        if reader is None:
            client.force_login(UserFactory(is_superuser=True))
        html = _get(client, url).content.decode()
        assert "4,030.00" in html and "5,300.00" in html, reader


def test_budget_page_shows_every_edit_at_once_to_every_reader_although_its_parts_are_kept(client, plan):
    """Anonymous visitors and plain readers get the whole page from the page cache, editors its kept
    fragments: a budget line, an execution entry, an allocation or an action changed shows at once."""
    source = _many_actions(plan, 2)  # planned 100 + 200, paid 10 + 20
    allocation = SourceAllocationFactory(source=source, year=2024, amount=Decimal("1000"))
    url = reverse("portfolio:plan-budget", args=[plan.slug])
    reader, editor = UserFactory(), UserFactory(is_superuser=True)

    def pages() -> list[str]:
        client.logout()
        seen = [_get(client, url).content.decode()]
        for user in (reader, editor):
            client.force_login(user)
            seen.append(_get(client, url).content.decode())
        return seen

    for html in pages():  # the caches are warm from here on
        assert "300.00" in html and "30.00" in html and "Budgeted action 1<" in html
        assert "planned against an allocation" not in html
    # The readers' copy never carries an editor's toolbar, nor the editor's page a reader's menu.
    anonymous_html, reader_html, editor_html = pages()
    assert "New budget line" in editor_html and "New budget line" not in reader_html + anonymous_html
    assert f">{reader.username}<" in reader_html and f">{reader.username}<" not in editor_html
    line = source.budget_lines.get(action__code="1.1.1")
    line.amount, line.eu_share, line.own_share = Decimal("700"), Decimal("560"), Decimal("140")
    line.save()
    assert all("900.00" in html for html in pages())  # planned: 700 + 200
    ExecutionEntryFactory(budget_line=line, kind="payment", amount=Decimal("500"))
    assert all("530.00" in html for html in pages())  # paid: 10 + 20 + 500
    allocation.amount = Decimal("100")
    allocation.save()
    assert all("planned against an allocation of 100.00 €" in html for html in pages())
    action = line.action
    action.title_en = "Renamed action"
    action.save()
    assert all("Renamed action" in html and "Budgeted action 1<" not in html for html in pages())
