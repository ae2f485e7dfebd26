"""kexue_lab.claims: loading, checking, not-reproduced, and the rendered table."""

from __future__ import annotations

import numpy as np
import pytest

from kexue_lab.claims import MIME_TYPE, ClaimError, Claims

YAML = """
article: 9999
claims:
  - name: coef
    statement: "coefficient is 0.84"
    where: "section 2"
    article: 0.84
    tolerance: {abs: 0.005}
  - name: rel
    statement: "value 100"
    where: "section 3"
    article: 100
    tolerance: {rel: 0.01}
  - name: range
    statement: "between 2 and 3"
    where: "section 4"
    article: "2 to 3"
    tolerance: {within: [2, 3]}
  - name: flag
    statement: "no interior maximum"
    where: "section 5"
    article: true
    tolerance: exact
"""


@pytest.fixture
def claims(tmp_path):
    p = tmp_path / "x.claims.yaml"
    p.write_text(YAML)
    return Claims.load(p)


def test_load_and_iterate(claims):
    assert claims.article == 9999 and len(claims) == 4
    assert [c.name for c in claims] == ["coef", "rel", "range", "flag"]


def test_check_passes_within_tolerance_and_accepts_numpy(claims):
    assert claims.check("coef", np.float64(0.8413))
    assert claims["coef"].ours == pytest.approx(0.8413) and isinstance(claims["coef"].ours, float)
    assert claims.check("rel", 100.9)
    assert claims.check("range", 2.5)
    assert claims.check("flag", True)


def test_check_fails_outside_tolerance(claims):
    with pytest.raises(ClaimError, match="not reproduced"):
        claims.check("coef", 0.86)
    with pytest.raises(ClaimError):
        claims.check("rel", 102)
    with pytest.raises(ClaimError):
        claims.check("range", 3.2)
    with pytest.raises(ClaimError):
        claims.check("flag", False)
    with pytest.raises(ClaimError):
        claims.check("coef", float("nan"))


def test_not_reproduced_needs_reason_and_refuses_a_passing_value(claims):
    with pytest.raises(ValueError):
        claims.not_reproduced("coef", "")
    with pytest.raises(ClaimError, match="passes"):
        claims.not_reproduced("coef", "we think it fails", ours=0.84)
    claims.not_reproduced("coef", "private data", ours=0.9)
    assert claims["coef"].verdict == "not reproduced"


def test_table_requires_every_claim_addressed(claims):
    claims.check("coef", 0.841)
    with pytest.raises(ClaimError, match="not addressed"):
        claims.table()
    claims.check("rel", 100)
    claims.not_reproduced("range", "holds only for n >= 491", ours=1.43)
    claims.check("flag", True)
    table = claims.table()
    md = table.to_markdown()
    assert "✔ reproduced" in md and "✘ not reproduced: holds only for n >= 491" in md
    assert md.count("\n| ") == 4
    bundle = table._repr_mimebundle_()
    assert bundle[MIME_TYPE]["counts"] == {"reproduced": 3, "not reproduced": 1, "unchecked": 0}


def test_unknown_claim_name(claims):
    with pytest.raises(KeyError, match="no claim named"):
        claims.check("nope", 1)


@pytest.mark.parametrize(
    "body, match",
    [
        ("article: 1\n", "expected a mapping"),
        ("claims: []\n", "expected a mapping"),
        ("article: 1\nclaims: []\n", "no claims"),
        ("article: 1\nclaims:\n  - name: a\n", "lacks"),
        ("article: 1\nclaims:\n  - 3\n", "not a mapping"),
        (
            "article: 1\nclaims:\n  - {name: a, statement: s, where: w, article: 1, tolerance: {abs: -1}}\n",
            ">= 0",
        ),
        (
            "article: 1\nclaims:\n  - {name: a, statement: s, where: w, article: 1, tolerance: {within: [3, 2]}}\n",
            "lo <= hi",
        ),
        (
            "article: 1\nclaims:\n  - {name: a, statement: s, where: w, article: 1, tolerance: {near: 1}}\n",
            "unknown tolerance",
        ),
        (
            "article: 1\nclaims:\n  - {name: a, statement: s, where: w, article: 1, tolerance: loose}\n",
            "tolerance must be",
        ),
        (
            "article: 1\nclaims:\n"
            "  - {name: a, statement: s, where: w, article: 1, tolerance: exact}\n"
            "  - {name: a, statement: s, where: w, article: 1, tolerance: exact}\n",
            "duplicate",
        ),
    ],
)
def test_malformed_files_raise(tmp_path, body, match):
    p = tmp_path / "bad.claims.yaml"
    p.write_text(body)
    with pytest.raises(ClaimError, match=match):
        Claims.load(p)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        Claims.load(tmp_path / "none.yaml")
