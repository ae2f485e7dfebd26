"""kexue_lab.analysis: the Gamma function through its Fourier transform (chapter 3108)."""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

from kexue_lab import analysis as A

x = sp.Symbol("x")


# --------------------------------------------------------------------------- shift operator


@given(st.lists(st.integers(-9, 9), min_size=1, max_size=6))
@settings(max_examples=25, deadline=None)
def test_exp_d_shifts_polynomials_exactly(coeffs):
    poly = sum(c * x**k for k, c in enumerate(coeffs))
    shifted = A.apply_exp_d(poly, x, len(coeffs) - 1)
    assert sp.expand(shifted - poly.subs(x, x + 1)) == 0


def test_exp_d_on_exponential_gives_truncated_series_of_e_to_the_a():
    a = sp.Symbol("a")
    got = A.apply_exp_d(sp.exp(a * x), x, 5)
    want = sp.exp(a * x) * sum(a**k / sp.factorial(k) for k in range(6))
    assert sp.simplify(got - want) == 0


def test_exp_d_of_low_order_truncation_is_not_the_shift():
    # order 1 keeps only f + f': for x**3 that misses 3x + 1
    assert sp.expand(A.apply_exp_d(x**3, x, 1) - (x + 1) ** 3) == -3 * x - 1


def test_exp_d_rejects_bad_arguments():
    with pytest.raises(TypeError, match="Symbol"):
        A.apply_exp_d(x**2, "x", 2)
    with pytest.raises(ValueError, match="order"):
        A.apply_exp_d(x**2, x, -1)
    with pytest.raises(TypeError, match="order"):
        A.apply_exp_d(x**2, x, 2.0)
    with pytest.raises(TypeError, match="bool"):
        A.apply_exp_d(True, x, 2)
    with pytest.raises(TypeError, match="expr"):
        A.apply_exp_d(object(), x, 2)


def test_taylor_radius_is_distance_to_nearest_pole():
    assert A.gamma_taylor_radius(2.5) == 2.5
    assert A.gamma_taylor_radius(0.5) == 0.5
    assert A.gamma_taylor_radius(-1.3) == pytest.approx(0.3)
    assert A.gamma_taylor_radius(-1.8) == pytest.approx(0.2)
    with pytest.raises(ValueError, match="pole"):
        A.gamma_taylor_radius(-2)
    with pytest.raises(ValueError, match="pole"):
        A.gamma_taylor_radius(0.0)
    with pytest.raises(TypeError, match="real"):
        A.gamma_taylor_radius("1")
    with pytest.raises(ValueError, match="finite"):
        A.gamma_taylor_radius(float("nan"))


@pytest.mark.parametrize("x0", [0.5, 2.5, -1.5, 7.25])
def test_taylor_coefficients_match_numerical_differentiation(x0):
    ours = A.gamma_taylor_coefficients(x0, 6, dps=30)
    with mpmath.workdps(30):
        ref = mpmath.taylor(mpmath.gamma, x0, 6)
        for a, b in zip(ours, ref):
            assert abs(a - b) <= mpmath.mpf(10) ** -20 * max(1, abs(b))


def test_shift_series_of_gamma_converges_inside_radius_and_diverges_outside():
    inside = A.shift_partial_sums(A.gamma_taylor_coefficients(2.5, 40))
    assert abs(inside[-1] - mpmath.gamma(3.5)) < 1e-12
    outside = A.shift_partial_sums(A.gamma_taylor_coefficients(0.5, 40))
    # radius 1/2: the terms grow like 2**k (the pole at 0 is 1/2 away)
    assert abs(outside[40]) > 1e12
    assert abs(outside[40] / outside[38]) == pytest.approx(4, rel=0.01)


def test_taylor_coefficients_reject_bad_arguments():
    with pytest.raises(ValueError, match="pole"):
        A.gamma_taylor_coefficients(-3, 4)
    with pytest.raises(ValueError, match="order"):
        A.gamma_taylor_coefficients(1.5, -1)
    with pytest.raises(ValueError, match="dps"):
        A.gamma_taylor_coefficients(1.5, 3, dps=5)
    with pytest.raises(TypeError, match="x0"):
        A.gamma_taylor_coefficients(1.5j, 3)


