"""Calendar feeds (iCalendar) of meetings: check access, call a selector, serialise.

Responses carry an ETag of the calendar's bytes (DTSTAMPs come from the content, so an
unchanged feed hashes the same) and answer 304 to a matching If-None-Match. Last-Modified is
sent for information only: a deleted meeting does not move the newest `updated_at`, so
If-Modified-Since alone is not trusted for a 304.

Feeds that do not depend on who asks (anonymous reads of the public, plan and body feeds) are
kept built, keyed like the public pages on the content version (`municipia.core.cache`), plus
the scheme and host the UIDs and links are made from: any content change builds afresh, and a
repeated poll costs the version read alone. A 404 is never kept, so a hidden body or plan is
checked again on every request until it answers 200.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from municipia.core.cache import cache_key, cached_value
from municipia.governance import calendars, ical
from municipia.governance.calendars import Feed
from municipia.governance.entities import BODY

# Calendar applications poll every few minutes to hours; a short freshness saves the repeats.
PUBLIC_MAX_AGE = 300


def _built(
    request: HttpRequest, feed: Feed, *, filename: str, private: bool, link_language: str | None = None
) -> tuple[bytes, dict[str, str]]:
    """The calendar's bytes and the headers that go with them, whatever the request's conditions."""
    host = request.get_host()
    content = ical.feed_calendar(feed, domain=host, base_url=f"{request.scheme}://{host}", link_language=link_language)
    headers = {
        "Content-Disposition": f'inline; filename="{filename}"',
        "ETag": '"' + hashlib.sha256(content).hexdigest()[:32] + '"',
    }
    newest = calendars.newest_change(feed)
    if newest is not None:
        headers["Last-Modified"] = http_date(newest.timestamp())
    # A member's view of a private body, or a person's own feed, must not sit in a shared cache.
    scope = "private" if private or request.user.is_authenticated else "public"
    headers["Cache-Control"] = f"{scope}, max-age={PUBLIC_MAX_AGE}"
    return content, headers


def _answer(request: HttpRequest, content: bytes, headers: dict[str, str]) -> HttpResponse:
    """200 with the calendar, or 304 when the client already holds these bytes."""
    response = get_conditional_response(request, etag=headers["ETag"])
    if response is None:
        response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    else:
        headers = {name: value for name, value in headers.items() if name != "Content-Disposition"}
    for name, value in headers.items():
        response[name] = value
    return response


def _respond(
    request: HttpRequest, feed: Feed, *, filename: str, private: bool, link_language: str | None = None
) -> HttpResponse:
    return _answer(request, *_built(request, feed, filename=filename, private=private, link_language=link_language))


def _shared(request: HttpRequest, build: Callable[[], tuple[Feed, str, bool]]) -> HttpResponse:
    """A feed that is the same for every anonymous visitor, built once per content version."""

    def built() -> tuple[bytes, dict[str, str]]:
        feed, filename, private = build()
        return _built(request, feed, filename=filename, private=private)

    key = cache_key(request)
    if key is None:
        return _answer(request, *built())
    # The page cache's key for an anonymous read, widened by the origin the UIDs and links name.
    stored = cached_value("calendar", [key, f"{request.scheme}://{request.get_host()}"], built)
    return _answer(request, *stored)


@require_GET
def body_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """The body's meetings as an iCalendar feed that calendar applications subscribe to."""

    def build() -> tuple[Feed, str, bool]:
        body = BODY.get(request.user, pk=pk)
        return calendars.body_feed(body), f"body-{body.pk}.ics", not body.is_public

    return _shared(request, build)


@require_GET
def plan_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """Every meeting of a plan's bodies that the requester may see."""
    return _shared(request, lambda: (calendars.plan_feed(request.user, slug=slug), f"plan-{slug}.ics", False))


@require_GET
def public_calendar(request: HttpRequest) -> HttpResponse:
    """Meetings of public bodies of published plans, the same for everyone."""
    return _shared(request, lambda: (calendars.public_feed(), "public.ics", False))


@require_GET
def person_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """A person's private feed: the token in the address is the credential, no session needed."""
    person = calendars.person_for_token(token)
    language = person.language or settings.LANGUAGE_CODE
    with translation.override(language):
        response = _respond(
            request, calendars.person_feed(person), filename="meetings.ics", private=True, link_language=language
        )
    response["X-Robots-Tag"] = "noindex"
    return response
