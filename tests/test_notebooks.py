"""kexue_lab.notebooks and the CLI: pair gate, executed gate, status page."""

from __future__ import annotations

import json
import pathlib

import jupytext
import nbformat
import pytest

from kexue_lab import notebooks
from kexue_lab.__main__ import main

MD = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A test chapter

Some text.

```{admonition} Erratum: a wrong sign
:class: erratum
The article's sign is wrong.
```

```{code-cell} ipython3
x = 1
```

```{code-cell} ipython3
:tags: [nbval-ignore-output]

x + 1
```
"""


def _make_chapter(root: pathlib.Path, name="attention/1234-test-chapter", executed=True) -> pathlib.Path:
    md = root / "notebooks" / f"{name}.md"
    md.parent.mkdir(parents=True, exist_ok=True)
    md.write_text(MD)
    nb = jupytext.read(md)
    if executed:
        for i, c in enumerate([c for c in nb.cells if c.cell_type == "code"], 1):
            c.execution_count = i
        nb.cells[-1].outputs = [
            nbformat.v4.new_output(
                "display_data",
                data={
                    "text/plain": "d",
                    "application/vnd.kexue.derivation+json": {
                        "title": "t",
                        "summary": {"symbolic": 2, "numeric": 1, "refuted": 1},
                        "steps": 4,
                    },
                    "application/vnd.kexue.claims+json": {
                        "article": 1234,
                        "counts": {"reproduced": 2, "not reproduced": 1, "unchecked": 0},
                    },
                    "application/vnd.kexue.runtime+json": {"cpu_seconds": 3.25, "profile": "ci"},
                },
            )
        ]
    nbformat.write(nb, md.with_suffix(".ipynb"))
    return md


def test_clean_pair_passes_and_status_is_read(tmp_path):
    _make_chapter(tmp_path)
    assert notebooks.check_all(tmp_path) == []
    (row,) = notebooks.status_rows(tmp_path)
    assert row["title"] == "A test chapter"
    assert (row["symbolic"], row["numeric"], row["refuted"], row["steps"]) == (2, 1, 1, 4)
    assert row["errata"] == 1  # the erratum box in the markdown
    assert (row["reproduced"], row["not_reproduced"], row["claims"]) == (2, 1, 3)
    assert row["cpu_seconds"] == pytest.approx(3.25)
    page = notebooks.status_markdown(tmp_path)
    assert "[1234](" in page and "A test chapter" in page and "| 2 / 1 / 3 |" in page


def test_edited_md_is_detected_by_content_not_mtime(tmp_path):
    md = _make_chapter(tmp_path)
    md.write_text(MD.replace("x = 1", "x = 2"))
    problems = notebooks.check_all(tmp_path)
    assert any("differs in source" in p for p in problems)


def test_tag_difference_is_detected(tmp_path):
    md = _make_chapter(tmp_path)
    md.write_text(MD.replace(":tags: [nbval-ignore-output]\n\n", ""))
    assert any("differs in tags" in p for p in notebooks.check_all(tmp_path))


def test_extra_cell_is_detected(tmp_path):
    md = _make_chapter(tmp_path)
    md.write_text(MD + "\nMore text.\n")
    assert any("cells in .md" in p for p in notebooks.check_all(tmp_path))


def test_unexecuted_and_error_cells_are_detected(tmp_path):
    md = _make_chapter(tmp_path, executed=False)
    assert any("no execution_count" in p for p in notebooks.check_all(tmp_path))
    nb = nbformat.read(md.with_suffix(".ipynb"), as_version=4)
    for i, c in enumerate([c for c in nb.cells if c.cell_type == "code"], 1):
        c.execution_count = i
    nb.cells[-1].outputs = [nbformat.v4.new_output("error", ename="ValueError", evalue="x", traceback=[])]
    nbformat.write(nb, md.with_suffix(".ipynb"))
    assert any("stored an error (ValueError)" in p for p in notebooks.check_all(tmp_path))


def test_out_of_order_execution_is_detected(tmp_path):
    md = _make_chapter(tmp_path)
    nb = nbformat.read(md.with_suffix(".ipynb"), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    code[0].execution_count, code[1].execution_count = 5, 2
    nbformat.write(nb, md.with_suffix(".ipynb"))
    assert any("top to bottom" in p for p in notebooks.check_all(tmp_path))


def test_missing_or_orphan_files(tmp_path):
    md = _make_chapter(tmp_path)
    md.with_suffix(".ipynb").unlink()
    assert any("missing" in p for p in notebooks.check_all(tmp_path))
    md.unlink()
    (tmp_path / "notebooks" / "attention" / "1-x.ipynb").write_text(json.dumps(nbformat.v4.new_notebook()))
    problems = notebooks.check_all(tmp_path)
    assert any("no paired .md" in p for p in problems) and any("no chapters" in p for p in problems)


def test_bad_part_or_name_raises(tmp_path):
    _make_chapter(tmp_path, name="cooking/12-soup")
    with pytest.raises(ValueError, match="not a part"):
        notebooks.chapters(tmp_path)
    (tmp_path / "notebooks" / "cooking" / "12-soup.md").unlink()
    _make_chapter(tmp_path, name="attention/Scale_Chapter")
    with pytest.raises(ValueError, match="<id>-<slug>"):
        notebooks.chapters(tmp_path)


def test_cli_list_status_and_check(tmp_path, capsys):
    _make_chapter(tmp_path)
    assert main(["--root", str(tmp_path), "list"]) == 0
    assert "A test chapter" in capsys.readouterr().out
    assert main(["--root", str(tmp_path), "status"]) == 0
    assert "# Status of every chapter" in capsys.readouterr().out
    assert main(["--root", str(tmp_path), "check-notebooks"]) == 0
    (tmp_path / "notebooks" / "attention" / "1234-test-chapter.md").write_text(MD.replace("x = 1", "y = 1"))
    assert main(["--root", str(tmp_path), "check-notebooks"]) == 1
    assert "FAIL" in capsys.readouterr().out
