"""Security headers every response carries, and no caching of what a signed-in user is shown."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# No inline or foreign scripts or styles: the pages have no script, `style` attribute or <style>
# element of their own (core/tests/test_csp.py); widths that vary are SVG attributes, <progress>
# and <meter> elements. Scripts may still set styles through the CSSOM, which CSP allows.
STYLE_SRC = "style-src 'self'"
_POLICY = [
    "default-src 'self'",
    "script-src 'self'",
    STYLE_SRC,
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
]
CONTENT_SECURITY_POLICY = "; ".join([*_POLICY, "frame-ancestors 'none'"])
# Pages we do not write keep inline styles: the Django admin (django-simple-history's history
# list has a style attribute) and the API documentation (Swagger UI and ReDoc inject <style>
# elements as they run). Under these paths only, styles may be inline; scripts still may not.
RELAXED_STYLE_PATHS = ("/admin/", "/api/docs/", "/api/redoc/")
RELAXED_STYLE_POLICY = CONTENT_SECURITY_POLICY.replace(STYLE_SRC, "style-src 'self' 'unsafe-inline'")
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
        if frameable:
            policy = FRAMEABLE_POLICY
        elif request.path.startswith(RELAXED_STYLE_PATHS):
            policy = RELAXED_STYLE_POLICY
        else:
            policy = CONTENT_SECURITY_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        signed_in = (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META
        if signed_in:
            response["Cache-Control"] = "no-store, private"
        return response
