"""The built site as a reader sees it (gate 6, after the strict book build into _build/html).

Without a browser: every page of _toc.yml is built, every internal link (and #anchor) resolves,
no header button points at a placeholder URL, and each chapter's download menu offers both
halves of its jupytext pair (.ipynb and .md) as files that exist.

In the system Chromium, with every off-site request blocked (so a CDN dependency fails the
test): every page of _toc.yml loads with HTTP 200, no console errors, no failed requests;
MathJax (served by the site itself) has typeset every math element and rendered no error;
every image has loaded; every chapter page has the parts the book promises; site search
finds chapters; and a full-page screenshot of every page is saved in _build/screenshots/.
"""

from __future__ import annotations

import json
import pathlib
import re
import urllib.parse
from html.parser import HTMLParser

import pytest
from conftest import BOOK_ROOT, SCREENSHOTS, SITE, chapter_pages, toc_pages

pytestmark = pytest.mark.site

PAGES = toc_pages()
CHAPTERS = chapter_pages()


# -- parsing built pages without a browser ------------------------------------------------------
class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.header_links: list[str] = []
        self._header_depth = 0
        self._stack: list[bool] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        for key in ("id", "name"):
            if a.get(key):
                self.ids.add(a[key])
        classes = a.get("class", "").split()
        in_header = "article-header-buttons" in classes or "navbar-icon-links" in classes
        if tag not in ("img", "br", "hr", "meta", "link", "input", "source", "wbr"):
            self._stack.append(in_header)
            self._header_depth += in_header
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
            if self._header_depth:
                self.header_links.append(a["href"])

    def handle_endtag(self, tag):
        if tag not in ("img", "br", "hr", "meta", "link", "input", "source", "wbr") and self._stack:
            self._header_depth -= self._stack.pop()


_parsed: dict[pathlib.Path, _Page] = {}


def parse(path: pathlib.Path) -> _Page:
    if path not in _parsed:
        p = _Page()
        p.feed(path.read_text(encoding="utf-8", errors="replace"))
        _parsed[path] = p
    return _parsed[path]


def html_path(docname: str) -> pathlib.Path:
    return SITE / f"{docname}.html"


def _shot_name(docname: str) -> str:
    return docname.replace("/", "-") + ".png"


def test_toc_pages_are_built(site_dir):
    missing = [p for p in PAGES if not html_path(p).is_file()]
    assert not missing, f"pages in _toc.yml without a built page: {missing}"


@pytest.mark.parametrize("docname", PAGES)
def test_internal_links_resolve(site_dir, docname):
    """Every relative link of the page points at a built file, and every #anchor at an id there."""
    page_file = html_path(docname)
    base = "http://site/" + page_file.relative_to(SITE).as_posix()
    broken = []
    for href in parse(page_file).links:
        if not href or href == "#" or href.startswith(("javascript:", "mailto:", "data:")):
            continue
        url = urllib.parse.urlsplit(urllib.parse.urljoin(base, href))
        if url.scheme != "http" or url.netloc != "site":
            continue  # off-site: followed only when a reader clicks it
        target = SITE / urllib.parse.unquote(url.path.lstrip("/"))
        if url.path.endswith("/"):
            target = target / "index.html"
        if not target.is_file():
            broken.append(f"{href} (no file {target.relative_to(SITE)})")
        elif url.fragment and target.suffix == ".html" and urllib.parse.unquote(url.fragment) not in parse(target).ids:
            broken.append(f"{href} (no id {url.fragment!r} in {target.relative_to(SITE)})")
    assert not broken, f"{docname}: broken internal links:\n  " + "\n  ".join(sorted(set(broken)))


@pytest.mark.parametrize("docname", PAGES)
def test_no_dead_header_buttons(site_dir, docname):
    """Repository / launch / issue buttons appear only with a real URL behind them."""
    bad = []
    for href in parse(html_path(docname)).header_links:
        url = urllib.parse.urlsplit(href)
        if url.scheme in ("http", "https") and (not url.netloc or re.search(r"None|\{|\}", href)):
            bad.append(href)
        elif href.strip() in ("", "None"):
            bad.append(repr(href))
    assert not bad, f"{docname}: header buttons with placeholder URLs: {bad}"


