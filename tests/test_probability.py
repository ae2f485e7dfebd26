"""Tests for kexue_lab.probability (chapter 10007: Fourier basis density model)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from kexue_lab.probability import (
    DeepFactorizedDensity,
    FourierDensity,
    GaussianMixture,
    autocorrelate,
    fejer_riesz,
    fit_adam,
    kl_quadrature,
    ml_fit_convex,
    ml_optimality_gap,
)

torch.set_num_threads(1)


def random_a(seed: int, n: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.normal(size=n) + 1j * rng.normal(size=n)


def series_pdf(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """p(x) = 1/2 + Re sum_{n>=1} (c_n / c_0) e^{i pi n x}, straight from the definition."""
    c = np.array([np.sum(a[: len(a) - n] * np.conj(a[n:])) for n in range(len(a))])
    n = np.arange(1, len(a))
    return 0.5 + np.real(np.exp(1j * np.pi * np.multiply.outer(x, n)) @ (c[1:] / c[0]))


def np_(t: torch.Tensor) -> np.ndarray:
    return t.detach().numpy()


def fl(t: torch.Tensor) -> float:
    return float(t.detach())


# --------------------------------------------------------------------------- autocorrelate


def test_autocorrelate_matches_the_definition_and_closed_form():
    a = random_a(0, 5)
    c = autocorrelate(a)
    for n in range(5):
        assert c[n] == pytest.approx(sum(a[k] * np.conj(a[k + n]) for k in range(5 - n)), abs=1e-13)
    assert c[0].real == pytest.approx(np.sum(np.abs(a) ** 2))
    x = np.linspace(-1, 1, 41)
    series = c[0] + 2 * np.real(np.exp(1j * np.pi * np.outer(x, np.arange(1, 5))) @ c[1:])
    closed = np.abs(np.exp(-1j * np.pi * np.outer(x, np.arange(5))) @ a) ** 2
    assert np.max(np.abs(series - closed)) < 1e-12
    mirrored = np.abs(np.exp(1j * np.pi * np.outer(x, np.arange(5))) @ a) ** 2
    assert np.max(np.abs(series - mirrored)) > 1e-3  # the other sign is the mirror image


def test_autocorrelate_torch_path_agrees_and_is_differentiable():
    a = random_a(1, 7)
    batch = np.stack([a, 2 * a, np.conj(a)])
    t = torch.tensor(batch, requires_grad=False)
    assert np.max(np.abs(np_(autocorrelate(t)) - autocorrelate(batch))) < 1e-12
    re = torch.tensor(a.real, requires_grad=True)
    c = autocorrelate(torch.complex(re, torch.tensor(a.imag)))
    c.abs().sum().backward()
    assert torch.isfinite(re.grad).all()


def test_autocorrelate_accepts_real_input():
    assert np.allclose(autocorrelate([1.0, 2.0, 3.0]), [14, 8, 3])
    assert np.allclose(np_(autocorrelate(torch.tensor([1.0, 2.0, 3.0]))), [14, 8, 3])


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 8))
def test_autocorrelation_toeplitz_sections_are_psd(seed, N):
    c = autocorrelate(random_a(seed, N + 1))
    for size in (N + 1, 2 * N + 2, 30):
        col = np.zeros(size, dtype=complex)
        col[: min(size, N + 1)] = c[: min(size, N + 1)]
        T = np.array([[col[i - j] if i >= j else np.conj(col[j - i]) for j in range(size)] for i in range(size)])
        assert np.linalg.eigvalsh(T)[0] >= -1e-10 * c[0].real


@pytest.mark.parametrize("bad", [np.array(3.0), np.array([]), [1.0, np.nan], ["a", "b"]])
def test_autocorrelate_rejects_bad_input(bad):
    with pytest.raises(ValueError):
        autocorrelate(bad)


@pytest.mark.parametrize("bad", [torch.tensor(3.0), torch.zeros(0), torch.tensor([1.0, float("inf")])])
def test_autocorrelate_rejects_bad_tensors(bad):
    with pytest.raises(ValueError):
        autocorrelate(bad)


# --------------------------------------------------------------------------- FourierDensity: construction


@pytest.mark.parametrize("N", [-1, 1.5, True, "3", None])
def test_fourier_density_rejects_bad_degree(N):
    with pytest.raises(ValueError):
        FourierDensity(N)


@pytest.mark.parametrize("scale", [0.0, -1.0, float("nan"), float("inf"), "big"])
def test_fourier_density_rejects_bad_scale(scale):
    with pytest.raises(ValueError):
        FourierDensity(3, scale=scale)


def test_fourier_density_rejects_bad_loc_and_dtype():
    with pytest.raises(ValueError):
        FourierDensity(3, loc=float("nan"))
    with pytest.raises(ValueError):
        FourierDensity(3, dtype=torch.int64)


def test_new_model_is_uniform_on_the_unit_interval_and_float64():
    m = FourierDensity(5, loc=1.0, scale=2.0)
    assert m.a_re.dtype == torch.float64
    assert np.allclose(np_(m.pdf_unit(np.linspace(-1, 1, 11))), 0.5)
    y = torch.tensor([-3.0, 1.0, 4.0], dtype=torch.float64)
    expected = np.log(1 / np.cosh((np_(y) - 1.0) / 2.0) ** 2 / 2.0 / 2.0)
    assert np.allclose(np_(m.log_prob(y)), expected)
    assert m.n_params == 2 * 6 + 2


def test_float32_models_work_and_agree_with_float64():
    a = random_a(15, 4)
    m64 = FourierDensity.from_coeffs(a, loc=0.2, scale=1.1)
    m32 = FourierDensity(3, loc=0.2, scale=1.1, dtype=torch.float32)
    with torch.no_grad():
        m32.a_re.copy_(torch.tensor(a.real))
        m32.a_im.copy_(torch.tensor(a.imag))
    y = np.linspace(-4, 4, 17)
    assert np_(m32.log_prob(y)).dtype == np.float32
    assert np.allclose(np_(m32.log_prob(y)), np_(m64.log_prob(y)), atol=1e-4)


def test_fixed_map_is_not_trained():
    m = FourierDensity(3, loc=0.5, scale=2.0, learn_map=False)
    names = {n for n, _ in m.named_parameters()}
    assert names == {"a_re", "a_im"}
    assert m.n_params == 8
    m.fit(np.random.default_rng(0).normal(size=200), steps=5, lr=0.05)
    assert fl(m.loc) == 0.5 and fl(m.scale) == pytest.approx(2.0)


def test_from_coeffs_sets_the_coefficients():
    a = random_a(2, 4)
    m = FourierDensity.from_coeffs(a, loc=0.3, scale=1.7, learn_map=False)
    assert m.N == 3 and not m.learn_map
    assert np.allclose(np_(m.a()), a)
    assert np.allclose(np_(m.coeffs()), autocorrelate(a))
    assert np.allclose(np_(FourierDensity.from_coeffs(torch.tensor(a)).a()), a)


@pytest.mark.parametrize("bad", [[0.0, 0.0, 0.0], [], [[1.0, 2.0]], [1.0, np.inf], ["x"]])
def test_from_coeffs_rejects_bad_vectors(bad):
    with pytest.raises(ValueError):
        FourierDensity.from_coeffs(bad)


def test_all_zero_coefficients_raise_everywhere():
    m = FourierDensity.from_coeffs([1.0, 0.5])
    with torch.no_grad():
        m.a_re.zero_()
        m.a_im.zero_()
    for call in (m.coeffs, lambda: m.pdf_unit([0.0]), lambda: m.log_prob([0.0]), lambda: m.cdf([0.0]), m.regularizer):
        with pytest.raises(ValueError, match="zero"):
            call()


# --------------------------------------------------------------------------- FourierDensity: validity


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 9))
def test_random_models_are_non_negative_normalised_and_match_the_series(seed, N):
    a = random_a(seed, N + 1)
    m = FourierDensity.from_coeffs(a)
    x = np.linspace(-1, 1, 301)
    p = np_(m.pdf_unit(x))
    assert p.min() >= 0
    assert np.max(np.abs(p - series_pdf(a, x))) < 1e-11
    mass = integrate.quad(lambda t: series_pdf(a, np.array([t]))[0], -1, 1, limit=200)[0]
    assert mass == pytest.approx(1.0, abs=1e-10)


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 8))
def test_cdf_unit_is_the_integral_of_pdf_unit(seed, N):
    a = random_a(seed, N + 1)
    m = FourierDensity.from_coeffs(a)
    xs = np.array([-1.0, -0.999, -0.5, 0.0, 0.3, 0.9, 0.99999, 1.0])
    quad = [integrate.quad(lambda t: series_pdf(a, np.array([t]))[0], -1, v, limit=200)[0] for v in xs]
    assert np.max(np.abs(np_(m.cdf_unit(xs)) - quad)) < 1e-10
    assert np.all(np.diff(np_(m.cdf_unit(np.linspace(-1, 1, 501)))) >= -1e-15)


def test_unit_interval_methods_reject_points_outside():
    m = FourierDensity(2)
    for bad in ([1.5], [-1.0000001], [np.nan]):
        with pytest.raises(ValueError):
            m.pdf_unit(bad)
        with pytest.raises(ValueError):
            m.cdf_unit(bad)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_real_line_density_integrates_to_one_and_cdf_is_consistent(seed):
    m = FourierDensity.from_coeffs(random_a(seed, 6), loc=0.7, scale=1.3)

    def q(v):
        return float(np.exp(np_(m.log_prob([v]))[0]))

    assert integrate.quad(q, -np.inf, np.inf, limit=300, epsabs=1e-12)[0] == pytest.approx(1.0, abs=1e-8)
    for b in (-6.0, -1.0, 0.7, 2.0, 9.0):
        assert fl(m.cdf([b])[0]) == pytest.approx(integrate.quad(q, -np.inf, b, limit=300, epsabs=1e-13)[0], abs=1e-9)
    y = torch.linspace(-5, 5, 21, dtype=torch.float64)
    h = 1e-6
    fd = (m.cdf(y + h) - m.cdf(y - h)) / (2 * h)
    assert np.max(np.abs(np_(fd) - np_(m.log_prob(y).exp()))) < 1e-7


def test_log_prob_agrees_with_pdf_unit_through_the_jacobian():
    m = FourierDensity.from_coeffs(random_a(3, 5), loc=-0.4, scale=0.8)
    y = np.linspace(-3, 3, 13)
    z = (y + 0.4) / 0.8
    expected = np.log(np_(m.pdf_unit(np.tanh(z))) / np.cosh(z) ** 2 / 0.8)
    assert np.allclose(np_(m.log_prob(y)), expected, atol=1e-12)


def test_log_prob_is_accurate_in_the_deep_tail_of_a_zero_at_the_boundary():
    # a = (1, 1): f = 2 + 2 cos(pi x) has a double zero at x = +-1, so q ~ (pi^2 / 4s) ... e^{-6|z|}
    m = FourierDensity.from_coeffs([1.0, 1.0])
    z = 40.0
    delta = 2 * math.exp(-2 * z) / (1 + math.exp(-2 * z))
    p_exact = math.sin(math.pi * delta / 2) ** 2  # f(1 - delta) / (2 ||a||^2) = (2 - 2 cos(pi delta)) / 4
    expected = math.log(4) - 2 * z - 2 * math.log1p(math.exp(-2 * z)) + math.log(p_exact)
    assert fl(m.log_prob([z])[0]) == pytest.approx(expected, rel=1e-10)
    assert fl(m.log_prob([-z])[0]) == pytest.approx(expected, rel=1e-10)


def test_log_prob_never_nan_and_gradients_finite_in_tails_and_zeros():
    for a in ([1.0, -1.0], [1.0, 1.0], random_a(4, 7)):
        m = FourierDensity.from_coeffs(a, loc=0.2, scale=1.5)
        y = torch.tensor([-1e6, -1e3, -60.0, 0.2, 1.0, 60.0, 1e3, 1e6], dtype=torch.float64)
        out = m.log_prob(y)
        assert not torch.isnan(out).any()
        out.sum().backward()
        for p in m.parameters():
            assert torch.isfinite(p.grad).all()


def test_log_prob_gradients_match_finite_differences():
    m = FourierDensity.from_coeffs(random_a(5, 4), loc=0.1, scale=1.2)
    y = torch.tensor([-2.5, -0.3, 0.1, 0.8, 4.0], dtype=torch.float64)
    m.log_prob(y).sum().backward()
    h = 1e-6
    for p in m.parameters():
        flat = p.data.view(-1)
        for i in range(flat.numel()):
            old = flat[i].item()
            with torch.no_grad():
                flat[i] = old + h
                up = float(m.log_prob(y).sum())
                flat[i] = old - h
                down = float(m.log_prob(y).sum())
                flat[i] = old
            assert p.grad.view(-1)[i].item() == pytest.approx((up - down) / (2 * h), rel=1e-5, abs=1e-6)


def test_real_line_methods_reject_non_finite_y():
    m = FourierDensity(2)
    for bad in ([np.nan], [np.inf], [0.0, -np.inf]):
        with pytest.raises(ValueError):
            m.log_prob(bad)
        with pytest.raises(ValueError):
            m.cdf(bad)


def test_real_coefficients_give_even_densities():
    m = FourierDensity.from_coeffs(np.random.default_rng(6).normal(size=6))
    x = np.linspace(-1, 1, 101)
    assert np.max(np.abs(np_(m.pdf_unit(x)) - np_(m.pdf_unit(-x)))) < 1e-13


def test_conjugate_coefficients_mirror_the_density():
    a = random_a(7, 5)
    x = np.linspace(-1, 1, 101)
    p = np_(FourierDensity.from_coeffs(a).pdf_unit(x))
    assert np.max(np.abs(np_(FourierDensity.from_coeffs(np.conj(a)).pdf_unit(-x)) - p)) < 1e-13


def test_tails_are_tied():
    m = FourierDensity.from_coeffs(random_a(8, 6), loc=0.3, scale=0.9)
    left, right = np_(m.log_prob([0.3 - 30 * 0.9, 0.3 + 30 * 0.9]))
    assert left == pytest.approx(right, abs=1e-9)


# --------------------------------------------------------------------------- icdf and sampling


@pytest.mark.parametrize("a", [random_a(9, 6), [1.0, -1.0], [1.0, 1.0]])
def test_icdf_inverts_cdf(a):
    m = FourierDensity.from_coeffs(a, loc=-0.5, scale=2.0)
    u = torch.tensor([1e-12, 1e-6, 0.01, 0.25, 0.5, 0.75, 0.99, 1 - 1e-6, 1 - 1e-12], dtype=torch.float64)
    y = m.icdf(u)
    assert torch.all(torch.diff(y) > 0)
    assert fl((m.cdf(y) - u).abs().max()) < 1e-12
    if np.iscomplexobj(a):  # generic model, p(-1) > 0: relative accuracy in the left tail
        assert np.allclose(np_(m.cdf(y[:3])), np_(u[:3]), rtol=1e-10, atol=0)


def test_icdf_end_points_and_errors():
    m = FourierDensity.from_coeffs(random_a(10, 3))
    out = m.icdf([0.0, 1.0])
    assert out[0] == -math.inf and out[1] == math.inf
    for bad in ([-0.1], [1.1], [np.nan]):
        with pytest.raises(ValueError):
            m.icdf(bad)
    for kwargs in ({"tol": 0.0}, {"max_iter": 0}):
        with pytest.raises(ValueError):
            m.icdf([0.5], **kwargs)


def test_samples_pass_a_ks_test_and_are_reproducible():
    m = FourierDensity.from_coeffs(random_a(11, 8), loc=1.0, scale=0.7)
    draws = np_(m.sample(4000, generator=torch.Generator().manual_seed(0)))
    assert np.isfinite(draws).all()
    assert stats.kstest(draws, lambda v: np_(m.cdf(v))).pvalue > 1e-3
    again = np_(m.sample(4000, generator=torch.Generator().manual_seed(0)))
    assert np.array_equal(draws, again)
    mirror = FourierDensity.from_coeffs(np.conj(random_a(11, 8)), loc=1.0, scale=0.7)
    assert stats.kstest(draws, lambda v: np_(mirror.cdf(v))).pvalue < 1e-6


def test_sample_size_is_validated():
    m = FourierDensity(2)
    assert m.sample(0).shape == (0,)
    for bad in (-1, 2.5, "10"):
        with pytest.raises(ValueError):
            m.sample(bad)


# --------------------------------------------------------------------------- regularizer and fit


def test_regularizer_matches_quadrature_and_scales_as_stated():
    a = random_a(12, 5)
    m = FourierDensity.from_coeffs(a)
    c = autocorrelate(a)
    n = np.arange(1, 5)

    def fprime(t):
        return 2 * np.real(np.sum(1j * np.pi * n * c[1:] * np.exp(1j * np.pi * n * t)))

    raw = integrate.quad(lambda t: fprime(t) ** 2, -1, 1, limit=200)[0]
    assert fl(m.regularizer(normalized=False)) == pytest.approx(raw, rel=1e-9)
    assert fl(m.regularizer()) == pytest.approx(raw / (2 * c[0].real) ** 2, rel=1e-9)
    big = FourierDensity.from_coeffs(3 * a)
    assert fl(big.regularizer()) == pytest.approx(fl(m.regularizer()), rel=1e-12)
    assert fl(big.regularizer(normalized=False)) == pytest.approx(81 * raw, rel=1e-9)


def test_fit_lowers_the_loss_and_returns_a_history():
    rng = np.random.default_rng(13)
    y = np.concatenate([rng.normal(-2, 0.4, 300), rng.normal(1.5, 0.6, 300)])
    m = FourierDensity(8, loc=float(y.mean()), scale=float(2 * y.std()))
    hist = m.fit(y, steps=150, lr=0.05, gamma=1e-4)
    assert len(hist) == 150 and hist[-1] < hist[0] - 0.1
    fixed = FourierDensity(8, loc=float(y.mean()), scale=float(2 * y.std()), learn_map=False)
    hist_fixed = fixed.fit(y, steps=3, lr=0.05)
    fresh = FourierDensity(8, loc=float(y.mean()), scale=float(2 * y.std()), learn_map=False)
    assert hist_fixed[0] == pytest.approx(fl(-fresh.log_prob(y).mean()), rel=1e-12)  # cached features give the NLL


@pytest.mark.parametrize(
    "kwargs",
    [
        {"y": []},
        {"y": [0.0, np.nan]},
        {"steps": 0},
        {"steps": 1.5},
        {"lr": 0.0},
        {"lr": -1.0},
        {"gamma": -1.0},
        {"gamma": float("nan")},
    ],
)
def test_fit_rejects_bad_arguments(kwargs):
    args = {"y": [0.0, 1.0], "steps": 2, "lr": 0.01, "gamma": 0.0, **kwargs}
    with pytest.raises(ValueError):
        FourierDensity(2).fit(args.pop("y"), **args)


# --------------------------------------------------------------------------- Fejér–Riesz


@pytest.mark.parametrize("seed,N", [(0, 0), (1, 1), (2, 5), (3, 12)])
def test_fejer_riesz_factors_autocorrelations(seed, N):
    c = autocorrelate(random_a(seed, N + 1))
    a = fejer_riesz(c)
    assert a.shape == (N + 1,)
    assert np.max(np.abs(autocorrelate(a) - c)) < 1e-10 * c[0].real
    assert np.max(np.abs(fejer_riesz(torch.tensor(c)) - a)) < 1e-12


def test_fejer_riesz_handles_zeros_on_the_circle_and_trailing_zeros():
    fejer = 1 - np.arange(6) / 6
    assert np.max(np.abs(autocorrelate(fejer_riesz(fejer)) - fejer)) < 1e-6
    c = np.array([2.0, -1.0, 0.0, 0.0])  # 2 - 2 cos(pi x), degree 1 padded with zeros
    a = fejer_riesz(c)
    assert a.shape == (2,) and np.allclose(autocorrelate(a), c[:2], atol=1e-7)


@pytest.mark.parametrize("bad", [[1.0, 0.9], [], [np.nan, 0.1], [1j, 0.1], [0.0, 0.1], [-1.0], "abc"])
def test_fejer_riesz_rejects_non_factorisable_input(bad):
    with pytest.raises(ValueError):
        fejer_riesz(bad)


# --------------------------------------------------------------------------- convex ML and its certificate


def unit_data(seed: int, n: int = 600) -> np.ndarray:
    rng = np.random.default_rng(seed)
    y = np.concatenate([rng.normal(-1.0, 0.3, n // 2), rng.normal(0.8, 0.5, n - n // 2)])
    return np.tanh(y / 2)


def nll(a: np.ndarray, x: np.ndarray) -> float:
    return float(-np.mean(np.log(np_(FourierDensity.from_coeffs(a).pdf_unit(x)))))


def test_convex_fit_is_certified_and_bounds_other_fits():
    x = unit_data(0)
    a_star, gap, iters = ml_fit_convex(x, 6, tol=1e-9)
    assert gap < 1e-9 and iters >= 1
    assert ml_optimality_gap(a_star, x) < 1e-8
    for seed in range(3):
        a = random_a(seed, 7)
        bound = ml_optimality_gap(a, x)
        assert bound >= 0
        assert nll(a, x) - nll(a_star, x) <= bound + 1e-9


def test_adam_reaches_the_convex_optimum():
    x = unit_data(1)
    a_star, _, _ = ml_fit_convex(x, 5, tol=1e-10)
    m = FourierDensity(5, learn_map=False)  # loc 0, scale 1: the data are atanh(x)
    m.fit(np.arctanh(x), steps=800, lr=0.05)
    assert nll(np_(m.a()), x) - nll(a_star, x) < 1e-6


def test_optimality_gap_is_infinite_on_a_zero_of_the_density():
    assert ml_optimality_gap([1.0, -1.0], [0.0, 0.5]) == math.inf


@pytest.mark.parametrize(
    "a,x",
    [([0.0, 0.0], [0.1]), ([1.0, np.nan], [0.1]), ([1.0], [1.5]), ([1.0], [np.nan]), ([1.0], [])],
)
def test_optimality_gap_rejects_bad_input(a, x):
    with pytest.raises(ValueError):
        ml_optimality_gap(a, x)


@pytest.mark.parametrize(
    "kwargs", [{"N": -1}, {"N": 2.5}, {"tol": 0.0}, {"max_iter": 0}, {"x": [2.0]}, {"x": [np.inf]}, {"x": []}]
)
def test_convex_fit_rejects_bad_arguments(kwargs):
    args = {"x": [0.1, 0.2], "N": 2, **kwargs}
    with pytest.raises(ValueError):
        ml_fit_convex(args.pop("x"), args.pop("N"), **args)


# --------------------------------------------------------------------------- baselines


def test_gaussian_mixture_density_matches_scipy():
    g = GaussianMixture(3, means=[-1.0, 0.0, 2.0], width=0.5)
    with torch.no_grad():
        g.logits.copy_(torch.tensor([0.2, -0.1, 0.4], dtype=torch.float64))
        g.log_sigma.copy_(torch.log(torch.tensor([0.3, 0.5, 1.2], dtype=torch.float64)))
    w = np.exp([0.2, -0.1, 0.4]) / np.exp([0.2, -0.1, 0.4]).sum()
    y = np.linspace(-4, 5, 31)
    expected = np.log(sum(wi * stats.norm.pdf(y, m, s) for wi, m, s in zip(w, [-1, 0, 2], [0.3, 0.5, 1.2])))
    assert np.allclose(np_(g.log_prob(y)), expected, atol=1e-12)
    assert g.n_params == 8
    assert np.allclose(np_(GaussianMixture(1).mu), [0.0])


@pytest.mark.parametrize(
    "kwargs", [{"K": 0}, {"K": 2.0}, {"K": 2, "width": 0.0}, {"K": 2, "means": [0.0]}, {"K": 2, "means": [0.0, np.nan]}]
)
def test_gaussian_mixture_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        GaussianMixture(**kwargs)


def test_gaussian_mixture_rejects_non_finite_y():
    with pytest.raises(ValueError):
        GaussianMixture(2).log_prob([np.nan])


@pytest.mark.parametrize("filters", [(1, 1, 1), (2, 3), (3, 3, 3)])
def test_deep_factorized_density_is_a_density_with_its_cdf(filters):
    d = DeepFactorizedDensity(filters, init_scale=3.0, loc=0.5, scale=2.0, seed=1)
    with torch.no_grad():
        for p in d.parameters():
            p.add_(0.5 * torch.randn(p.shape, generator=torch.Generator().manual_seed(p.numel()), dtype=p.dtype))

    def q(v):
        return float(np.exp(np_(d.log_prob(torch.tensor([v], dtype=torch.float64)))[0]))

    assert integrate.quad(q, -np.inf, np.inf, limit=300)[0] == pytest.approx(1.0, abs=1e-7)
    y = torch.linspace(-4, 5, 19, dtype=torch.float64)
    fd = (d.cdf(y + 1e-6) - d.cdf(y - 1e-6)) / 2e-6
    assert np.max(np.abs(np_(fd) - np_(d.log_prob(y).exp()))) < 1e-7
    assert torch.all(torch.diff(d.cdf(torch.linspace(-20, 20, 200, dtype=torch.float64))) >= 0)


def test_deep_factorized_parameter_count():
    assert DeepFactorizedDensity((3, 3, 3)).n_params == 43
    for r in (1, 2, 4, 5):
        assert DeepFactorizedDensity((r, r, r)).n_params == 2 * r * r + 8 * r + 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"filters": ()},
        {"filters": (0,)},
        {"filters": (1.5, 2)},
        {"filters": (True,)},
        {"init_scale": 0.0},
        {"scale": -1.0},
        {"loc": float("nan")},
    ],
)
def test_deep_factorized_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        DeepFactorizedDensity(**kwargs)


def test_deep_factorized_rejects_non_finite_y():
    d = DeepFactorizedDensity((1,))
    for call in (d.log_prob, d.cdf):
        with pytest.raises(ValueError):
            call([np.inf])


# --------------------------------------------------------------------------- fit_adam and kl_quadrature


def test_fit_adam_with_data_and_with_a_closure():
    y = np.random.default_rng(14).normal(1.0, 0.5, 500)
    g = GaussianMixture(1, means=[0.0], width=1.0)
    hist = fit_adam(g, torch.tensor(y), steps=300, lr=0.05)
    assert hist[-1] < hist[0]
    assert fl(g.mu[0]) == pytest.approx(y.mean(), abs=0.05)
    target = torch.tensor(3.0, dtype=torch.float64)
    hist2 = fit_adam(g, lambda: ((g.mu - target) ** 2).sum(), steps=200, lr=0.1)
    assert hist2[-1] < 1e-2
    with torch.no_grad():  # fit_adam turns gradients back on
        fit_adam(g, torch.tensor(y), steps=2, lr=0.01)


def test_fit_adam_rejects_bad_arguments_and_diverging_losses():
    g = GaussianMixture(1)
    with pytest.raises(ValueError):
        fit_adam(g, [0.0], steps=0, lr=0.1)
    with pytest.raises(ValueError):
        fit_adam(g, [0.0], steps=1, lr=0.0)
    with pytest.raises(ValueError, match="non-finite"):
        fit_adam(g, lambda: g.mu.sum() * float("nan"), steps=3, lr=0.1)
    for p in g.parameters():
        p.requires_grad_(False)
    with pytest.raises(ValueError, match="no trainable"):
        fit_adam(g, [0.0], steps=1, lr=0.1)


def test_kl_quadrature_matches_closed_forms():
    def lp(g):
        return stats.norm.logpdf(g)

    def lq(g):
        return stats.norm.logpdf(g, 1.0, 1.0)

    assert kl_quadrature(lp, lq, -15, 15, 30001) == pytest.approx(0.5, abs=1e-8)
    assert kl_quadrature(lp, lp, -15, 15) == pytest.approx(0.0, abs=1e-12)

    def lu(g):  # uniform on [-1, 1]: -inf outside is allowed for p
        return np.where(np.abs(g) <= 1, np.log(0.5), -np.inf)

    assert kl_quadrature(lu, lp, -3, 3, 60001) == pytest.approx(np.log(0.5) + 0.5 * np.log(2 * np.pi) + 1 / 6, abs=1e-3)


@pytest.mark.parametrize("args", [(1.0, 1.0, 101), (2.0, 1.0, 101), (0.0, 1.0, 2), (0.0, np.inf, 101)])
def test_kl_quadrature_rejects_bad_ranges(args):
    with pytest.raises(ValueError):
        kl_quadrature(stats.norm.logpdf, stats.norm.logpdf, *args)


def test_kl_quadrature_rejects_infinite_log_q_on_the_support():
    with pytest.raises(ValueError):
        kl_quadrature(stats.norm.logpdf, lambda g: np.where(g > 0, 0.0, -np.inf), -5, 5)
