"""What a locked-out sign-in attempt gets: a page on the site and admin, JSON on the API."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _minutes() -> int:
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def locked_out_response(request, credentials=None) -> HttpResponse:
    minutes = _minutes()
    message = _(
        "Too many failed sign-in attempts for this account or from this address. Try again in %(minutes)s "
        "minutes, reset your password, or ask an administrator to unlock it."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429, headers={"Retry-After": str(minutes * 60)})
    response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
