"""Template helpers of the site's shell: language switcher and progress bars."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

register = template.Library()


@register.inclusion_tag("portal/includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """One small form per language, each posting to set_language with this page's address in that language."""
    request = context["request"]
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    path = request.get_full_path()
    languages = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        languages.append(
            {"code": code, "name": info["name_local"], "next": translate_url(path, code), "current": code == current}
        )
    return {"languages": languages, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("portal/includes/progress.html")
def progress_bar(value, label=""):
    """An accessible progress bar with its value written out; `None` means "no progress to show yet"."""
    if value is None:
        return {"value": None, "label": label}
    value = max(0, min(100, round(float(value))))
    return {"value": value, "label": label}