def test_partial_sums_accumulate_powers_of_h():
    assert A.shift_partial_sums([1, 2, 3], h=2) == [1, 5, 17]
    assert A.shift_partial_sums(np.array([1.0, -1.0])) == [1.0, 0.0]


def test_partial_sums_reject_bad_arguments():
    with pytest.raises(ValueError, match="empty"):
        A.shift_partial_sums([])
    with pytest.raises(TypeError, match="sequence"):
        A.shift_partial_sums("123")
    with pytest.raises(TypeError, match=r"coeffs\[1\]"):
        A.shift_partial_sums([1, "a"])
    with pytest.raises(TypeError, match="h must"):
        A.shift_partial_sums([1, 2], h=True)


# --------------------------------------------------------------------------- the transform


def test_transformed_gamma_solves_the_ode_and_is_periodic():
    w = np.linspace(-3, 3, 7)
    h = 1e-5
    g = A.transformed_gamma(w, 2.0)
    dg = (A.transformed_gamma(w + h, 2.0) - A.transformed_gamma(w - h, 2.0)) / (2 * h)
    np.testing.assert_allclose(np.exp(1j * w) * g, 1j * dg, atol=1e-8)
    np.testing.assert_allclose(A.transformed_gamma(w + 2 * np.pi), A.transformed_gamma(w), atol=1e-14)
    assert A.transformed_gamma(0.0) == pytest.approx(np.exp(-1))


def test_transformed_gamma_rejects_bad_arguments():
    with pytest.raises(TypeError, match="C must"):
        A.transformed_gamma(1.0, "c")
    with pytest.raises(ValueError, match="C must be finite"):
        A.transformed_gamma(1.0, float("inf"))
    with pytest.raises(TypeError, match="omega"):
        A.transformed_gamma("w")
    with pytest.raises(TypeError, match="omega"):
        A.transformed_gamma(np.array([True]))
    with pytest.raises(ValueError, match="finite"):
        A.transformed_gamma([np.nan])


def test_fourier_coefficients_of_exp_minus_exp_are_the_comb_weights():
    ks = list(range(-3, 8))
    c = A.fourier_coefficients(A.transformed_gamma, ks, samples=64)
    want = [float(A.comb_weights(8)[k]) if k >= 0 else 0.0 for k in ks]
    np.testing.assert_allclose(c, want, atol=1e-15)


def test_fourier_coefficients_detect_a_single_harmonic():
    c = A.fourier_coefficients(lambda w: np.cos(3 * w), [-3, 0, 3, 4], samples=16)
    np.testing.assert_allclose(c, [0.5, 0, 0.5, 0], atol=1e-15)


def test_fourier_coefficients_reject_bad_arguments():
    with pytest.raises(TypeError, match="callable"):
        A.fourier_coefficients(3, [0])
    with pytest.raises(ValueError, match="aliasing"):
        A.fourier_coefficients(np.cos, [8], samples=16)
    with pytest.raises(ValueError, match="empty"):
        A.fourier_coefficients(np.cos, [])
    with pytest.raises(TypeError, match="ks must"):
        A.fourier_coefficients(np.cos, 3)
    with pytest.raises(TypeError, match=r"ks\[0\]"):
        A.fourier_coefficients(np.cos, [0.5])
    with pytest.raises(ValueError, match="samples"):
        A.fourier_coefficients(np.cos, [0], samples=2)
    with pytest.raises(ValueError, match="shape"):
        A.fourier_coefficients(lambda w: 1.0, [0])
    with pytest.raises(ValueError, match="non-finite"):
        A.fourier_coefficients(lambda w: np.full(w.shape, np.nan), [0])


@given(st.integers(1, 30))
def test_comb_weights_obey_the_functional_equation_recursion(K):
    r = A.comb_weights(K)
    assert r[0] == 1
    for k in range(1, K):
        assert r[k] == -r[k - 1] / k  # f(x+1) = x f(x) on sum r_k delta(x+k)
    assert all(isinstance(v, Fraction) for v in r)


def test_comb_weights_reject_bad_k():
    with pytest.raises(ValueError, match="K"):
        A.comb_weights(0)
    with pytest.raises(TypeError, match="K"):
        A.comb_weights(2.0)


@pytest.mark.parametrize("k", [0, 1, 2, 5])
def test_residues_of_gamma_equal_comb_weights(k):
    assert float(A.gamma_residue(k)) == pytest.approx(float(A.comb_weights(k + 1)[k]), rel=1e-12)


