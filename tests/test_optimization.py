"""Tests for kexue_lab.optimization (chapter 9902: projections, schedules, the regret bound, projected SGD)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import minimize

from kexue_lab import optimization as opt

finite = st.floats(-50, 50, allow_nan=False, allow_infinity=False)
vec5 = arrays(np.float64, 5, elements=finite)


def brute_force_projection(x, constraints=(), bounds=None, seed=0):
    """argmin_z ||z - x||^2 over the set, by a general-purpose solver from a random start."""
    z0 = np.random.default_rng(seed).normal(size=x.size)
    res = minimize(
        lambda z: 0.5 * np.sum((z - x) ** 2),
        z0,
        jac=lambda z: z - x,
        method="SLSQP",
        bounds=bounds,
        constraints=list(constraints),
        options={"ftol": 1e-14, "maxiter": 1000},
    )
    # SLSQP may stop with "positive directional derivative" at the precision limit; the caller compares x itself
    assert res.status in (0, 8), res.message
    return res.x


PROJECTIONS = {
    "ball": (
        lambda x: opt.project_l2_ball(x, 1.5, np.full(x.size, 0.25)),
        lambda z: np.linalg.norm(z - 0.25) <= 1.5 + 1e-12,
    ),
    "box": (
        lambda x: opt.project_box(x, -0.5, np.arange(x.size) + 0.5),
        lambda z: np.all((z >= -0.5) & (z <= np.arange(z.size) + 0.5)),
    ),
    "simplex": (lambda x: opt.project_simplex(x, 2.0), lambda z: np.all(z >= 0) and abs(z.sum() - 2.0) <= 1e-12),
}


# --------------------------------------------------------------------------- projections: properties


@pytest.mark.parametrize("name", PROJECTIONS)
@settings(max_examples=60, deadline=None)
@given(x=vec5)
def test_projection_is_feasible_and_idempotent(name, x):
    proj, feasible = PROJECTIONS[name]
    p = proj(x)
    assert feasible(p)
    np.testing.assert_allclose(proj(p), p, rtol=0, atol=1e-12)


@pytest.mark.parametrize("name", PROJECTIONS)
@settings(max_examples=60, deadline=None)
@given(x=vec5, y=vec5)
def test_projection_is_non_expansive(name, x, y):
    proj, _ = PROJECTIONS[name]
    assert np.linalg.norm(proj(x) - proj(y)) <= np.linalg.norm(x - y) * (1 + 1e-12) + 1e-12


@pytest.mark.parametrize("name", PROJECTIONS)
@settings(max_examples=60, deadline=None)
@given(phi=vec5, z=vec5)
def test_projection_satisfies_obtuse_angle_inequality(name, phi, z):
    proj, _ = PROJECTIONS[name]
    pi, theta = proj(phi), proj(z)  # theta: an arbitrary feasible point
    assert (pi - theta) @ (phi - pi) >= -1e-9 * (1 + np.linalg.norm(phi) ** 2)


def test_ball_projection_agrees_with_brute_force():
    rng = np.random.default_rng(1)
    c = rng.normal(size=4)
    cons = [{"type": "ineq", "fun": lambda z: 1.3**2 - (z - c) @ (z - c)}]
    for _ in range(40):
        x = c + rng.normal(scale=2.0, size=4)
        np.testing.assert_allclose(opt.project_l2_ball(x, 1.3, c), brute_force_projection(x, cons), atol=1e-7)


def test_box_projection_agrees_with_brute_force():
    rng = np.random.default_rng(2)
    lo, hi = np.array([-1.0, 0.0, 2.0, -3.0]), np.array([1.0, 0.5, 2.0, 4.0])  # one degenerate side
    for _ in range(40):
        x = rng.normal(scale=3.0, size=4)
        ref = brute_force_projection(x, bounds=list(zip(lo, hi)))
        np.testing.assert_allclose(opt.project_box(x, lo, hi), ref, atol=1e-7)


def test_simplex_projection_agrees_with_brute_force():
    rng = np.random.default_rng(3)
    cons = [{"type": "eq", "fun": lambda z: z.sum() - 0.7}]
    for _ in range(40):
        x = rng.normal(scale=2.0, size=6)
        ref = brute_force_projection(x, cons, bounds=[(0, None)] * 6)
        np.testing.assert_allclose(opt.project_simplex(x, 0.7), ref, atol=1e-7)


def test_simplex_projection_handles_ties_and_single_coordinate():
    np.testing.assert_allclose(opt.project_simplex([1.0, 1.0, 1.0]), [1 / 3, 1 / 3, 1 / 3], atol=1e-15)
    np.testing.assert_allclose(opt.project_simplex([5.0, 5.0, -1.0], 1.0), [0.5, 0.5, 0.0], atol=1e-15)
    np.testing.assert_allclose(opt.project_simplex([-7.0], 2.0), [2.0])


def test_points_inside_ball_and_box_are_returned_bitwise():
    x = np.array([0.1, -0.2, 0.3])
    assert np.array_equal(opt.project_l2_ball(x, 1.0), x)
    assert np.array_equal(opt.project_box(x, -1.0, 1.0), x)
    out = opt.project_l2_ball(x, 1.0)
    out[0] = 99.0  # a new array: the caller's input is untouched
    assert x[0] == 0.1


def test_ball_projection_lands_on_the_sphere_along_the_ray():
    p = opt.project_l2_ball([3.0, 4.0], 1.0, [0.0, 0.0])
    np.testing.assert_allclose(p, [0.6, 0.8], atol=1e-15)
    p = opt.project_l2_ball([3.0, 5.0], 2.0, [0.0, 1.0])
    np.testing.assert_allclose(p, [1.2, 2.6], atol=1e-15)


def test_box_allows_infinite_bounds():
    np.testing.assert_array_equal(opt.project_box([-5.0, 5.0], -np.inf, [0.0, 1.0]), [-5.0, 1.0])


# --------------------------------------------------------------------------- projections: errors


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: opt.project_l2_ball([1.0, 2.0], 0.0), ValueError, "radius"),
        (lambda: opt.project_l2_ball([1.0, 2.0], -1.0), ValueError, "radius"),
        (lambda: opt.project_l2_ball([1.0, 2.0], float("nan")), ValueError, "radius"),
        (lambda: opt.project_l2_ball([1.0, 2.0], True), TypeError, "radius"),
        (lambda: opt.project_l2_ball([1.0, 2.0], "1"), TypeError, "radius"),
        (lambda: opt.project_l2_ball("ab", 1.0), TypeError, "x"),
        (lambda: opt.project_l2_ball(None, 1.0), TypeError, "x"),
        (lambda: opt.project_l2_ball([[1.0, 2.0]], 1.0), ValueError, "1-D"),
        (lambda: opt.project_l2_ball([], 1.0), ValueError, "non-empty"),
        (lambda: opt.project_l2_ball([1.0, np.nan], 1.0), ValueError, "finite"),
        (lambda: opt.project_l2_ball([1.0, 2.0], 1.0, [0.0]), ValueError, "center"),
        (lambda: opt.project_l2_ball([1.0, 2.0], 1.0, [0.0, np.inf]), ValueError, "finite"),
        (lambda: opt.project_l2_ball([object(), 1.0], 1.0), TypeError, "x"),
        (lambda: opt.project_box([1.0, 2.0], 1.0, 0.0), ValueError, "lo > hi"),
        (lambda: opt.project_box([1.0, 2.0], [0.0, 3.0], [1.0, 2.0]), ValueError, "index 1"),
        (lambda: opt.project_box([1.0, 2.0], np.nan, 1.0), ValueError, "nan"),
        (lambda: opt.project_box([1.0, 2.0], [0.0, 0.0, 0.0], 1.0), ValueError, "shape"),
        (lambda: opt.project_box([1.0, 2.0], None, 1.0), TypeError, "lo"),
        (lambda: opt.project_box([1.0, 2.0], 0.0, "x"), TypeError, "hi"),
        (lambda: opt.project_box([1.0, 2.0], 0.0, [object(), 1.0]), TypeError, "hi"),
        (lambda: opt.project_simplex([1.0, 2.0], 0.0), ValueError, "z"),
        (lambda: opt.project_simplex([1.0, 2.0], -1.0), ValueError, "z"),
        (lambda: opt.project_simplex([1.0, np.inf]), ValueError, "finite"),
    ],
)
def test_projections_reject_bad_arguments(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# --------------------------------------------------------------------------- schedules


def test_lr_constant_is_the_horizon_tuned_step():
    lr = opt.lr_constant(2.0, 4.0, 25)
    assert lr(1) == lr(25) == lr(1000) == pytest.approx(2.0 / (4.0 * 5.0), rel=1e-15)
    assert lr(np.int64(3)) == lr(1)


def test_lr_inv_sqrt_is_one_indexed():
    lr = opt.lr_inv_sqrt(3.0)
    assert lr(1) == 3.0
    assert lr(4) == 1.5
    with pytest.raises(ValueError, match="1-indexed"):
        lr(0)


@pytest.mark.parametrize("lr", [opt.lr_constant(1.0, 1.0, 10), opt.lr_inv_sqrt(1.0)])
@pytest.mark.parametrize(
    ("t", "exc"), [(0, ValueError), (-2, ValueError), (1.0, TypeError), (True, TypeError), ("1", TypeError)]
)
def test_schedules_reject_bad_step_indices(lr, t, exc):
    with pytest.raises(exc, match="t"):
        lr(t)


@pytest.mark.parametrize(
    ("args", "exc", "match"),
    [
        ((0.0, 1.0, 10), ValueError, "D"),
        ((1.0, -1.0, 10), ValueError, "G"),
        ((1.0, 1.0, 0), ValueError, "T"),
        ((1.0, 1.0, 2.5), TypeError, "T"),
        ((1.0, 1.0, True), TypeError, "T"),
        ((float("inf"), 1.0, 10), ValueError, "D"),
        ((None, 1.0, 10), TypeError, "D"),
    ],
)
def test_lr_constant_rejects_bad_arguments(args, exc, match):
    with pytest.raises(exc, match=match):
        opt.lr_constant(*args)


@pytest.mark.parametrize(
    ("alpha", "exc"), [(0.0, ValueError), (-1.0, ValueError), (float("nan"), ValueError), ("a", TypeError)]
)
def test_lr_inv_sqrt_rejects_bad_alpha(alpha, exc):
    with pytest.raises(exc, match="alpha"):
        opt.lr_inv_sqrt(alpha)


# --------------------------------------------------------------------------- the bound


def test_regret_bound_constant_schedule_formula():
    eta, T, D, G = 0.3, 37, 2.0, 1.5
    assert opt.regret_bound([eta] * T, D, G) == pytest.approx(D**2 / (2 * T * eta) + G**2 * eta / 2, rel=1e-14)


def test_regret_bound_at_the_tuned_constant_step_is_DG_over_sqrt_T():
    D, G, T = 3.0, 0.7, 400
    lr = opt.lr_constant(D, G, T)
    assert opt.regret_bound([lr(t) for t in range(1, T + 1)], D, G) == pytest.approx(D * G / math.sqrt(T), rel=1e-12)


def test_regret_bound_single_step():
    assert opt.regret_bound([0.5], 2.0, 3.0) == pytest.approx(2.0**2 / (2 * 0.5) + 3.0**2 * 0.5 / 2, rel=1e-15)


@pytest.mark.parametrize("T", [1, 2, 10, 1000])
def test_regret_bound_inv_sqrt_is_below_the_closed_form(T):
    D, G, alpha = 2.0, 1.0, 0.8
    lr = opt.lr_inv_sqrt(alpha)
    exact = opt.regret_bound([lr(t) for t in range(1, T + 1)], D, G)
    assert exact < D**2 / (2 * alpha * math.sqrt(T)) + G**2 * alpha / math.sqrt(T)


def test_prefix_bounds_equal_the_bound_of_each_prefix():
    etas = 1.0 / np.sqrt(np.arange(1, 51))
    pref = opt.prefix_regret_bounds(etas, 1.5, 2.5)
    assert pref.shape == (50,)
    for T in (1, 7, 50):
        assert pref[T - 1] == pytest.approx(opt.regret_bound(etas[:T], 1.5, 2.5), rel=1e-15)


@pytest.mark.parametrize(
    ("etas", "D", "G", "exc", "match"),
    [
        ([], 1.0, 1.0, ValueError, "empty"),
        ([0.5, 0.0], 1.0, 1.0, ValueError, "> 0"),
        ([-0.1], 1.0, 1.0, ValueError, "> 0"),
        ([0.1, 0.2], 1.0, 1.0, ValueError, "non-increasing"),
        ([0.3, 0.2, 0.25], 1.0, 1.0, ValueError, "eta_3"),
        ([0.1, np.nan], 1.0, 1.0, ValueError, "finite"),
        ([[0.1]], 1.0, 1.0, ValueError, "1-D"),
        ("0.1", 1.0, 1.0, TypeError, "etas"),
        (None, 1.0, 1.0, TypeError, "etas"),
        ([object()], 1.0, 1.0, TypeError, "etas"),
        ([0.1], 0.0, 1.0, ValueError, "D"),
        ([0.1], 1.0, -2.0, ValueError, "G"),
    ],
)
def test_regret_bound_rejects_what_the_proof_does_not_cover(etas, D, G, exc, match):
    with pytest.raises(exc, match=match):
        opt.regret_bound(etas, D, G)
    with pytest.raises(exc, match=match):
        opt.prefix_regret_bounds(etas, D, G)


# --------------------------------------------------------------------------- projected SGD


def quad_loss_grad(x, theta):
    """L(x, theta) = 0.5 ||theta - x||^2."""
    r = theta - x
    return 0.5 * float(r @ r), r


def test_projected_sgd_matches_a_hand_written_loop():
    rng = np.random.default_rng(4)
    xs = rng.normal(scale=3.0, size=(30, 3))
    lr = opt.lr_inv_sqrt(0.7)

    def proj(v):
        return opt.project_l2_ball(v, 1.0)

    hist = opt.projected_sgd(quad_loss_grad, iter(xs), np.zeros(3), lr, proj, 30)
    theta = np.zeros(3)
    for t, x in enumerate(xs, start=1):
        loss, g = quad_loss_grad(x, theta)
        assert hist.losses[t - 1] == loss  # paid at the pre-update iterate
        assert hist.grad_norms[t - 1] == np.linalg.norm(g)
        assert hist.etas[t - 1] == lr(t)
        np.testing.assert_array_equal(hist.iterates[t - 1], theta)
        theta = proj(theta - lr(t) * g)
    np.testing.assert_array_equal(hist.iterates[-1], theta)
    assert hist.T == 30 and hist.iterates.shape == (31, 3)
    assert hist.max_grad_norm == hist.grad_norms.max()


def test_projected_sgd_first_loss_is_at_theta1():
    hist = opt.projected_sgd(
        quad_loss_grad, iter([np.array([2.0])]), np.array([0.5]), opt.lr_inv_sqrt(1.0), lambda v: v, 1
    )
    assert hist.losses[0] == 0.5 * 1.5**2  # not at the updated point 2.0
    np.testing.assert_array_equal(hist.iterates, [[0.5], [2.0]])


def test_projected_sgd_passes_a_copy_of_the_iterate():
    def mutating(x, theta):
        theta[:] = 1e9  # must not corrupt the run
        return 0.0, np.zeros_like(theta)

    hist = opt.projected_sgd(mutating, iter(range(3)), np.zeros(2), opt.lr_inv_sqrt(1.0), lambda v: v, 3)
    assert np.all(hist.iterates == 0.0)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), T=st.integers(1, 200), alpha=st.floats(0.05, 5.0))
def test_projected_sgd_satisfies_the_regret_bound_on_random_linear_games(seed, T, alpha):
    """Linear losses <g_t, theta> on the unit ball: the best comparator is -S/||S||; the bound must hold."""
    rng = np.random.default_rng(seed)
    gs = rng.normal(size=(T, 3))
    gs /= np.maximum(1.0, np.linalg.norm(gs, axis=1, keepdims=True))  # ||g_t|| <= G = 1
    hist = opt.projected_sgd(
        lambda g, th: (float(g @ th), g),
        iter(gs),
        np.zeros(3),
        opt.lr_inv_sqrt(alpha),
        lambda v: opt.project_l2_ball(v, 1.0),
        T,
    )
    S = gs.sum(axis=0)
    best = -S / np.linalg.norm(S) if np.linalg.norm(S) > 0 else np.zeros(3)
    avg = opt.average_regret(hist, gs @ best)
    assert avg[-1] <= opt.regret_bound(hist.etas, 2.0, 1.0) + 1e-12


def test_history_distances():
    hist = opt.projected_sgd(
        quad_loss_grad, iter([np.array([1.0, 0.0])] * 2), np.zeros(2), opt.lr_inv_sqrt(0.5), lambda v: v, 2
    )
    np.testing.assert_allclose(hist.distances([1.0, 0.0]), np.linalg.norm(hist.iterates - [1.0, 0.0], axis=1))
    with pytest.raises(ValueError, match="shape"):
        hist.distances([1.0, 0.0, 0.0])


def _sgd(**overrides):
    kwargs = {
        "loss_grad": quad_loss_grad,
        "stream": iter([np.zeros(2)] * 5),
        "theta1": np.zeros(2),
        "lr": opt.lr_inv_sqrt(1.0),
        "project": lambda v: opt.project_l2_ball(v, 1.0),
        "T": 5,
    }
    kwargs.update(overrides)
    return opt.projected_sgd(**kwargs)


@pytest.mark.parametrize(
    ("overrides", "exc", "match"),
    [
        ({"loss_grad": 3}, TypeError, "loss_grad"),
        ({"lr": 0.1}, TypeError, "lr"),
        ({"project": None}, TypeError, "project"),
        ({"T": 0}, ValueError, "T"),
        ({"T": 2.0}, TypeError, "T"),
        ({"theta1": np.array([3.0, 0.0])}, ValueError, "feasible"),
        ({"theta1": [np.nan, 0.0]}, ValueError, "finite"),
        ({"stream": 5}, TypeError, "iterable"),
        ({"stream": iter([np.zeros(2)] * 3)}, ValueError, "ended after 3"),
        ({"loss_grad": lambda x, th: (float("nan"), th)}, ValueError, "finite real loss"),
        ({"loss_grad": lambda x, th: (True, th)}, ValueError, "finite real loss"),
        ({"loss_grad": lambda x, th: ("0", th)}, ValueError, "finite real loss"),
        ({"loss_grad": lambda x, th: (0.0, np.zeros(3))}, ValueError, "shape"),
        ({"loss_grad": lambda x, th: (0.0, np.array([np.inf, 0.0]))}, ValueError, "non-finite gradient"),
        ({"lr": lambda t: 0.0}, ValueError, "step size"),
        ({"lr": lambda t: -1.0}, ValueError, "step size"),
        ({"lr": lambda t: float("nan")}, ValueError, "step size"),
        ({"project": lambda v: np.zeros(3)}, ValueError, "shape"),
        ({"project": lambda v: v * np.nan}, ValueError, "non-finite"),
    ],
)
def test_projected_sgd_rejects_bad_arguments(overrides, exc, match):
    with pytest.raises(exc, match=match):
        _sgd(**overrides)


def test_projected_sgd_schedule_at_t0_would_raise():
    """The run calls lr with t = 1..T, never 0 (an off-by-one would surface as ValueError)."""
    seen = []

    def lr(t):
        seen.append(t)
        return opt.lr_inv_sqrt(1.0)(t)

    _sgd(lr=lr)
    assert seen == [1, 2, 3, 4, 5]


# --------------------------------------------------------------------------- average regret


def test_average_regret_is_the_prefix_mean_of_the_loss_gap():
    hist = opt.SGDHistory(np.array([3.0, 1.0, 2.0]), np.ones(3), np.ones(3), np.zeros((4, 1)))
    np.testing.assert_allclose(opt.average_regret(hist, [1.0, 1.0, 4.0]), [2.0, 1.0, 0.0])


@pytest.mark.parametrize(
    ("history", "comp", "exc", "match"),
    [
        ("not a history", [1.0], TypeError, "SGDHistory"),
        (opt.SGDHistory(np.ones(2), np.ones(2), np.ones(2), np.zeros((3, 1))), [1.0], ValueError, "T=2"),
        (opt.SGDHistory(np.ones(2), np.ones(2), np.ones(2), np.zeros((3, 1))), [1.0, np.nan], ValueError, "finite"),
    ],
)
def test_average_regret_rejects_bad_arguments(history, comp, exc, match):
    with pytest.raises(exc, match=match):
        opt.average_regret(history, comp)


# --------------------------------------------------------------------------- comparators on a ball


def test_optimality_gap_is_zero_at_the_constrained_minimiser_and_bounds_suboptimality():
    target = np.array([3.0, 4.0])  # f = 0.5 ||theta - target||^2, minimiser on the unit ball is (0.6, 0.8)
    star = np.array([0.6, 0.8])
    assert opt.ball_optimality_gap(star - target, star, 1.0) == pytest.approx(0.0, abs=1e-12)
    rng = np.random.default_rng(5)
    f_star = 0.5 * np.sum((star - target) ** 2)
    for _ in range(50):
        th = opt.project_l2_ball(rng.normal(size=2), 1.0)
        gap = opt.ball_optimality_gap(th - target, th, 1.0)
        assert 0.5 * np.sum((th - target) ** 2) - f_star <= gap + 1e-12


@pytest.mark.parametrize(
    ("args", "exc", "match"),
    [
        (([1.0, 0.0], [2.0, 0.0], 1.0), ValueError, "outside"),
        (([1.0, 0.0], [0.0, 0.0, 0.0], 1.0), ValueError, "shape"),
        (([1.0, 0.0], [0.0, 0.0], 0.0), ValueError, "radius"),
        (("g", [0.0, 0.0], 1.0), TypeError, "grad"),
    ],
)
def test_optimality_gap_rejects_bad_arguments(args, exc, match):
    with pytest.raises(exc, match=match):
        opt.ball_optimality_gap(*args)


@pytest.mark.parametrize(
    ("target", "expected"), [([3.0, 4.0, 0.0], [0.6, 0.8, 0.0]), ([0.1, -0.2, 0.3], [0.1, -0.2, 0.3])]
)
def test_minimize_in_ball_finds_the_projection_of_a_quadratic_minimum(target, expected):
    target = np.array(target)
    A = np.diag([1.0, 1.0, 1.0])

    def fg(th):
        r = th - target
        return 0.5 * float(r @ A @ r), A @ r

    sol = opt.minimize_in_l2_ball(fg, np.zeros(3), 1.0, tol=1e-12)
    assert sol.converged and sol.gap <= 1e-12
    np.testing.assert_allclose(sol.theta, expected, atol=1e-6)


def test_minimize_in_ball_on_ill_conditioned_logistic_agrees_with_slsqp():
    rng = np.random.default_rng(6)
    X = rng.normal(size=(200, 4)) @ np.diag([1.0, 0.1, 3.0, 0.01])
    s = np.sign(X @ np.array([1.0, -2.0, 0.5, 3.0]) + 0.1 * rng.normal(size=200))
    SA = s[:, None] * X

    def fg(th):
        m = SA @ th
        return float(np.mean(np.logaddexp(0.0, -m))), -(SA.T @ (1 / (1 + np.exp(m)))) / len(m)

    sol = opt.minimize_in_l2_ball(fg, np.zeros(4), 2.0, tol=1e-10)
    ref = minimize(
        fg,
        np.zeros(4),
        jac=True,
        method="SLSQP",
        constraints=[{"type": "ineq", "fun": lambda z: 4.0 - z @ z}],
        options={"ftol": 1e-15, "maxiter": 1000},
    )
    assert sol.converged
    assert sol.value <= ref.fun + 1e-9  # certified: no feasible point is better by more than the gap
    assert ref.fun >= sol.value - sol.gap - 1e-12


def test_minimize_in_ball_reports_non_convergence():
    sol = opt.minimize_in_l2_ball(
        lambda th: (float(np.sum(np.cosh(th))), np.sinh(th)), [3.0, -2.0], 10.0, tol=1e-14, max_iter=1
    )
    assert not sol.converged and sol.iterations == 1


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"fun_grad": None}, TypeError, "fun_grad"),
        ({"radius": 0.0}, ValueError, "radius"),
        ({"tol": 0.0}, ValueError, "tol"),
        ({"max_iter": 0}, ValueError, "max_iter"),
        ({"fun_grad": lambda th: (float("nan"), th)}, ValueError, "finite"),
        ({"fun_grad": lambda th: (0.0, np.zeros(5))}, ValueError, "shape"),
    ],
)
def test_minimize_in_ball_rejects_bad_arguments(kwargs, exc, match):
    args = {"fun_grad": lambda th: (float(th @ th), 2 * th), "x0": np.ones(2), "radius": 1.0}
    args.update(kwargs)
    with pytest.raises(exc, match=match):
        opt.minimize_in_l2_ball(**args)
