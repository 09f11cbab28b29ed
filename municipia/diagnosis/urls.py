"""URLs of the diagnosis pages: respondents' surveys under surveys/, the team's pages under diagnosis/."""

from django.urls import path

from municipia.diagnosis import answering, views

app_name = "diagnosis"
urlpatterns = [
    path("surveys/t/<str:token>/", answering.answer_token, name="answer-token"),
    path("surveys/<slug:slug>/", answering.answer_public, name="answer-public"),
    path("surveys/<slug:slug>/thanks/", answering.answer_thanks, name="answer-thanks"),
    path("diagnosis/", views.diagnosis_home, name="home"),
    path("diagnosis/questionnaires/new/", views.QuestionnaireCreateView.as_view(), name="questionnaire-create"),
    path("diagnosis/questionnaires/<int:pk>/", views.questionnaire_detail, name="questionnaire-detail"),
    path(
        "diagnosis/questionnaires/<int:pk>/edit/", views.QuestionnaireUpdateView.as_view(), name="questionnaire-update"
    ),
    path("diagnosis/questionnaires/<int:pk>/copy/", views.QuestionnaireCopyView.as_view(), name="questionnaire-copy"),
    path("diagnosis/questionnaires/<int:pk>/sections/new/", views.SectionCreateView.as_view(), name="section-create"),
    path("diagnosis/sections/<int:pk>/edit/", views.SectionUpdateView.as_view(), name="section-update"),
    path("diagnosis/sections/<int:pk>/delete/", views.SectionDeleteView.as_view(), name="section-delete"),
    path("diagnosis/sections/<int:pk>/questions/new/", views.QuestionCreateView.as_view(), name="question-create"),
    path("diagnosis/questions/<int:pk>/edit/", views.QuestionUpdateView.as_view(), name="question-update"),
    path("diagnosis/questions/<int:pk>/delete/", views.QuestionDeleteView.as_view(), name="question-delete"),
    path("diagnosis/questions/<int:pk>/options/new/", views.OptionCreateView.as_view(), name="option-create"),
    path("diagnosis/options/<int:pk>/edit/", views.OptionUpdateView.as_view(), name="option-update"),
    path("diagnosis/options/<int:pk>/delete/", views.OptionDeleteView.as_view(), name="option-delete"),
    path("diagnosis/campaigns/new/", views.CampaignCreateView.as_view(), name="campaign-create"),
    path("diagnosis/campaigns/<slug:slug>/", views.campaign_detail, name="campaign-detail"),
    path("diagnosis/campaigns/<slug:slug>/edit/", views.CampaignUpdateView.as_view(), name="campaign-update"),
    path(
        "diagnosis/campaigns/<slug:slug>/open/", views.CampaignActionView.as_view(action="open"), name="campaign-open"
    ),
    path(
        "diagnosis/campaigns/<slug:slug>/close/",
        views.CampaignActionView.as_view(action="close"),
        name="campaign-close",
    ),
    path(
        "diagnosis/campaigns/<slug:slug>/new-wave/",
        views.CampaignActionView.as_view(action="new-wave"),
        name="campaign-new-wave",
    ),
    path(
        "diagnosis/campaigns/<slug:slug>/invitations/",
        views.InvitationUploadView.as_view(),
        name="invitation-upload",
    ),
    path("diagnosis/invitations/<int:pk>/revoke/", views.InvitationRevokeView.as_view(), name="invitation-revoke"),
    path("diagnosis/maturity/<slug:slug>/", views.maturity_overview, name="maturity-overview"),
    path("diagnosis/maturity/<slug:slug>/new/", views.MaturityAssessmentCreateView.as_view(), name="maturity-create"),
    path("diagnosis/plans/<slug:slug>/findings/", views.finding_board_view, name="finding-board"),
    path("diagnosis/plans/<slug:slug>/findings/new/", views.FindingCreateView.as_view(), name="finding-create"),
    path("diagnosis/findings/<int:pk>/edit/", views.FindingUpdateView.as_view(), name="finding-update"),
    path("diagnosis/findings/<int:pk>/delete/", views.FindingDeleteView.as_view(), name="finding-delete"),
    path("diagnosis/findings/<int:pk>/challenge/", views.FindingToChallengeView.as_view(), name="finding-challenge"),
]
