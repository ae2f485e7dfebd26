"""Optimization theory: projections, step-size schedules, projected SGD with regret tracking.

The online-convex-optimisation setting of Zinkevich (2003): at step ``t`` a sample
``x_t`` arrives, the learner pays ``L(x_t, theta_t)`` at its *current* (pre-update)
iterate, then moves

    theta_{t+1} = Pi_Theta(theta_t - eta_t * grad L(x_t, theta_t)),

where ``Pi_Theta`` is the Euclidean projection onto a closed convex set ``Theta``.
The regret against a fixed comparator ``theta`` is
``R_T = sum_t L(x_t, theta_t) - sum_t L(x_t, theta)``, and for convex losses,
``diam(Theta) <= D``, ``||grad L|| <= G`` on ``Theta`` and non-increasing steps,

    R_T / T <= D^2 / (2 T eta_T) + G^2 / (2 T) * sum_{t<=T} eta_t.

Schedules are **1-indexed** (``eta_1`` is the first step), as in the article.

First used in chapter 9902 (SGD average-loss convergence).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .checks import check_int

__all__ = [
    "BallSolution",
    "ConstantLR",
    "InvSqrtLR",
    "SGDHistory",
    "average_regret",
    "ball_optimality_gap",
    "lr_constant",
    "lr_inv_sqrt",
    "minimize_in_l2_ball",
    "prefix_regret_bounds",
    "project_box",
    "project_l2_ball",
    "project_simplex",
    "projected_sgd",
    "regret_bound",
]


# --------------------------------------------------------------------------- validation helpers


def _positive(value: Any, name: str) -> float:
    """A finite real number > 0, as float; TypeError for non-numbers, ValueError otherwise."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be finite and > 0, got {value!r}")
    return value


def _positive_int(value: Any, name: str) -> int:
    return check_int(value, name, 1)


def _vector(x: Any, name: str) -> np.ndarray:
    """A non-empty, finite, 1-D float64 array (a copy)."""
    if isinstance(x, str | bytes) or x is None:
        raise TypeError(f"{name} must be a 1-D array of real numbers, got {type(x).__name__}")
    try:
        arr = np.array(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a 1-D array of real numbers, got {type(x).__name__}") from exc
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no nan or inf)")
    return arr


def _check_step_index(t: Any) -> int:
    if isinstance(t, bool | np.bool_) or not isinstance(t, numbers.Integral):
        raise TypeError(f"step index t must be an int, got {type(t).__name__}")
    if t < 1:
        raise ValueError(f"schedules are 1-indexed: t must be >= 1, got t={t} (a 0-based counter needs t+1)")
    return int(t)


# --------------------------------------------------------------------------- projections


def project_l2_ball(x: Any, radius: float, center: Any = None) -> np.ndarray:
    """Euclidean projection onto the ball ``{theta : ||theta - c|| <= radius}``.

    ``Pi(x) = x`` if ``||x - c|| <= radius``, else ``c + radius (x - c) / ||x - c||``.
    A point already in the ball is returned unchanged (bitwise, as a new array).

    First used in chapter 9902.
    """
    x = _vector(x, "x")
    r = _positive(radius, "radius")
    c = np.zeros_like(x) if center is None else _vector(center, "center")
    if c.shape != x.shape:
        raise ValueError(f"center must have the shape of x {x.shape}, got {c.shape}")
    v = x - c
    n = float(np.linalg.norm(v))
    if n <= r:
        return x
    return c + v * (r / n)


