"""Unit tests of book/_ext/kexue_offline.py (the site loads nothing from the network)."""

from __future__ import annotations

import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "book" / "_ext"))
import kexue_offline as ko  # noqa: E402


def _site(tmp_path: pathlib.Path, html: str, css: str = "") -> pathlib.Path:
    (tmp_path / "_static").mkdir()
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    if css:
        (tmp_path / "_static" / "theme.css").write_text(css, encoding="utf-8")
    return tmp_path


def test_remote_assets_finds_what_a_browser_would_fetch(tmp_path):
    html = """<html><head>
      <script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"></script>
      <link rel="stylesheet" href="//fonts.googleapis.com/css?family=Lato">
      <link rel="preload" as="font" href="http://example.org/f.woff2">
      <style>@import "https://example.org/a.css"; body { background: url(https://example.org/b.png) }</style>
    </head><body>
      <img src="https://example.org/c.png" srcset="d.png 1x, https://example.org/e.png 2x">
      <div style="background-image: url('https://example.org/g.png')"></div>
    </body></html>"""
    found = ko.remote_assets(_site(tmp_path, html, css="@font-face { src: url(https://example.org/h.woff) }"))
    assert found["page.html"] == sorted(
        {
            "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js",
            "//fonts.googleapis.com/css?family=Lato",
            "http://example.org/f.woff2",
            "https://example.org/a.css",
            "https://example.org/b.png",
            "https://example.org/c.png",
            "https://example.org/e.png",
            "https://example.org/g.png",
        }
    )
    assert found["_static/theme.css"] == ["https://example.org/h.woff"]


def test_remote_assets_ignores_links_and_local_files(tmp_path):
    html = """<html><head>
      <script src="_static/mathjax/tex-mml-chtml.js"></script>
      <link rel="stylesheet" href="../_static/styles/theme.css">
      <link rel="next" href="https://kexue.fm/archives/9812">
      <script>const THEBE_JS_URL = "https://unpkg.com/thebe@0.8.2/lib/index.js"</script>
    </head><body>
      <a href="https://kexue.fm/archives/9812">the original article</a>
      <img src="data:image/png;base64,AAAA"><img src="../_images/fig.png">
    </body></html>"""
    assert ko.remote_assets(_site(tmp_path, html, css="a { background: url(../img/x.png) }")) == {}


def test_mathjax_is_installed_and_copied_with_fonts_and_extensions(tmp_path):
    source = ko.mathjax_source()
    nbytes = ko.copy_mathjax(source, tmp_path)
    for rel in (
        "tex-mml-chtml.js",
        "output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff",
        "output/chtml/fonts/woff-v2/MathJax_AMS-Regular.woff",
        "input/tex/extensions/cancel.js",
        "a11y/explorer.js",
        "sre/mathmaps/en.json",
    ):
        assert (tmp_path / rel).is_file(), rel
    assert not (tmp_path / "output" / "svg").exists()  # only what a page can load
    assert 1e6 < nbytes < 10e6
    assert ko.copy_mathjax(source, tmp_path) == nbytes  # idempotent


def test_config_points_mathjax_at_the_local_copy():
    class Config:
        mathjax_path = "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"
        mathjax3_config = {"tex": {"macros": {"R": r"\mathbb{R}"}}}
        nb_ipywidgets_js = {"https://cdnjs.cloudflare.com/require.js": {}}

    c = Config()
    ko._config_inited(None, c)
    assert c.mathjax_path == "mathjax/tex-mml-chtml.js"
    assert c.mathjax3_config["tex"]["macros"] == {"R": r"\mathbb{R}"}  # the book's own settings are kept
    assert c.mathjax3_config["tex"]["packages"] == {"[-]": ["noundefined"]}
    assert c.nb_ipywidgets_js == {}


@pytest.mark.parametrize("url", ["https://x.org/a.js", "//x.org/a.js", "HTTP://x.org/a.js"])
def test_is_remote(url):
    assert ko._is_remote(url)


@pytest.mark.parametrize("url", ["_static/a.js", "../a.js", "/a.js", "data:,x", "#top", ""])
def test_is_not_remote(url):
    assert not ko._is_remote(url)
