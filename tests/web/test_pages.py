"""Every page a user can reach works, is valid HTML and shows no link that answers 403.

With the full demo data loaded, the test follows the links of each role's pages (GET only,
same site, a few pages per URL name) and checks each answer: no 5xx, no page that leaks
another municipality, no link that answers the same user 403 (a dead end), and, when the Nu Html
Checker is installed (`make vnu`), no HTML error.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
import re
import shutil
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import Resolver404, resolve

from mkk.accounts.models import User
from tests.checkers import AXE_OPTIONS, AXE_RUN, VNU, axe_path, nu_messages
from tests.conftest import login

USERS = [
    "drenas.coordinator",
    "drenas.qps",
    "drenas.police.case",
    "drenas.qps.case",
    "drenas.viewer",
    "gjilan.coordinator",
    "national",
    "admin",
]
SKIP = re.compile(
    r"^/(accounts/logout|admin/|i18n/|static/)|download|export|\.(xlsx|docx|pdf|ics|csv|json)$"
)
PER_NAME = 3
MAX_PAGES = 400


def _links(html: str) -> list[str]:
    return re.findall(r'href="(/[^"#]*)"', html)


def crawl(client, start: str = "/", came_from: dict | None = None) -> dict[str, tuple[int, str]]:
    """Follow links from `start`; `came_from` (if given) records the page that linked each URL."""
    seen: dict[str, tuple[int, str]] = {}
    per_name: Counter = Counter()
    queue = [(start, ""), ("/public/", "")]
    while queue and len(seen) < MAX_PAGES:
        url, referrer = queue.pop(0)
        url = url.replace("&amp;", "&")
        if url in seen or SKIP.search(url):
            continue
        try:
            name = resolve(urlsplit(url).path).view_name
        except Resolver404:
            seen[url] = (404, "")
            continue
        if per_name[name] >= PER_NAME:
            continue
        per_name[name] += 1
        if came_from is not None:
            came_from[url] = referrer
        response = client.get(url)
        body = (
            response.content.decode()
            if response.get("Content-Type", "").startswith("text/html")
            else ""
        )
        seen[url] = (response.status_code, body)
        if response.status_code == 200 and body:
            queue.extend((link, url) for link in _links(body))
    return seen


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The full demo, loaded once per test process (xdist worker) inside a transaction that
    every test of this module nests in (a savepoint each) and that is rolled back at the end,
    so the rest of the suite never sees it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", allow_production=True, quiet_logins=True, verbosity=0)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


#: Pages drawn by a script after load: axe waits for this selector (the API docs: Swagger UI
#: renders the operations from the OpenAPI document, which the crawl's server also serves).
RENDERED_BY_SCRIPT = {"/api/docs": ".opblock-tag-section"}


def _claim(request, url: str) -> bool:
    """True for the first test of this run to reach `url`: each URL is validated once per run,
    as one crawl of every user did before the crawl was split. Under xdist the workers share the
    claims through files named for the URL in a folder of the run (created with O_EXCL, so two
    workers never both win); in one process a set does."""
    workerinput = getattr(request.config, "workerinput", None)
    if workerinput is None:
        claimed = request.config.stash.setdefault(_CLAIMED, set())
        if url in claimed:
            return False
        claimed.add(url)
        return True
    # The workers' temporary folders are siblings in one folder of this run (pytest-N/popen-gwK).
    base = request.getfixturevalue("tmp_path_factory").getbasetemp().parent
    folder = base / f"validated-{workerinput['testrunuid']}"
    folder.mkdir(exist_ok=True)
    name = hashlib.sha256(url.encode()).hexdigest()
    try:
        os.close(os.open(folder / name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return False
    return True


_CLAIMED = pytest.StashKey[set]()


class _Pages(ThreadingHTTPServer):
    """The crawled pages as served, from a real HTTP server on loopback (chromium caches the
    static files across pages, which it cannot do for routed requests)."""

    daemon_threads = True

    def __init__(self, pages: dict[str, str]):
        self.pages = pages
        self.static: dict[str, tuple[bytes, str] | None] = {}
        super().__init__(("127.0.0.1", 0), _PageHandler)

    def static_file(self, path: str):
        from django.contrib.staticfiles import finders

        if path not in self.static:
            found = finders.find(path.removeprefix("/static/"))
            self.static[path] = (
                (Path(found).read_bytes(), mimetypes.guess_type(found)[0] or "text/plain")
                if found
                else None
            )
        return self.static[path]


class _PageHandler(BaseHTTPRequestHandler):
    server: _Pages

    def log_message(self, *args):  # quiet
        pass

    def _answer(self, status: int, body: bytes, ctype: str, cache: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if cache:
            self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 (the handler's API)
        path = urlsplit(self.path).path
        if path.startswith("/static/"):
            found = self.server.static_file(path)
            if found:
                return self._answer(200, found[0], found[1], cache=True)
        elif path == "/api/openapi.json":
            from mkk.api.api import api

            schema = json.dumps(api.get_openapi_schema(path_prefix="/api/")).encode()
            return self._answer(200, schema, "application/json")
        elif self.path in self.server.pages:
            body = self.server.pages[self.path].encode()
            return self._answer(200, body, "text/html; charset=utf-8")
        return self._answer(404, b"", "text/plain")


def axe_violations(pages: dict[str, str]) -> list[str]:
    """Run axe-core (WCAG 2.1 A and AA) in chromium over each page as served, CSS included."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    server = _Pages(pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"

    found_violations = []
    # axe-core is loaded by chromium into every page before the page's own scripts.
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page()
            page.add_init_script(path=str(axe_path()))
            for url in sorted(pages):
                page.goto(base + url)
                if url in RENDERED_BY_SCRIPT:
                    page.wait_for_selector(RENDERED_BY_SCRIPT[url])
                for v in page.evaluate(AXE_RUN, AXE_OPTIONS):
                    targets = [n["target"] for n in v["nodes"]][:3]
                    found_violations.append(f"{url}: {v['id']} {targets}")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return found_violations


