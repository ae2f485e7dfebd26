"""Fixtures of the site tests (gate 6, ``pytest -m site``): the built book served on 127.0.0.1,
and the system Chromium driven by Playwright with every off-site request blocked.

The site tests need a built site (``make book``) and, for the browser part, Debian's ``chromium``
at ``/usr/bin/chromium`` (``apt-get install chromium``; Playwright's own browser downloads are
not used). Where either is missing they skip with the reason, except under ``CI=true``, where a
missing prerequisite is a failure: CI must really run them.

``KEXUE_BOOK_ROOT`` (default: the repository) points the tests at another book folder that has
``_toc.yml``, ``notebooks/`` and a build in ``_build/html``; ``KEXUE_CHROMIUM`` at another
Chromium binary.
"""

from __future__ import annotations

import functools
import http.server
import os
import pathlib
import threading
import urllib.parse
from dataclasses import dataclass, field

import pytest
import yaml

REPO = pathlib.Path(__file__).resolve().parents[1]
BOOK_ROOT = pathlib.Path(os.environ.get("KEXUE_BOOK_ROOT", REPO)).resolve()
SITE = BOOK_ROOT / "_build" / "html"
SCREENSHOTS = BOOK_ROOT / "_build" / "screenshots"
CHROMIUM = pathlib.Path(os.environ.get("KEXUE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-default-apps",
    "--disable-extensions",
]
ALLOWED_HOST = "127.0.0.1"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def unavailable(reason: str) -> None:
    """Skip with ``reason`` on a reader's machine; fail under CI=true, where the tests must run."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: the site tests must run, not skip)", pytrace=False)
    pytest.skip(f"{reason}; skipped")


# -- the pages of the book -------------------------------------------------------------------
def _toc_files(node) -> list[str]:
    out: list[str] = []
    if isinstance(node, dict):
        if "file" in node:
            out.append(str(node["file"]))
        for key in ("parts", "chapters", "sections"):
            for child in node.get(key) or []:
                out += _toc_files(child)
    return out


def toc_pages(root: pathlib.Path = BOOK_ROOT) -> list[str]:
    """Docnames of every page in ``_toc.yml``, root first, in reading order (no extensions)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [str(toc["root"])] + _toc_files(toc)
    return [f.rsplit(".", 1)[0] if f.endswith((".md", ".ipynb", ".rst")) else f for f in files]


def chapter_pages(root: pathlib.Path = BOOK_ROOT) -> list[str]:
    """The chapters: the toc pages that are notebooks (``notebooks/<part>/<id>-<slug>``)."""
    return [p for p in toc_pages(root) if p.startswith("notebooks/")]


# -- the site, served on 127.0.0.1 -------------------------------------------------------------
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@pytest.fixture(scope="session")
def site_dir() -> pathlib.Path:
    if not (SITE / "index.html").is_file():
        unavailable(f"no built site in {SITE}: run `make book` first")
    return SITE


@pytest.fixture(scope="session")
def site_url(site_dir):
    """Base URL (ending in /) of ``_build/html`` served by a thread on a free 127.0.0.1 port."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer((ALLOWED_HOST, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://{ALLOWED_HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# -- the browser ---------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        unavailable(
            f"Chromium not found at {CHROMIUM}: the browser tests need the system Chromium "
            "(Debian/Ubuntu: `sudo apt-get install chromium`)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the Python package playwright is not installed (`make install`)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@dataclass
class Probe:
    """A page plus everything that went wrong while it loaded."""

    page: object
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"blocked off-site request: {u}" for u in self.blocked]
            + [f"console error: {m}" for m in self.console_errors]
            + [f"uncaught exception: {m}" for m in self.page_errors]
            + [f"failed request: {m}" for m in self.failed_requests]
            + [f"HTTP error: {m}" for m in self.bad_responses]
        )


@pytest.fixture
def probe(browser, site_url):
    """A fresh browser context on the served site; requests to any host but 127.0.0.1 are aborted."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    p = Probe(page=context.new_page())

    def route(r):
        host = urllib.parse.urlsplit(r.request.url).hostname
        if host == ALLOWED_HOST:
            r.continue_()
        else:
            p.blocked.append(r.request.url)
            r.abort("blockedbyclient")

    context.route("**/*", route)
    page = p.page
    page.set_default_timeout(30_000)
    page.on(
        "console",
        lambda m: p.console_errors.append(f"{m.text} [{m.location.get('url', '')}]") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: p.page_errors.append(str(e)))
    page.on("requestfailed", lambda r: p.failed_requests.append(f"{r.url} ({r.failure})"))
    page.on("response", lambda r: p.bad_responses.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    try:
        yield p
    finally:
        context.close()
