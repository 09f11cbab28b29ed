"""API URLs: the v1 router, token sign-in, the OpenAPI schema and its documentation pages."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from municipia.accounts.api import TokenView
from municipia.alignment.api import (
    AlignmentViewSet,
    CoverageViewSet,
    FrameworkItemViewSet,
    FrameworkViewSet,
    PlanFrameworkViewSet,
    SuggestionFeedbackViewSet,
    SuggestionViewSet,
)
from municipia.diagnosis.api import (
    CampaignResultsViewSet,
    CampaignViewSet,
    FindingViewSet,
    MaturityAssessmentViewSet,
    MaturityDimensionViewSet,
    QuestionnaireViewSet,
    ResponseViewSet,
)
from municipia.governance.api import (
    AgendaItemViewSet,
    AttendanceViewSet,
    BodyInvitationViewSet,
    BodyMemberViewSet,
    BodyViewSet,
    DecisionViewSet,
    MeetingSeriesViewSet,
    MeetingViewSet,
    ReportViewSet,
    TaskViewSet,
)
from municipia.indicators.api import (
    BaselineViewSet,
    IndicatorViewSet,
    ObservationViewSet,
    PlanMonitoringViewSet,
    TargetViewSet,
)
from municipia.organizations.api import (
    DepartmentViewSet,
    NetworkViewSet,
    OrganizationViewSet,
    PersonViewSet,
    RoleViewSet,
)
from municipia.partnerships.api import (
    AgreementViewSet,
    ClarificationViewSet,
    CommitmentViewSet,
    FollowViewSet,
    NewsletterSendViewSet,
    NewsPostViewSet,
)
from municipia.portfolio.api import (
    AllocationViewSet,
    AssignmentViewSet,
    BudgetLineViewSet,
    CriteriaSetViewSet,
    CriterionViewSet,
    ExecutionEntryViewSet,
    FundingSourceViewSet,
    ProposalViewSet,
    ScenarioViewSet,
    ScoreViewSet,
)
from municipia.reports.api import IndicatorExportViewSet, ObservationExportViewSet
from municipia.strategy.api import (
    ActionPartnerViewSet,
    ActionViewSet,
    AxisViewSet,
    ChallengeViewSet,
    MilestoneViewSet,
    ObjectiveViewSet,
    PlanViewSet,
)

app_name = "api"


router = DefaultRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("networks", NetworkViewSet, basename="network")
router.register("people", PersonViewSet, basename="person")
router.register("departments", DepartmentViewSet, basename="department")
router.register("roles", RoleViewSet, basename="role")
router.register("plans", PlanViewSet, basename="plan")
router.register("axes", AxisViewSet, basename="axis")
router.register("challenges", ChallengeViewSet, basename="challenge")
router.register("objectives", ObjectiveViewSet, basename="objective")
router.register("actions", ActionViewSet, basename="action")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("action-partners", ActionPartnerViewSet, basename="actionpartner")
router.register("frameworks", FrameworkViewSet, basename="framework")
router.register("framework-items", FrameworkItemViewSet, basename="framework-item")
router.register("alignments", AlignmentViewSet, basename="alignment")
router.register("plan-frameworks", PlanFrameworkViewSet, basename="plan-framework")
router.register("coverage", CoverageViewSet, basename="coverage")
router.register("suggestions", SuggestionViewSet, basename="suggestion")
router.register("suggestion-feedback", SuggestionFeedbackViewSet, basename="suggestion-feedback")
router.register("bodies", BodyViewSet, basename="body")
router.register("body-members", BodyMemberViewSet, basename="bodymember")
router.register("body-invitations", BodyInvitationViewSet, basename="bodyinvitation")
router.register("meeting-series", MeetingSeriesViewSet, basename="meetingseries")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("agenda-items", AgendaItemViewSet, basename="agendaitem")
router.register("attendances", AttendanceViewSet, basename="attendance")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("tasks", TaskViewSet, basename="task")
router.register("reports", ReportViewSet, basename="report")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("baselines", BaselineViewSet, basename="baseline")
router.register("targets", TargetViewSet, basename="target")
router.register("observations", ObservationViewSet, basename="observation")
router.register("plan-monitoring", PlanMonitoringViewSet, basename="plan-monitoring")
router.register("questionnaires", QuestionnaireViewSet, basename="questionnaire")
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("campaign-results", CampaignResultsViewSet, basename="campaign-results")
router.register("responses", ResponseViewSet, basename="response")
router.register("maturity-dimensions", MaturityDimensionViewSet, basename="maturity-dimension")
router.register("maturity-assessments", MaturityAssessmentViewSet, basename="maturity-assessment")
router.register("findings", FindingViewSet, basename="finding")
router.register("indicator-exports", IndicatorExportViewSet, basename="indicator-export")
router.register("observation-exports", ObservationExportViewSet, basename="observation-export")
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("criteria-sets", CriteriaSetViewSet, basename="criteriaset")
router.register("criteria", CriterionViewSet, basename="criterion")
router.register("evaluator-assignments", AssignmentViewSet, basename="evaluatorassignment")
router.register("scores", ScoreViewSet, basename="score")
router.register("funding-sources", FundingSourceViewSet, basename="fundingsource")
router.register("allocations", AllocationViewSet, basename="sourceallocation")
router.register("budget-lines", BudgetLineViewSet, basename="budgetline")
router.register("execution-entries", ExecutionEntryViewSet, basename="executionentry")
router.register("scenarios", ScenarioViewSet, basename="scenario")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("commitments", CommitmentViewSet, basename="commitment")
router.register("clarifications", ClarificationViewSet, basename="clarification")
router.register("news", NewsPostViewSet, basename="newspost")
router.register("newsletter-sends", NewsletterSendViewSet, basename="newslettersend")
router.register("follows", FollowViewSet, basename="follow")

urlpatterns = [
    path("v1/auth/token/", TokenView.as_view(), name="token"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script from a URL: no inline script (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html"), name="redoc"),
]