@pytest.fixture(scope="module")
def crawled(request, demo, django_db_blocker):
    """The crawl of one demo user (the parameter): what each reached URL answered, and the
    problems found. Crawled once per process and user; both tests below read it."""
    from django.test import Client

    username = request.param
    pages: dict[str, str] = {}
    problems = []
    with django_db_blocker.unblock():
        client = Client()
        user = User.objects.get(username=username)
        login(client, user)
        came_from: dict[str, str] = {}
        for url, (status, body) in crawl(client, came_from=came_from).items():
            if status >= 500 or status == 404 and not url.startswith("/public/"):
                problems.append(f"{username} {url} -> {status}")
            if status == 403:  # a link the user is shown but may not follow: a dead end
                problems.append(f"{username} {came_from.get(url)} links to {url} -> 403")
            if status == 200 and body:
                pages[url] = body
                mine = user.municipality.code if user.municipality else None
                other = "gjilan" if mine == "drenas" else None
                if other and f"/m/{other}/" in body:
                    problems.append(f"{username} {url} links to {other}")
    return username, problems, pages


#: One test per demo user and check, so that xdist spreads the crawl over the workers; the
#: crawl checks run on every database, the HTML checks (whose subject is the markup) once
#: (marker one_backend, tests/conftest.py).
@pytest.mark.django_db
@pytest.mark.parametrize("crawled", USERS, indirect=True)
def test_every_reachable_page_works(crawled):
    """No 5xx, no unexpected 404, no link that answers 403, no link to another municipality."""
    _username, problems, pages = crawled
    assert not problems, problems
    assert len(pages) >= 5


@pytest.mark.django_db
@pytest.mark.parametrize("crawled", USERS, indirect=True)
def test_every_reachable_page_is_valid(crawled, tmp_path, request):
    """axe-core (WCAG 2.1 AA) and, when installed, the Nu Html Checker on every page reached."""
    _username, _problems, pages = crawled
    # Each URL is validated once per run (the first user to reach it, whichever worker).
    pages = {url: body for url, body in pages.items() if _claim(request, url)}
    chromium = Path("/usr/bin/chromium")
    violations = axe_violations(pages) if chromium.exists() and pages else []
    assert not violations, "\n".join(violations[:40])
    if not VNU.exists():
        pytest.skip("Nu Html Checker not installed (make vnu)")
    if not pages:
        return
    files = []
    for i, (url, body) in enumerate(sorted(pages.items())):
        path = tmp_path / f"page{i:03d}.html"
        path.write_text(body)
        files.append((path, url))
    messages = nu_messages([p for p, _ in files])
    by_file = {str(p): url for p, url in files}
    errors = [
        f"{by_file.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: {m.get('message')}"
        for m in messages
    ]
    assert not errors, "\n".join(errors[:40])