@pytest.mark.parametrize("docname", CHAPTERS)
def test_chapter_download_buttons(site_dir, docname):
    """The download menu offers the executed .ipynb and the paired MyST .md, both as real files."""
    links = parse(html_path(docname)).header_links
    stem = pathlib.PurePosixPath(docname).name
    for suffix in (".ipynb", ".md"):
        wanted = [h for h in links if h.endswith(f"_sources/{docname}{suffix}")]
        assert wanted, f"{docname}: no {suffix} download button (header links: {links})"
        built = SITE / "_sources" / f"{docname}{suffix}"
        assert built.is_file(), f"{docname}: the {suffix} download {built} does not exist"
        source = BOOK_ROOT / f"{docname}{suffix}"
        if suffix == ".md":
            assert built.read_bytes() == source.read_bytes(), f"{stem}.md on the site differs from {source}"
        else:
            assert json.loads(built.read_text(encoding="utf-8"))["cells"], f"{stem}.ipynb on the site has no cells"


# -- in the browser -------------------------------------------------------------------------
_WAIT_MATH = """async () => {
  if (!document.querySelector('.math')) return 'no math';
  if (!window.MathJax || !window.MathJax.startup || !window.MathJax.startup.promise) return 'MathJax not loaded';
  await window.MathJax.startup.promise;
  return 'typeset';
}"""

_MATH_REPORT = """() => {
  const math = [...document.querySelectorAll('.math')];
  return {
    math: math.length,
    containers: document.querySelectorAll('mjx-container').length,
    raw: math.filter(m => !m.querySelector('mjx-container')).map(m => m.textContent.trim().slice(0, 120)),
    errors: [...document.querySelectorAll('mjx-merror')].map(e =>
      (e.getAttribute('data-mjx-error') || e.textContent).slice(0, 200)),
  };
}"""

# TeX that reached the page as text: math outside a math element (a bibliography title, a
# Markdown output that was not parsed, a missing dollar sign). Code and typeset math are skipped.
_RAW_TEX = r"""() => {
  const skip = 'pre, code, kbd, samp, script, style, textarea, mjx-container, .math, .highlight';
  const re = new RegExp(String.raw`\$[^$\n]*\\[A-Za-z]+[^$\n]*\$|\\(?:frac|dfrac|sum|prod|int|ell|alpha|beta|gamma|delta|epsilon|varepsilon|lambda|theta|sigma|mu|pi|phi|varphi|mathbb|mathrm|mathcal|mathbf|boldsymbol|text|operatorname|sqrt|left|right|begin|end|cdot|cdots|ldots|leq|geq|le|ge|neq|infty|partial|nabla|log|exp|checkmark|quad|hat|tilde|bar|vec|Vert|langle|rangle)(?![A-Za-z])`);
  const root = document.querySelector('#main-content') || document.body;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const hits = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement.closest(skip)) continue;
    const m = n.textContent.match(re);
    if (m) hits.push(n.textContent.trim().replace(/\s+/g, ' ').slice(0, 160));
  }
  return hits;
}"""

_LOAD_IMAGES = """async () => {
  const imgs = [...document.images];
  for (const img of imgs) img.loading = 'eager';
  await Promise.all(imgs.map(img => img.complete ? null :
      new Promise(res => { img.addEventListener('load', res); img.addEventListener('error', res); })));
  await document.fonts.ready;
  return imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src'));
}"""


def _open(probe, site_url: str, path: str):
    response = probe.page.goto(site_url + path, wait_until="load")
    probe.page.wait_for_load_state("networkidle")
    return response


@pytest.mark.parametrize("docname", PAGES)
def test_page_renders_offline(probe, site_url, docname):
    page = probe.page
    response = _open(probe, site_url, f"{docname}.html")
    assert response is not None and response.status == 200, f"{docname}: HTTP {response and response.status}"

    state = page.evaluate(_WAIT_MATH)
    assert state != "MathJax not loaded", f"{docname}: the page has math but MathJax did not load"
    math = page.evaluate(_MATH_REPORT)
    if docname in CHAPTERS:
        assert math["math"] > 0, f"{docname}: a chapter page without any math"
    assert not math["raw"], f"{docname}: math left as raw TeX (not typeset): {math['raw'][:5]}"
    assert math["containers"] >= math["math"], f"{docname}: {math}"
    assert not math["errors"], f"{docname}: MathJax rendered errors: {math['errors']}"
    raw_tex = page.evaluate(_RAW_TEX)
    assert not raw_tex, f"{docname}: TeX shown as text outside math: {raw_tex[:5]}"

    unloaded = page.evaluate(_LOAD_IMAGES)
    assert not unloaded, f"{docname}: images that did not load: {unloaded}"

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / _shot_name(docname)), full_page=True)
    problems = probe.problems()
    assert not problems, f"{docname}:\n  " + "\n  ".join(problems)


