"""core.pdf: HTML to a tagged PDF that fetches nothing but the static files it is allowed."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO

import pytest
from django.templatetags.static import static
from pypdf import PdfReader

from core.pdf import BASE_URL, Refused, StaticOnlyFetcher, render_pdf

STYLESHEET = "cases/case_file.css"


def test_the_fetcher_serves_an_allowed_static_file_from_disk():
    response = StaticOnlyFetcher([STYLESHEET]).fetch(BASE_URL + static(STYLESHEET).lstrip("/"))
    assert response.content_type == "text/css"
    assert b"OFFICIAL-SENSITIVE" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        BASE_URL + static("app.css").lstrip("/"),  # ours, but not this document's
        BASE_URL + static(STYLESHEET).lstrip("/") + "/../app.css",
        "https://example.org/style.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
    ],
)
def test_the_fetcher_refuses_every_other_url(url):
    with pytest.raises(Refused):
        StaticOnlyFetcher([STYLESHEET]).fetch(url)


@pytest.fixture
def server():
    """A real HTTP server on loopback that counts the requests it is sent."""
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    httpd.shutdown()
    httpd.server_close()


def test_a_document_naming_other_urls_renders_without_fetching_any(server):
    address, requests = server
    html = f"""<!DOCTYPE html><html lang="en-GB"><head><title>T</title>
      <link rel="stylesheet" href="{address}/a.css"><style>@import url("{address}/b.css");
      @font-face {{ font-family: X; src: url("{address}/font.woff2") }}</style></head>
      <body><h1>Heading</h1><img src="{address}/pixel.png" alt=""><p>Body text.</p></body></html>"""

    pdf = render_pdf(html, static_files=[STYLESHEET])

    assert requests == []
    assert "Body text." in PdfReader(BytesIO(pdf)).pages[0].extract_text()


def test_the_pdf_takes_its_language_and_title_from_the_html_and_is_tagged():
    html = '<!DOCTYPE html><html lang="en-GB"><head><title>A title</title></head><body><h1>Hi</h1></body></html>'
    reader = PdfReader(BytesIO(render_pdf(html, static_files=[])))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB" and reader.metadata.title == "A title"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"].value is True
