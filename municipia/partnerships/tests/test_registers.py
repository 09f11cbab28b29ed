"""The registers of news, clarifications and agreements read keyset pages ("Older" / "Newer").

Walking older then newer shows every entry the reader may see exactly once, entries with the
same date included, and a page costs the same queries whatever the register's size.
"""

import datetime as dt
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from municipia.api.tests.test_api_schema import assert_matches_schema
from municipia.core.keyset import bookmark
from municipia.partnerships.choices import ClarificationStatus, NewsStatus
from municipia.partnerships.entities import AGREEMENT, CLARIFICATION, NEWS_POST
from municipia.partnerships.models import Agreement, Clarification, NewsPost
from municipia.partnerships.tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)


def add_entries(world, count: int, *, first: int = 0) -> None:
    """`count` entries of each register: a third on one and the same date, a few undated drafts
    (seen only by the publisher's editors), the rest an hour or a day apart."""

    def when(i: int) -> dt.datetime:
        return NOON if i % 3 == 0 else NOON - dt.timedelta(hours=i)

    numbers = range(first, first + count)
    NewsPost.objects.bulk_create(
        NewsPost(
            organization=world.council,
            slug=f"news-{i}",
            title=f"News {i}",
            title_en=f"News {i}",
            status=NewsStatus.DRAFT if i % 7 == 6 else NewsStatus.PUBLISHED,
            publish_at=None if i % 7 == 6 else when(i),
        )
        for i in numbers
    )
    Clarification.objects.bulk_create(
        Clarification(
            publisher=world.council,
            slug=f"claim-{i}",
            title=f"Claim {i}",
            title_en=f"Claim {i}",
            claim_en="A claim.",
            verdict="false",
            facts_en="The facts.",
            sources="https://example.org/",
            status=ClarificationStatus.DRAFT if i % 7 == 6 else ClarificationStatus.PUBLISHED,
            published_at=None if i % 7 == 6 else when(i),
        )
        for i in numbers
    )
    agreements = Agreement.objects.bulk_create(
        Agreement(
            owner=world.council,
            slug=f"agreement-{i}",
            title=f"Agreement {i}",
            title_en=f"Agreement {i}",
            kind="memorandum",
            is_public=i % 7 != 6,
            signed_on=None if i % 7 == 6 else when(i).date() - dt.timedelta(days=i % 3),
        )
        for i in numbers
    )
    Agreement.parties.through.objects.bulk_create(
        Agreement.parties.through(agreement_id=a.pk, organization_id=world.council.pk) for a in agreements
    )


REGISTERS = [
    ("/api/v1/news/", NEWS_POST),
    ("/api/v1/clarifications/", CLARIFICATION),
    ("/api/v1/agreements/", AGREEMENT),
]


def walk(api: APIClient, url: str, link: str) -> tuple[list[list[str]], dict]:
    """The slugs of every page from `url` on, following the `link` ("next" or "previous"), and the last answer."""
    pages, body = [], {}
    while url:
        body = api.get(url).json()
        pages.append([row["slug"] for row in body["results"]])
        url = body[link]
    return pages, body


@pytest.mark.parametrize("path, entity", REGISTERS)
@pytest.mark.parametrize("reader", ["editor", "anonymous"])
def test_walking_older_then_newer_shows_every_entry_once(world, path, entity, reader):
    add_entries(world, 40)
    AgreementFactory(owner=world.council, parties=[world.council], slug="undated", signed_on=None, is_public=False)
    api = APIClient()
    user = getattr(world, reader, None)
    if user is not None:
        api.force_authenticate(user)
    older, last = walk(api, f"{path}?page_size=4", "next")
    seen = [slug for page in older for slug in page]
    assert len(seen) == len(set(seen)), "an entry shown twice"
    assert set(seen) == set(entity.visible(user).values_list("slug", flat=True)), "an entry skipped"
    assert len(older) >= 8 and all(len(page) == 4 for page in older[:-1])
    # Back from the last page: the same pages, in reverse.
    newer, _last = walk(api, last["previous"], "previous")
    assert newer == older[-2::-1]


@pytest.mark.parametrize("path, _entity", REGISTERS)
def test_keyset_lists_match_the_schema(world, path, _entity):
    add_entries(world, 10)
    schema = APIClient().get("/api/schema/?format=json").json()
    parameters = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
    assert {"older", "newer", "page_size"} <= parameters and "page" not in parameters
    first = APIClient().get(f"{path}?page_size=3")
    assert first.json()["results"] and first.json()["next"]
    assert_matches_schema(schema, first, path)
    assert_matches_schema(schema, APIClient().get(first.json()["next"]), path)


def test_identical_dates_are_told_apart_by_id(world):
    add_entries(world, 30)
    api = APIClient()
    pages, _last = walk(api, "/api/v1/news/?page_size=3", "next")
    same = set(NewsPost.objects.filter(publish_at=NOON).values_list("slug", flat=True))
    shown = [slug for page in pages for slug in page if slug in same]
    assert len(same) >= 8 and sorted(shown) == sorted(same) and len(shown) == len(same)


