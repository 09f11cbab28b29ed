"""Links for many rows at once: one `reverse()` per list instead of one per row."""

import re
from collections.abc import Callable

from django.urls import reverse

# Lookup values that appear unchanged in a reversed path (ids and slugs), and a stand-in for them
# that both the int and the slug path converters accept.
_PATH_SAFE = re.compile(r"[-a-zA-Z0-9_]+")
_PLACEHOLDER = "2147483647"


def url_maker(reverse_one: Callable[[str], str]) -> Callable[[object], str]:
    """Turns `reverse_one(value) -> url` into a function with the same results that reverses once.

    The first call reverses a placeholder; values that need no quoting in a path (ids, slugs)
    are then written into that text, anything else is reversed as usual.
    """
    template: tuple[str, str] | None = None
    usable = True

    def make(value: object) -> str:
        nonlocal template, usable
        text = str(value)
        if not usable or not _PATH_SAFE.fullmatch(text):
            return reverse_one(text)
        if template is None:
            prefix, found, suffix = reverse_one(_PLACEHOLDER).partition(_PLACEHOLDER)
            usable = bool(found) and _PLACEHOLDER not in suffix
            if not usable:
                return reverse_one(text)
            template = (prefix, suffix)
        return f"{template[0]}{text}{template[1]}"

    return make


def reverse_many(viewname: str, kwarg: str = "pk") -> Callable[[object], str]:
    """`reverse(viewname, kwargs={kwarg: value})` for many rows of one page."""
    return url_maker(lambda value: reverse(viewname, kwargs={kwarg: value}))
