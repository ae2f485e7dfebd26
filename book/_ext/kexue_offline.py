"""Sphinx extension: the built site loads nothing from the network.

1. MathJax 3 is served by the site itself. Sphinx's default ``mathjax_path`` is a CDN URL, so
   with no network no equation renders. At build time this extension copies the MathJax 3
   files a page can load from the installed PyPI package ``django-static-mathjax`` (MathJax
   3.2.2's ``es5/`` build as plain static files, Apache-2.0) into ``_build/html/_static/mathjax``
   and points ``mathjax_path`` there. Copied: the combined component ``tex-mml-chtml.js`` (what
   Sphinx loads by default), the TeX extensions that ``autoload`` fetches on demand (``\\color``,
   ``\\cancel``, ``\\boldsymbol`` ...), the CommonHTML woff fonts, and what the MathJax
   right-click menu loads when a reader turns on an accessibility option (``ui/``, ``a11y/``,
   the speech rule engine's English and Nemeth maps). Not copied: the SVG output, the other
   combined components, other speech languages, the sources: 3.6 MB of the package's 24 MB.
2. The MathJax configuration drops the ``noundefined`` TeX package, so a misspelt macro is a
   rendered error (``mjx-merror``, which the browser test looks for) instead of red text.
3. myst-nb's ipywidgets loaders (require.js and the widget manager from two CDNs) are
   switched off: no chapter uses widgets.
4. Chapter pages are built from the executed ``.ipynb``; the theme's download menu offers
   that file. The paired MyST Markdown file (the one a contributor edits) is copied next to it
   under ``_sources/`` and offered in the same menu as ``.md``.
5. Inline scripts are not written twice. Sphinx 7.4 adds every inline script an extension
   registers after the builder started (``app.add_js_file(None, body=...)``) a second time in
   ``prepare_writing``; sphinx-thebe's ``const THEBE_JS_URL = ...`` then throws "Identifier
   'THEBE_JS_URL' has already been declared" on every page. Duplicates are dropped per page.
6. After the build, every generated HTML page and every stylesheet under ``_static`` is
   scanned for scripts, stylesheets, images, fonts or CSS imports that point off the site;
   each one is a warning (an error under ``-W``). Ordinary ``<a href>`` links are fine: they
   only go out when a reader clicks them.
"""

from __future__ import annotations

import importlib.metadata
import json
import pathlib
import re
import shutil
from html.parser import HTMLParser

from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

MATHJAX_DIST = "django-static-mathjax"
MATHJAX_VERSION = "3.2.2"
MATHJAX_ENTRY = "tex-mml-chtml.js"
STATIC_SUBDIR = "mathjax"

# Paths under MathJax's es5/ that a page may load: the entry point, then what it fetches lazily.
MATHJAX_FILES = (
    MATHJAX_ENTRY,
    "input/tex/extensions",
    "output/chtml/fonts/woff-v2",
    "ui",
    "a11y",
    "sre/mathmaps/base.json",
    "sre/mathmaps/en.json",
    "sre/mathmaps/nemeth.json",
)

MATHJAX3_CONFIG = {
    "tex": {
        # Sphinx writes \( \) and \[ \] around every math node; MathJax's defaults for those.
        "inlineMath": [["\\(", "\\)"]],
        "displayMath": [["\\[", "\\]"]],
        # ams (aligned, \operatorname, \checkmark, \mathbb's fonts) is already in the
        # default list; without noundefined an unknown macro is an mjx-merror.
        "packages": {"[-]": ["noundefined"]},
    },
}


def mathjax_source() -> pathlib.Path:
    """The ``es5`` directory of the installed MathJax 3 package (raises if absent or wrong)."""
    try:
        dist = importlib.metadata.distribution(MATHJAX_DIST)
    except importlib.metadata.PackageNotFoundError:
        raise ExtensionError(
            f"kexue_offline: the PyPI package {MATHJAX_DIST} (MathJax {MATHJAX_VERSION}, served by the "
            f"site so equations render offline) is not installed: run `make install` "
            f"or `.venv/bin/pip install {MATHJAX_DIST}`."
        ) from None
    es5 = pathlib.Path(dist.locate_file("mathjax/static/mathjax/es5"))
    package_json = es5.parent / "package.json"
    found = json.loads(package_json.read_text(encoding="utf-8")).get("version") if package_json.exists() else None
    if found != MATHJAX_VERSION or not (es5 / MATHJAX_ENTRY).is_file():
        raise ExtensionError(
            f"kexue_offline: expected MathJax {MATHJAX_VERSION} in {es5}, found {found!r} "
            f"({MATHJAX_DIST}=={dist.version}); update MATHJAX_VERSION after checking the new release."
        )
    return es5


def copy_mathjax(source: pathlib.Path, target: pathlib.Path) -> int:
    """Copy :data:`MATHJAX_FILES` from ``source`` to ``target``; returns the number of bytes."""
    total = 0
    for rel in MATHJAX_FILES:
        src, dst = source / rel, target / rel
        if not src.exists():
            raise ExtensionError(f"kexue_offline: {src} is missing from {MATHJAX_DIST}")
        files = [src] if src.is_file() else sorted(p for p in src.rglob("*") if p.is_file())
        for f in files:
            out = dst if src.is_file() else dst / f.relative_to(src)
            out.parent.mkdir(parents=True, exist_ok=True)
            stat = f.stat()
            if not out.exists() or out.stat().st_size != stat.st_size or out.stat().st_mtime < stat.st_mtime:
                shutil.copy2(f, out)
            total += stat.st_size
    return total


