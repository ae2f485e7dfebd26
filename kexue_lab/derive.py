"""Machine-checked derivations.

A :class:`Derivation` records a chain of steps. Every step is checked when it is
recorded; a false step raises :class:`DerivationError` at once, so the notebook
that states it stops. The chain renders as a table of LaTeX steps, each with its
reason and a mark that says *how* it was checked.

Statuses (the fixed vocabulary shown to readers):

``symbolic``
    sympy proved ``lhs - rhs == 0`` (or the limit/integral/series identity).
``numeric``
    both sides agree at random points (float64, then 50-digit mpmath when float64
    is ill-conditioned), or an inequality holds at every random sample.
``enumeration``
    an exact computation over every case of a small instance.
``montecarlo``
    a Monte Carlo estimate agrees with the claim within a stated number of
    standard errors.
``approximation``
    not an identity: shown with its measured error.
``definition``
    introduces notation; nothing to check.
``refuted``
    the step, as stated (usually in the article), is false; we exhibit the
    counter-example. Refutations are errata and are counted as such.

First used in chapter 9812 (attention scale).
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import mpmath
import numpy as np
import sympy as sp

__all__ = ["Derivation", "DerivationError", "STATUSES"]

STATUSES: tuple[str, ...] = (
    "symbolic",
    "numeric",
    "enumeration",
    "montecarlo",
    "approximation",
    "definition",
    "refuted",
)

_MARK = {
    "symbolic": "✔ symbolic",
    "numeric": "✔ numeric",
    "enumeration": "✔ enumeration",
    "montecarlo": "✔ Monte Carlo",
    "approximation": "≈ approximation",
    "definition": "≔ definition",
    "refuted": "✘ refuted",
}

MIME_TYPE = "application/vnd.kexue.derivation+json"

Interval = tuple[float, float]


class DerivationError(AssertionError):
    """A derivation step is false, or could not be checked as requested."""


@dataclass(frozen=True)
class Step:
    """One recorded step: ``lhs rel rhs`` with its reason and check status."""

    lhs: str
    rel: str
    rhs: str
    why: str
    status: str
    detail: str = ""


# --------------------------------------------------------------------------- helpers


def _sympify(x: Any, name: str) -> sp.Basic:
    if isinstance(x, (bool, np.bool_)):
        raise TypeError(f"{name} must be a sympy expression or number, got a bool")
    if isinstance(x, sp.Basic | sp.MatrixBase):
        return x
    try:
        return sp.sympify(x, strict=True)
    except (sp.SympifyError, TypeError) as exc:
        raise TypeError(f"{name} must be a sympy expression or number, got {type(x).__name__}") from exc


def _tex(x: Any) -> str:
    if isinstance(x, str):
        return x
    return sp.latex(x)


def _safe_md(tex: str) -> str:
    """Make LaTeX safe inside a Markdown table cell (pipes would split the cell)."""
    return (
        tex.replace(r"\|", r"\Vert ")
        .replace(r"\left|", r"\left\vert ")
        .replace(r"\right|", r"\right\vert ")
        .replace("|", r"\vert ")
        .replace("\n", " ")
    )


def _entries(expr: sp.Basic) -> list[sp.Basic]:
    if isinstance(expr, sp.MatrixBase):
        return list(expr)
    return [expr]


_SIMPLIFIERS: tuple[Callable[[sp.Basic], sp.Basic], ...] = (
    lambda e: e,
    sp.expand,
    sp.cancel,
    sp.simplify,
    lambda e: sp.simplify(sp.expand(e)),
    sp.trigsimp,
    lambda e: sp.simplify(e.rewrite(sp.exp)),
    lambda e: sp.simplify(sp.powsimp(sp.expand_power_exp(e), force=True)),
    lambda e: sp.simplify(sp.expand_log(e, force=True)),
    lambda e: sp.simplify(e.doit()),
)


def _is_zero_symbolic(expr: sp.Basic) -> bool:
    """True when sympy can show ``expr == 0``; False when it cannot decide."""
    for entry in _entries(expr):
        proved = False
        for simplifier in _SIMPLIFIERS:
            try:
                if simplifier(entry) == 0:
                    proved = True
                    break
            except Exception:  # a simplifier that fails proves nothing
                continue
        if not proved:
            try:
                proved = entry.equals(0) is True
            except Exception:
                proved = False
        if not proved:
            return False
    return True


def _positive_symbols(expr: sp.Basic, assumptions: Mapping[sp.Symbol, Interval] | None) -> sp.Basic:
    """Replace symbols whose sampling interval is positive by positive dummies."""
    if not assumptions:
        return expr
    reps = {}
    for sym, (lo, _hi) in assumptions.items():
        if lo >= 0 and not sym.is_positive:
            reps[sym] = sp.Dummy(sym.name, positive=True)
    return expr.xreplace(reps) if reps else expr


def _sample_value(sym: sp.Symbol, rng: random.Random, assumptions: Mapping[sp.Symbol, Interval] | None):
    if assumptions and sym in assumptions:
        lo, hi = assumptions[sym]
        if sym.is_integer:
            return rng.randint(math.ceil(lo), math.floor(hi))
        return rng.uniform(lo, hi)
    if sym.is_integer:
        if sym.is_positive:
            return rng.randint(1, 7)
        if sym.is_nonnegative:
            return rng.randint(0, 7)
        return rng.randint(-6, 6)
    if sym.is_positive:
        return rng.uniform(0.1, 3.0)
    if sym.is_nonnegative:
        return rng.uniform(0.0, 3.0)
    if sym.is_negative:
        return rng.uniform(-3.0, -0.1)
    return rng.uniform(-2.0, 2.0)


def _eval_mp(expr: sp.Basic, point: Mapping[sp.Symbol, Any], dps: int = 50) -> list[complex]:
    values = []
    for entry in _entries(expr):
        v = entry.xreplace({k: sp.nsimplify(v) if isinstance(v, int) else sp.Float(v, dps) for k, v in point.items()})
        v = sp.N(v.doit(), dps)
        c = complex(v)
        values.append(c)
    return values


def _eval_f64(expr: sp.Basic, syms: Sequence[sp.Symbol], point: Mapping[sp.Symbol, Any]) -> list[complex]:
    out = []
    for entry in _entries(expr):
        f = sp.lambdify(list(syms), entry, modules=["numpy", "scipy"])
        with np.errstate(all="ignore"):
            out.append(complex(f(*[point[s] for s in syms])))
    return out


def _eval_derivatives(expr: sp.Basic) -> sp.Basic:
    if isinstance(expr, sp.MatrixBase):
        return expr.applyfunc(_eval_derivatives)
    return expr.replace(lambda e: isinstance(e, sp.Derivative), lambda e: e.doit())


def _numeric_compare(
    lhs: sp.Basic,
    rhs: sp.Basic,
    *,
    points: int,
    assumptions: Mapping[sp.Symbol, Interval] | None,
    seed: int,
    rtol: float,
) -> tuple[bool, str, dict | None]:
    """Compare two expressions at random points.

    Returns ``(agree, detail, counterexample)``. Raises :class:`DerivationError`
    when too few points can be evaluated.
    """
    # Unevaluated derivatives are evaluated symbolically first: substituting a number for the
    # variable of differentiation would make them meaningless.
    lhs, rhs = _eval_derivatives(lhs), _eval_derivatives(rhs)
    syms = sorted((lhs.free_symbols | rhs.free_symbols), key=lambda s: s.name)
    rng = random.Random(seed)
    good = 0
    attempts = 0
    used_mp = False
    while good < points and attempts < 20 * points:
        attempts += 1
        point = {s: _sample_value(s, rng, assumptions) for s in syms}
        ok = False
        try:
            a = _eval_f64(lhs, syms, point)
            b = _eval_f64(rhs, syms, point)
            finite = all(map(np.isfinite, a + b))
            if finite:
                ok = all(abs(x - y) <= rtol * max(1.0, abs(x), abs(y)) for x, y in zip(a, b, strict=True))
        except Exception:
            finite = False
        if not ok:
            # float64 may be ill-conditioned or unavailable: decide in 50-digit arithmetic.
            try:
                with mpmath.workdps(50):
                    a = _eval_mp(lhs, point)
                    b = _eval_mp(rhs, point)
            except Exception:
                continue
            if not all(map(np.isfinite, a + b)):
                continue
            used_mp = True
            ok = all(abs(x - y) <= 1e-12 * max(1.0, abs(x), abs(y)) for x, y in zip(a, b, strict=True))
            if not ok:
                residual = max(abs(x - y) for x, y in zip(a, b, strict=True))
                return (
                    False,
                    "",
                    {"point": {str(k): v for k, v in point.items()}, "lhs": a, "rhs": b, "residual": residual},
                )
        good += 1
    if good < points:
        raise DerivationError(
            f"could evaluate only {good} of {points} random points "
            f"(free symbols: {', '.join(map(str, syms)) or 'none'}); give sampling intervals in assumptions="
        )
    detail = f"{points} random points" + (" (50-digit)" if used_mp else "")
    return True, detail, None


def _fmt(x: Any) -> str:
    if isinstance(x, complex):
        if abs(x.imag) <= 1e-300:
            x = x.real
        else:
            return f"{x.real:.6g}{x.imag:+.6g}i"
    if isinstance(x, float):
        return f"{x:.6g}"
    return str(x)


# --------------------------------------------------------------------------- the chain


class Derivation:
    """A chain of machine-checked steps, rendered as LaTeX with check marks.

    >>> x = sp.Symbol("x")
    >>> d = Derivation("square of a sum")
    >>> _ = d.step((x + 1) ** 2, x**2 + 2 * x + 1, "expand")
    >>> d.summary()["symbolic"]
    1

    First used in chapter 9812.
    """

    def __init__(self, title: str, *, seed: int = 0) -> None:
        if not isinstance(title, str) or not title.strip():
            raise ValueError("Derivation needs a non-empty title (str)")
        self.title = title
        self.steps: list[Step] = []
        self._seed = seed
        self._last_rhs: sp.Basic | None = None

    # -- recording ---------------------------------------------------------
    def _record(self, lhs: Any, rel: str, rhs: Any, why: str, status: str, detail: str = "") -> None:
        if not isinstance(why, str):
            raise TypeError("why must be a str")
        lhs_tex = "" if (self._last_rhs is not None and lhs is self._last_rhs) else _tex(lhs)
        self.steps.append(Step(lhs_tex, rel, _tex(rhs), why, status, detail))
        self._last_rhs = rhs if isinstance(rhs, sp.Basic | sp.MatrixBase) else None

    def _next_seed(self) -> int:
        return self._seed * 1_000_003 + len(self.steps)

    def _fail(self, what: str, lhs: Any, rhs: Any, residual: Any = None, extra: str = "") -> DerivationError:
        msg = [f"[{self.title}] {what}", f"  lhs: {lhs}", f"  rhs: {rhs}"]
        if residual is not None:
            msg.append(f"  residual (lhs - rhs): {residual}")
        if extra:
            msg.append(f"  {extra}")
        return DerivationError("\n".join(msg))

    def define(self, lhs: Any, rhs: Any, why: str = "") -> Any:
        """Record a definition ``lhs := rhs`` (not checked). Returns ``rhs``."""
        rhs = _sympify(rhs, "rhs") if not isinstance(rhs, str) else rhs
        self._record(lhs, r":=", rhs, why, "definition")
        return rhs

    def step(
        self,
        lhs: Any,
        rhs: Any,
        why: str = "",
        *,
        check: str = "symbolic",
        assumptions: Mapping[sp.Symbol, Interval] | None = None,
        points: int = 24,
        rtol: float = 1e-9,
    ) -> Any:
        """Record ``lhs = rhs`` and check it; return ``rhs`` for chaining.

        ``check="symbolic"``: sympy must prove ``lhs - rhs == 0``; if it cannot
        decide, the step raises (after a numeric test, so the message says whether
        the step is false or merely beyond sympy). ``check="numeric"``: both sides
        are compared at ``points`` random points. ``assumptions`` maps symbols to
        sampling intervals ``(lo, hi)``; an interval with ``lo >= 0`` also lets the
        symbolic check treat the symbol as positive.
        """
        if check not in ("symbolic", "numeric"):
            raise ValueError(f"check must be 'symbolic' or 'numeric', got {check!r}")
        _check_assumptions(assumptions)
        L, R = _sympify(lhs, "lhs"), _sympify(rhs, "rhs")
        if isinstance(L, sp.MatrixBase) != isinstance(R, sp.MatrixBase) or (
            isinstance(L, sp.MatrixBase) and L.shape != R.shape
        ):
            raise self._fail("the two sides have different shapes", L, R)
        if check == "symbolic" and _is_zero_symbolic(_positive_symbols(L - R, assumptions)):
            self._record(lhs, "=", rhs, why, "symbolic", "sympy")
            return rhs
        agree, detail, cex = _numeric_compare(
            L, R, points=points, assumptions=assumptions, seed=self._next_seed(), rtol=rtol
        )
        if not agree:
            raise self._fail(
                "step is false",
                L,
                R,
                residual=_fmt(cex["residual"]),
                extra=f"at {cex['point']}: lhs = {list(map(_fmt, cex['lhs']))}, rhs = {list(map(_fmt, cex['rhs']))}",
            )
        if check == "symbolic":
            raise self._fail(
                "sympy could not prove this step (it agrees at random points); "
                "pass check='numeric' to accept a numeric check",
                L,
                R,
            )
        self._record(lhs, "=", rhs, why, "numeric", detail)
        return rhs

    def refute(
        self,
        lhs: Any,
        rhs: Any,
        why: str,
        *,
        assumptions: Mapping[sp.Symbol, Interval] | None = None,
        points: int = 24,
    ) -> dict:
        """Record that ``lhs = rhs`` is FALSE (an erratum) and return the counter-example.

        Raises :class:`DerivationError` when no counter-example is found, i.e. when
        the step we call false is in fact true at every random point.
        """
        _check_assumptions(assumptions)
        L, R = _sympify(lhs, "lhs"), _sympify(rhs, "rhs")
        agree, _detail, cex = _numeric_compare(
            L, R, points=points, assumptions=assumptions, seed=self._next_seed(), rtol=1e-9
        )
        if agree:
            raise self._fail("refute(): no counter-example found, the step holds at every random point", L, R)
        where = ", ".join(f"{k}={_fmt(v)}" for k, v in cex["point"].items())
        self._record(lhs, r"\neq", rhs, why, "refuted", f"counter-example at {where}" if where else "")
        return cex

    def approx(self, lhs: Any, rhs: Any, why: str, *, error: float | str, max_error: float | None = None) -> Any:
        """Record an approximation ``lhs ≈ rhs`` with its *measured* error.

        ``error`` is the measured error (a number, or a short text such as
        ``"rel. err 2.3e-3 at n=512"``). If ``max_error`` is given, a numeric
        ``error`` above it raises.
        """
        if isinstance(error, bool) or not isinstance(error, int | float | str):
            raise TypeError("error must be a number or a str describing the measured error")
        if isinstance(error, int | float) and not math.isfinite(error):
            raise ValueError(f"error must be finite, got {error}")
        if max_error is not None:
            if not isinstance(error, int | float):
                raise TypeError("max_error needs a numeric error")
            if error > max_error:
                raise self._fail(f"approximation error {error:.3g} exceeds max_error {max_error:.3g}", lhs, rhs)
        text = error if isinstance(error, str) else f"measured error {error:.3g}"
        self._record(lhs, r"\approx", rhs, why, "approximation", text)
        return rhs

    def limit(
        self, expr: Any, var: sp.Symbol, point: Any, expected: Any, why: str = "", *, direction: str = "+"
    ) -> Any:
        """Check ``lim_{var -> point} expr == expected`` with :func:`sympy.limit`."""
        if direction not in ("+", "-", "+-"):
            raise ValueError("direction must be '+', '-' or '+-'")
        E, X = _sympify(expr, "expr"), _sympify(expected, "expected")
        got = sp.limit(E, var, point, dir=direction)
        same = got == X or (got.is_finite is not False and X.is_finite is not False and _is_zero_symbolic(got - X))
        if not same:
            raise self._fail(f"limit as {var} -> {point} is {got}, not {X}", E, X)
        lhs_tex = rf"\lim_{{{sp.latex(var)} \to {sp.latex(sp.sympify(point))}}} {sp.latex(E)}"
        self._record(lhs_tex, "=", X, why, "symbolic", "sympy.limit")
        return X

    def integral(
        self,
        integrand: Any,
        var: sp.Symbol,
        lower: Any,
        upper: Any,
        expected: Any,
        why: str = "",
        *,
        check: str = "symbolic",
        assumptions: Mapping[sp.Symbol, Interval] | None = None,
        points: int = 6,
    ) -> Any:
        """Check ``∫_lower^upper integrand d var == expected``.

        ``check="symbolic"`` uses :func:`sympy.integrate`; ``check="numeric"``
        compares mpmath quadrature with ``expected`` at random values of the other
        symbols.
        """
        if check not in ("symbolic", "numeric"):
            raise ValueError(f"check must be 'symbolic' or 'numeric', got {check!r}")
        _check_assumptions(assumptions)
        f, X = _sympify(integrand, "integrand"), _sympify(expected, "expected")
        a, b = _sympify(lower, "lower"), _sympify(upper, "upper")
        lhs_tex = rf"\int_{{{sp.latex(a)}}}^{{{sp.latex(b)}}} {sp.latex(f)}\, d{sp.latex(var)}"
        if check == "symbolic":
            got = sp.integrate(_positive_symbols(f, assumptions), (var, a, b), conds="none")
            back = {d: s for s in (assumptions or {}) for d in got.free_symbols if getattr(d, "name", None) == s.name}
            got = got.xreplace(back)
            if isinstance(got, sp.Integral) or not _is_zero_symbolic(_positive_symbols(got - X, assumptions)):
                raise self._fail("sympy.integrate does not give the expected value", got, X)
            self._record(lhs_tex, "=", X, why, "symbolic", "sympy.integrate")
            return X
        others = sorted(
            (f.free_symbols | X.free_symbols | a.free_symbols | b.free_symbols) - {var}, key=lambda s: s.name
        )
        rng = random.Random(self._next_seed())
        for _ in range(points):
            pt = {s: _sample_value(s, rng, assumptions) for s in others}
            fs = f.xreplace({k: sp.Float(v, 30) for k, v in pt.items()})
            g = sp.lambdify([var], fs, modules="mpmath")
            with mpmath.workdps(30):
                lo = (
                    mpmath.mpf(sp.N(a.xreplace(pt), 30))
                    if a.is_finite is not False
                    else (-mpmath.inf if a == -sp.oo else mpmath.inf)
                )
                hi = (
                    mpmath.mpf(sp.N(b.xreplace(pt), 30))
                    if b.is_finite is not False
                    else (mpmath.inf if b == sp.oo else -mpmath.inf)
                )
                got = complex(mpmath.quad(g, [lo, hi]))
                want = complex(sp.N(X.xreplace(pt), 30))
            if abs(got - want) > 1e-10 * max(1.0, abs(want)):
                raise self._fail("quadrature disagrees", got, want, residual=_fmt(got - want), extra=f"at {pt}")
        self._record(lhs_tex, "=", X, why, "numeric", f"mpmath.quad at {points} random points")
        return X

    def series(self, expr: Any, var: sp.Symbol, point: Any, order: int, expected: Any, why: str = "") -> Any:
        """Check that the Taylor/asymptotic series of ``expr`` to ``O(var**order)`` equals ``expected``."""
        if not isinstance(order, int) or order < 1:
            raise ValueError("order must be a positive int")
        E, X = _sympify(expr, "expr"), _sympify(expected, "expected")
        got = sp.series(E, var, point, order).removeO()
        if not _is_zero_symbolic(got - X):
            raise self._fail("series disagrees", got, X)
        big_o = sp.latex(sp.O(var**order, (var, point)))
        self._record(E, "=", sp.latex(X) + " + " + big_o, why, "symbolic", "sympy.series")
        return X

    def inequality(
        self,
        lhs: Any,
        rhs: Any,
        why: str = "",
        *,
        rel: str = "<=",
        samples: int = 2000,
        assumptions: Mapping[sp.Symbol, Interval] | None = None,
        atol: float = 0.0,
    ) -> Any:
        """Check ``lhs rel rhs`` (rel one of ``<=, <, >=, >``) at random samples.

        The symbols are drawn from ``assumptions`` intervals (or defaults from the
        symbols' own assumptions). One violation beyond ``atol`` raises, with the
        point. Status: ``numeric``.
        """
        ops = {"<=": np.less_equal, "<": np.less, ">=": np.greater_equal, ">": np.greater}
        if rel not in ops:
            raise ValueError(f"rel must be one of {list(ops)}, got {rel!r}")
        if not isinstance(samples, int) or samples < 1:
            raise ValueError("samples must be a positive int")
        _check_assumptions(assumptions)
        L, R = _sympify(lhs, "lhs"), _sympify(rhs, "rhs")
        syms = sorted(L.free_symbols | R.free_symbols, key=lambda s: s.name)
        rng = random.Random(self._next_seed())
        cols = {s: np.array([_sample_value(s, rng, assumptions) for _ in range(samples)], dtype=float) for s in syms}
        fl = sp.lambdify(syms, L, modules=["numpy", "scipy"])
        fr = sp.lambdify(syms, R, modules=["numpy", "scipy"])
        with np.errstate(all="ignore"):
            a = np.broadcast_to(np.asarray(fl(*[cols[s] for s in syms]), dtype=float), (samples,))
            b = np.broadcast_to(np.asarray(fr(*[cols[s] for s in syms]), dtype=float), (samples,))
        finite = np.isfinite(a) & np.isfinite(b)
        if finite.sum() < max(1, samples // 2):
            raise self._fail(f"only {int(finite.sum())} of {samples} samples evaluate to finite numbers", L, R)
        shift = {"<=": atol, "<": atol, ">=": -atol, ">": -atol}[rel]
        ok = ops[rel](a[finite], b[finite] + shift)
        if not ok.all():
            i = int(np.flatnonzero(finite)[np.argmin(ok)])
            pt = {str(s): float(cols[s][i]) for s in syms}
            raise self._fail(f"inequality {rel} fails", L, R, residual=_fmt(float(a[i] - b[i])), extra=f"at {pt}")
        tex_rel = {"<=": r"\le", "<": "<", ">=": r"\ge", ">": ">"}[rel]
        self._record(lhs, tex_rel, rhs, why, "numeric", f"{int(finite.sum())} random samples")
        return rhs

    def computed(
        self,
        statement: str,
        value: Any,
        expected: Any,
        why: str = "",
        *,
        check: str = "enumeration",
        rtol: float = 0.0,
        atol: float = 0.0,
        stderr: float | None = None,
        sigmas: float = 4.0,
    ) -> Any:
        """Record that a computed ``value`` equals ``expected``.

        ``check="enumeration"`` (exact, or within ``atol``/``rtol``),
        ``check="numeric"`` (``rtol`` defaults to 1e-9), or ``check="montecarlo"``
        (needs ``stderr``; passes when ``|value - expected| <= sigmas*stderr + atol``).
        ``statement`` is the LaTeX of the left-hand side, e.g. ``r"\\sum_x P(x)"``.
        """
        if check not in ("enumeration", "numeric", "montecarlo"):
            raise ValueError(f"check must be 'enumeration', 'numeric' or 'montecarlo', got {check!r}")
        if not isinstance(statement, str):
            raise TypeError("statement must be a LaTeX str")
        if check == "montecarlo":
            if stderr is None or not (isinstance(stderr, int | float) and math.isfinite(stderr) and stderr >= 0):
                raise ValueError("a montecarlo check needs a finite stderr >= 0")
            diff = abs(float(value) - float(expected))
            if diff > sigmas * stderr + atol:
                raise self._fail(
                    f"Monte Carlo estimate is {diff / max(stderr, 1e-300):.1f} standard errors away", value, expected
                )
            detail = f"|Δ| = {diff:.2g} ≤ {sigmas:g}·{stderr:.2g}"
            shown = rf"{_fmt(float(value))} \pm {_fmt(float(stderr))}"
        else:
            if check == "numeric" and rtol == 0 and atol == 0:
                rtol = 1e-9
            if rtol == 0 and atol == 0:
                same = value == expected
                if isinstance(same, np.ndarray):
                    same = bool(same.all())
            else:
                same = bool(np.allclose(value, expected, rtol=rtol, atol=atol))
            if not same:
                raise self._fail(f"{check} check fails for {statement}", value, expected)
            detail = "exact" if (rtol == 0 and atol == 0) else f"rtol={rtol:g}, atol={atol:g}"
            shown = _tex(expected) if isinstance(expected, sp.Basic) else _fmt(expected)
        self._record(statement, "=", shown, why, check, detail)
        return value

    def holds(
        self, statement: str, condition: bool, why: str = "", *, check: str = "enumeration", detail: str = ""
    ) -> bool:
        """Record a computed boolean fact (e.g. "every segmentation was visited"); False raises."""
        if check not in ("enumeration", "numeric", "montecarlo"):
            raise ValueError(f"check must be 'enumeration', 'numeric' or 'montecarlo', got {check!r}")
        if not isinstance(condition, bool | np.bool_):
            raise TypeError(f"condition must be a bool, got {type(condition).__name__}")
        if not condition:
            raise self._fail(f"stated fact is false: {statement}", statement, True)
        self.steps.append(Step(statement, "", "", why, check, detail))
        self._last_rhs = None
        return True

    # -- reporting -----------------------------------------------------------
    def summary(self) -> dict[str, int]:
        """Counts of steps by status (every status present, zeros included)."""
        counts = dict.fromkeys(STATUSES, 0)
        for s in self.steps:
            counts[s.status] += 1
        return counts

    def __len__(self) -> int:
        return len(self.steps)

    def to_latex(self) -> str:
        """The chain as an ``aligned`` LaTeX block, each line tagged with its check."""
        lines = []
        for s in self.steps:
            tag = _MARK[s.status].split(" ", 1)[1]
            lines.append(rf"{s.lhs} &{s.rel} {s.rhs} && \text{{[{tag}] {_latex_text(s.why)}}}")
        return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"

    def to_markdown(self) -> str:
        rows = [f"**{self.title}**", "", "| | check | step | why |", "|---|---|---|---|"]
        for i, s in enumerate(self.steps, 1):
            body = f"{s.lhs} {s.rel} {s.rhs}".strip() if s.rel else s.lhs
            math_cell = f"${_safe_md(body)}$" if body else ""
            check = _MARK[s.status] + (f" ({s.detail})" if s.detail else "")
            rows.append(f"| {i} | {_md_text(check)} | {math_cell} | {_md_text(s.why)} |")
        counts = ", ".join(f"{v} {k}" for k, v in self.summary().items() if v)
        rows += ["", f"*{len(self.steps)} steps: {counts}.*"]
        return "\n".join(rows)

    def to_text(self) -> str:
        out = [self.title]
        for i, s in enumerate(self.steps, 1):
            out.append(f"  {i:2d}. [{s.status}] {s.lhs} {s.rel} {s.rhs}  -- {s.why}")
        return "\n".join(out)

    def to_json(self) -> dict:
        return {"title": self.title, "summary": self.summary(), "steps": len(self.steps)}

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {
            "text/plain": self.to_text(),
            "text/markdown": self.to_markdown(),
            MIME_TYPE: json.loads(json.dumps(self.to_json())),
        }

    def __repr__(self) -> str:
        return f"Derivation({self.title!r}, steps={len(self.steps)})"


def _md_text(s: str) -> str:
    """Plain text inside a Markdown table cell: escape the cell separator."""
    return s.replace("|", "\\|").replace("\n", " ")


def _latex_text(s: str) -> str:
    return s.replace("\\", "").replace("{", r"\{").replace("}", r"\}").replace("$", "")


def _check_assumptions(assumptions: Mapping[sp.Symbol, Interval] | None) -> None:
    if assumptions is None:
        return
    if not isinstance(assumptions, Mapping):
        raise TypeError("assumptions must be a mapping {symbol: (lo, hi)}")
    for k, v in assumptions.items():
        if not isinstance(k, sp.Symbol):
            raise TypeError(f"assumptions keys must be sympy Symbols, got {k!r}")
        if not (isinstance(v, tuple | list) and len(v) == 2):
            raise TypeError(f"assumptions[{k}] must be an interval (lo, hi), got {v!r}")
        lo, hi = v
        if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
            raise ValueError(f"assumptions[{k}] must be a finite interval with lo < hi, got {v!r}")
