"""The chapters as data: paired notebooks, their checks, and the status page.

Used by ``make test`` (the pair/executed gate), by ``python -m kexue_lab list|status``
and by the Sphinx extension that writes ``book/status.md`` at build time. The
status page is computed from what the executed notebooks store (the derivation
and claims summaries that :mod:`kexue_lab.derive` and :mod:`kexue_lab.claims`
attach to their outputs, and the CPU time :func:`kexue_lab.runtime.finish`
reports), never typed by hand.

First used by the foundation (chapter 9812).
"""

from __future__ import annotations

import json
import pathlib
import re
from dataclasses import dataclass, field

from .claims import MIME_TYPE as CLAIMS_MIME
from .derive import MIME_TYPE as DERIVATION_MIME
from .derive import STATUSES

__all__ = [
    "Chapter",
    "chapters",
    "compare_pair",
    "unexecuted_cells",
    "check_all",
    "status_rows",
    "status_markdown",
    "PARTS",
]

PARTS = (
    "attention",
    "position",
    "tokenization",
    "probability",
    "optimization",
    "generative",
    "lowrank",
    "analysis",
    "engineering",
)
RUNTIME_MIME = "application/vnd.kexue.runtime+json"
# An erratum box: an admonition whose classes include "erratum" (see book/contributing.md).
_ERRATUM = re.compile(r"^:class:[^\n]*\berratum\b", flags=re.M)
_NAME = re.compile(r"^(?P<id>\d+)-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)$")


@dataclass
class Chapter:
    """One chapter: ``notebooks/<part>/<id>-<slug>.md`` and its paired ``.ipynb``."""

    part: str
    article: int
    slug: str
    md: pathlib.Path
    ipynb: pathlib.Path
    title: str = ""
    derivations: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    claims: dict[str, int] = field(default_factory=dict)
    cpu_seconds: float | None = None
    errata: int = 0
    refuted: int = 0


def chapters(root: str | pathlib.Path = ".") -> list[Chapter]:
    """All chapters under ``<root>/notebooks``, sorted by part then article number.

    Raises ``ValueError`` for a chapter file whose folder is not a known part or
    whose name is not ``<id>-<slug>``.
    """
    root = pathlib.Path(root)
    out = []
    for md in sorted((root / "notebooks").glob("*/*.md")):
        part = md.parent.name
        if part not in PARTS:
            raise ValueError(f"{md}: folder {part!r} is not a part of the book {PARTS}")
        m = _NAME.match(md.stem)
        if not m:
            raise ValueError(f"{md}: chapter files are named <id>-<slug>.md (e.g. 9812-attention-scale.md)")
        ch = Chapter(part, int(m["id"]), m["slug"], md, md.with_suffix(".ipynb"))
        if ch.ipynb.exists():
            _read_outputs(ch)
        out.append(ch)
    return sorted(out, key=lambda c: (PARTS.index(c.part), c.article))


def _read_outputs(ch: Chapter) -> None:
    nb = json.loads(ch.ipynb.read_text(encoding="utf-8"))
    claims_total: dict[str, int] = {}
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            src = "".join(cell.get("source", ""))
            ch.errata += len(_ERRATUM.findall(src))
            if not ch.title:
                m = re.search(r"^# (.+)$", src, flags=re.M)
                if m:
                    ch.title = m.group(1).strip()
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if DERIVATION_MIME in data:
                for k, v in data[DERIVATION_MIME]["summary"].items():
                    ch.derivations[k] = ch.derivations.get(k, 0) + int(v)
            if CLAIMS_MIME in data:
                for k, v in data[CLAIMS_MIME]["counts"].items():
                    claims_total[k] = claims_total.get(k, 0) + int(v)
            if RUNTIME_MIME in data:
                ch.cpu_seconds = float(data[RUNTIME_MIME]["cpu_seconds"])
    ch.claims = claims_total
    ch.refuted = ch.derivations.get("refuted", 0)


# ----------------------------------------------------------------------------- gates


def _md_cells(md: pathlib.Path) -> list[tuple[str, str, tuple[str, ...]]]:
    import jupytext

    nb = jupytext.read(md)
    return [_key(c) for c in nb.cells]


def _key(cell) -> tuple[str, str, tuple[str, ...]]:
    src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
    tags = tuple(sorted(cell.get("metadata", {}).get("tags", [])))
    return (cell["cell_type"], src.strip(), tags)


def compare_pair(md: str | pathlib.Path) -> list[str]:
    """Differences between a ``.md`` chapter and its ``.ipynb``, compared by cell content.

    Compares cell types, sources (stripped) and tags, in order; modification times
    are ignored (a fresh clone has meaningless ones). Returns a list of problems.
    """
    import nbformat

    md = pathlib.Path(md)
    ipynb = md.with_suffix(".ipynb")
    if not ipynb.exists():
        return [f"{ipynb}: missing (run `make sync` then `make execute`)"]
    a = _md_cells(md)
    b = [_key(c) for c in nbformat.read(ipynb, as_version=4).cells]
    problems = []
    if len(a) != len(b):
        problems.append(f"{md}: {len(a)} cells in .md but {len(b)} in .ipynb")
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            what = "type" if x[0] != y[0] else "tags" if x[1] == y[1] else "source"
            first = (x[1] or "").splitlines()[:1]
            problems.append(f"{md}: cell {i + 1} differs in {what} (md cell starts {first!r})")
            break
    return problems


