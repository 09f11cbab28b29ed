"""Caching of public pages and API reads, invalidated by the changes that show in them.

Anonymous GETs of the portal's pages and of the API's lists and details are stored whole,
keyed on the language, the origin (scheme and host), the `Accept` header, the full path and
the versions of the scopes the page shows (`ContentVersion`); a response that varies by any
other request header is not stored. A page about one plan (its page, its actions, its filtered
lists) keys on that plan's version, an organisation's page on the organisation's, every other
page on the site-wide version. A save, delete or many-to-many change (`content_changed_for`,
connected to Django's model signals in `municipia.core.signals`) bumps, in the writing
transaction, the scopes it shows in: an action's plan, the plan's owner and the owner's
networks, and the site-wide lists; a change that may show anywhere (an organisation's name, a
plan's title, which the lists of other plans show) bumps the `all` version every key includes.
So an edit to one plan leaves the cached pages of every other plan alone.

Signed-in readers share the cache too (issue 15), where a view opts in (`public_cache(readers=True)`,
`cache_readers = True` on an API viewset): a page is the same for every signed-in user whose rights
are a plain reader's — no role on any organisation, no seat on any body, no proposal, evaluation or
authored record that widens what they see, not staff, no Django groups or permissions
(`reader_fingerprint`, one query; apps register what widens a user's rights with
`register_reader_rights`). Those share one stored copy under a key of their own (`reader:`), from
which what is the reader's own is cut out before storing and put back on each hit: the parts of the
page marked `{% per_reader "name" %}` (the account menu of the header: user name, "My work",
log-out form) are rendered for the reader, and every form's CSRF token is a fresh one of the
reader's session. Users with any further right get their pages rendered for them, uncached. API
responses are shared only as JSON (the browsable HTML API shows the user). Responses to signed-in
users stay `Cache-Control: no-store, private` (core.middleware): this is a server-side cache only.

Requests carrying flash messages, pages with an Authorization header and writes are never served
from the cache.
"""

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, Model, Q, QuerySet
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from municipia.core.models import ContentVersion

CACHE_SECONDS = 600
CACHED_HEADERS = ("Content-Type", "Content-Language", "Allow", "Vary")
# What a stored response may vary by: these are in the key (the language through get_language;
# Cookie because only visitors without a session or CSRF secret in play reach the cache).
KEYED_VARY = frozenset({"accept", "accept-language", "host", "cookie"})

ALL = ("all", 0)
SITE = ("site", 0)
#: A scope: ("plan", id) or ("org", id), where the id may be a `ScopeId` or a Subquery (resolved in
#: the same query).
Scope = tuple[str, Any]


@dataclass(frozen=True)
class ScopeId:
    """A scope's id as a sub-select and its parameters (`(SELECT "id" FROM … WHERE "slug" = %s)`),
    run inside the versions' query. Cheaper than a Subquery: the versions are read on every page
    request, and building that query through the ORM cost more than running it."""

    sql: str
    params: tuple[Any, ...]


#: Models whose changes may show on the pages of any plan (names, titles in lists and menus).
EVERYWHERE = {"strategy.plan", "organizations.organization", "organizations.networkmembership"}


def scope_versions(scope: Scope | None = None) -> str:
    """The versions a page's cache key carries: `all`, and its scope's (the site's by default). One query."""
    kind, ident = scope or SITE
    if isinstance(ident, int | ScopeId):
        sql, params = (ident.sql, list(ident.params)) if isinstance(ident, ScopeId) else ("%s", [ident])
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT kind, value FROM {ContentVersion._meta.db_table} "  # noqa: S608 - our table name
                f"WHERE (kind = %s AND object_id = 0) OR (kind = %s AND object_id = {sql})",
                [ALL[0], kind, *params],
            )
            rows = cursor.fetchall()
    else:
        condition = Q(kind=ALL[0], object_id=0) | Q(kind=kind, object_id=ident)
        rows = list(ContentVersion.objects.filter(condition).values_list("kind", "value"))
    return "-".join(f"{name}{value}" for name, value in sorted(rows))


def content_version() -> int:
    """A number that grows with every change to public content (the `all` and site-wide versions)."""
    values = ContentVersion.objects.filter(kind__in=[ALL[0], SITE[0]], object_id=0).values_list("value", flat=True)
    return sum(values)