def project_box(x: Any, lo: Any, hi: Any) -> np.ndarray:
    """Euclidean projection onto the box ``{theta : lo <= theta <= hi}`` (elementwise clip).

    ``lo`` and ``hi`` are scalars or arrays of the shape of ``x``; infinite bounds
    (half-open boxes) are allowed, ``lo > hi`` anywhere is not. A point already
    in the box is returned unchanged.

    First used in chapter 9902.
    """
    x = _vector(x, "x")
    bounds = []
    for name, b in (("lo", lo), ("hi", hi)):
        if isinstance(b, str | bytes | bool | np.bool_) or b is None:
            raise TypeError(f"{name} must be a real number or an array of them, got {type(b).__name__}")
        try:
            arr = np.array(b, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{name} must be a real number or an array of them") from exc
        if arr.ndim not in (0, 1) or (arr.ndim == 1 and arr.shape != x.shape):
            raise ValueError(f"{name} must be a scalar or have the shape of x {x.shape}, got {arr.shape}")
        if np.any(np.isnan(arr)):
            raise ValueError(f"{name} must not contain nan")
        bounds.append(np.broadcast_to(arr, x.shape))
    lo_a, hi_a = bounds
    if np.any(lo_a > hi_a):
        i = int(np.argmax(lo_a > hi_a))
        raise ValueError(f"box is empty: lo > hi at index {i} ({lo_a[i]} > {hi_a[i]})")
    return np.clip(x, lo_a, hi_a)


def project_simplex(x: Any, z: float = 1.0) -> np.ndarray:
    """Euclidean projection onto the simplex ``{w : w >= 0, sum(w) = z}`` (sort-based, O(d log d)).

    With ``u`` the entries sorted in decreasing order and
    ``rho = max{j : u_j - (sum_{i<=j} u_i - z) / j > 0}``, the projection is
    ``w = max(x - tau, 0)`` with ``tau = (sum_{i<=rho} u_i - z) / rho``
    (Held, Wolfe & Crowder 1974; Duchi et al. 2008).

    First used in chapter 9902.
    """
    x = _vector(x, "x")
    z = _positive(z, "z")
    u = np.sort(x)[::-1]
    css = np.cumsum(u) - z
    j = np.arange(1, x.size + 1)
    rho = int(np.nonzero(u - css / j > 0)[0][-1])  # the first entry always qualifies
    tau = css[rho] / (rho + 1)
    return np.maximum(x - tau, 0.0)


# --------------------------------------------------------------------------- step-size schedules


@dataclass(frozen=True)
class ConstantLR:
    """The schedule ``eta_t = eta`` for ``t = 1, 2, ...``. First used in chapter 9902."""

    eta: float

    def __call__(self, t: int) -> float:
        _check_step_index(t)
        return self.eta


@dataclass(frozen=True)
class InvSqrtLR:
    """The schedule ``eta_t = alpha / sqrt(t)`` for ``t = 1, 2, ...``. First used in chapter 9902."""

    alpha: float

    def __call__(self, t: int) -> float:
        return self.alpha / math.sqrt(_check_step_index(t))


def lr_constant(D: float, G: float, T: int) -> ConstantLR:
    """The horizon-tuned constant step ``eta_t = D / (G sqrt(T))``, which minimises the bound
    ``D^2/(2 T eta) + G^2 eta / 2`` to ``D G / sqrt(T)``.

    The returned schedule is 1-indexed: calling it with ``t < 1`` raises.

    First used in chapter 9902.
    """
    D = _positive(D, "D")
    G = _positive(G, "G")
    T = _positive_int(T, "T")
    return ConstantLR(D / (G * math.sqrt(T)))


def lr_inv_sqrt(alpha: float) -> InvSqrtLR:
    """The anytime schedule ``eta_t = alpha / sqrt(t)``, ``t = 1, 2, ...`` (``t = 0`` raises).

    First used in chapter 9902.
    """
    return InvSqrtLR(_positive(alpha, "alpha"))


# --------------------------------------------------------------------------- the bound


def _step_sizes(etas: Any) -> np.ndarray:
    if isinstance(etas, str | bytes) or etas is None:
        raise TypeError(f"etas must be a 1-D array of step sizes, got {type(etas).__name__}")
    try:
        e = np.array(etas, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError("etas must be a 1-D array of real step sizes") from exc
    if e.ndim != 1:
        raise ValueError(f"etas must be 1-D, got shape {e.shape}")
    if e.size == 0:
        raise ValueError("etas is empty: the bound needs at least one step (T >= 1)")
    if not np.all(np.isfinite(e)):
        raise ValueError("etas must be finite")
    if np.any(e <= 0):
        i = int(np.argmax(e <= 0))
        raise ValueError(f"step sizes must be > 0, got eta_{i + 1} = {e[i]}")
    up = np.nonzero(e[1:] > e[:-1])[0]
    if up.size:
        i = int(up[0]) + 1
        raise ValueError(
            f"step sizes must be non-increasing (eta_t >= eta_(t+1)); eta_{i + 1} = {e[i]} > eta_{i} = {e[i - 1]}: "
            "the bound is not proved for increasing steps"
        )
    return e


def regret_bound(etas: Any, D: float, G: float) -> float:
    """The bound on the average regret after ``T = len(etas)`` steps:

        R_T / T <= D^2 / (2 T eta_T) + G^2 / (2 T) * sum_{t=1}^T eta_t.

    Raises ValueError when ``etas`` is empty, has a non-positive entry or increases
    anywhere (the proof's telescoping step needs ``eta_t >= eta_{t+1}``).

    First used in chapter 9902.
    """
    return float(prefix_regret_bounds(etas, D, G)[-1])


def prefix_regret_bounds(etas: Any, D: float, G: float) -> np.ndarray:
    """The bound of :func:`regret_bound` for every prefix: entry ``T'-1`` bounds ``R_T'/T'``,

        b_{T'} = D^2 / (2 T' eta_{T'}) + G^2 / (2 T') * sum_{t<=T'} eta_t.

    Same validation as :func:`regret_bound`. First used in chapter 9902.
    """
    e = _step_sizes(etas)
    D = _positive(D, "D")
    G = _positive(G, "G")
    T = np.arange(1, e.size + 1, dtype=np.float64)
    return D**2 / (2 * T * e) + G**2 / (2 * T) * np.cumsum(e)


# --------------------------------------------------------------------------- projected SGD


@dataclass(frozen=True)
class SGDHistory:
    """What :func:`projected_sgd` records over ``T`` steps.

    ``losses[t-1] = L(x_t, theta_t)`` and ``grad_norms[t-1] = ||g_t||`` at the
    pre-update iterate; ``etas[t-1] = eta_t``; ``iterates[t-1] = theta_t`` for
    ``t = 1..T+1`` (row 0 is ``theta_1``, the last row ``theta_{T+1}``).

    First used in chapter 9902.
    """

    losses: np.ndarray
    grad_norms: np.ndarray
    etas: np.ndarray
    iterates: np.ndarray

    @property
    def T(self) -> int:
        """Number of steps taken."""
        return int(self.losses.size)

    @property
    def max_grad_norm(self) -> float:
        """``max_t ||g_t||``: the smallest G the run itself needed."""
        return float(self.grad_norms.max())

    def distances(self, theta: Any) -> np.ndarray:
        """``d_t = ||theta_t - theta||`` for ``t = 1..T+1``."""
        theta = _vector(theta, "theta")
        if theta.shape != self.iterates.shape[1:]:
            raise ValueError(f"theta must have shape {self.iterates.shape[1:]}, got {theta.shape}")
        return np.linalg.norm(self.iterates - theta, axis=1)


def _call_projection(project: Callable, v: np.ndarray, what: str) -> np.ndarray:
    out = np.asarray(project(v), dtype=np.float64)
    if out.shape != v.shape:
        raise ValueError(f"project returned shape {out.shape} for {what} of shape {v.shape}")
    if not np.all(np.isfinite(out)):
        raise ValueError(f"project returned a non-finite vector for {what}")
    return out


def projected_sgd(
    loss_grad: Callable[[Any, np.ndarray], tuple[float, Any]],
    stream: Iterable[Any],
    theta1: Any,
    lr: Callable[[int], float],
    project: Callable[[np.ndarray], np.ndarray],
    T: int,
) -> SGDHistory:
    """Run ``T`` steps of projected (stochastic) gradient descent and record the regret data:

        theta_{t+1} = project(theta_t - lr(t) * g_t),   (loss_t, g_t) = loss_grad(x_t, theta_t),

    with ``x_t`` the ``t``-th item of ``stream`` and ``t = 1..T`` (1-indexed).
    The loss is taken at the pre-update iterate ``theta_t``, as in the regret.
    ``theta1`` must already lie in the feasible set (``project(theta1) == theta1``
    up to 1e-12), otherwise ValueError. ``loss_grad`` receives a copy of the iterate.
    Memory is O(T d): all iterates are kept.

    First used in chapter 9902.
    """
    for name, f in (("loss_grad", loss_grad), ("lr", lr), ("project", project)):
        if not callable(f):
            raise TypeError(f"{name} must be callable, got {type(f).__name__}")
    T = _positive_int(T, "T")
    theta = _vector(theta1, "theta1")
    p = _call_projection(project, theta, "theta1")
    if not np.allclose(p, theta, rtol=1e-12, atol=1e-12):
        raise ValueError(
            f"theta1 is not in the feasible set: ||project(theta1) - theta1|| = {np.linalg.norm(p - theta):.3g}; "
            "start from a feasible point (e.g. project(theta1))"
        )
    try:
        it = iter(stream)
    except TypeError as exc:
        raise TypeError(f"stream must be iterable, got {type(stream).__name__}") from exc

    d = theta.size
    losses = np.empty(T)
    grad_norms = np.empty(T)
    etas = np.empty(T)
    iterates = np.empty((T + 1, d))
    iterates[0] = theta
    for t in range(1, T + 1):
        try:
            x = next(it)
        except StopIteration:
            raise ValueError(f"stream ended after {t - 1} samples; T={T} were needed") from None
        loss, grad = loss_grad(x, theta.copy())
        if isinstance(loss, bool | np.bool_) or not isinstance(loss, numbers.Real) or not math.isfinite(loss):
            raise ValueError(f"loss_grad must return a finite real loss; got {loss!r} at step t={t}")
        g = np.asarray(grad, dtype=np.float64)
        if g.shape != theta.shape:
            raise ValueError(f"loss_grad returned a gradient of shape {g.shape}, expected {theta.shape} (t={t})")
        if not np.all(np.isfinite(g)):
            raise ValueError(f"loss_grad returned a non-finite gradient at step t={t}")
        eta = lr(t)
        if (
            isinstance(eta, bool | np.bool_)
            or not isinstance(eta, numbers.Real)
            or not (math.isfinite(eta) and eta > 0)
        ):
            raise ValueError(f"lr(t) must be a finite step size > 0, got {eta!r} at t={t}")
        losses[t - 1] = float(loss)
        grad_norms[t - 1] = float(np.linalg.norm(g))
        etas[t - 1] = float(eta)
        theta = _call_projection(project, theta - eta * g, f"step t={t}")
        iterates[t] = theta
    return SGDHistory(losses, grad_norms, etas, iterates)


def average_regret(history: SGDHistory, comparator_losses: Any) -> np.ndarray:
    """Prefix-wise average regret against a fixed comparator ``theta``:

        out[T'-1] = (1/T') * sum_{t<=T'} (L(x_t, theta_t) - L(x_t, theta)),   T' = 1..T,

    where ``comparator_losses[t-1] = L(x_t, theta)``. Entry ``T-1`` is ``R_T / T``.

    First used in chapter 9902.
    """
    if not isinstance(history, SGDHistory):
        raise TypeError(f"history must be an SGDHistory (from projected_sgd), got {type(history).__name__}")
    c = _vector(comparator_losses, "comparator_losses")
    if c.size != history.T:
        raise ValueError(f"comparator_losses has {c.size} entries; the history has T={history.T} steps")
    return np.cumsum(history.losses - c) / np.arange(1, history.T + 1)


# --------------------------------------------------------------------------- comparators on a ball


def ball_optimality_gap(grad: Any, theta: Any, radius: float, center: Any = None) -> float:
    """Frank-Wolfe gap of a feasible point of the ball ``B = {||u - c|| <= radius}``:

        gap(theta) = max_{u in B} <grad f(theta), theta - u> = <grad, theta - c> + radius ||grad||.

    For convex ``f`` it certifies ``f(theta) - min_B f <= gap(theta)``; it is 0 exactly
    at the constrained minimiser (the KKT conditions). ``theta`` must lie in the ball.

    First used in chapter 9902.
    """
    g = _vector(grad, "grad")
    th = _vector(theta, "theta")
    r = _positive(radius, "radius")
    c = np.zeros_like(th) if center is None else _vector(center, "center")
    if not (g.shape == th.shape == c.shape):
        raise ValueError(f"grad, theta and center must have one shape, got {g.shape}, {th.shape}, {c.shape}")
    if np.linalg.norm(th - c) > r * (1 + 1e-9):
        raise ValueError(f"theta is outside the ball: ||theta - c|| = {np.linalg.norm(th - c):.6g} > radius {r:.6g}")
    return float(g @ (th - c) + r * np.linalg.norm(g))


@dataclass(frozen=True)
class BallSolution:
    """Result of :func:`minimize_in_l2_ball`: the point, its value, its certified gap."""

    theta: np.ndarray
    value: float
    gap: float
    iterations: int
    converged: bool


def minimize_in_l2_ball(
    fun_grad: Callable[[np.ndarray], tuple[float, Any]],
    x0: Any,
    radius: float,
    center: Any = None,
    *,
    tol: float = 1e-10,
    max_iter: int = 100_000,
) -> BallSolution:
    """Minimise a smooth convex ``f`` over a Euclidean ball by accelerated projected gradient
    (FISTA with backtracking and function-value restarts), stopping when the
    Frank-Wolfe gap of :func:`ball_optimality_gap` is ``<= tol``, which certifies
    ``f(theta) - min_B f <= tol``.

    ``fun_grad(theta) -> (f, grad f)``. Returns a :class:`BallSolution`; check ``converged``.

    First used in chapter 9902.
    """
    if not callable(fun_grad):
        raise TypeError(f"fun_grad must be callable, got {type(fun_grad).__name__}")
    r = _positive(radius, "radius")
    tol = _positive(tol, "tol")
    max_iter = _positive_int(max_iter, "max_iter")

    def proj(v: np.ndarray) -> np.ndarray:
        return project_l2_ball(v, r, center)

    def fg(v: np.ndarray) -> tuple[float, np.ndarray]:
        f, g = fun_grad(v)
        g = np.asarray(g, dtype=np.float64)
        if g.shape != v.shape or not (math.isfinite(float(f)) and np.all(np.isfinite(g))):
            raise ValueError("fun_grad must return a finite value and a finite gradient of the shape of theta")
        return float(f), g

    x = proj(_vector(x0, "x0"))
    fx, gx = fg(x)
    gap = ball_optimality_gap(gx, x, r, center)
    y, fy, gy = x, fx, gx
    step_L, k_t = 1.0, 1.0
    for it in range(1, max_iter + 1):
        if gap <= tol:
            return BallSolution(x, fx, gap, it - 1, True)
        while True:  # backtracking on the quadratic upper model at y
            xn = proj(y - gy / step_L)
            fn, gn = fg(xn)
            dx = xn - y
            if fn <= fy + gy @ dx + 0.5 * step_L * (dx @ dx) + 1e-15 * abs(fy):
                break
            step_L *= 2.0
        if fn > fx and k_t > 1.0:  # restart the momentum when it stops decreasing f
            k_t = 1.0
            y, fy, gy = x, fx, gx
            continue
        k_next = 0.5 * (1 + math.sqrt(1 + 4 * k_t**2))
        y = proj(xn + ((k_t - 1) / k_next) * (xn - x))
        x, fx, gx, k_t = xn, fn, gn, k_next
        fy, gy = fg(y)
        step_L *= 0.9  # let the step grow again
        gap = ball_optimality_gap(gx, x, r, center)
    return BallSolution(x, fx, gap, max_iter, gap <= tol)