def unexecuted_cells(ipynb: str | pathlib.Path) -> list[str]:
    """Code cells of an ``.ipynb`` that were never executed or stored an error."""
    import nbformat

    ipynb = pathlib.Path(ipynb)
    nb = nbformat.read(ipynb, as_version=4)
    problems = []
    code = [c for c in nb.cells if c.cell_type == "code"]
    for i, c in enumerate(code, 1):
        if c.get("execution_count") is None:
            problems.append(f"{ipynb}: code cell {i} has no execution_count (run `make execute`)")
        for o in c.get("outputs", []):
            if o.get("output_type") == "error":
                problems.append(f"{ipynb}: code cell {i} stored an error ({o.get('ename')})")
    counts = [c.get("execution_count") for c in code if c.get("execution_count") is not None]
    if counts and counts != list(range(1, len(counts) + 1)):
        problems.append(f"{ipynb}: cells were not executed top to bottom in one run (counts {counts[:8]}...)")
    return problems


def check_all(root: str | pathlib.Path = ".") -> list[str]:
    """Gate 2 of ``make test``: every pair matches and every notebook is fully executed."""
    root = pathlib.Path(root)
    problems = []
    chs = chapters(root)
    if not chs:
        problems.append(f"{root / 'notebooks'}: no chapters found")
    for ch in chs:
        problems += compare_pair(ch.md)
        if ch.ipynb.exists():
            problems += unexecuted_cells(ch.ipynb)
    for nb in sorted((root / "notebooks").glob("*/*.ipynb")):
        if not nb.with_suffix(".md").exists():
            problems.append(f"{nb}: no paired .md source")
    return problems


# ----------------------------------------------------------------------------- status


def status_rows(root: str | pathlib.Path = ".") -> list[dict]:
    """One row per chapter: derivation steps by status, claims, errata, CPU seconds."""
    root = pathlib.Path(root)
    rows = []
    for ch in chapters(root):
        c = ch.claims
        rows.append(
            {
                "chapter": f"{ch.article}",
                "part": ch.part,
                "title": ch.title or ch.slug,
                "path": ch.ipynb.relative_to(root).with_suffix("").as_posix(),
                "steps": sum(ch.derivations.values()),
                **{k: ch.derivations.get(k, 0) for k in STATUSES},
                "reproduced": c.get("reproduced", 0),
                "not_reproduced": c.get("not reproduced", 0),
                "claims": sum(c.values()),
                "errata": ch.errata,
                "refuted": ch.refuted,
                "cpu_seconds": ch.cpu_seconds,
            }
        )
    return rows


def status_markdown(root: str | pathlib.Path = ".", *, link_prefix: str = "../") -> str:
    """The status page as MyST Markdown (written to ``book/status.md`` at build time)."""
    rows = status_rows(root)
    head = (
        "| chapter | ✔ sym. | ✔ num. | ✔ enum. | ✔ MC | ≈ approx. | ≔ def. "
        "| ✘ refuted | errata shown | claims ✔ / ✘ / all | CPU s |"
    )
    out = [
        "# Status of every chapter",
        "",
        "This page is generated when the book is built, from the executed notebooks themselves: the",
        "derivation summaries and claims tables their cells stored, and the CPU time of their last",
        "execution (the `ci` profile, one thread). Nothing here is typed by hand. The check marks are",
        "explained in the {ref}`introduction <verified-statuses>`; *claims* counts the article's claims",
        "reproduced (✔) and not reproduced (✘) in each chapter's table; *errata shown* counts the boxes",
        "where a chapter shows the article wrong or loose.",
        "",
        head,
        "|" + "|".join(["---"] * (head.count("|") - 1)) + "|",
    ]
    tot = dict.fromkeys(["symbolic", "numeric", "enumeration", "montecarlo", "approximation", "definition"], 0)
    for r in rows:
        for k in tot:
            tot[k] += r[k]
        cpu = "—" if r["cpu_seconds"] is None else f"{r['cpu_seconds']:.1f}"
        title = r["title"].replace("|", "\\|")
        out.append(
            f"| [{r['chapter']}]({link_prefix}{r['path']}.ipynb) ({r['part']}): {title} | {r['symbolic']} | {r['numeric']} "
            f"| {r['enumeration']} | {r['montecarlo']} | {r['approximation']} | {r['definition']} | {r['refuted']} | {r['errata']} "
            f"| {r['reproduced']} / {r['not_reproduced']} / {r['claims']} | {cpu} |"
        )
    n_steps = sum(tot.values())
    out += [
        "",
        f"{len(rows)} chapters, {n_steps} derivation steps "
        f"({tot['symbolic']} symbolic, {tot['numeric']} numeric, {tot['enumeration']} by enumeration, "
        f"{tot['montecarlo']} by Monte Carlo, {tot['approximation']} approximations with measured error, "
        f"{tot['definition']} definitions), "
        f"{sum(r['refuted'] for r in rows)} refuted steps, {sum(r['errata'] for r in rows)} errata boxes, "
        f"{sum(r['reproduced'] for r in rows)} of {sum(r['claims'] for r in rows)} claims reproduced.",
        "",
    ]
    return "\n".join(out)
