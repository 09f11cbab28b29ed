"""The rows of the public registers (news, clarifications, agreements), rendered once a page in Python.

A register page shows 50 rows; written as a template loop, each row resolved a dozen variables,
reversed its URL, looked its labels up and localised its date, and those 50 rows cost 10–20 ms of
CPU a page, five to ten times Django's whole bare request. Here, whatever is the same for every row
(the URL around the slug, the translated labels, the choices' names, the date format) is decided
once a page, and each row is one `format_html`-like `_html` (every value escaped, as the template did). The
templates keep the page around the rows, and each row's markup is written out below as it appears.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from html import escape
from typing import Any
from urllib.parse import quote

from django.core.signals import setting_changed
from django.db.models import Model
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeData, SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from modeltranslation.fields import NONE
from modeltranslation.thread_context import fallbacks_enabled
from modeltranslation.utils import build_localized_fieldname, resolution_order

from municipia.organizations.models import Organization
from municipia.partnerships.choices import AgreementKind, ClarificationStatus, NewsStatus, Verdict
from municipia.partnerships.models import Agreement, Clarification, NewsPost

_SLUG = "slug-of-the-row"


def _detail_url(name: str) -> Callable[[str], str]:
    """The detail page's URL for a slug, as `reverse` writes it (same prefix and quoting), reversed once."""
    before, _sep, after = reverse(name, kwargs={"slug": _SLUG}).partition(_SLUG)
    safe = RFC3986_SUBDELIMS + "/~:@"
    return lambda slug: before + quote(slug, safe=safe) + after


# The text of each local date in each language and format, kept in the process: formatting a date
# (its month's name translated, the format parsed) cost 15-20 µs, and a register's dates repeat
# across pages (100,000 posts over eight years fall on 2,900 days). Bounded; forgotten when a test
# changes a setting.
_DATE_TEXTS: dict[tuple[str, str, dt.date], str] = {}
_DATE_TEXTS_MAX = 20_000


@receiver(setting_changed)
def _forget_dates(**kwargs) -> None:
    _DATE_TEXTS.clear()


def _dates(format_name: str) -> Callable[[dt.date | dt.datetime | None], str]:
    """The `date:format_name` filter of a template: local date of a time, "" for none.

    The formats of the site's languages name no time of day, so one local date writes one text.
    """
    language = get_language()

    def write(value: dt.date | dt.datetime | None) -> str:
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        key = (language, format_name, value)
        text = _DATE_TEXTS.get(key)
        if text is None:
            if len(_DATE_TEXTS) >= _DATE_TEXTS_MAX:
                _DATE_TEXTS.clear()
            text = _DATE_TEXTS[key] = date_format(value, format_name)
        return text

    return write


def _translated(model: type[Model], name: str, prefix: str = "") -> Callable[[Any], Any]:
    """Reads a translated field of a row as modeltranslation's descriptor reads it of an instance —
    the current language, then its fallbacks, the first meaningful value, else the field's fallback
    value or default — with the languages' order worked out once a page instead of once a row and
    field. A row is a model instance or a named tuple of `core.i18n.row_columns` (`prefix`: the
    relation the field is read across, `"organization__"`)."""
    descriptor = model.__dict__[name]  # modeltranslation's TranslationFieldDescriptor
    undefined = descriptor.fallback_undefined
    if undefined is NONE:
        undefined = descriptor.field.get_default()
    attnames = [
        prefix + build_localized_fieldname(name, language)
        for language in resolution_order(get_language(), descriptor.fallback_languages)
    ]
    if fallbacks_enabled() and descriptor.fallback_value is not NONE:
        last = descriptor.fallback_value
    else:
        last = descriptor.field.get_default()

    def read(row: Any) -> Any:
        for attname in attnames:
            value = getattr(row, attname, None)
            if descriptor.meaningful_value(value, undefined):
                return value
        return last

    return read


def _html(template: str, *values: object) -> SafeString:
    """`format_html`, without its per-value lazy-string checks (the values here are plain): each
    value escaped unless it is already safe markup, exactly as `conditional_escape` does. The
    result is made safe directly (`mark_safe`'s own check for lazy arguments cost as much again)."""
    return SafeString(
        template.format(*(value if isinstance(value, SafeData) else escape(str(value)) for value in values))
    )


