"""Sphinx extension: write ``book/status.md`` from the executed notebooks at build time.

The page is regenerated on every build (it is git-ignored), so it can never be stale
or typed by hand. See :func:`kexue_lab.notebooks.status_markdown`.
"""

from __future__ import annotations

import pathlib

from kexue_lab.notebooks import status_markdown


def _write_status(app, config) -> None:
    root = pathlib.Path(app.srcdir)
    target = root / "book" / "status.md"
    text = status_markdown(root)
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def setup(app):
    app.connect("config-inited", _write_status)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
