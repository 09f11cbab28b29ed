"""HTML templates rendered to PDF with WeasyPrint, which may read our static files and nothing else.

Reports never fetch from the network: the fetcher serves only URLs under the static prefix of a
made-up base address, from the static files finders; any other URL (http, https, file, data)
is refused, and WeasyPrint leaves that resource out. Fonts come from the system (fontconfig):
the templates ask for DejaVu Sans, which covers Latin with Catalan's ŀ and · and Cyrillic.
"""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from municipia.core.charts import HALO

BASE_URL = "https://reports.municipia.invalid/"


class StaticOnlyFetcher(URLFetcher):
    """Serves `BASE_URL` + STATIC_URL + path from the static files; refuses everything else."""

    def fetch(self, url, headers=None):
        prefix = BASE_URL + settings.STATIC_URL.lstrip("/")
        if not url.startswith(prefix):
            raise ValueError(f"Reports do not fetch {url}")
        relative = url[len(prefix) :].split("?", 1)[0].split("#", 1)[0]
        try:
            found = finders.find(relative)
        except SuspiciousFileOperation:
            found = None
        if not found:
            raise ValueError(f"No static file {relative}")
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=Path(found).read_bytes(), headers={"Content-Type": content_type})


def printable(html: str) -> str:
    """The HTML without the white outline the charts draw under their labels.

    WeasyPrint does not honour `paint-order`, so it would paint the outline over the text and
    hide it; on paper nothing crosses the labels, so every PDF's charts simply go without it.
    """
    return html.replace(HALO, "")


def html_to_pdf(html: str) -> bytes:
    return HTML(string=printable(html), base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf()


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    return html_to_pdf(render_to_string(template_name, context, request=request))
