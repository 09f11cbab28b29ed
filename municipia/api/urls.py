"""API URLs: the v1 router, token sign-in, the OpenAPI schema and its documentation pages."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.routers import DefaultRouter
from rest_framework.throttling import ScopedRateThrottle

from municipia.organizations.api import NetworkViewSet, OrganizationViewSet
from municipia.strategy.api import (
    ActionViewSet,
    AxisViewSet,
    ChallengeViewSet,
    MilestoneViewSet,
    ObjectiveViewSet,
    PlanViewSet,
)

app_name = "api"


class TokenView(ObtainAuthToken):
    """Username and password → API token; throttled per client address."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"


router = DefaultRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("networks", NetworkViewSet, basename="network")
router.register("plans", PlanViewSet, basename="plan")
router.register("axes", AxisViewSet, basename="axis")
router.register("challenges", ChallengeViewSet, basename="challenge")
router.register("objectives", ObjectiveViewSet, basename="objective")
router.register("actions", ActionViewSet, basename="action")
router.register("milestones", MilestoneViewSet, basename="milestone")

urlpatterns = [
    path("v1/auth/token/", TokenView.as_view(), name="token"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html"), name="redoc"),
]