def test_residue_rejects_bad_k():
    with pytest.raises(ValueError, match="k"):
        A.gamma_residue(-1)
    with pytest.raises(TypeError, match="k"):
        A.gamma_residue(True)


# --------------------------------------------------------------------------- contours


@pytest.mark.parametrize("x0", [0.5, 2.3, 1.5 + 2j, 0.3 - 1j])
def test_contour_integral_is_minus_i_gamma(x0):
    got = A.contour_integral(x0)
    assert abs(got - (-1j) * mpmath.gamma(x0)) < 1e-15 * max(1, abs(mpmath.gamma(x0)))


def test_tilted_contours_agree_and_valleys_add_periodic_factors():
    x0 = mpmath.mpf("1.7")
    base = A.gamma_by_contour(x0)
    assert abs(base - mpmath.gamma(x0)) < 1e-15
    assert abs(A.gamma_by_contour(x0, a=1.2) - base) < 1e-15
    for m in (-1, 1, 2):
        want = mpmath.exp(2j * mpmath.pi * m * x0) * mpmath.gamma(x0)
        assert abs(A.gamma_by_contour(x0, m=m, a=-0.4) - want) < 1e-14


def test_contour_normalisation_fixes_gamma_of_one():
    assert abs(A.gamma_by_contour(1) - 1) < 1e-18


def test_contour_rejects_bad_arguments():
    with pytest.raises(ValueError, match="positive real part"):
        A.contour_integral(-0.5)
    with pytest.raises(ValueError, match="positive real part"):
        A.gamma_by_contour(2j)
    with pytest.raises(ValueError, match="valley"):
        A.contour_integral(1.0, a=2.0)
    with pytest.raises(TypeError, match="m must"):
        A.contour_integral(1.0, m=0.5)
    with pytest.raises(TypeError, match="x must"):
        A.contour_integral("1")
    with pytest.raises(TypeError, match="x must"):
        A.contour_integral(True)
    with pytest.raises(ValueError, match="finite"):
        A.contour_integral(complex(float("inf"), 0))
    with pytest.raises(TypeError, match="a must"):
        A.contour_integral(1.0, a=1j)
    with pytest.raises(ValueError, match="dps"):
        A.contour_integral(1.0, dps=2000)


# --------------------------------------------------------------------------- periodic factors


@given(st.floats(-0.9, 0.9), st.integers(1, 3))
@settings(max_examples=25, deadline=None)
def test_perturbed_gamma_satisfies_the_functional_equation(eps, n):
    xs = np.linspace(0.05, 6, 40)
    assert A.functional_equation_residual(lambda t: A.perturbed_gamma(t, eps, n=n), xs) < 1e-12


def test_perturbed_gamma_keeps_factorials_and_works_off_axis():
    ks = np.arange(1, 8)
    np.testing.assert_allclose(A.perturbed_gamma(ks, 0.4), special.factorial(ks - 1), rtol=1e-13)
    z = np.array([1.3 + 0.5j, 2.2 - 1j])
    np.testing.assert_allclose(A.perturbed_gamma(z, 0.0), special.gamma(z), rtol=1e-14)
    assert A.perturbed_gamma(0.25, 0.5) == pytest.approx(1.5 * math.gamma(0.25))


def test_functional_equation_residual_flags_a_non_solution():
    assert A.functional_equation_residual(special.gamma, np.linspace(0.1, 5, 20)) < 1e-13
    assert A.functional_equation_residual(lambda t: special.gamma(t) * t, np.linspace(0.1, 5, 20)) > 0.1


def test_perturbed_functions_reject_bad_arguments():
    with pytest.raises(ValueError, match="eps"):
        A.perturbed_gamma(1.0, 1.0)
    with pytest.raises(TypeError, match="eps"):
        A.perturbed_gamma(1.0, "0.1")
    with pytest.raises(ValueError, match="n must"):
        A.perturbed_gamma(1.0, 0.1, n=0)
    with pytest.raises(TypeError, match="x must"):
        A.perturbed_gamma("1", 0.1)
    with pytest.raises(TypeError, match="x must"):
        A.perturbed_gamma(np.array(["a"]), 0.1)
    with pytest.raises(ValueError, match="finite"):
        A.perturbed_gamma(np.inf, 0.1)
    with pytest.raises(ValueError, match="> 0"):
        A.perturbed_log_gamma(-1.0, 0.1)
    with pytest.raises(ValueError, match="> 0"):
        A.perturbed_log_gamma_dd(np.array([1.0, 0.0]), 0.1)
    with pytest.raises(TypeError, match="x must"):
        A.perturbed_log_gamma(1j, 0.1)
    with pytest.raises(ValueError, match="eps"):
        A.perturbed_log_gamma_dd(1.0, -1.5)
    with pytest.raises(ValueError, match="non-empty"):
        A.perturbed_log_gamma([], 0.1)
    with pytest.raises(TypeError, match="x must"):
        A.perturbed_log_gamma("1.0", 0.1)


