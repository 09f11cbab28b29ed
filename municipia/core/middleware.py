"""Security headers every response carries, and no caching of what a signed-in user is shown."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# No inline or foreign scripts (the pages have none; the API docs load their start-up script
# from a URL); styles may still be inline while the remaining style attributes move to CSS.
_POLICY = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
]
CONTENT_SECURITY_POLICY = "; ".join([*_POLICY, "frame-ancestors 'none'"])
# The cards other sites may frame (`xframe_options_exempt` views) say so in their policy too.
FRAMEABLE_POLICY = "; ".join([*_POLICY, "frame-ancestors *"])
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
)


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy and Permissions-Policy; marks responses to signed-in users
    (by session or by API token) `Cache-Control: no-store`, so no shared or browser cache keeps
    private pages or downloads."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        frameable = getattr(response, "xframe_options_exempt", False)
        response.headers.setdefault(
            "Content-Security-Policy", FRAMEABLE_POLICY if frameable else CONTENT_SECURITY_POLICY
        )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        signed_in = (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META
        if signed_in:
            response["Cache-Control"] = "no-store, private"
        return response
