"""Tests for kexue_lab.attention (chapter 9812, the attention scale)."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize, special, stats

from kexue_lab import attention as att
from kexue_lab.attention import (
    cosine_log_mgf,
    exact_grad_objective,
    l1_grad_objective,
    l1_grad_objective_grid,
    mc_grad_objective,
    optimal_alpha_cosine,
    optimal_alpha_normal,
    sample_logits,
    sdpa,
    softmax_jacobian,
    surrogate_objective,
)

f64 = torch.float64


# --------------------------------------------------------------------------- softmax_jacobian


def test_jacobian_matches_autograd():
    g = torch.Generator().manual_seed(1)
    s = torch.randn(3, 7, dtype=f64, generator=g)
    for alpha in (0.3, 1.0, 4.0):
        ours = softmax_jacobian(s, alpha)
        for b in range(3):
            ref = torch.autograd.functional.jacobian(lambda x, a=alpha: torch.softmax(a * x, -1), s[b])
            torch.testing.assert_close(ours[b], ref, rtol=0, atol=1e-13)


def test_jacobian_rows_sum_to_zero_and_is_symmetric():
    s = torch.randn(5, 9, dtype=f64)
    J = softmax_jacobian(s, 2.0)
    torch.testing.assert_close(J.sum(-1), torch.zeros(5, 9, dtype=f64), atol=1e-15, rtol=0)
    torch.testing.assert_close(J, J.transpose(-1, -2))


def test_jacobian_other_dim_moves_keys_last():
    s = torch.randn(4, 6, 3, dtype=f64)
    J = softmax_jacobian(s, 1.5, dim=1)
    assert J.shape == (4, 3, 6, 6)
    torch.testing.assert_close(J, softmax_jacobian(s.movedim(1, -1), 1.5))


def test_jacobian_vanishes_at_alpha_zero_and_huge_alpha():
    s = torch.tensor([0.0, 1.0, 2.0], dtype=f64)
    assert softmax_jacobian(s, 0.0).abs().max() == 0
    assert softmax_jacobian(s, 1e3).abs().max() < 1e-6


def test_jacobian_refuses_large_n_unless_allowed():
    s = torch.zeros(10_001, dtype=torch.float32)
    with pytest.raises(ValueError, match="allow_large"):
        softmax_jacobian(s)


@pytest.mark.parametrize(
    ("s", "kwargs", "exc", "msg"),
    [
        ([0.0, 1.0], {}, TypeError, "torch.Tensor"),
        (torch.tensor([1, 2]), {}, TypeError, "floating dtype"),
        (torch.tensor([0.0, float("nan")]), {}, ValueError, "finite"),
        (torch.tensor(1.0), {}, ValueError, "at least one dimension"),
        (torch.zeros(2, 0), {}, ValueError, "no keys"),
        (torch.zeros(3), {"alpha": -1.0}, ValueError, ">= 0"),
        (torch.zeros(3), {"alpha": float("inf")}, ValueError, "finite"),
        (torch.zeros(3), {"alpha": True}, TypeError, "real number"),
        (torch.zeros(3), {"alpha": "1"}, TypeError, "real number"),
        (torch.zeros(3), {"dim": 1}, ValueError, "out of range"),
        (torch.zeros(3), {"dim": 0.5}, TypeError, "dim must be an int"),
    ],
)
def test_jacobian_bad_arguments(s, kwargs, exc, msg):
    with pytest.raises(exc, match=msg):
        softmax_jacobian(s, **kwargs)


# --------------------------------------------------------------------------- l1_grad_objective


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 40),
    alpha=st.floats(0.0, 50.0),
    seed=st.integers(0, 2**31 - 1),
)
def test_l1_objective_is_half_the_l1_norm_of_the_jacobian(n, alpha, seed):
    g = torch.Generator().manual_seed(seed)
    s = torch.randn(n, dtype=f64, generator=g)
    half_l1 = 0.5 * softmax_jacobian(s, alpha).abs().sum()
    p = torch.softmax(alpha * s, -1)
    naive = alpha * (1 - (p**2).sum())
    ours = l1_grad_objective(s, alpha)
    assert ours.item() == pytest.approx(half_l1.item(), rel=1e-9, abs=1e-12)
    assert ours.item() == pytest.approx(naive.item(), rel=1e-9, abs=1e-12)


def test_l1_objective_keeps_relative_precision_for_huge_alpha():
    s = torch.tensor([0.0, 0.9, 1.0], dtype=f64)
    for alpha in (50.0, 500.0, 5000.0):
        with mpmath.workdps(60):
            e = [mpmath.e ** (alpha * mpmath.mpf(x)) for x in (0, "0.9", 1)]
            z = sum(e)
            ref = alpha * (1 - sum((x / z) ** 2 for x in e))
        got = l1_grad_objective(s, alpha).item()
        assert got > 0
        assert got == pytest.approx(float(ref), rel=1e-10)


def test_l1_objective_tie_grows_linearly():
    s = torch.tensor([1.0, 1.0, 0.0], dtype=f64)
    assert l1_grad_objective(s, 1e4).item() == pytest.approx(0.5e4, rel=1e-12)


def test_l1_objective_broadcasts_alpha_tensor():
    s = torch.randn(5, 8, dtype=f64)
    alphas = torch.tensor([0.5, 1.0, 3.0], dtype=f64).reshape(3, 1, 1)
    out = l1_grad_objective(s, alphas)
    assert out.shape == (3, 5)
    for i, a in enumerate((0.5, 1.0, 3.0)):
        torch.testing.assert_close(out[i], l1_grad_objective(s, a))
    # integer alpha tensors are cast
    torch.testing.assert_close(l1_grad_objective(s, torch.tensor(2)), l1_grad_objective(s, 2.0))


def test_l1_objective_along_first_dim():
    s = torch.randn(6, 4, dtype=f64)
    torch.testing.assert_close(l1_grad_objective(s, 2.0, dim=0), l1_grad_objective(s.T, 2.0))


@pytest.mark.parametrize(
    ("alpha", "exc", "msg"),
    [
        (torch.tensor([float("nan")]), ValueError, "finite"),
        (torch.tensor([-1.0]), ValueError, ">= 0"),
        (torch.ones(3, 4), ValueError, "size 1 along the key axis"),
        (-0.5, ValueError, ">= 0"),
        (None, TypeError, "real number"),
    ],
)
def test_l1_objective_bad_alpha(alpha, exc, msg):
    with pytest.raises(exc, match=msg):
        l1_grad_objective(torch.zeros(2, 4, dtype=f64), alpha)


def test_l1_objective_bad_s():
    with pytest.raises(TypeError, match="floating"):
        l1_grad_objective(torch.tensor([1, 2]), 1.0)
    with pytest.raises(ValueError, match="no keys"):
        l1_grad_objective(torch.zeros(3, 0), 1.0)
    with pytest.raises(ValueError, match="out of range"):
        l1_grad_objective(torch.zeros(3), 1.0, dim=2)


# --------------------------------------------------------------------------- sdpa


@settings(max_examples=40, deadline=None)
@given(
    L=st.integers(1, 6),
    S=st.integers(1, 7),
    E=st.integers(1, 5),
    Ev=st.integers(1, 4),
    scale=st.one_of(st.none(), st.floats(0.0, 5.0)),
    mode=st.sampled_from(["none", "causal", "bool", "float"]),
    seed=st.integers(0, 2**31 - 1),
)
def test_sdpa_matches_torch(L, S, E, Ev, scale, mode, seed):
    g = torch.Generator().manual_seed(seed)
    q = torch.randn(2, 3, L, E, dtype=f64, generator=g)
    k = torch.randn(2, 3, S, E, dtype=f64, generator=g)
    v = torch.randn(2, 3, S, Ev, dtype=f64, generator=g)
    kwargs: dict = {}
    ref_kwargs: dict = {}
    if mode == "causal":
        kwargs["causal"] = ref_kwargs["is_causal"] = True
    elif mode == "bool":
        m = torch.rand(L, S, generator=g) > 0.3
        kwargs["attn_mask"] = ref_kwargs["attn_mask"] = m
    elif mode == "float":
        m = torch.randn(L, S, dtype=f64, generator=g)
        kwargs["attn_mask"] = ref_kwargs["attn_mask"] = m
    ours = sdpa(q, k, v, scale=scale, **kwargs)
    ref = F.scaled_dot_product_attention(q, k, v, scale=scale, **ref_kwargs)
    torch.testing.assert_close(ours, ref, rtol=0, atol=1e-12)


def test_sdpa_returns_weights_that_are_a_softmax():
    q, k, v = (torch.randn(4, 3, dtype=f64) for _ in range(3))
    out, w = sdpa(q, k, v, return_weights=True)
    torch.testing.assert_close(w, torch.softmax(q @ k.T / math.sqrt(3), -1))
    torch.testing.assert_close(out, w @ v)


def test_sdpa_fully_masked_row_is_zero_like_torch():
    q, k, v = (torch.randn(3, 2, dtype=f64) for _ in range(3))
    m = torch.ones(3, 3, dtype=torch.bool)
    m[1] = False
    out, w = sdpa(q, k, v, attn_mask=m, return_weights=True)
    assert torch.all(out[1] == 0) and torch.all(w[1] == 0)
    torch.testing.assert_close(out, F.scaled_dot_product_attention(q[None], k[None], v[None], attn_mask=m)[0])


@pytest.mark.parametrize(
    ("change", "exc", "msg"),
    [
        ({"q": [[1.0]]}, TypeError, "q must be a torch.Tensor"),
        ({"k": torch.ones(2, 2, dtype=torch.long)}, TypeError, "floating dtype"),
        ({"v": torch.ones(2)}, ValueError, "at least 2 dimensions"),
        ({"v": torch.ones(2, 2, dtype=torch.float32)}, TypeError, "share one dtype"),
        ({"k": torch.ones(2, 3, dtype=f64)}, ValueError, "same feature size"),
        ({"v": torch.ones(3, 2, dtype=f64)}, ValueError, "same number of keys"),
        ({"scale": -1.0}, ValueError, ">= 0"),
        ({"scale": float("nan")}, ValueError, "finite"),
        ({"causal": 1}, TypeError, "causal must be a bool"),
        ({"return_weights": "yes"}, TypeError, "return_weights must be a bool"),
        ({"causal": True, "attn_mask": torch.ones(2, 2, dtype=torch.bool)}, ValueError, "not both"),
        ({"attn_mask": [[True]]}, TypeError, "attn_mask must be a torch.Tensor"),
        ({"attn_mask": torch.ones(3, 3, dtype=torch.bool)}, ValueError, "does not broadcast"),
        ({"attn_mask": torch.ones(2, 2, dtype=torch.long)}, TypeError, "bool or floating"),
    ],
)
def test_sdpa_bad_arguments(change, exc, msg):
    args = {"q": torch.ones(2, 2, dtype=f64), "k": torch.ones(2, 2, dtype=f64), "v": torch.ones(2, 2, dtype=f64)}
    for key in ("q", "k", "v"):
        if key in change:
            args[key] = change.pop(key)
    with pytest.raises(exc, match=msg):
        sdpa(args["q"], args["k"], args["v"], **change)


# --------------------------------------------------------------------------- the normal surrogate


def test_optimal_alpha_normal_known_values_and_stationarity():
    ns = np.array([40, 512, 20000])
    a = optimal_alpha_normal(ns)
    np.testing.assert_allclose(a, [1.434199, 2.008395, 2.678185], atol=2e-6)
    np.testing.assert_allclose((1 + 2 * a**2) * np.exp(a**2), ns, rtol=1e-12)
    assert isinstance(optimal_alpha_normal(512), float)
    assert optimal_alpha_normal(np.array([[64]])).shape == (1, 1)


@pytest.mark.parametrize("n", [2, 3, 64, 4096, 10**9])
def test_optimal_alpha_normal_is_the_argmax_of_the_surrogate(n):
    a = optimal_alpha_normal(n)
    res = optimize.minimize_scalar(
        lambda x: -surrogate_objective(x, n, model="normal"), bounds=(0, 10), method="bounded", options={"xatol": 1e-12}
    )
    assert a == pytest.approx(res.x, abs=1e-6)
    assert surrogate_objective(a, n, model="normal") >= surrogate_objective(a + 1e-3, n, model="normal")
    assert surrogate_objective(a, n, model="normal") >= surrogate_objective(a - 1e-3, n, model="normal")


@pytest.mark.parametrize(
    ("n", "exc", "msg"),
    [
        (1, ValueError, ">= 2"),
        (np.array([5, 0]), ValueError, ">= 2"),
        (40.0, TypeError, "must be an int"),
        (40.5, TypeError, "must be an int"),
        (np.array([40.0]), TypeError, "dtype"),
        (True, TypeError, "bool"),
        ("40", TypeError, "dtype"),
        (np.array([], dtype=int), ValueError, "empty"),
        (2**70, ValueError, "too large"),
    ],
)
def test_bad_n(n, exc, msg):
    with pytest.raises(exc, match=msg):
        optimal_alpha_normal(n)


def test_surrogate_normal_formula_and_broadcasting():
    a = np.array([0.5, 1.0, 2.0])[:, None]
    n = np.array([64, 512])
    np.testing.assert_allclose(surrogate_objective(a, n, model="normal"), a * (1 - np.exp(a**2) / n), rtol=1e-14)
    assert surrogate_objective(0.0, 10, model="normal") == 0.0
    assert surrogate_objective(40.0, 10, model="normal") == -np.inf
    assert isinstance(surrogate_objective(1.0, 10, model="normal"), float)


@pytest.mark.parametrize(
    ("kwargs", "exc", "msg"),
    [
        ({"model": "gauss"}, ValueError, "model must be one of"),
        ({"model": 1}, TypeError, "model must be a str"),
        ({"model": "normal", "d": 128}, ValueError, "only used by model='cosine'"),
        ({"model": "cosine"}, ValueError, "needs the dimension d"),
        ({"model": "cosine", "d": 1}, ValueError, "d must be >= 2"),
        ({"model": "cosine", "d": 128.0}, TypeError, "d must be an int"),
    ],
)
def test_surrogate_bad_model_or_d(kwargs, exc, msg):
    with pytest.raises(exc, match=msg):
        surrogate_objective(1.0, 10, **kwargs)


@pytest.mark.parametrize(
    ("alpha", "exc", "msg"),
    [
        (-1.0, ValueError, ">= 0"),
        (np.array([1.0, np.nan]), ValueError, "finite"),
        (True, TypeError, "bool"),
        ("1", TypeError, "real"),
        (np.array([1 + 1j]), TypeError, "real"),
    ],
)
def test_surrogate_bad_alpha(alpha, exc, msg):
    with pytest.raises(exc, match=msg):
        surrogate_objective(alpha, 10, model="normal")


def test_surrogate_accepts_torch_alpha():
    a = torch.tensor([0.5, 1.0], dtype=f64)
    np.testing.assert_allclose(
        surrogate_objective(a, 10, model="normal"), surrogate_objective(a.numpy(), 10, model="normal")
    )


# --------------------------------------------------------------------------- the cosine law


def _mgf_quad(alpha: float, d: int) -> float:
    p = (d - 3) / 2
    if d <= 3:  # singular or flat endpoints: QUADPACK's algebraic weight (1 + s)^p (1 - s)^p
        num = integrate.quad(lambda s: math.exp(alpha * s - alpha), -1, 1, weight="alg", wvar=(p, p), epsrel=1e-13)[0]
    else:
        num = integrate.quad(
            lambda s: math.exp(alpha * s - alpha) * (1 - s * s) ** p, -1, 1, epsabs=0, epsrel=1e-13, limit=200
        )[0]
    den = special.beta(0.5, (d - 1) / 2)
    return math.log(num / den) + alpha


@pytest.mark.parametrize("d", [2, 3, 5, 128, 1024])
@pytest.mark.parametrize("alpha", [0.0, 1e-4, 0.5, 1.0, 10.0, 30.0, 300.0])
def test_cosine_log_mgf_matches_quadrature(d, alpha):
    assert cosine_log_mgf(alpha, d) == pytest.approx(_mgf_quad(alpha, d), rel=1e-9, abs=1e-11)


def test_cosine_log_mgf_closed_forms_small_d():
    a = np.array([0.3, 2.0, 50.0, 700.0])
    np.testing.assert_allclose(cosine_log_mgf(a, 2), np.log(special.ive(0, a)) + a, rtol=1e-13)
    np.testing.assert_allclose(cosine_log_mgf(a, 3), a + np.log(-np.expm1(-2 * a) / (2 * a)), rtol=1e-13)


def test_cosine_log_mgf_huge_alpha_does_not_overflow_and_is_even():
    v = cosine_log_mgf(np.array([720.0, 1e5]), 128)
    assert np.all(np.isfinite(v))
    assert cosine_log_mgf(-3.0, 64) == cosine_log_mgf(3.0, 64)


def test_cosine_log_mgf_bad_arguments():
    with pytest.raises(TypeError, match="bool"):
        cosine_log_mgf(True, 4)
    with pytest.raises(TypeError, match="real"):
        cosine_log_mgf("a", 4)
    with pytest.raises(ValueError, match="finite"):
        cosine_log_mgf(np.inf, 4)
    with pytest.raises(ValueError, match="d must be >= 2"):
        cosine_log_mgf(1.0, 1)


def test_optimal_alpha_cosine_known_values():
    ns = np.array([40, 256, 20000])
    np.testing.assert_allclose(optimal_alpha_cosine(ns, 128), [16.810435, 22.292024, 33.683825], atol=2e-6)
    # d = 3: g(a) = sinh(a)/a, R = a coth(a), so the argmax is ~n/2 for large n
    assert optimal_alpha_cosine(1000, 3) == pytest.approx(500.0, rel=1e-9)


@pytest.mark.parametrize("d", [2, 3, 16, 128, 768])
@pytest.mark.parametrize("n", [2, 40, 512, 20000])
def test_optimal_alpha_cosine_is_the_unique_maximiser(n, d):
    a = optimal_alpha_cosine(n, d)
    grid = a * np.linspace(0.01, 3.0, 600)
    vals = surrogate_objective(grid, n, model="cosine", d=d)
    best = surrogate_objective(a, n, model="cosine", d=d)
    assert best >= vals.max() - 1e-12 * abs(best)
    # unimodal on the grid: increasing then decreasing
    steps = np.sign(np.diff(vals))
    assert np.count_nonzero(np.diff(steps) != 0) <= 1


def test_optimal_alpha_cosine_caches_repeated_n_and_keeps_shape():
    out = optimal_alpha_cosine(np.array([[64, 64], [128, 64]]), 32)
    assert out.shape == (2, 2)
    assert out[0, 0] == out[0, 1] == out[1, 1]


def test_optimal_alpha_cosine_raises_instead_of_returning_a_bound():
    with pytest.raises(ValueError, match="no maximiser"):
        optimal_alpha_cosine(20000, 128, max_alpha=10.0)


def test_optimal_alpha_cosine_bad_arguments():
    with pytest.raises(ValueError, match=">= 2"):
        optimal_alpha_cosine(1, 128)
    with pytest.raises(TypeError, match="d must be an int"):
        optimal_alpha_cosine(64, "128")
    with pytest.raises(ValueError, match="max_alpha must be >= 0"):
        optimal_alpha_cosine(64, 128, max_alpha=-1.0)


def test_surrogate_cosine_uses_the_mgf():
    a, n, d = 20.0, 256, 128
    expect = a * (1 - math.exp(cosine_log_mgf(2 * a, d) - 2 * cosine_log_mgf(a, d)) / n)
    assert surrogate_objective(a, n, model="cosine", d=d) == pytest.approx(expect, rel=1e-13)


# --------------------------------------------------------------------------- sampling and the exact objective


def test_sample_logits_laws():
    rng = np.random.default_rng(3)
    s = sample_logits(2000, model="cosine", d=16, draws=5, generator=rng).ravel()
    h = 7.5
    ks = stats.kstest(s, lambda x: special.betainc(h, h, (1 + x) / 2))
    assert ks.pvalue > 1e-3
    z = sample_logits(3, model="normal", draws=4, generator=np.random.default_rng(0))
    assert z.shape == (4, 3)
    np.testing.assert_array_equal(sample_logits(3, model="normal", draws=4), z)  # None means seed 0


@pytest.mark.parametrize(
    ("kwargs", "exc", "msg"),
    [
        ({"generator": torch.Generator()}, TypeError, "not a torch.Generator"),
        ({"generator": 0}, TypeError, "numpy.random.Generator or None"),
        ({"draws": 0}, ValueError, "draws must be >= 1"),
        ({"draws": 2.0}, TypeError, "draws must be an int"),
    ],
)
def test_sample_logits_bad_arguments(kwargs, exc, msg):
    with pytest.raises(exc, match=msg):
        sample_logits(4, model="normal", **kwargs)


def test_sample_logits_needs_scalar_n():
    with pytest.raises(TypeError, match="single int"):
        sample_logits(np.array([3, 4]), model="normal")


def test_mc_grad_objective_matches_direct_average():
    rng = np.random.default_rng(5)
    mean, se = mc_grad_objective(np.array([1.0, 3.0]), 16, model="normal", draws=200, generator=rng)
    s = torch.from_numpy(sample_logits(16, model="normal", draws=200, generator=np.random.default_rng(5)))
    for i, a in enumerate((1.0, 3.0)):
        v = l1_grad_objective(s, a)
        assert mean[i] == pytest.approx(v.mean().item(), rel=1e-12)
        assert se[i] == pytest.approx(v.std().item() / math.sqrt(200), rel=1e-10)
    m1, s1 = mc_grad_objective(2.0, 8, model="cosine", d=32, draws=10)
    assert isinstance(m1, float) and isinstance(s1, float) and s1 > 0


@pytest.mark.parametrize("n", [3, 70_000])
def test_objective_grid_matches_pointwise_objective(n):
    s = np.random.default_rng(2).standard_normal((3, n))
    alphas = np.array([0.0, 0.7, 2.0, 9.0])
    table = l1_grad_objective_grid(alphas, s)
    assert table.shape == (4, 3)
    for i, a in enumerate(alphas):
        np.testing.assert_allclose(table[i], l1_grad_objective(torch.from_numpy(s), float(a)).numpy(), rtol=1e-13)
    np.testing.assert_array_equal(l1_grad_objective_grid(alphas, torch.from_numpy(s)), table)


@pytest.mark.parametrize(
    ("alpha", "s", "exc", "msg"),
    [
        (np.ones((2, 2)), np.zeros((2, 3)), ValueError, "1-D"),
        (np.array([]), np.zeros((2, 3)), ValueError, "1-D"),
        (np.ones(2), np.zeros((2, 3), dtype=int), TypeError, "float array"),
        (np.ones(2), np.zeros(3), ValueError, "shape \\(draws, n\\)"),
        (np.ones(2), np.zeros((2, 0)), ValueError, "shape \\(draws, n\\)"),
        (np.ones(2), [[0.0]], TypeError, "torch.Tensor"),
    ],
)
def test_objective_grid_bad_arguments(alpha, s, exc, msg):
    with pytest.raises(exc, match=msg):
        l1_grad_objective_grid(alpha, s)


def test_mc_grad_objective_needs_two_draws():
    with pytest.raises(ValueError, match="draws must be >= 2"):
        mc_grad_objective(1.0, 8, model="normal", draws=1)


def _exact_n2(alpha: float) -> float:
    """n = 2: E[2 alpha p1 p2] with s1 - s2 ~ N(0, 2), a 1-D integral."""

    def f(x):
        return 2 * alpha * special.expit(alpha * x) * special.expit(-alpha * x) * stats.norm.pdf(x, scale=math.sqrt(2))

    return integrate.quad(f, -np.inf, np.inf, epsabs=1e-15, epsrel=1e-13)[0]


@pytest.mark.parametrize("alpha", [0.01, 0.3, 1.0, 3.0, 30.0, 300.0])
def test_exact_objective_n2_matches_one_dimensional_integral(alpha):
    assert exact_grad_objective(alpha, 2, model="normal") == pytest.approx(_exact_n2(alpha), rel=1e-8)


@pytest.mark.parametrize(("model", "d", "n"), [("normal", None, 64), ("cosine", 128, 256), ("cosine", 3, 32)])
def test_exact_objective_agrees_with_monte_carlo(model, d, n):
    alphas = np.array([0.5, 2.0, 8.0]) * (1 if model == "normal" else 4)
    mean, se = mc_grad_objective(alphas, n, model=model, d=d, draws=4000, generator=np.random.default_rng(11))
    exact = exact_grad_objective(alphas, n, model=model, d=d)
    assert np.all(np.abs(mean - exact) <= 4 * se)


def test_exact_objective_tends_to_top_gap_density():
    n = 512
    limit = integrate.quad(
        lambda x: n * (n - 1) * stats.norm.pdf(x) ** 2 * special.ndtr(x) ** (n - 2), -10, 12, points=[3]
    )[0]
    vals = exact_grad_objective(np.array([10.0, 100.0, 1000.0]), n, model="normal")
    assert np.all(np.diff(vals) > 0)
    assert vals[-1] == pytest.approx(limit, rel=1e-5)
    assert exact_grad_objective(0.0, n, model="normal") == 0.0
    assert isinstance(exact_grad_objective(1.0, n, model="normal"), float)


def test_exact_objective_bad_arguments():
    with pytest.raises(ValueError, match="grid"):
        exact_grad_objective(1e6, 8, model="normal")
    with pytest.raises(TypeError, match="single int"):
        exact_grad_objective(1.0, np.array([8, 9]), model="normal")
    with pytest.raises(ValueError, match=">= 0"):
        exact_grad_objective(-1.0, 8, model="normal")


def test_public_names_are_exported():
    for name in att.__all__:
        assert hasattr(att, name)
