"""Caching of public pages and API reads for anonymous visitors, invalidated by any content change.

Anonymous GETs of the portal's pages and of the API's lists and details are stored whole,
keyed on the content version, the language, the origin (scheme and host), the `Accept` header
and the full path; a response that varies by any other request header is not stored. Any save, delete or
many-to-many change of organisations or plan content bumps the version (`content_changed`,
connected to Django's model signals in `municipia.core.signals`), so the next request renders
afresh. Signed-in users, requests with an Authorization header and requests carrying flash
messages are never served from the cache.
"""

import hashlib
from collections.abc import Callable, Sequence
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from municipia.core.models import ContentVersion

CACHE_SECONDS = 600
CACHED_HEADERS = ("Content-Type", "Content-Language", "Allow", "Vary")
# What a stored response may vary by: these are in the key (the language through get_language;
# Cookie because only visitors without a session or CSRF secret in play reach the cache).
KEYED_VARY = frozenset({"accept", "accept-language", "host", "cookie"})


def content_version() -> int:
    value = ContentVersion.objects.filter(pk=1).values_list("value", flat=True).first()
    return value or 0


def content_changed() -> None:
    """Marks all cached public content as stale (one UPDATE, inside the caller's transaction)."""
    table = ContentVersion._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET value = value + 1 WHERE id = 1")  # noqa: S608 - table name is ours
        if cursor.rowcount == 0:
            ContentVersion.objects.get_or_create(pk=1, defaults={"value": 1})


def cached_value(
    name: str,
    parts: Sequence[object],
    compute: Callable[[], object],
    *,
    seconds: int = CACHE_SECONDS,
    keep: Callable[[object], bool] | None = None,
) -> object:
    """A value computed once for everyone it is the same for, kept in the shared cache.

    The one way to cache a computed value: `parts` must name everything it depends on (the
    versions of its data, the language, what the reader may see); a change of any part is a new
    key, so nothing needs deleting. `keep(value)` says whether a fresh value may be stored.
    """
    key = f"value:{name}:" + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        if keep is None or keep(value):
            cache.set(key, value, seconds)
    return value


def shared_fragment(
    name: str,
    parts: Sequence[object],
    render: Callable[[], str],
    *,
    seconds: int = CACHE_SECONDS,
    keep: Callable[[], bool] | None = None,
) -> SafeString:
    """A piece of a page rendered once for every reader it is the same for, signed in or not.

    `parts` must name everything the piece depends on (language, versions of its data, what the
    reader may see); the frame around it, with the reader's menu, is rendered per request. `keep`,
    asked after a fresh rendering, says whether it may be stored (not while data is being computed).
    """
    content = cached_value(
        f"fragment:{name}", parts, render, seconds=seconds, keep=None if keep is None else lambda _value: keep()
    )
    return mark_safe(content)  # noqa: S308 - rendered by our own templates, escaped there


def cache_key(request) -> str | None:
    """The cache key of an anonymous read, or None when the request must not use the cache.

    `request` may be Django's or DRF's; with DRF, pass its request after authentication so
    `request.user` is whoever the API authenticated.
    """
    if (
        not settings.PUBLIC_CACHE
        or request.method not in ("GET", "HEAD")
        or request.user.is_authenticated
        or "HTTP_AUTHORIZATION" in request.META
        or "messages" in request.COOKIES
    ):
        return None
    parts = (
        request.scheme,
        request.get_host(),
        " ".join(request.META.get("HTTP_ACCEPT", "").split()),
        request.get_full_path(),
    )
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    return f"public:{content_version()}:{get_language()}:{request.method}:{digest}"


def cached_response(key: str) -> HttpResponse | None:
    stored = cache.get(key)
    if stored is None:
        return None
    status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


def storable(request, response: HttpResponse) -> bool:
    """Whether a response may be served to other visitors: a 200 that sets no cookie, embeds no
    CSRF token (it would hand this visitor's secret to the next) and varies only by keyed headers."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    varies = {name.strip().lower() for name in response.get("Vary", "").split(",") if name.strip()}
    return varies <= KEYED_VARY


def store_response(key: str, response: HttpResponse, request) -> None:
    """Keeps a rendered response to `request` if `storable` allows it."""
    if storable(request, response):
        headers = [(name, response[name]) for name in CACHED_HEADERS if response.has_header(name)]
        cache.set(key, (response.status_code, headers, response.content), CACHE_SECONDS)


def public_cache(view):
    """Decorator for a public page: anonymous reads are served from the cache."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = cache_key(request)
        if key is None:
            return view(request, *args, **kwargs)
        response = cached_response(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            store_response(key, response, request)
        return response

    return wrapper
