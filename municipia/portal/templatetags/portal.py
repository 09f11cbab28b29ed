"""Template helpers of the site's shell: language switcher, the header's links and progress bars."""

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse, translate_url
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language_info, gettext

from municipia.core.i18n import current_language, language_codes, shown_language

register = template.Library()


@register.inclusion_tag("portal/includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """A link per language to this same page in that language.

    Plain links (not set_language forms) keep public pages free of per-visitor CSRF tokens, so
    they can be cached whole; the language prefix of the URL selects the language.
    """
    request = context["request"]
    current = current_language()
    path = request.get_full_path()
    # The site's paths are the same in every language but for their prefix (/en/plans/… and
    # /bg/plans/…: the patterns are not translated), so another language's address swaps the prefix.
    # translate_url resolved and reversed the path once per language, about a tenth of a page's time.
    prefix = f"/{current}/"
    languages = []
    for code in language_codes():
        info = get_language_info(code)
        other = f"/{code}/{path[len(prefix) :]}" if path.startswith(prefix) else translate_url(path, code)
        languages.append({"code": code, "name": info["name_local"], "next": other, "current": code == current})
    return {"languages": languages}


_SITE_URLS: dict[tuple[str, str, str, object], str] = {}


@register.simple_tag
def site_url(name: str) -> str:
    """`{% url name %}` for the header's and footer's links, which take no arguments: reversed once
    per language (and URL configuration) in a process instead of on every page (twenty reversals a
    page were about a tenth of its time)."""
    key = (name, current_language(), get_script_prefix(), get_urlconf())
    url = _SITE_URLS.get(key)
    if url is None:
        url = _SITE_URLS[key] = reverse(name)
    return url


_SHELL: dict[tuple[str, str, bool, str, object], SafeString] = {}


@register.simple_tag(takes_context=True)
def shell(context, part: str) -> SafeString:
    """A part of every page's frame (`portal/shell/<part>.html`: the style sheets, the header's links
    and search box, the footer), rendered once per language and signed-in state in a process and kept.

    These parts depend on nothing else (no reader, no content, no request): rendering their thirty
    `{% translate %}`, eight `{% static %}` and seventeen links on every page was about a seventh of
    a register page's time. The template's final newline is not part of the part. With DEBUG on,
    they are rendered every time, so an edited template shows at once.
    """
    signed_in = bool(getattr(context.get("user"), "is_authenticated", False))
    key = (part, current_language(), signed_in, get_script_prefix(), get_urlconf())
    html = _SHELL.get(key)
    if html is None:
        text = render_to_string(f"portal/shell/{part}.html", {"signed_in": signed_in})
        html = SafeString(text.removesuffix("\n"))
        if not settings.DEBUG:
            _SHELL[key] = html
    return html


@receiver(setting_changed)
def _forget_shell(**kwargs) -> None:
    """Tests that change a setting (static files' storage, languages …) get the frame rendered anew."""
    _SHELL.clear()
    _SITE_URLS.clear()


@register.simple_tag
def progress_bar(value, label=""):
    """An accessible progress bar with its value written out; `None` means "no progress to show yet".

    Built with format_html rather than an inclusion template: pages show dozens of these, and a
    template render per bar was most of the plan page's time. The newline is the one the former
    template ended with, so the pages' markup is unchanged byte for byte.
    """
    if value is None:
        return format_html('<span class="progress-none">{}</span>\n', gettext("No progress yet"))
    value = max(0, min(100, round(float(value))))
    aria_label = format_html(' aria-label="{}"', label) if label else ""
    return format_html(
        '<span class="progress-wrap"><progress max="100" value="{}"{}>{} %</progress> '
        '<span class="progress-text">{} %</span></span>\n',
        value,
        aria_label,
        value,
        value,
    )


@register.filter
def lang_attr(obj, fields: str):
    """` lang="en"` when `obj`'s text for `fields` (space-separated, first with text) is shown in a
    fallback language, else nothing: `<span{{ goal|lang_attr:"short_title title" }}>`."""
    shown = shown_language(obj, *fields.split())
    if shown is None or shown == current_language():
        return ""
    return format_html(' lang="{}"', shown)