def test_functional_equation_residual_rejects_bad_arguments():
    with pytest.raises(TypeError, match="callable"):
        A.functional_equation_residual(None, [1.0])
    with pytest.raises(ValueError, match="not finite"):
        A.functional_equation_residual(special.gamma, [-1.0])
    with pytest.raises(ValueError, match="shape"):
        A.functional_equation_residual(lambda t: 1.0, [1.0, 2.0])
    with pytest.raises(TypeError, match="xs"):
        A.functional_equation_residual(special.gamma, [True])


# --------------------------------------------------------------------------- log-convexity


def test_log_gamma_is_convex_and_perturbations_are_not():
    grid = np.linspace(0.1, 60, 2000)
    assert A.is_log_convex(special.gammaln, grid)
    assert not A.is_log_convex(lambda t: A.perturbed_log_gamma(t, 1e-3), grid)
    assert not A.is_log_convex(lambda t: A.perturbed_log_gamma(t, 0.1), np.array([1.25]))


def test_second_differences_match_the_exact_second_derivative():
    grid = np.linspace(0.5, 40, 300)
    for eps in (0.0, 0.1, -0.02):
        fd = A.log_second_differences(lambda t, e=eps: A.perturbed_log_gamma(t, e), grid, h=1e-3)
        np.testing.assert_allclose(fd, A.perturbed_log_gamma_dd(grid, eps), atol=2e-4)
    np.testing.assert_allclose(A.perturbed_log_gamma_dd(grid, 0.0), special.polygamma(1, grid))


def test_log_convexity_helpers_reject_bad_arguments():
    with pytest.raises(ValueError, match="h must"):
        A.log_second_differences(special.gammaln, [1.0], h=0.0)
    with pytest.raises(TypeError, match="callable"):
        A.log_second_differences(1.0, [1.0])
    with pytest.raises(ValueError, match="shape"):
        A.log_second_differences(lambda t: 0.0, [1.0, 2.0])
    with pytest.raises(ValueError, match="not finite"):
        A.log_second_differences(np.log, [0.0])
    with pytest.raises(ValueError, match="tol"):
        A.is_log_convex(special.gammaln, [1.0], tol=-1.0)
    with pytest.raises(ValueError, match="1-D"):
        A.is_log_convex(special.gammaln, [[1.0, 2.0]])


@pytest.mark.parametrize("eps", [0.1, 1e-2, 1e-3, -1e-3, 1e-5])
@pytest.mark.parametrize("n", [1, 2])
def test_witness_is_the_first_negative_peak(eps, n):
    xw = A.log_convexity_witness(eps, n=n)
    assert A.perturbed_log_gamma_dd(xw, eps, n=n) < 0
    q = 0.25 if eps > 0 else 0.75
    assert math.isclose((xw * n - q) % 1, 0, abs_tol=1e-9)
    if xw > 1:  # the previous peak of the same phase is still convex
        assert A.perturbed_log_gamma_dd(xw - 1 / n, eps, n=n) >= 0


def test_witness_can_be_the_very_first_trough():
    # eps = -0.4: psi'(3/4) = 2.54 is already below 4 pi^2 * 0.4 / 1.4 = 11.3
    assert A.log_convexity_witness(-0.4) == 0.75
    assert A.perturbed_log_gamma_dd(0.75, -0.4) < 0


def test_witness_moves_out_like_one_over_eps():
    # psi'(x) ~ 1/x, so the first violation sits near (1 + eps) / (4 pi^2 eps)
    eps = 1e-6
    assert A.log_convexity_witness(eps) == pytest.approx((1 + eps) / (4 * math.pi**2 * eps), rel=1e-4)


