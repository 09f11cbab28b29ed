"""URLs of the partnerships pages, under /<language>/partnerships/.

Create, edit and delete pages are the entities' generic ones (core.entity_views); the upload
pages (documents, news with an image) are the same pages with the request's files (views.py).
"""

from django.urls import path

from municipia.core.entity_views import entity_paths
from municipia.organizations.entities import ORGANIZATION
from municipia.partnerships import feeds, views
from municipia.partnerships.entities import AGREEMENT, CLARIFICATION, COMMITMENT, DOCUMENT, NEWS_POST, SIGNATORY

app_name = "partnerships"
urlpatterns = [
    # Agreements and what they hold.
    path("agreements/", views.agreement_list, name="agreement-list"),
    *entity_paths(
        AGREEMENT,
        item="agreements/<slug:slug>/",
        create="organizations/<slug:slug>/agreements/new/",
        parent=ORGANIZATION,
    ),
    path("agreements/<slug:slug>/", views.agreement_detail, name="agreement-detail"),
    *entity_paths(
        SIGNATORY, item="signatories/<int:pk>/", create="agreements/<slug:slug>/signatories/new/", parent=AGREEMENT
    ),
    *entity_paths(
        COMMITMENT, item="commitments/<int:pk>/", create="agreements/<slug:slug>/commitments/new/", parent=AGREEMENT
    ),
    *views.upload_paths(
        DOCUMENT, item="documents/<int:pk>/", create="agreements/<slug:slug>/documents/new/", parent=AGREEMENT
    ),
    *entity_paths(DOCUMENT, item="documents/<int:pk>/", views=("delete",)),
    path("documents/<int:pk>/", views.document_download, name="agreementdocument-download"),
    path("actions/<int:pk>/complete/", views.ActionCompleteView.as_view(), name="action-complete"),
    # Verified information.
    path("clarifications/", views.clarification_list, name="clarification-list"),
    path("clarifications/feed.atom", feeds.clarification_feed, name="clarification-feed"),
    *entity_paths(
        CLARIFICATION,
        item="clarifications/<slug:slug>/",
        create="organizations/<slug:slug>/clarifications/new/",
        parent=ORGANIZATION,
    ),
    path("clarifications/<slug:slug>/", views.clarification_detail, name="clarification-detail"),
    path("clarifications/<slug:slug>/publish/", views.ClarificationPublishView.as_view(), name="clarification-publish"),
    # News and its feeds.
    path("news/", views.news_list, name="newspost-list"),
    path("news/feed.<str:fmt>", feeds.site_news_feed, name="news-feed"),
    path("plans/<slug:slug>/news/feed.<str:fmt>", feeds.plan_news_feed, name="plan-news-feed"),
    path("organizations/<slug:slug>/news/feed.<str:fmt>", feeds.organization_news_feed, name="organization-news-feed"),
    *views.upload_paths(
        NEWS_POST, item="news/<slug:slug>/", create="organizations/<slug:slug>/news/new/", parent=ORGANIZATION
    ),
    *entity_paths(NEWS_POST, item="news/<slug:slug>/", views=("delete",)),
    # The newsletter (before the news posts' slugs, which "subscribe" would otherwise be).
    path("news/subscribe/", views.subscribe, name="subscribe"),
    path("news/subscribe/confirm/<str:token>/", views.ConfirmView.as_view(), name="subscription-confirm"),
    path("news/unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="subscription-cancel"),
    # Newsletter sends and their progress (site administrators).
    path("news/sends/", views.NewsletterSendListView.as_view(), name="newsletter-send-list"),
    path("news/sends/<int:pk>/", views.NewsletterSendDetailView.as_view(), name="newsletter-send-detail"),
    path("news/<slug:slug>/", views.news_detail, name="newspost-detail"),
    # Following an action or a plan.
    path("follow/actions/<int:key>/", views.FollowView.as_view(kind="action"), name="follow-action"),
    path("follow/actions/<int:key>/stop/", views.UnfollowView.as_view(kind="action"), name="unfollow-action"),
    path("follow/plans/<slug:key>/", views.FollowView.as_view(kind="plan"), name="follow-plan"),
    path("follow/plans/<slug:key>/stop/", views.UnfollowView.as_view(kind="plan"), name="unfollow-plan"),
]
