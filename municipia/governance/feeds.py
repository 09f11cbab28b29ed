"""Calendar feeds (iCalendar) of meetings: check access, call a selector, serialise."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from municipia.governance import ical, selectors


@require_GET
def body_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """The body's meetings as an iCalendar feed that calendar applications subscribe to."""
    body = selectors.body_get(request.user, pk=pk)
    content = ical.body_calendar(body, selectors.body_calendar_meetings(body), domain=request.get_host())
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="body-{body.pk}.ics"'
    return response
