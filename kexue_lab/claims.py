"""Article-vs-book claims tables.

A chapter's quantitative claims live beside the notebook in
``<id>-<slug>.claims.yaml``::

    article: 9812
    claims:
      - name: alpha_normal_coefficient
        statement: "alpha* ≈ 0.84·sqrt(log n) for n = 40..20000"
        where: "§ 'Normal distribution', after the first figure"
        article: 0.84
        tolerance: {abs: 0.005}        # or {rel: 0.01}, {within: [2, 3]}, exact

The notebook calls :meth:`Claims.check` with its own computed number, or
:meth:`Claims.not_reproduced` with the reason. A failing check raises
:class:`ClaimError` (the notebook stops); :meth:`Claims.table` raises if a claim
was left unaddressed, so the YAML file and the notebook cannot drift apart.

First used in chapter 9812 (attention scale).
"""

from __future__ import annotations

import json
import math
import pathlib
from dataclasses import dataclass, field
from typing import Any

import yaml

__all__ = ["Claim", "ClaimError", "Claims", "MIME_TYPE"]

MIME_TYPE = "application/vnd.kexue.claims+json"
VERDICTS = ("reproduced", "not reproduced", "unchecked")


class ClaimError(AssertionError):
    """A claim failed its tolerance, or the claims file / calls are inconsistent."""


@dataclass
class Claim:
    """One claim of the article, with our value and verdict once checked."""

    name: str
    statement: str
    where: str
    article: Any
    tolerance: dict | str
    ours: Any = None
    verdict: str = "unchecked"
    reason: str = ""
    note: str = ""
    extra: dict = field(default_factory=dict)

    def passes(self, ours: Any) -> bool:
        """Whether ``ours`` agrees with the article's value under the tolerance."""
        tol = self.tolerance
        if tol == "exact":
            return ours == self.article
        if "within" in tol:
            lo, hi = tol["within"]
            return _is_number(ours) and lo <= float(ours) <= hi
        if not (_is_number(ours) and _is_number(self.article)):
            return False
        diff = abs(float(ours) - float(self.article))
        if "abs" in tol:
            return diff <= tol["abs"]
        return diff <= tol["rel"] * abs(float(self.article))

    def tolerance_text(self) -> str:
        tol = self.tolerance
        if tol == "exact":
            return "exact"
        if "within" in tol:
            lo, hi = tol["within"]
            return f"in [{_fmt(lo)}, {_fmt(hi)}]"
        if "abs" in tol:
            return f"± {_fmt(tol['abs'])}"
        return f"± {_fmt(100 * tol['rel'])}%"


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(float(x))


def _fmt(x: Any) -> str:
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, float):
        return f"{x:.4g}"
    if x is None:
        return "—"
    return str(x)


def _as_plain(x: Any) -> Any:
    """Convert numpy/torch scalars to Python numbers (YAML and JSON friendly)."""
    if hasattr(x, "item") and callable(x.item):
        try:
            return x.item()
        except (ValueError, RuntimeError):
            return x
    return x


def _validate_tolerance(name: str, tol: Any) -> dict | str:
    if tol == "exact":
        return tol
    if not isinstance(tol, dict) or len(tol) != 1:
        raise ClaimError(
            f"claim {name!r}: tolerance must be 'exact' or one of {{abs: x}}, {{rel: x}}, {{within: [lo, hi]}}"
        )
    ((key, val),) = tol.items()
    if key in ("abs", "rel"):
        if not _is_number(val) or val < 0:
            raise ClaimError(f"claim {name!r}: tolerance {key} must be a number >= 0, got {val!r}")
    elif key == "within":
        if not (isinstance(val, list | tuple) and len(val) == 2 and all(map(_is_number, val)) and val[0] <= val[1]):
            raise ClaimError(f"claim {name!r}: within needs [lo, hi] with lo <= hi, got {val!r}")
    else:
        raise ClaimError(f"claim {name!r}: unknown tolerance kind {key!r}")
    return tol