def _labels(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """The name of each choice in the current language (the lazy names, translated once a page)."""
    return {value: str(label) for value, label in choices}


def _joined(rows: Iterable[str]) -> SafeString:
    return SafeString("".join(rows))  # every row is made by _html


def _badge(text: str) -> SafeString:
    return _html('<span class="badge">{}</span>', text)


NEWS_ROW = """
  <li><a href="{}">{}</a>
    {}
    {}
    <span class="muted small">{}{}</span>
    {}</li>
"""


def news_rows(posts: Sequence[Any]) -> SafeString:
    """The `<li>` of each post of a news page (`partnerships/news_list.html`): rows of
    `selectors.news_register`."""
    url = _detail_url("partnerships:newspost-detail")
    dates = _dates("DATE_FORMAT")
    statuses = _labels(NewsStatus.choices)
    demo = _badge(_("Demo content"))
    title, summary = _translated(NewsPost, "title"), _translated(NewsPost, "summary")
    name = _translated(Organization, "name", "organization__")
    now = timezone.now()
    return _joined(
        _html(
            NEWS_ROW,
            url(post.slug),
            title(post),
            ""
            if (status := NewsPost.status_shown(post.status, post.publish_at, now)) == NewsStatus.PUBLISHED
            else _badge(statuses.get(status, status)),
            demo if post.is_demo else "",
            name(post),
            _html(" · {}", dates(post.publish_at)) if post.publish_at else "",
            _html("<br>{}", text) if (text := summary(post)) else "",
        )
        for post in posts
    )


CLARIFICATION_ROW = """
  <li><a href="{}">{}</a>
    <span class="badge verdict-{}">{}</span>
    {}
    {}
    <span class="muted small">{}{}</span></li>
"""


def clarification_rows(clarifications: Sequence[Any]) -> SafeString:
    """The `<li>` of each clarification of a page (`partnerships/clarification_list.html`): rows of
    `selectors.clarification_register`."""
    url = _detail_url("partnerships:clarification-detail")
    dates = _dates("DATE_FORMAT")
    verdicts = _labels(Verdict.choices)
    statuses = _labels(ClarificationStatus.choices)
    demo = _badge(_("Demo content"))
    title, name = _translated(Clarification, "title"), _translated(Organization, "name", "publisher__")
    return _joined(
        _html(
            CLARIFICATION_ROW,
            url(clarification.slug),
            title(clarification),
            clarification.verdict,
            verdicts.get(clarification.verdict, clarification.verdict),
            ""
            if clarification.status == ClarificationStatus.PUBLISHED
            else _badge(statuses.get(clarification.status, clarification.status)),
            demo if clarification.is_demo else "",
            name(clarification),
            _html(" · {}", dates(clarification.published_at)) if clarification.published_at else "",
        )
        for clarification in clarifications
    )


AGREEMENT_ROW = """
    <tr>
      <td><a href="{}">{}</a> <span class="badge">{}</span>{}</td>
      <td data-label="{}">{}</td>
      <td data-label="{}">{}</td>
      <td data-label="{}">{}</td>
    </tr>
  """


def agreement_rows(agreements: Sequence[Any], parties: Mapping[int, Sequence[Any]]) -> SafeString:
    """The `<tr>` of each agreement of a page (`partnerships/agreement_list.html`): rows of
    `selectors.agreement_list`, with their parties (`selectors.agreement_parties`)."""
    url = _detail_url("partnerships:agreement-detail")
    dates = _dates("SHORT_DATE_FORMAT")
    kinds = _labels(AgreementKind.choices)
    private = _html(' <span class="badge">{}</span>', _("Private"))
    parties_label, signed_label, expires_label = _("Parties"), _("Signed on"), _("Expires on")
    title, name = _translated(Agreement, "title"), _translated(Organization, "name", "organization__")

    return _joined(
        _html(
            AGREEMENT_ROW,
            url(agreement.slug),
            title(agreement),
            kinds.get(agreement.kind, agreement.kind),
            "" if agreement.is_public else private,
            parties_label,
            ", ".join(name(party) for party in parties.get(agreement.pk, ())),
            signed_label,
            dates(agreement.signed_on) or "—",
            expires_label,
            dates(agreement.expires_on) or "—",
        )
        for agreement in agreements
    )
