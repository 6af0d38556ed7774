"""HTML to a tagged, accessible PDF with WeasyPrint, fetching nothing from the network.

WeasyPrint opens every URL a document names (stylesheets, images, fonts) with urllib unless told otherwise.
`StaticOnlyFetcher` serves only the static files a document is allowed, read from disk, and refuses every other
URL: no request leaves the machine, whatever the HTML holds.
"""

from collections.abc import Iterable

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative URLs resolve against this: the reserved .invalid domain names no host, so nothing could answer.
BASE_URL = "https://pdf.invalid/"
TYPES = {".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml", ".woff2": "font/woff2"}


class Refused(ValueError):
    """A document named a URL that is not one of its allowed static files."""


def _read_static(name: str) -> bytes:
    path = finders.find(name)
    if path:
        with open(path, "rb") as file:
            return file.read()
    with staticfiles_storage.open(name) as file:  # after collectstatic, without the finders
        return file.read()


class StaticOnlyFetcher(URLFetcher):
    """Serve the named static files from disk; refuse every other URL (no network, no file: URLs)."""

    def __init__(self, allowed: Iterable[str]):
        super().__init__(allowed_protocols=())
        self.urls = {BASE_URL + static(name).lstrip("/"): name for name in allowed}

    def fetch(self, url, headers=None):
        name = self.urls.get(url)
        if name is None:
            raise Refused("only the document's own static files are served")
        content_type = next((kind for ext, kind in TYPES.items() if name.endswith(ext)), "application/octet-stream")
        return URLFetcherResponse(url, body=_read_static(name), headers={"Content-Type": content_type})


def render_pdf(html: str, *, static_files: Iterable[str]) -> bytes:
    """Render HTML to a tagged PDF/UA-1 document (title, language and headings from the HTML)."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher(static_files))
    return document.write_pdf(pdf_variant="pdf/ua-1")
