"""Full-text search of plans, actions, organisations, indicators, meetings and news, in four languages.

Each searchable model is declared once, in its app's `entities.py`:

    searchable(Action, kind="action", title=("title",), body=("description",), codes=("code",),
               label=_("Actions"))

and from there:

- every save or delete of such an object rewrites or removes its `SearchEntry` (one statement, in
  the writer's transaction, through Django's model signals; bulk writers call `index_objects`);
- `search_filter(queryset, text)` keeps the objects of `queryset` that match `text`, best first
  (the FilterSets' `?search=`, so pages and API alike), and `site_search(user, text)` gives the
  site-wide search page its results grouped by kind, each kind through its entity's visibility
  rule, so nobody finds what they may not see;
- the index itself is the database's: on PostgreSQL a stored `tsvector` with a GIN index, English
  and Spanish text through their stemming configurations and every language's text unaccented
  through `simple`, ranked by `ts_rank` (titles weigh most); on SQLite an FTS5 table
  (`unicode61 remove_diacritics`, English stemming by `porter`) kept by triggers, matches in the
  title first.

Query words are matched as prefixes ("cyber" finds "cybersecurity"), all of them required.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Model, QuerySet

from municipia.core.cache import bump, cached_value, reader_fingerprint, scope_versions
from municipia.core.i18n import language_codes
from municipia.core.models import SearchEntry
from municipia.core.visibility import User

MAX_WORDS = 8
MAX_LENGTH = 200
WORD = re.compile(r"[^\W_]+")
FTS_TABLE = "core_search_fts"
#: SQLite's FTS5 rowid is `object_id * 8 + code` (migration core 0002 writes it the same way).
TITLE_MATCH = f"{FTS_TABLE}.rowid IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"  # noqa: S608
KIND_CODES = {"plan": 1, "action": 2, "organization": 3, "indicator": 4, "meeting": 5, "news": 6}
#: The version of the index's text: bumped (in the writer's transaction) only when a searchable
#: text is written, added or removed, not by the many saves that change nothing searchable (a
#: progress update), so what a search matches can be kept between such saves (`search_page`).
SEARCH_SCOPE = ("search", 0)
ENTRY_FIELDS = ("title_en", "body_en", "title_es", "body_es", "plain_title", "plain_body")


@dataclass(frozen=True)
class Searchable:
    model: type[Model]
    kind: str
    #: Translated fields (base names) whose words weigh most, and those that weigh less.
    title: Sequence[str]
    body: Sequence[str] = ()
    #: Untranslated fields searched with the title (codes).
    codes: Sequence[str] = ()
    #: The heading of this kind's results on the search page.
    label: Any = ""
    #: A short line under each result (what it belongs to, when); it may read only what the
    #: entity's `select_related` loads.
    meta: Callable[[Any], str] | None = None
    #: The position of this kind on the search page.
    order: int = 0

    def describe(self, obj: Model) -> str:
        return self.meta(obj) if self.meta else ""

    def fields(self) -> list[str]:
        names = [f"{name}_{code}" for name in (*self.title, *self.body) for code in language_codes()]
        return ["pk", *names, *self.codes]


#: The order of the kinds on the search page.
KIND_ORDER = ("plan", "action", "organization", "indicator", "meeting", "news")
SEARCHABLES: dict[str, Searchable] = {}
BY_MODEL: dict[type[Model], Searchable] = {}


def searchable(model: type[Model], **options: Any) -> Searchable:
    """Declares a searchable model (see the module's docstring)."""
    kind = options["kind"]
    order = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
    spec = Searchable(model=model, order=order, **options)
    SEARCHABLES[spec.kind] = spec
    BY_MODEL[model] = spec
    return spec


def plain(text: str) -> str:
    """`"Ciberseguretat: l'Ajuntament"` → `"ciberseguretat l ajuntament"`: unaccented, lower-case words."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(WORD.findall(stripped.casefold()))


def _values(spec: Searchable, obj: Model) -> dict[str, str]:
    def texts(names: Sequence[str], codes: Iterable[str]) -> list[str]:
        return [str(getattr(obj, f"{name}_{code}", "") or "") for name in names for code in codes]

    languages = language_codes()
    codes = [str(getattr(obj, name, "") or "") for name in spec.codes]
    return {
        "title_en": " ".join(texts(spec.title, ["en"])),
        "body_en": " ".join(texts(spec.body, ["en"])),
        "title_es": " ".join(texts(spec.title, ["es"])),
        "body_es": " ".join(texts(spec.body, ["es"])),
        "plain_title": plain(" ".join([*codes, *texts(spec.title, languages)])),
        "plain_body": plain(" ".join(texts(spec.body, languages))),
    }


def index_objects(objects: Iterable[Model], *, batch: int = 1000) -> int:
    """Writes the search entries of `objects` (one statement per batch); returns how many."""
    rows = []
    for obj in objects:
        spec = BY_MODEL.get(type(obj))
        if spec is not None and obj.pk is not None:
            rows.append(SearchEntry(kind=spec.kind, object_id=obj.pk, **_values(spec, obj)))
    if rows:
        SearchEntry.objects.bulk_create(
            rows,
            batch_size=batch,
            update_conflicts=True,
            unique_fields=["kind", "object_id"],
            update_fields=list(ENTRY_FIELDS),
        )
        bump([SEARCH_SCOPE])
    return len(rows)


def index_object(obj: Model) -> bool:
    """Writes one object's search entry if its text changed (or it had none); returns whether it did.

    Most saves change no searchable text (a progress update, a status): comparing costs one small
    read, and leaves the index and its version alone, so kept search results stay valid."""
    spec = BY_MODEL.get(type(obj))
    if spec is None or obj.pk is None:
        return False
    values = _values(spec, obj)
    stored = SearchEntry.objects.filter(kind=spec.kind, object_id=obj.pk).values(*ENTRY_FIELDS).first()
    if stored == values:
        return False
    index_objects([obj])
    return True


def unindex(model: type[Model], ids: Iterable[Any]) -> None:
    spec = BY_MODEL.get(model)
    if spec is not None:
        SearchEntry.objects.filter(kind=spec.kind, object_id__in=list(ids)).delete()
        bump([SEARCH_SCOPE])


def rebuild(kinds: Iterable[str] | None = None, *, batch: int = 2000) -> dict[str, int]:
    """Rewrites the entries of every object of `kinds` (all by default) and drops the orphans."""
    counts = {}
    for kind in kinds or SEARCHABLES:
        spec = SEARCHABLES[kind]
        manager = spec.model._default_manager
        SearchEntry.objects.filter(kind=kind).exclude(object_id__in=manager.values("pk")).delete()
        total, last = 0, None
        while True:
            chunk = manager.order_by("pk").only(*spec.fields())
            if last is not None:
                chunk = chunk.filter(pk__gt=last)
            objects = list(chunk[:batch])
            if not objects:
                break
            total += index_objects(objects, batch=batch)
            last = objects[-1].pk
        counts[kind] = total
    return counts


def rebuild_if_empty() -> dict[str, int]:
    """Fills the index of a database that has content but no entries (after migrating to it, or a bulk load)."""
    if SearchEntry.objects.exists():
        return {}
    if not any(spec.model._default_manager.exists() for spec in SEARCHABLES.values()):
        return {}
    return rebuild()


# --- queries


def _words(text: str) -> list[str]:
    return plain((text or "")[:MAX_LENGTH]).split()[:MAX_WORDS]


def _postgres_query(text: str, words: list[str]) -> tuple[str, list[str]]:
    """A tsquery matching English or Spanish stems, or every word as an unaccented prefix."""
    prefixes = " & ".join(f"{word}:*" for word in words)
    sql = "(websearch_to_tsquery('english', %s) || websearch_to_tsquery('spanish', %s) || to_tsquery('simple', %s))"
    return sql, [text[:MAX_LENGTH], text[:MAX_LENGTH], prefixes]


def search_filter(queryset: QuerySet, text: str, *, ranked: bool = True) -> QuerySet:
    """The objects of `queryset` matching `text`, best first (unchanged when `text` has no word).

    One query: the database's full-text index is joined to the model's table, so the filters and
    visibility rule already on `queryset` apply as they are.
    """
    words = _words(text)
    if not words:
        return queryset
    spec = BY_MODEL[queryset.model]
    table = queryset.model._meta.db_table
    pk = queryset.model._meta.pk.column
    # `extra` is the one way to join an index Django does not know; every value goes as a parameter.
    if connection.vendor == "postgresql":
        query, params = _postgres_query(text, words)
        result = queryset.extra(  # noqa: S610
            tables=[SearchEntry._meta.db_table],
            where=[
                "core_searchentry.kind = %s",
                f'core_searchentry.object_id = "{table}"."{pk}"',
                f"core_searchentry.vector @@ {query}",
            ],
            params=[spec.kind, *params],
            select={"search_rank": f"ts_rank(core_searchentry.vector, {query})"},
            select_params=params,
        )
    else:
        # Ranked by where the words are (title before body), then by id: SQLite's bm25() reads every
        # match's positions, which costs ten times the match itself on a word found in 5,000 actions.
        match = " ".join(f'"{word}"*' for word in words)
        code = KIND_CODES[spec.kind]
        result = queryset.extra(  # noqa: S610
            tables=[FTS_TABLE],
            where=[
                f"{FTS_TABLE} MATCH %s",
                f"{FTS_TABLE}.rowid %% 8 = %s",
                f'"{table}"."{pk}" = {FTS_TABLE}.rowid / 8',
            ],
            params=[match, code],
            select={
                "search_rank": TITLE_MATCH,
            },
            select_params=["{plain_title}: (" + match + ")"],
        )
    return result.order_by("-search_rank", "pk") if ranked else result


def search_page(request, matches: QuerySet, rows: QuerySet, text: str, *, per_page: int) -> Page | None:
    """The page of `matches` (a queryset filtered by `text`, best first) that `?page=` asks for, its
    objects read from `rows`, with the matches' order and count kept between writes that change no
    searchable text; None when they may not be kept (a reader with rights of their own, no words).

    Counting and ranking the matches of a common word is most of a search's cost (thousands of
    rows: tens of milliseconds), and the same for every anonymous visitor, or every plain reader,
    until a searchable text or anything's visibility changes (the index's version and the site's
    `all` version, both in the key). The page's rows are read fresh, through `queryset`'s own
    visibility rule (`rows` must apply the same one as `matches`), so their progress and status are
    always current and nothing hidden shows.
    """
    audience = reader_fingerprint(request.user)
    words = _words(text)
    if not words or audience.startswith("user:"):
        return None
    model = matches.model
    number = request.GET.get("page")

    def ranked() -> tuple[int, int, list[Any]]:
        page = Paginator(matches.values_list("pk", flat=True), per_page).get_page(number)
        return page.paginator.count, page.number, list(page.object_list)

    parts = [model._meta.label, " ".join(words), number, per_page, audience, scope_versions(SEARCH_SCOPE)]
    kept = cast(tuple[int, int, list[Any]], cached_value("search-page", parts, ranked))
    count, shown, ids = kept
    found = {obj.pk: obj for obj in rows.order_by().filter(pk__in=ids)}
    paginator: Paginator = Paginator([], per_page)
    paginator.__dict__["count"] = count  # the matches' count as kept (Paginator caches it here)
    return Page([found[pk] for pk in ids if pk in found], shown, paginator)


@dataclass
class KindResults:
    spec: Searchable
    objects: list[Model]
    count: int


def visible_objects(spec: Searchable, user: User | None) -> QuerySet:
    """The objects of a searchable kind `user` may see, through its entity's visibility rule."""
    from municipia.core.entities import entity_of

    entity = entity_of(spec.model)
    queryset = entity.visible(user)
    return queryset.select_related(*entity.select_related) if entity.select_related else queryset


def site_search(user: User | None, text: str, *, per_kind: int = 5) -> list[KindResults]:
    """The best matches of every searchable kind `user` may see, grouped by kind; empty kinds left out.

    Two queries per kind (the page of matches and their number), whatever the size of the data.
    """
    if not _words(text):
        return []
    groups = []
    for spec in sorted(SEARCHABLES.values(), key=lambda s: s.order):
        queryset = visible_objects(spec, user)
        matches = search_filter(queryset, text)
        objects = list(matches[:per_kind])
        if not objects:
            continue
        count = search_filter(queryset, text, ranked=False).count()
        groups.append(KindResults(spec=spec, objects=objects, count=count))
    return groups


# --- keeping the index in step (connected in municipia.core.signals)


def on_save(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    if not raw and sender in BY_MODEL:
        index_object(instance)


def on_delete(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if sender in BY_MODEL and instance.pk is not None:
        unindex(sender, [instance.pk])