class Claims:
    """The claims of one chapter, loaded from its YAML file."""

    def __init__(self, article: int, claims: list[Claim], path: pathlib.Path | None = None) -> None:
        self.article = article
        self.path = path
        self._claims: dict[str, Claim] = {}
        for c in claims:
            if c.name in self._claims:
                raise ClaimError(f"duplicate claim name {c.name!r}")
            self._claims[c.name] = c

    @classmethod
    def load(cls, path: str | pathlib.Path) -> Claims:
        """Read a ``*.claims.yaml`` file; raise :class:`ClaimError` on a malformed one."""
        path = pathlib.Path(path)
        if not path.exists():
            raise FileNotFoundError(f"no claims file at {path}")
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "claims" not in data or "article" not in data:
            raise ClaimError(f"{path}: expected a mapping with keys 'article' and 'claims'")
        items = []
        for i, raw in enumerate(data["claims"] or []):
            if not isinstance(raw, dict):
                raise ClaimError(f"{path}: claim #{i} is not a mapping")
            missing = {"name", "statement", "where", "article", "tolerance"} - raw.keys()
            if missing:
                raise ClaimError(f"{path}: claim #{i} ({raw.get('name', '?')}) lacks {sorted(missing)}")
            items.append(
                Claim(
                    name=str(raw["name"]),
                    statement=str(raw["statement"]),
                    where=str(raw["where"]),
                    article=raw["article"],
                    tolerance=_validate_tolerance(str(raw["name"]), raw["tolerance"]),
                    note=str(raw.get("note", "")),
                )
            )
        if not items:
            raise ClaimError(f"{path}: no claims")
        return cls(int(data["article"]), items, path)

    def __getitem__(self, name: str) -> Claim:
        try:
            return self._claims[name]
        except KeyError:
            raise KeyError(f"no claim named {name!r}; known: {sorted(self._claims)}") from None

    def __iter__(self):
        return iter(self._claims.values())

    def __len__(self) -> int:
        return len(self._claims)

    def check(self, name: str, ours: Any, *, note: str = "") -> bool:
        """Record our value for claim ``name``; raise :class:`ClaimError` if it fails the tolerance."""
        c = self[name]
        ours = _as_plain(ours)
        c.ours, c.note = ours, note or c.note
        if not c.passes(ours):
            c.verdict = "failed"
            raise ClaimError(
                f"claim {name!r} not reproduced: article {_fmt(c.article)}, ours {_fmt(ours)}, "
                f"tolerance {c.tolerance_text()}. If this is a real disagreement, call "
                f"not_reproduced({name!r}, reason=..., ours=...) and explain it."
            )
        c.verdict = "reproduced"
        return True

    def not_reproduced(self, name: str, reason: str, *, ours: Any = None) -> None:
        """Mark claim ``name`` as not reproduced, with the reason (and our value if any).

        If ``ours`` is given and actually passes the tolerance, this raises: the
        claim reproduces and must be checked with :meth:`check` instead.
        """
        if not isinstance(reason, str) or not reason.strip():
            raise ValueError("not_reproduced needs a non-empty reason")
        c = self[name]
        ours = _as_plain(ours)
        if ours is not None and c.passes(ours):
            raise ClaimError(f"claim {name!r} is marked not reproduced, but ours={_fmt(ours)} passes; use check()")
        c.ours, c.verdict, c.reason = ours, "not reproduced", reason

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(VERDICTS, 0)
        for c in self:
            out[c.verdict if c.verdict in out else "unchecked"] += 1
        return out

    def _rows(self) -> list[dict]:
        return [
            {
                "claim": c.statement,
                "where": c.where,
                "article": _fmt(c.article),
                "ours": _fmt(c.ours),
                "tolerance": c.tolerance_text(),
                "verdict": c.verdict,
                "reason": c.reason or c.note,
            }
            for c in self
        ]

    def table(self) -> ClaimsTable:
        """The rendered table (article | ours | tolerance | verdict).

        Raises :class:`ClaimError` if any claim was neither checked nor marked
        not reproduced: every claim in the YAML file must be addressed.
        """
        open_ = [c.name for c in self if c.verdict == "unchecked"]
        if open_:
            raise ClaimError(f"claims not addressed by the notebook: {open_}")
        return ClaimsTable(self.article, self._rows(), self.counts())


_VERDICT_MARK = {"reproduced": "✔ reproduced", "not reproduced": "✘ not reproduced", "unchecked": "? unchecked"}


@dataclass
class ClaimsTable:
    """Display object for a chapter's claims (Markdown in notebooks and on the site)."""

    article: int
    rows: list[dict]
    counts: dict[str, int]

    def to_markdown(self) -> str:
        def cell(s: str) -> str:
            return str(s).replace("|", "\\|").replace("\n", " ")

        out = ["| claim | where in the article | article | ours | tolerance | verdict |", "|---|---|---|---|---|---|"]
        for r in self.rows:
            verdict = _VERDICT_MARK[r["verdict"]] + (f": {r['reason']}" if r["reason"] else "")
            out.append(
                f"| {cell(r['claim'])} | {cell(r['where'])} | {cell(r['article'])} | {cell(r['ours'])} "
                f"| {cell(r['tolerance'])} | {cell(verdict)} |"
            )
        c = self.counts
        out += ["", f"*{c['reproduced']} reproduced, {c['not reproduced']} not reproduced, {sum(c.values())} claims.*"]
        return "\n".join(out)

    def to_text(self) -> str:
        out = []
        for r in self.rows:
            out.append(f"[{r['verdict']}] {r['claim']}: article {r['article']}, ours {r['ours']} ({r['tolerance']})")
        return "\n".join(out)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {
            "text/plain": self.to_text(),
            "text/markdown": self.to_markdown(),
            MIME_TYPE: json.loads(json.dumps({"article": self.article, "counts": self.counts})),
        }
