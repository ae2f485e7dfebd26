"""kexue_lab.derive: true steps pass with the right status, false steps raise."""

from __future__ import annotations

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from kexue_lab.derive import STATUSES, Derivation, DerivationError

x, y = sp.symbols("x y", real=True)
a = sp.Symbol("a", positive=True)
n = sp.Symbol("n", integer=True, positive=True)


def test_true_symbolic_step_is_marked_symbolic():
    d = Derivation("t")
    out = d.step((x + y) ** 2, x**2 + 2 * x * y + y**2, "expand")
    assert out == x**2 + 2 * x * y + y**2
    assert d.summary()["symbolic"] == 1


def test_false_step_raises_with_both_sides_and_residual():
    d = Derivation("t")
    with pytest.raises(DerivationError) as info:
        d.step((x + 1) ** 2, x**2 + 1, "wrong expansion")
    msg = str(info.value)
    assert "step is false" in msg and "lhs" in msg and "rhs" in msg and "residual" in msg
    assert len(d) == 0


def test_false_numeric_step_raises():
    d = Derivation("t")
    with pytest.raises(DerivationError, match="false"):
        d.step(sp.sin(x) ** 2 + sp.cos(x) ** 2, 1.0001, check="numeric")


def test_step_sympy_cannot_decide_raises_unless_numeric():
    # Gamma(x) Gamma(1-x) = pi / sin(pi x): true, but plain simplify does not prove it.
    lhs, rhs = sp.gamma(a) * sp.gamma(1 - a), sp.pi / sp.sin(sp.pi * a)
    d = Derivation("reflection")
    try:
        d.step(lhs, rhs, "reflection formula")
        assert d.steps[-1].status == "symbolic"
    except DerivationError as e:
        assert "could not prove" in str(e)
    d2 = Derivation("reflection")
    d2.step(lhs, rhs, "reflection formula", check="numeric", assumptions={a: (0.1, 0.9)})
    assert d2.steps[-1].status == "numeric"


def test_numeric_uses_high_precision_when_float64_cancels():
    # (1 + 1e-20 x) - 1 = 1e-20 x: float64 loses everything, 50 digits do not.
    d = Derivation("cancellation")
    d.step((1 + sp.Rational(1, 10**20) * x) - 1 - sp.Rational(1, 10**20) * x, 0, check="numeric")
    assert d.steps[-1].status == "numeric"


def test_assumption_interval_makes_symbol_positive_for_symbolic_check():
    z = sp.Symbol("z")
    d = Derivation("sqrt")
    d.step(sp.sqrt(z**2), z, "z > 0", assumptions={z: (0.5, 3.0)})
    assert d.steps[-1].status == "symbolic"


def test_matrix_steps_and_shape_mismatch():
    d = Derivation("m")
    M = sp.Matrix([[x, 1], [0, x]])
    d.step(M * M, sp.Matrix([[x**2, 2 * x], [0, x**2]]), "square")
    with pytest.raises(DerivationError, match="shapes"):
        d.step(M, sp.Matrix([x, 1]))


def test_define_and_approx_statuses():
    d = Derivation("t")
    d.define(sp.Symbol("F"), a * (1 - sp.exp(a**2) / n), "surrogate")
    d.approx(sp.Symbol("S"), sp.Symbol("E"), "mean field", error=0.02)
    assert d.summary()["definition"] == 1 and d.summary()["approximation"] == 1
    with pytest.raises(DerivationError, match="exceeds"):
        d.approx(sp.Symbol("S"), sp.Symbol("E"), "mean field", error=0.5, max_error=0.1)
    with pytest.raises(TypeError):
        d.approx(1, 2, "x", error=True)
    with pytest.raises(ValueError):
        d.approx(1, 2, "x", error=float("nan"))


def test_limit_true_and_false():
    d = Derivation("t")
    d.limit(sp.sin(x) / x, x, 0, 1, "classic")
    d.limit(a * sp.exp(-a), a, sp.oo, 0, "decay")
    with pytest.raises(DerivationError, match="limit"):
        d.limit(sp.sin(x) / x, x, 0, 2)
    with pytest.raises(ValueError):
        d.limit(x, x, 0, 0, direction="up")


def test_integral_symbolic_numeric_and_false():
    s = sp.Symbol("s", real=True)
    gauss = sp.exp(-(s**2) / 2) / sp.sqrt(2 * sp.pi)
    d = Derivation("mgf")
    d.integral(gauss * sp.exp(a * s), s, -sp.oo, sp.oo, sp.exp(a**2 / 2), "Gaussian MGF")
    d.integral(gauss * sp.exp(a * s), s, -sp.oo, sp.oo, sp.exp(a**2 / 2), "again", check="numeric")
    assert [st.status for st in d.steps] == ["symbolic", "numeric"]
    with pytest.raises(DerivationError):
        d.integral(gauss * sp.exp(a * s), s, -sp.oo, sp.oo, sp.exp(a**2), "wrong")
    with pytest.raises(DerivationError):
        d.integral(gauss * sp.exp(a * s), s, -sp.oo, sp.oo, sp.exp(a**2), "wrong", check="numeric")