def test_a_malformed_bookmark_shows_the_first_page(world, client):
    add_entries(world, 10)
    first = APIClient().get("/api/v1/clarifications/").json()["results"]
    for token in ("nonsense", "2024_x", "-_abc", "99999999T999999.0_1"):
        assert APIClient().get(f"/api/v1/clarifications/?older={token}").json()["results"] == first
        assert client.get(f"/en/partnerships/clarifications/?older={token}").status_code == 200


def _links(html: str) -> dict[str, str]:
    return {rel: unescape(href) for href, rel in re.findall(r'<a href="([^"]+)" rel="(prev|next)"', html)}


@pytest.mark.parametrize(
    "path, pattern",
    [
        ("/en/partnerships/news/", r'href="/en/partnerships/news/(news-\d+)/"'),
        ("/en/partnerships/clarifications/", r'href="/en/partnerships/clarifications/(claim-\d+)/"'),
        ("/en/partnerships/agreements/", r'href="/en/partnerships/agreements/(agreement-\d+)/"'),
    ],
)
def test_pages_offer_older_and_newer_instead_of_page_numbers(world, client, settings, path, pattern):
    settings.PUBLIC_CACHE = False
    add_entries(world, 70)
    first = client.get(path).content.decode()
    assert "Page 1 of" not in first and "prev" not in _links(first)
    second = client.get(path + _links(first)["next"]).content.decode()
    assert "next" not in _links(second), "70 entries fill two pages of 50"
    back = client.get(path + _links(second)["prev"]).content.decode()
    first_rows, second_rows = re.findall(pattern, first), re.findall(pattern, second)
    assert len(first_rows) == 50 and second_rows and not set(first_rows) & set(second_rows)
    assert re.findall(pattern, back) == first_rows


def test_search_keeps_to_its_matches_across_pages(world, client, settings):
    settings.PUBLIC_CACHE = False
    add_entries(world, 120)
    Clarification.objects.filter(slug__endswith="7").update(title_en="A claim about parking", title="parking")
    page = client.get("/en/partnerships/clarifications/?q=parking").content.decode()
    shown = re.findall(r'href="/en/partnerships/clarifications/(claim-\d+)/"', page)
    assert shown and all(slug.endswith("7") for slug in shown)


def _queries(callable_) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = callable_()
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "path",
    [
        "/en/partnerships/news/",
        "/en/partnerships/clarifications/",
        "/en/partnerships/agreements/",
        "/api/v1/news/?page_size=20",
        "/api/v1/clarifications/?page_size=20",
        "/api/v1/agreements/?page_size=20",
    ],
)
def test_a_deep_page_costs_the_same_queries_at_three_times_the_size(world, client, settings, path):
    """First page and the last full page before the end, at 120 entries and at 360."""
    settings.PUBLIC_CACHE = False
    client.force_login(world.plain_user)
    api = APIClient()
    api.force_authenticate(world.plain_user)
    get = api.get if path.startswith("/api/") else client.get
    joiner = "&" if "?" in path else "?"
    counts = []
    for first, count in ((0, 120), (120, 240)):
        add_entries(world, count, first=first)
        entity, key = _register(path)
        # A bookmark a third down the list (well before its end, where the undated rows begin).
        listed = entity.visible(world.plain_user).order_by(f"-{key}", "-id")
        deep = f"{path}{joiner}older={bookmark(listed[(first + count) // 3], key)}"
        counts.append((_queries(lambda: get(path)), _queries(lambda: get(deep))))  # noqa: B023
    assert counts[0] == counts[1], counts
    assert max(counts[0]) <= 12


def _register(path: str):
    if "news" in path:
        return NEWS_POST, "publish_at"
    if "clarification" in path:
        return CLARIFICATION, "published_at"
    return AGREEMENT, "signed_on"


@pytest.mark.parametrize("language", ["en", "es", "ca", "bg"])
def test_register_rows_read_as_values_fall_back_between_languages_as_the_models_do(client, language):
    """The registers read their rows as plain values (selectors._as_rows), not model instances: each
    translated text (titles, summaries, the organisations' names) must still fall back from the
    page's language exactly as modeltranslation's descriptor does on an instance."""
    from django.utils import translation

    from municipia.organizations.tests.factories import OrganizationFactory
    from municipia.partnerships.tests.factories import ClarificationFactory, NewsPostFactory

    council = OrganizationFactory(name_en="", name_es="Ayuntamiento de Jerez", name_bg="Община Йерес")
    publisher = OrganizationFactory(name_en="", name_ca="Ajuntament de Tremp")
    owner = OrganizationFactory(name_en="Sofia", name_bg="София")
    partner = OrganizationFactory(name_en="IAB Bulgaria", name_bg="ИАБ България")
    post = NewsPostFactory(organization=council, title_en="", title_ca="Nova seu electrònica", summary_es="Resumen")
    clarification = ClarificationFactory(publisher=publisher, title_en="", title_bg="Порталът работи")
    agreement = AgreementFactory(owner=owner, title_en="Memorandum", title_es="")
    agreement.parties.set([owner, partner])
    with translation.override(language):
        expected = [
            post.title, post.summary, council.name, clarification.title, publisher.name, agreement.title,
            owner.name, partner.name,
        ]  # fmt: skip
    pages = "".join(
        unescape(client.get(f"/{language}/partnerships/{register}/").content.decode())
        for register in ("news", "clarifications", "agreements")
    )
    for text in expected:
        if text:
            assert text in pages, f"{text!r} missing in {language}"
