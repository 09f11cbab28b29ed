"""`{% per_reader "name" %}`: a part of a page that is the reader's own (core.cache).

It renders the part's template (`PER_READER_PARTS[name]`) with the request's context, between
markers that let the page cache share the rest of the page among signed-in readers and put each
reader's own part back on every hit.
"""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from municipia.core.cache import PER_READER_PARTS

register = template.Library()


@register.simple_tag(takes_context=True)
def per_reader(context, name: str) -> SafeString:
    request = context.get("request")
    inner = render_to_string(PER_READER_PARTS[name], context.flatten(), request=request)
    return mark_safe(f"<!--reader:{name}-->{inner}<!--/reader:{name}-->")  # noqa: S308 - our own template