_CHAPTER_ANATOMY = r"""() => {
  const main = document.querySelector('#main-content') || document.body;
  const text = main.innerText;
  const id = location.pathname.split('/').pop().split('-')[0];
  const admonitionTitles = [...main.querySelectorAll('.admonition-title, .sd-card-title, summary')]
      .map(e => e.textContent.toLowerCase());
  const headings = [...main.querySelectorAll('h2, h3')].map(h => h.textContent.toLowerCase());
  const tableHeads = [...main.querySelectorAll('table')].map(t => (t.tHead ? t.tHead.innerText : '').toLowerCase());
  return {
    'English title (h1)': !!main.querySelector('h1') && /[A-Za-z]/.test(main.querySelector('h1').textContent),
    'original Chinese title': /[\u4e00-\u9fff]{2,}/.test(text),
    'date of the article': /\b(19|20)\d\d-\d\d-\d\d\b|(19|20)\d\d年\d{1,2}月\d{1,2}日/.test(text),
    'link to the original article': !!main.querySelector(`a[href*="kexue.fm/archives/${id}"]`),
    '"what this chapter verifies" box': admonitionTitles.some(t => t.includes('verifies')),
    'numbered equations': main.querySelectorAll('.math .eqno, span.eqno').length > 0,
    'equation cross-references': main.querySelectorAll('a[href*="#equation-"]').length > 0,
    'figures': main.querySelectorAll('img').length > 0,
    'derivation chain with check marks': tableHeads.some(h => h.includes('step') && h.includes('check'))
        && text.includes('\u2714'),
    'claims table': tableHeads.some(h => h.includes('claim') && h.includes('verdict')),
    'exercises': headings.some(h => h.includes('exercise')),
    'collapsible hints/solutions': main.querySelectorAll('details, .dropdown, .toggle').length > 0,
    'references (bibliography)': main.querySelectorAll('.citation, [role="doc-biblioentry"], aside.footnote[id^="footcite-"]').length > 0,
  };
}"""


@pytest.mark.parametrize("docname", CHAPTERS)
def test_chapter_has_every_part(probe, site_url, docname):
    """What every chapter page shows (issue 6): title, original, box, equations, figures, checks..."""
    _open(probe, site_url, f"{docname}.html")
    probe.page.evaluate(_WAIT_MATH)
    found = probe.page.evaluate(_CHAPTER_ANATOMY)
    missing = [k for k, ok in found.items() if not ok]
    assert not missing, f"{docname}: the page lacks: {', '.join(missing)}"


def _search(probe, site_url: str, query: str) -> list[str]:
    page = probe.page
    _open(probe, site_url, "search.html?q=" + urllib.parse.quote(query))
    page.wait_for_function(
        "() => { const s = document.querySelector('#search-results p.search-summary, .search-summary');"
        " return s && /found|did not match/i.test(s.textContent); }"
    )
    hrefs = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(a => a.getAttribute('href'))")
    problems = probe.problems()
    assert not problems, f"search {query!r}:\n  " + "\n  ".join(problems)
    return [urllib.parse.urlsplit(h).path.removesuffix(".html") for h in hrefs]


def _title_query(docname: str) -> str:
    """A search word from the chapter's own title: its longest word (what a reader would type)."""
    title_text = re.sub(
        r"<[^>]+>", " ", re.search(r"<h1[^>]*>(.*?)</h1>", html_path(docname).read_text("utf-8"), re.S)[1]
    )
    words = re.findall(r"[A-Za-z][A-Za-z-]{3,}", title_text)
    assert words, f"{docname}: no English word in its title"
    return max(words, key=len)


@pytest.mark.parametrize("docname", CHAPTERS)
def test_search_finds_chapter(probe, site_url, docname):
    query = _title_query(docname)
    found = _search(probe, site_url, query)
    assert docname in found, f"searching {query!r} does not list {docname}; results: {found}"


def test_search_viterbi_lists_tokenization_chapters(probe, site_url, site_dir):
    """The issue's example: searching "Viterbi" lists the tokenization chapters that discuss it."""
    mention = [
        c
        for c in CHAPTERS
        if c.startswith("notebooks/tokenization/")
        and "viterbi" in re.sub(r"<[^>]+>", " ", html_path(c).read_text("utf-8")).lower()
    ]
    if not mention:
        pytest.skip("no tokenization chapter mentions Viterbi yet")
    found = _search(probe, site_url, "Viterbi")
    assert set(mention) <= set(found), f"searching 'Viterbi' misses {sorted(set(mention) - set(found))}; found {found}"