def test_series_true_and_false():
    d = Derivation("t")
    d.series(sp.exp(x), x, 0, 3, 1 + x + x**2 / 2, "Taylor")
    with pytest.raises(DerivationError):
        d.series(sp.exp(x), x, 0, 3, 1 + x, "truncated wrongly")
    with pytest.raises(ValueError):
        d.series(sp.exp(x), x, 0, 0, 1)


def test_inequality_true_false_and_bad_rel():
    d = Derivation("t")
    d.inequality(sp.log(1 + a), a, "log(1+a) <= a")
    with pytest.raises(DerivationError, match="fails"):
        d.inequality(a, sp.log(1 + a), "reversed")
    with pytest.raises(ValueError):
        d.inequality(a, a, rel="=<")
    with pytest.raises(ValueError):
        d.inequality(a, a, samples=0)


def test_inequality_counterexample_only_in_a_corner_is_found():
    # x^2 <= 3.9 fails only for |x| > 1.975 (inside the default sampling box [-2, 2]).
    d = Derivation("t")
    with pytest.raises(DerivationError):
        d.inequality(x**2, 3.9, samples=4000)


def test_computed_enumeration_numeric_montecarlo():
    d = Derivation("t")
    d.computed(r"\sum_i p_i", 6, 6, "count", check="enumeration")
    d.computed(r"E", 1.0 + 1e-12, 1.0, "float", check="numeric")
    d.computed(r"\hat{E}", 0.52, 0.5, "MC", check="montecarlo", stderr=0.01)
    assert d.summary()["enumeration"] == 1 and d.summary()["numeric"] == 1 and d.summary()["montecarlo"] == 1
    with pytest.raises(DerivationError):
        d.computed(r"\sum", 5, 6, check="enumeration")
    with pytest.raises(DerivationError, match="standard errors"):
        d.computed(r"\hat{E}", 0.6, 0.5, check="montecarlo", stderr=0.01)
    with pytest.raises(ValueError, match="stderr"):
        d.computed(r"\hat{E}", 0.6, 0.5, check="montecarlo")
    with pytest.raises(ValueError):
        d.computed(r"x", 1, 1, check="proof")
    with pytest.raises(TypeError):
        d.computed(1, 1, 1)


def test_holds_and_refute():
    d = Derivation("t")
    d.holds(r"\text{all cases visited}", True, check="enumeration")
    with pytest.raises(DerivationError):
        d.holds(r"\text{false fact}", False)
    with pytest.raises(TypeError):
        d.holds(r"x", 1)
    cex = d.refute(sp.sqrt(x**2), x, "sqrt(x^2) = x is false for x < 0")
    assert cex["point"]["x"] < 0
    assert d.summary()["refuted"] == 1
    with pytest.raises(DerivationError, match="no counter-example"):
        d.refute((x + 1) ** 2, x**2 + 2 * x + 1, "this is true")


def test_bad_arguments():
    with pytest.raises(ValueError):
        Derivation("")
    d = Derivation("t")
    with pytest.raises(ValueError):
        d.step(x, x, check="maybe")
    with pytest.raises(TypeError):
        d.step(True, 1)
    with pytest.raises(TypeError):
        d.step(x, x, assumptions={"x": (0, 1)})
    with pytest.raises(ValueError):
        d.step(x, x, assumptions={x: (1, 0)})
    with pytest.raises(TypeError):
        d.step(x, x, assumptions=[(x, (0, 1))])
    with pytest.raises(TypeError):
        d.step(x, x, why=3)
    with pytest.raises(TypeError):
        d.step(object(), x)


def test_rendering_markdown_latex_and_summary():
    d = Derivation("chain")
    e = d.define(sp.Symbol("E"), sp.Abs(x) + 1, "with a |pipe|")
    d.step(e, sp.Abs(x) + 1, "same")
    md = d.to_markdown()
    assert "**chain**" in md and "✔ symbolic" in md and "≔ definition" in md
    # absolute-value bars must not split the Markdown table cells
    for line in md.splitlines():
        if line.startswith("| 1 "):
            assert line.count("|") - line.count("\\|") == 5
    assert r"\begin{aligned}" in d.to_latex()
    bundle = d._repr_mimebundle_()
    assert {"text/plain", "text/markdown", "application/vnd.kexue.derivation+json"} <= bundle.keys()
    assert set(d.summary()) == set(STATUSES)
    # a step whose lhs is the previous rhs is rendered as a continuation
    assert d.steps[1].lhs == ""


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=-5, max_value=5), st.integers(min_value=1, max_value=5))
def test_any_wrong_constant_is_caught(k, m):
    d = Derivation("t")
    if k == 0:
        d.step((x + k) ** m, sp.expand((x + k) ** m), "binomial")
    with pytest.raises(DerivationError):
        d.step((x + k) ** m, sp.expand((x + k) ** m) + sp.Rational(1, 7), "off by 1/7")


def test_numeric_step_with_unevaluated_derivative():
    d = Derivation("t")
    d.step(sp.Derivative(x**3, x), 3 * x**2, "power rule", check="numeric")
    assert d.steps[-1].status == "numeric"
    with pytest.raises(DerivationError, match="false"):
        d.step(sp.Derivative(x**3, x), 2 * x**2, check="numeric")
