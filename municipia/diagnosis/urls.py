"""URLs of the diagnosis pages: respondents' surveys under surveys/, the team's pages under diagnosis/."""

from django.contrib.auth.decorators import login_required
from django.urls import URLPattern, path

from municipia.core.entity_views import entity_paths
from municipia.diagnosis import answering, forms, views
from municipia.diagnosis.entities import CAMPAIGN, FINDING, OPTION, QUESTION, QUESTIONNAIRE, SECTION
from municipia.strategy.entities import PLAN


def _signed_in(patterns: list[URLPattern]) -> list[URLPattern]:
    """Editors' pages send visitors to the login page before looking anything up: a scoped look-up
    would otherwise answer 404 to someone who simply has not signed in yet. Signed in, the page's
    own permission check (`require_perm` / `EditorView`) decides."""
    for pattern in patterns:
        pattern.callback = login_required(pattern.callback)
    return patterns


SECTION_ITEM = "diagnosis/sections/<int:pk>/"
QUESTION_ITEM = "diagnosis/questions/<int:pk>/"
OPTION_ITEM = "diagnosis/options/<int:pk>/"

app_name = "diagnosis"
urlpatterns = [
    path("surveys/t/<str:token>/", answering.answer_token, name="answer-token"),
    path("surveys/<slug:slug>/", answering.answer_public, name="answer-public"),
    path("surveys/<slug:slug>/thanks/", answering.answer_thanks, name="answer-thanks"),
    path("surveys/<slug:slug>/results/", views.campaign_public_results, name="public-results"),
    path("consultations/", views.consultation_list, name="consultation-list"),
    path("diagnosis/questionnaires/<int:pk>/", views.questionnaire_detail, name="questionnaire-detail"),
    path("diagnosis/plans/<slug:slug>/findings/", views.finding_board_view, name="finding-board"),
    *_signed_in(
        [
            path("diagnosis/", views.diagnosis_home, name="home"),
            path("diagnosis/questionnaires/new/", views.QuestionnaireCreateView.as_view(), name="questionnaire-create"),
            *entity_paths(QUESTIONNAIRE, item="diagnosis/questionnaires/<int:pk>/", views=("update",)),
            path(
                "diagnosis/questionnaires/<int:pk>/copy/",
                views.QuestionnaireCopyView.as_view(),
                name="questionnaire-copy",
            ),
            *entity_paths(
                SECTION,
                create="diagnosis/questionnaires/<int:pk>/sections/new/",
                item=SECTION_ITEM,
                parent=QUESTIONNAIRE,
            ),
            *entity_paths(
                QUESTION,
                create="diagnosis/sections/<int:pk>/questions/new/",
                item=QUESTION_ITEM,
                parent=SECTION,
            ),
            *entity_paths(
                OPTION,
                create="diagnosis/questions/<int:pk>/options/new/",
                item=OPTION_ITEM,
                parent=QUESTION,
            ),
            path("diagnosis/campaigns/new/", views.CampaignCreateView.as_view(), name="campaign-create"),
            path("diagnosis/campaigns/<slug:slug>/", views.campaign_detail, name="campaign-detail"),
            *entity_paths(CAMPAIGN, item="diagnosis/campaigns/<slug:slug>/", views=("update",)),
            *[
                path(
                    f"diagnosis/campaigns/<slug:slug>/{action}/",
                    views.CampaignActionView.as_view(action=action),
                    name=f"campaign-{action}",
                )
                for action in ("open", "close", "new-wave")
            ],
            path(
                "diagnosis/campaigns/<slug:slug>/invitations/",
                views.InvitationUploadView.as_view(),
                name="invitation-upload",
            ),
            path(
                "diagnosis/invitations/<int:pk>/revoke/", views.InvitationRevokeView.as_view(), name="invitation-revoke"
            ),
            path("diagnosis/maturity/<slug:slug>/", views.maturity_overview, name="maturity-overview"),
            path(
                "diagnosis/maturity/<slug:slug>/new/",
                views.MaturityAssessmentCreateView.as_view(),
                name="maturity-create",
            ),
            path(
                "diagnosis/plans/<slug:slug>/findings/new/",
                views.FindingCreateView.as_view(entity=FINDING, parent_entity=PLAN, form_class=forms.FindingForm),
                name="finding-create",
            ),
            *entity_paths(FINDING, item="diagnosis/findings/<int:pk>/", views=("update", "delete")),
            path(
                "diagnosis/findings/<int:pk>/challenge/",
                views.FindingToChallengeView.as_view(),
                name="finding-challenge",
            ),
        ]
    ),
]