def test_witness_rejects_bad_eps():
    with pytest.raises(ValueError, match="0 < \\|eps\\|"):
        A.log_convexity_witness(0.0)
    with pytest.raises(ValueError, match="0 < \\|eps\\|"):
        A.log_convexity_witness(0.5)
    with pytest.raises(ValueError, match="n must"):
        A.log_convexity_witness(0.1, n=0)


@pytest.mark.parametrize("x0", [0.1, 0.25, 0.5, 0.9, 1.0])
def test_bohr_mollerup_bounds_squeeze_gamma(x0):
    prev = None
    for n in (2, 10, 100, 10_000):
        lo, hi = A.bohr_mollerup_bounds(x0, n)
        assert lo <= math.gamma(x0) * (1 + 1e-13) and math.gamma(x0) <= hi * (1 + 1e-13)
        assert math.log(hi / lo) == pytest.approx(x0 * math.log(n / (n - 1)), rel=1e-9)
        if prev is not None:
            assert hi - lo < prev
        prev = hi - lo


def test_bohr_mollerup_bounds_exclude_the_perturbed_solution():
    lo, hi = A.bohr_mollerup_bounds(0.25, 2000)
    assert A.perturbed_gamma(0.25, 1e-3) > hi
    assert lo <= A.perturbed_gamma(0.25, 0.0) <= hi


def test_bohr_mollerup_bounds_reject_bad_arguments():
    with pytest.raises(ValueError, match="x must lie"):
        A.bohr_mollerup_bounds(1.5, 10)
    with pytest.raises(ValueError, match="x must lie"):
        A.bohr_mollerup_bounds(0.0, 10)
    with pytest.raises(ValueError, match="n must"):
        A.bohr_mollerup_bounds(0.5, 1)
    with pytest.raises(TypeError, match="n must"):
        A.bohr_mollerup_bounds(0.5, 2.5)


# --------------------------------------------------------------------------- genuine transform


def test_vertical_line_transform_recovers_exp_cu_minus_exp_u():
    u = np.linspace(-6, 3, 41)
    for c in (0.7, 2.0):
        got = A.gamma_vertical_transform(c, u)
        np.testing.assert_allclose(got, np.exp(c * u - np.exp(u)), atol=1e-12)
    assert A.gamma_vertical_transform(1.0, 0.0) == pytest.approx(np.exp(-1), abs=1e-13)


def test_vertical_line_transform_fails_when_truncated_too_early():
    u = np.linspace(-2, 2, 9)
    err = np.max(np.abs(A.gamma_vertical_transform(0.7, u, y_max=2.0) - np.exp(0.7 * u - np.exp(u))))
    assert err > 1e-3


def test_vertical_line_transform_rejects_bad_arguments():
    with pytest.raises(ValueError, match="c must"):
        A.gamma_vertical_transform(0.0, [0.0])
    with pytest.raises(ValueError, match="y_max and dy"):
        A.gamma_vertical_transform(1.0, [0.0], dy=-1.0)
    with pytest.raises(ValueError, match="2e6"):
        A.gamma_vertical_transform(1.0, [0.0], y_max=1e6, dy=0.1)
    with pytest.raises(ValueError, match="fewer than 2"):
        A.gamma_vertical_transform(1.0, [0.0], y_max=0.01, dy=1.0)
    with pytest.raises(ValueError, match="finite"):
        A.gamma_vertical_transform(1.0, [np.nan])


@pytest.mark.parametrize("x0", [0.37, 2.5, -1.5, 0.5 + 1j])
def test_prym_split_sums_to_gamma(x0):
    pole, entire = A.prym_split(x0, terms=60)
    assert abs(pole + entire - mpmath.gamma(x0)) < 1e-15 * max(1, abs(mpmath.gamma(x0)))


def test_prym_pole_part_is_the_lower_incomplete_gamma():
    pole, _ = A.prym_split(0.8)
    assert abs(pole - mpmath.gammainc(0.8, 0, 1)) < 1e-15


def test_prym_split_rejects_bad_arguments():
    with pytest.raises(ValueError, match="pole"):
        A.prym_split(-2)
    with pytest.raises(ValueError, match="terms"):
        A.prym_split(0.5, terms=0)
    with pytest.raises(TypeError, match="x must"):
        A.prym_split([0.5])
