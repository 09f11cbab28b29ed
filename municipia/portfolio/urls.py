"""URLs of the portfolio pages, under /<language>/portfolio/.

Create, edit and delete pages are the entities' generic ones (core.entity_views); the read pages,
the proposal decisions, the AHP comparisons, the ranking, the budget and the scenarios are this
app's own views (views.py says why each is special).
"""

from django.urls import path

from municipia.core.entity_views import entity_paths
from municipia.portfolio import views
from municipia.portfolio.entities import (
    BUDGET_LINE,
    CRITERIA_SET,
    CRITERION,
    EVALUATOR_ASSIGNMENT,
    EXECUTION_ENTRY,
    FUNDING_SOURCE,
    PROPOSAL,
    SCENARIO,
    SCORE,
    SOURCE_ALLOCATION,
)
from municipia.strategy.entities import PLAN

app_name = "portfolio"
urlpatterns = [
    path("plans/<slug:slug>/", views.plan_portfolio, name="plan-portfolio"),
    *entity_paths(PROPOSAL, item="proposals/<int:pk>/", create="plans/<slug:slug>/proposals/new/", parent=PLAN),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal-detail"),
    path("proposals/<int:pk>/<str:step>/", views.ProposalDecisionView.as_view(), name="proposal-decide"),
    path("plans/<slug:slug>/evaluation/", views.EvaluationView.as_view(), name="evaluation"),
    path("plans/<slug:slug>/ranking/", views.ranking_page, name="ranking"),
    *entity_paths(
        CRITERIA_SET, item="criteria-sets/<int:pk>/", create="plans/<slug:slug>/criteria-set/new/", parent=PLAN
    ),
    *entity_paths(
        CRITERION, item="criteria/<int:pk>/", create="criteria-sets/<int:pk>/criteria/new/", parent=CRITERIA_SET
    ),
    *entity_paths(
        EVALUATOR_ASSIGNMENT, item="evaluators/<int:pk>/", create="proposals/<int:pk>/evaluators/new/", parent=PROPOSAL
    ),
    *entity_paths(
        SCORE, item="scores/<int:pk>/", create="evaluators/<int:pk>/scores/new/", parent=EVALUATOR_ASSIGNMENT
    ),
    path("plans/<slug:slug>/sources/", views.source_list_page, name="fundingsource-list"),
    path("sources/<int:pk>/", views.source_detail, name="fundingsource-detail"),
    *entity_paths(FUNDING_SOURCE, item="sources/<int:pk>/", create="plans/<slug:slug>/sources/new/", parent=PLAN),
    *entity_paths(
        SOURCE_ALLOCATION,
        item="allocations/<int:pk>/",
        create="sources/<int:pk>/allocations/new/",
        parent=FUNDING_SOURCE,
    ),
    path("plans/<slug:slug>/budget/", views.plan_budget_page, name="plan-budget"),
    path("plans/<slug:slug>/timeline/", views.plan_timeline, name="plan-timeline"),
    path("plans/<slug:slug>/execution/import/", views.ExecutionImportView.as_view(), name="execution-import"),
    path("sources/<int:pk>/report.xlsx", views.source_report_xlsx, name="fundingsource-report-xlsx"),
    path("sources/<int:pk>/report.pdf", views.source_report_pdf, name="fundingsource-report-pdf"),
    *entity_paths(
        BUDGET_LINE, item="budget-lines/<int:pk>/", create="plans/<slug:slug>/budget-lines/new/", parent=PLAN
    ),
    *entity_paths(
        EXECUTION_ENTRY, item="execution/<int:pk>/", create="budget-lines/<int:pk>/execution/new/", parent=BUDGET_LINE
    ),
    path("plans/<slug:slug>/scenarios/", views.scenario_list, name="scenario-list"),
    path("scenarios/<int:pk>/", views.scenario_detail, name="scenario-detail"),
    path("scenarios/<int:pk>/apply/", views.ScenarioApplyView.as_view(), name="scenario-apply"),
    *entity_paths(
        SCENARIO,
        item="scenarios/<int:pk>/",
        create="plans/<slug:slug>/scenarios/new/",
        parent=PLAN,
        template_name="portfolio/scenario_form.html",
    ),
]