def _config_inited(app, config) -> None:
    mathjax_source()  # fail early, before reading any page, if the package is missing
    config.mathjax_path = f"{STATIC_SUBDIR}/{MATHJAX_ENTRY}"  # relative: Sphinx prefixes _static/
    merged = dict(config.mathjax3_config or {})
    tex = dict(MATHJAX3_CONFIG["tex"])
    tex.update(merged.get("tex", {}))
    merged["tex"] = tex
    config.mathjax3_config = merged
    config.nb_ipywidgets_js = {}


_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*((?:https?:)?//[^'")\s]+)""", re.IGNORECASE)


def _is_remote(url: str) -> bool:
    url = url.strip()
    return bool(_REMOTE.match(url)) and not url.lower().startswith(("data:", "blob:"))


class _AssetScanner(HTMLParser):
    """Collects URLs of things a browser fetches by itself while loading the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.remote: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self._in_style = tag == "style"
        a = {k: (v or "") for k, v in attrs}
        urls = []
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed", "track", "input"):
            urls.append(a.get("src", ""))
        if tag in ("img", "source"):
            urls += [part.split()[0] for part in a.get("srcset", "").split(",") if part.strip()]
        if tag == "link":
            rel = a.get("rel", "").lower().split()
            if set(rel) & {"stylesheet", "preload", "modulepreload", "icon", "prefetch", "preconnect", "manifest"}:
                urls.append(a.get("href", ""))
        if tag == "object":
            urls.append(a.get("data", ""))
        self.remote += [u for u in urls if u and _is_remote(u)]
        self.remote += _CSS_URL.findall(a.get("style", ""))

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.remote += _CSS_URL.findall(data)


def remote_assets(outdir: pathlib.Path) -> dict[str, list[str]]:
    """Map each built file (relative path) to the off-site URLs a browser would fetch for it."""
    found: dict[str, list[str]] = {}
    for page in sorted(outdir.rglob("*.html")):
        scanner = _AssetScanner()
        scanner.feed(page.read_text(encoding="utf-8", errors="replace"))
        if scanner.remote:
            found[page.relative_to(outdir).as_posix()] = sorted(set(scanner.remote))
    static = outdir / "_static"
    for css in sorted(static.rglob("*.css")) if static.exists() else []:
        urls = _CSS_URL.findall(css.read_text(encoding="utf-8", errors="replace"))
        if urls:
            found[css.relative_to(outdir).as_posix()] = sorted(set(urls))
    return found


def _paired_md(app, docname: str) -> pathlib.Path | None:
    """The ``.md`` half of a chapter's jupytext pair, if the page is built from an ``.ipynb``."""
    if docname not in app.env.found_docs:
        return None
    source = pathlib.Path(app.env.doc2path(docname))
    md = source.with_suffix(".md")
    return md if source.suffix == ".ipynb" and md.is_file() else None


def _add_md_download(app, pagename, templatename, context, doctree) -> None:
    """Offer the paired ``.md`` in the theme's download menu, after the ``.ipynb``."""
    if doctree is None or _paired_md(app, pagename) is None:
        return
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        buttons = group["buttons"]
        at = next((i + 1 for i, b in enumerate(buttons) if b.get("text") == ".ipynb"), len(buttons))
        buttons.insert(
            at,
            {
                "type": "link",
                "url": f"{context['pathto']('_sources', 1)}/{pagename}.md",
                "text": ".md",
                "tooltip": "Download the MyST Markdown notebook (the file to edit)",
                "icon": "fas fa-file-lines",
                "label": "download-md-button",
            },
        )


def _drop_duplicate_scripts(app, pagename, templatename, context, doctree) -> None:
    """Keep the first of scripts that differ only by ``None`` vs ``""`` as file name (see 5.)."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, keep = set(), []
    for js in scripts:
        attrs = getattr(js, "attributes", {}) or {}
        key = (getattr(js, "filename", js) or "", tuple(sorted((k, str(v)) for k, v in attrs.items())))
        if key not in seen:
            seen.add(key)
            keep.append(js)
    scripts[:] = keep


def _copy_paired_md(app, outdir: pathlib.Path) -> int:
    n = 0
    for docname in sorted(app.env.found_docs):
        md = _paired_md(app, docname)
        if md is not None:
            target = outdir / "_sources" / f"{docname}.md"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(md, target)
            n += 1
    return n


def _build_finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = pathlib.Path(app.outdir)
    _copy_paired_md(app, outdir)
    nbytes = copy_mathjax(mathjax_source(), outdir / "_static" / STATIC_SUBDIR)
    logger.info(f"kexue_offline: MathJax {MATHJAX_VERSION} served from _static/{STATIC_SUBDIR} ({nbytes / 1e6:.1f} MB)")
    for where, urls in remote_assets(outdir).items():
        for url in urls:
            logger.warning(f"kexue_offline: {where} loads {url} from the network (the site must work offline)")


def setup(app):
    app.connect("config-inited", _config_inited, priority=900)  # after other extensions' defaults
    app.connect("html-page-context", _add_md_download, priority=502)  # after the theme's (501)
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    app.connect("build-finished", _build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