def bump(scopes: Iterable[tuple[str, int]]) -> None:
    """Adds one to each scope's version (one statement, inside the caller's transaction)."""
    rows = sorted({(kind, int(ident)) for kind, ident in scopes})
    if not rows:
        return
    table = ContentVersion._meta.db_table
    values = ", ".join(["(%s, %s, 1)"] * len(rows))
    sql = (
        f"INSERT INTO {table} (kind, object_id, value) VALUES {values} "  # noqa: S608 - table name is ours
        f"ON CONFLICT (kind, object_id) DO UPDATE SET value = {table}.value + 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [part for row in rows for part in row])


def content_changed() -> None:
    """Marks all cached public content as stale (for bulk writes that may touch anything)."""
    bump([ALL, SITE])


def _plan_ids(instance: Model) -> set[int]:
    """The plans an object belongs to, following `plan_id` or its entity's parent (a few steps at most)."""
    from municipia.core.entities import REGISTRY

    obj: Any = instance
    for _step in range(4):
        if obj is None:
            return set()
        if obj._meta.label_lower == "strategy.plan":
            return {obj.pk} if obj.pk else set()
        plan_id = getattr(obj, "plan_id", None)
        if plan_id:
            return {plan_id}
        entity = REGISTRY.get(type(obj))
        if entity is None or not entity.parent:
            return set()
        obj = entity.parent_of(obj)
    return set()


def scopes_of(instance: Model) -> list[tuple[str, int]] | None:
    """The scopes a change to `instance` shows in, or None when it may show anywhere."""
    if instance._meta.label_lower in EVERYWHERE:
        return None
    plan_ids = _plan_ids(instance)
    if not plan_ids:
        return None
    plan_model = apps.get_model("strategy", "Plan")
    owners = set(plan_model.objects.filter(pk__in=plan_ids).values_list("owner_id", flat=True))
    membership = apps.get_model("organizations", "NetworkMembership")
    networks = set(membership.objects.filter(member_id__in=owners).values_list("network_id", flat=True))
    # An action other plans' actions depend on shows on their pages too.
    if instance._meta.label_lower == "strategy.action" and instance.pk:
        through = type(instance).dependencies.through  # type: ignore[attr-defined]
        plan_ids |= set(through.objects.filter(to_action_id=instance.pk).values_list("from_action__plan_id", flat=True))
    return [SITE, *(("plan", pk) for pk in plan_ids), *(("org", pk) for pk in owners | networks)]


def content_changed_for(instance: Model, related: type[Model] | None = None, related_ids: Iterable[Any] = ()) -> None:
    """Marks stale the cached pages a change to `instance` shows in (see the module's docstring).

    `related` and `related_ids` are the other side of a many-to-many change: their pages show it too.
    """
    scopes = scopes_of(instance)
    related_ids = list(related_ids or ())
    if scopes is not None and related is not None and related_ids:
        if any(field.attname == "plan_id" for field in related._meta.concrete_fields):
            plans = related._default_manager.filter(pk__in=related_ids).values_list("plan_id", flat=True)
            scopes += [("plan", pk) for pk in set(plans)]
        else:
            scopes = None  # a council joining an action shows on the council's pages: anywhere
    bump([ALL, SITE] if scopes is None else scopes)


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


# --- Signed-in readers (see the module's docstring)

#: Sources of rights beyond a plain reader's: each returns a queryset that is empty for a plain reader.
_READER_RIGHTS: list[Callable[[Any], QuerySet]] = []
#: Checks of the same rights that the pages make anyway and keep on the user (no query of their own then).
_KNOWN_RIGHTS: list[Callable[[Any], bool]] = []
#: The parts of a page that are the reader's own, by name: the template each is rendered from.
PER_READER_PARTS = {"account": "includes/account_menu.html"}
#: Parts whose text depends only on the reader's name, the language and a CSRF token (put back on
#: each hit): kept rendered per reader instead of rendered on every hit of the readers' copy.
NAME_AND_LANGUAGE_PARTS = {"account"}
READER = "reader"
_PART = re.compile(r"<!--reader:(\w+)-->.*?<!--/reader:\1-->", re.DOTALL)
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_TOKEN_HOLE = "\x00reader-token\x00"


def register_reader_rights(source: Callable[[Any], QuerySet], *, known: Callable[[Any], bool] | None = None) -> None:
    """Declares something that widens what a user sees or may do (a role, a seat, an authored
    proposal): `source(user)` is a queryset, empty for a user without that right. Apps call it
    from `ready()`; a user for whom any source is non-empty never shares the readers' cache.
    `known(user)`, if given, answers the same from the look-up the pages make anyway and keep on
    the user: a user it says yes for is told apart without a query of its own."""
    _READER_RIGHTS.append(source)
    if known is not None:
        _KNOWN_RIGHTS.append(known)


#: A user id no account has: the rights query is built once for it, then run with the reader's id.
_ANY_USER = -7_777_777
_rights_sql: dict[object, tuple[str, list[Any]]] = {}


def _rights_query() -> tuple[str, list[Any]]:
    """SQL of "does the user have any right beyond a plain reader's" and its parameters, with
    `_ANY_USER` where the user's id goes; built through the ORM once per process and day (a seat
    counts by date), since building it per request cost more than running it."""
    from django.utils import timezone

    today = timezone.localdate()
    known = _rights_sql.get(today)
    if known is None:
        anyone = get_user_model()(pk=_ANY_USER)
        sources = [lambda u: u.groups.all(), lambda u: u.user_permissions.all(), *_READER_RIGHTS]
        checks = {f"right{index}": Exists(source(anyone)) for index, source in enumerate(sources)}
        query = get_user_model().objects.filter(pk=_ANY_USER).annotate(**checks).values_list(*checks)
        sql, params = query.query.sql_with_params()
        known = _rights_sql[today] = (sql, list(params))
    return known


def reader_fingerprint(user) -> str:
    """Whose copy of a page `user` may be shown: "anonymous", "reader" (a signed-in user whose
    rights are a plain reader's, the same for every such user), or "user:<pk>" (anyone else,
    whose pages are not shared). One query, kept on the user object for the request."""
    if not user.is_authenticated:
        return "anonymous"
    known = getattr(user, "_municipia_reader_fingerprint", None)
    if known is not None:
        return known
    fingerprint = f"user:{user.pk}"
    if user.is_active and not user.is_staff and not user.is_superuser and not any(k(user) for k in _KNOWN_RIGHTS):
        sql, params = _rights_query()
        with connection.cursor() as cursor:
            cursor.execute(sql, [user.pk if value == _ANY_USER else value for value in params])
            row = cursor.fetchone()
        if row is not None and not any(row):
            fingerprint = READER
    user._municipia_reader_fingerprint = fingerprint
    return fingerprint


def _has_messages(request) -> bool:
    if "messages" in request.COOKIES:
        return True
    session = getattr(request, "session", None)
    return session is not None and "_messages" in session


def cache_key(request, scope: Scope | None = None, *, readers: bool = False) -> str | None:
    """The cache key of a read, or None when the request must not use the cache.

    `request` may be Django's or DRF's; with DRF, pass its request after authentication so
    `request.user` is whoever the API authenticated. `scope` is what the page shows (a plan, an
    organisation); by default the whole site. `readers`: signed-in plain readers share a copy
    (the view must show them nothing of their own outside `per_reader` parts and CSRF tokens).
    """
    if not settings.PUBLIC_CACHE or request.method not in ("GET", "HEAD") or _has_messages(request):
        return None
    audience = "public"
    if request.user.is_authenticated or "HTTP_AUTHORIZATION" in request.META:
        if not readers or not request.user.is_authenticated or reader_fingerprint(request.user) != READER:
            return None
        audience = READER
    parts = (
        request.scheme,
        request.get_host(),
        " ".join(request.META.get("HTTP_ACCEPT", "").split()),
        request.get_full_path(),
    )
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    versions = request._page_versions = scope_versions(scope)
    return f"{audience}:{versions}:{get_language()}:{request.method}:{digest}"


def page_versions(request, scope: Scope | None) -> str:
    """The versions of the page's own `scope`, as its cache key read them (no second query), or read
    now when the page cache was not asked (it is off, or the reader has rights of their own).
    For the keys of a page's `shared_fragment`s and `cached_value`s."""
    return getattr(request, "_page_versions", None) or scope_versions(scope)


def _for_reader(content: bytes, request) -> bytes:
    """A stored readers' page with the reader's own parts and CSRF token put back."""
    text = content.decode()
    if _TOKEN_HOLE in text:
        text = text.replace(_TOKEN_HOLE, get_token(request))

    def fill(match: re.Match) -> str:
        name = match.group(1)
        if name in NAME_AND_LANGUAGE_PARTS:
            # Rendered once per reader, name and language, and kept with a hole for the token.
            key = f"reader-part:{name}:{request.user.pk}:{request.user.get_username()}:{get_language()}"
            kept = cache.get(key)
            if kept is None:
                rendered = render_to_string(PER_READER_PARTS[name], request=request)
                kept = _TOKEN.sub(lambda m: f"{m.group(1)}{_TOKEN_HOLE}{m.group(2)}", rendered)
                cache.set(key, kept, CACHE_SECONDS)
            inner = kept.replace(_TOKEN_HOLE, get_token(request)) if _TOKEN_HOLE in kept else kept
        else:
            inner = render_to_string(PER_READER_PARTS[name], request=request)
        return f"<!--reader:{name}-->{inner}<!--/reader:{name}-->"

    return _PART.sub(fill, text).encode()


def _shareable(content: bytes, request) -> bytes | None:
    """A page rendered for one reader made fit for every reader: their own parts emptied and
    CSRF tokens replaced by a hole; None when something of theirs may remain."""
    text = content.decode()
    text = _PART.sub(lambda m: f"<!--reader:{m.group(1)}--><!--/reader:{m.group(1)}-->", text)
    text = _TOKEN.sub(lambda m: f"{m.group(1)}{_TOKEN_HOLE}{m.group(2)}", text)
    secret = request.META.get("CSRF_COOKIE")
    if (secret and secret in text) or "csrf" in text.replace("csrfmiddlewaretoken", "").lower():
        return None  # a token outside a form field: not ours to cut out
    for match in _PART.finditer(text):
        if match.group(1) not in PER_READER_PARTS:
            return None
    return text.encode()


def cached_response(key: str, request=None) -> HttpResponse | None:
    stored = cache.get(key)
    if stored is None:
        return None
    status, headers, content = stored
    if key.startswith(f"{READER}:"):
        if request is None:
            return None
        content = _for_reader(content, request)
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


def storable(request, response: HttpResponse, *, reader: bool = False) -> bool:
    """Whether a response may be served to other visitors: a 200 that sets no cookie, embeds no
    CSRF token (it would hand this visitor's secret to the next; for readers the tokens are cut
    out instead) and varies only by keyed headers."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not reader and (request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED")):
        return False
    if reader and response.get("Content-Type", "").split(";")[0].strip() not in ("text/html", "application/json"):
        return False
    varies = {name.strip().lower() for name in response.get("Vary", "").split(",") if name.strip()}
    return varies <= KEYED_VARY


def store_response(key: str, response: HttpResponse, request) -> None:
    """Keeps a rendered response to `request` if `storable` allows it."""
    reader = key.startswith(f"{READER}:")
    if not storable(request, response, reader=reader):
        return
    content = response.content
    if reader:
        if response["Content-Type"].startswith("application/json"):
            if b"csrf" in content.lower():
                return
        else:
            shared = _shareable(content, request)
            if shared is None:
                return
            content = shared
    headers = [(name, response[name]) for name in CACHED_HEADERS if response.has_header(name)]
    cache.set(key, (response.status_code, headers, content), CACHE_SECONDS)


def public_cache(view=None, *, scope: Callable[..., Scope | None] | None = None, readers: bool = False):
    """Decorator for a public page: anonymous reads are served from the cache.

    `@public_cache(scope=…)`: `scope(request, *args, **kwargs)` names what the page shows, so
    only changes there make it stale. `readers=True`: signed-in plain readers share a copy too
    (the page must decide what the reader sees through permissions only; see the module).
    """
    if view is None:
        return lambda function: public_cache(function, scope=scope, readers=readers)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = cache_key(request, None if scope is None else scope(request, *args, **kwargs), readers=readers)
        if key is None:
            return view(request, *args, **kwargs)
        response = cached_response(key, request)
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            store_response(key, response, request)
        return response

    return wrapper
