"""Request body parsers of the API: DRF's, with every malformed body answered 400."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, except that a document nested deeper than Python can follow (thousands of
    `[`), which raises RecursionError rather than a JSON error, is refused with 400 too."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON parse error - the document is nested too deeply.")) from None
