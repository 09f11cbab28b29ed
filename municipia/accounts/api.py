"""The API's sign-in: username, password (and a two-factor code when the account has one) → a token."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from municipia.accounts import selectors, services
from municipia.core.http import client_ip


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(
        max_length=32, required=False, help_text="The current two-factor code, for accounts that have one."
    )
    name = serializers.CharField(max_length=100, required=False, default="API sign-in")
    days = serializers.IntegerField(required=False, min_value=1, help_text="Lifetime of the token in days.")


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class ClientAddressThrottle(ScopedRateThrottle):
    """The rate is counted per real client address: forwarded addresses only from trusted proxies."""

    def get_ident(self, request):
        return client_ip(request)


class TokenView(APIView):
    """Username and password → a new API token with an expiry (see the token page to list and revoke).

    Failed attempts count towards the account's and the address's lockout (django-axes).
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ClientAddressThrottle]
    throttle_scope = "token"

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenResponseSerializer})
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        # The underlying Django request, so django-axes records the failure and its middleware
        # answers a locked-out client.
        user = authenticate(request._request, username=values["username"], password=values["password"])
        if user is None:
            raise serializers.ValidationError({"non_field_errors": [_("Unable to log in with the given credentials.")]})
        if selectors.has_two_factor(user):
            if not values.get("otp"):
                raise serializers.ValidationError(
                    {"otp": [_("This account uses two-factor authentication: send otp.")]}
                )
            # A wrong code answers 400 keyed `code` (the service's field); django-otp throttles tries.
            services.two_factor_check(acting_user=user, code=values["otp"])
        days = values.get("days") or settings.API_TOKEN_DEFAULT_DAYS
        token, key = services.token_issue(acting_user=user, name=values["name"], days=days)
        return Response({"token": key, "expires_at": token.expires_at})
