"""Documents every app renders: PDF through WeasyPrint with a fetcher that never reaches the
network or the disk (``data:`` URIs only), and DOCX helpers shared by reports and minutes."""

from __future__ import annotations

import base64
import urllib.parse

__all__ = ["RefusingFetcher", "html_to_pdf"]


class RefusingFetcher:
    """WeasyPrint URL fetcher: ``data:`` URIs only; every other URL is refused and noted."""

    def __init__(self):
        from weasyprint.urls import URLFetcher

        self._inner = URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)
        self._fail_on_errors = False
        self.refused: list[str] = []

    def __call__(self, url: str):
        return self.fetch(url)

    def fetch(self, url: str, headers=None):
        from weasyprint.urls import URLFetcherResponse

        if not url.startswith("data:"):
            self.refused.append(url)
            raise ValueError(f"refused to fetch {url[:80]}")
        header, _sep, payload = url[5:].partition(",")
        mime = header.split(";")[0] or "text/plain"
        body = (
            base64.b64decode(payload)
            if header.endswith(";base64")
            else urllib.parse.unquote_to_bytes(payload)
        )
        return URLFetcherResponse(url, body, {"Content-Type": mime})


def html_to_pdf(
    html: str, fetcher: RefusingFetcher | None = None, stylesheets: list[str] | None = None
) -> bytes:
    """PDF of ``html``; ``stylesheets`` are CSS texts (the document needs no <style> of its own)."""
    from weasyprint import CSS, HTML

    fetcher = fetcher or RefusingFetcher()
    sheets = [CSS(string=text, url_fetcher=fetcher) for text in stylesheets or []]
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf(stylesheets=sheets)
