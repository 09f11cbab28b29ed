"""Atom and RSS feeds of news (the site's, a plan's, an organisation's) and the Atom feed of clarifications.

Written with `django.utils.feedgenerator`; feeds carry what anyone may read at the moment of the
request (a scheduled post enters the feed when its time comes).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import feedgenerator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from municipia.core.sanitize import xml_safe, xml_safe_value
from municipia.organizations.selectors import organization_find
from municipia.partnerships import selectors
from municipia.strategy.entities import PLAN
from municipia.strategy.models import Plan

FEED_ITEMS = 50
FORMATS = {"atom": feedgenerator.Atom1Feed, "rss": feedgenerator.Rss201rev2Feed}


def _feed(request: HttpRequest, fmt: str, *, title: str, link: str, items: list[dict]) -> HttpResponse:
    generator = FORMATS.get(fmt)
    if generator is None:
        raise Http404
    # Django's XML writer refuses C0 control characters and lets U+FFFE through: clean every text.
    feed = generator(
        title=xml_safe(str(title)),
        link=request.build_absolute_uri(link),
        description=title,
        language=get_language(),
        feed_url=request.build_absolute_uri(),
    )
    for item in items:
        feed.add_item(**{key: xml_safe_value(value) for key, value in item.items()})
    response = HttpResponse(content_type=getattr(feed, "content_type", "application/xml"))
    feed.write(response, "utf-8")
    return response


def _news_items(request: HttpRequest, posts) -> list[dict]:
    return [
        {
            "title": post.title,
            "link": request.build_absolute_uri(post.get_absolute_url()),
            "description": post.summary or post.body[:500],
            "pubdate": post.publish_at,
            "updateddate": post.updated_at,
            "unique_id": request.build_absolute_uri(post.get_absolute_url()),
            "author_name": post.organization.name,
        }
        for post in posts[:FEED_ITEMS]
    ]


def site_news_feed(request: HttpRequest, fmt: str) -> HttpResponse:
    posts = selectors.public_news()
    return _feed(
        request, fmt, title=_("News"), link=reverse("partnerships:newspost-list"), items=_news_items(request, posts)
    )


def plan_news_feed(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    plan = PLAN.get(None, slug=slug)
    assert isinstance(plan, Plan)
    posts = selectors.public_news(plan=plan)
    title = f"{plan.title} · {_('News')}"
    return _feed(request, fmt, title=title, link=plan.get_absolute_url(), items=_news_items(request, posts))


def organization_news_feed(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    organization = organization_find(slug=slug)
    posts = selectors.public_news(organization=organization)
    title = f"{organization.name} · {_('News')}"
    return _feed(request, fmt, title=title, link=organization.get_absolute_url(), items=_news_items(request, posts))


def clarification_feed(request: HttpRequest) -> HttpResponse:
    items = [
        {
            "title": f"{c.get_verdict_display()}: {c.title}",
            "link": request.build_absolute_uri(c.get_absolute_url()),
            "description": c.facts[:500] or c.claim[:500],
            "pubdate": c.published_at,
            "updateddate": c.corrected_at or c.published_at,
            "unique_id": request.build_absolute_uri(c.get_absolute_url()),
            "author_name": c.publisher.name,
        }
        for c in selectors.published_clarifications()[:FEED_ITEMS]
    ]
    return _feed(
        request, "atom", title=_("Verified information"), link=reverse("partnerships:clarification-list"), items=items
    )
