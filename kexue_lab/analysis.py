"""Analysis: special functions, transforms and functional equations.

The helpers behind the chapters of the *Analysis* part. They are written for
checking derivations, so they favour exact or high-precision arithmetic
(:mod:`sympy`, :mod:`mpmath`) over speed, and every one of them validates its
arguments and says what it expected.

Chapter 3108 (the Gamma function through the Fourier transform) uses them to
follow the formal route

.. math::

    \\Gamma(x+1) = x\\Gamma(x) \\;\\Longleftrightarrow\\; e^{D}\\Gamma = x\\Gamma
    \\;\\xrightarrow{\\;\\mathcal F\\;}\\; e^{i\\omega} G = i G'
    \\;\\Longrightarrow\\; G(\\omega) = C\\exp(-e^{i\\omega})

back to Euler's integral, and to show what the route leaves undetermined
(periodic factors) and what pins it down (log-convexity, Bohr--Mollerup).

Conventions: :math:`\\mathcal F[f](\\omega) = \\int f(x) e^{-i\\omega x}\\,dx`,
:math:`f(x) = \\frac1{2\\pi}\\int \\mathcal F[f](\\omega) e^{i\\omega x}\\,d\\omega`.

First used in chapter 3108.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
import sympy as sp
from scipy import special

from .checks import check_int

__all__ = [
    "apply_exp_d",
    "bohr_mollerup_bounds",
    "comb_weights",
    "contour_integral",
    "fourier_coefficients",
    "functional_equation_residual",
    "gamma_by_contour",
    "gamma_residue",
    "gamma_taylor_coefficients",
    "gamma_taylor_radius",
    "gamma_vertical_transform",
    "is_log_convex",
    "log_convexity_witness",
    "log_second_differences",
    "perturbed_gamma",
    "perturbed_log_gamma",
    "perturbed_log_gamma_dd",
    "prym_split",
    "shift_partial_sums",
    "transformed_gamma",
]

# --------------------------------------------------------------------------- validation


def _is_bool(x: Any) -> bool:
    return isinstance(x, bool | np.bool_)


def _real(x: Any, name: str) -> float:
    """A finite real number (int, float, numpy or mpmath real), returned as float."""
    if _is_bool(x) or not isinstance(x, numbers.Real | mpmath.mpf):
        raise TypeError(f"{name} must be a real number, got {type(x).__name__}")
    value = float(x)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {x!r}")
    return value


def _complex(x: Any, name: str) -> mpmath.mpc:
    """A finite complex number (real numbers included), returned as an mpmath mpc."""
    if _is_bool(x) or not isinstance(x, numbers.Number | mpmath.mpf | mpmath.mpc):
        raise TypeError(f"{name} must be a real or complex number, got {type(x).__name__}")
    value = mpmath.mpc(x)
    if not (mpmath.isfinite(value.real) and mpmath.isfinite(value.imag)):
        raise ValueError(f"{name} must be finite, got {x!r}")
    return value


def _dps(dps: Any) -> int:
    return check_int(dps, "dps", 15, 1000)


def _real_array(xs: Any, name: str) -> np.ndarray:
    """A non-empty 1-D array of finite reals."""
    if _is_bool(xs) or isinstance(xs, str):
        raise TypeError(f"{name} must be a real number or an array of real numbers")
    try:
        arr = np.asarray(xs)
    except Exception as exc:  # pragma: no cover - numpy accepts nearly anything
        raise TypeError(f"{name} must be array-like") from exc
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    arr = np.atleast_1d(arr.astype(float))
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must hold finite numbers")
    return arr


def _not_a_pole(x: Any, name: str) -> None:
    re, im = float(mpmath.re(x)), float(mpmath.im(x))
    if im == 0 and re <= 0 and re == math.floor(re):
        raise ValueError(f"{name} = {re:g} is a pole of Gamma (0, -1, -2, ...); pick another point")


def _callable(f: Any, name: str) -> None:
    if not callable(f):
        raise TypeError(f"{name} must be callable, got {type(f).__name__}")


def _eps(eps: Any, bound: float = 1.0) -> float:
    e = _real(eps, "eps")
    if abs(e) >= bound:
        raise ValueError(f"eps must satisfy |eps| < {bound:g}, got {e:g}")
    return e


# --------------------------------------------------------------------------- shift operator


def apply_exp_d(expr: Any, var: sp.Symbol, order: int) -> sp.Expr:
    r"""The truncated shift operator :math:`\sum_{k=0}^{N} f^{(k)}(x)/k!` (symbolic).

    Formally :math:`e^{D} f(x) = \sum_k f^{(k)}(x)/k! = f(x+1)` (Taylor's theorem with
    step 1). For a polynomial of degree :math:`\le N` the truncation is exact; for an
    analytic ``f`` it converges to :math:`f(x+1)` only where the Taylor radius at
    ``x`` exceeds 1.

    First used in chapter 3108.
    """
    if not isinstance(var, sp.Symbol):
        raise TypeError(f"var must be a sympy Symbol, got {type(var).__name__}")
    order = check_int(order, "order", 0)
    if _is_bool(expr):
        raise TypeError("expr must be a sympy expression or number, got a bool")
    try:
        f = sp.sympify(expr, strict=True)
    except (sp.SympifyError, TypeError) as exc:
        raise TypeError(f"expr must be a sympy expression or number, got {type(expr).__name__}") from exc
    total = sp.Integer(0)
    term = f
    for k in range(order + 1):
        total += term / sp.factorial(k)
        term = sp.diff(term, var)
    return total


def gamma_taylor_radius(x0: float) -> float:
    r"""Radius of convergence of the Taylor series of :math:`\Gamma` at a real point ``x0``.

    It is the distance from ``x0`` to the nearest pole :math:`0, -1, -2, \dots`:
    ``x0`` itself when ``x0 > 0``. The shift series :math:`e^D\Gamma(x_0)` therefore
    converges when this radius exceeds 1 (and diverges when it is below 1).

    First used in chapter 3108.
    """
    x = _real(x0, "x0")
    _not_a_pole(x, "x0")
    if x > 0:
        return x
    return min(x - math.floor(x), math.ceil(x) - x)


def gamma_taylor_coefficients(x0: float, order: int, *, dps: int = 30) -> list[mpmath.mpf]:
    r"""Taylor coefficients :math:`c_k = \Gamma^{(k)}(x_0)/k!`, ``k = 0..order``.

    Computed from :math:`\Gamma(x_0+h) = \Gamma(x_0)\exp\big(\sum_{n\ge1}
    \psi^{(n-1)}(x_0) h^n/n!\big)` (``psi`` the polygamma functions), exponentiating
    the series with the recurrence :math:`n e_n = \sum_{k=1}^{n} k\,l_k e_{n-k}`. This is
    exact up to the working precision ``dps`` and far cheaper than numerical
    differentiation (``mpmath.taylor``) at high order.

    First used in chapter 3108.
    """
    x = _real(x0, "x0")
    _not_a_pole(x, "x0")
    order = check_int(order, "order", 0, 500)
    dps = _dps(dps)
    with mpmath.workdps(dps):
        xm = mpmath.mpf(x0) if isinstance(x0, mpmath.mpf) else mpmath.mpf(x)
        logs = [mpmath.mpf(0)] + [mpmath.psi(n - 1, xm) / mpmath.factorial(n) for n in range(1, order + 1)]
        e = [mpmath.mpf(1)]
        for n in range(1, order + 1):
            e.append(mpmath.fsum(k * logs[k] * e[n - k] for k in range(1, n + 1)) / n)
        g0 = mpmath.gamma(xm)
        return [+(g0 * v) for v in e]


def shift_partial_sums(coeffs: Sequence[Any], h: float = 1.0) -> list[Any]:
    r"""Partial sums :math:`S_N = \sum_{k=0}^{N} c_k h^k` of a Taylor series, ``N = 0..len-1``.

    With :math:`c_k = f^{(k)}(x_0)/k!` and ``h = 1`` these are the truncations of
    :math:`e^{D} f(x_0)`; they converge to :math:`f(x_0+h)` inside the radius of
    convergence and blow up outside it.

    First used in chapter 3108.
    """
    if isinstance(coeffs, str | bytes) or not isinstance(coeffs, Sequence | np.ndarray):
        raise TypeError(f"coeffs must be a sequence of numbers, got {type(coeffs).__name__}")
    if len(coeffs) == 0:
        raise ValueError("coeffs must not be empty")
    for i, c in enumerate(coeffs):
        if _is_bool(c) or not isinstance(c, numbers.Number | mpmath.mpf | mpmath.mpc):
            raise TypeError(f"coeffs[{i}] must be a number, got {type(c).__name__}")
    if _is_bool(h) or not isinstance(h, numbers.Number | mpmath.mpf | mpmath.mpc):
        raise TypeError(f"h must be a number, got {type(h).__name__}")
    out: list[Any] = []
    total: Any = 0
    power: Any = 1
    for c in coeffs:
        total = total + c * power
        out.append(total)
        power = power * h
    return out


# --------------------------------------------------------------------------- the transform


def transformed_gamma(omega: Any, C: complex = 1.0) -> np.ndarray:
    r""":math:`G(\omega) = C\exp(-e^{i\omega})`, the solution of :math:`e^{i\omega}G = iG'`.

    Vectorised over ``omega`` (real or complex array-like); returns a complex array of
    the same shape. On the real line ``G`` is :math:`2\pi`-periodic with Fourier series
    :math:`C\sum_{k\ge0} (-1)^k e^{ik\omega}/k!`.

    First used in chapter 3108.
    """
    if _is_bool(C) or not isinstance(C, numbers.Number):
        raise TypeError(f"C must be a number, got {type(C).__name__}")
    if not np.isfinite(complex(C)):
        raise ValueError(f"C must be finite, got {C!r}")
    if _is_bool(omega) or isinstance(omega, str):
        raise TypeError("omega must be a number or an array of numbers")
    w = np.asarray(omega)
    if w.dtype == bool or not np.issubdtype(w.dtype, np.number):
        raise TypeError(f"omega must hold numbers, got dtype {w.dtype}")
    w = w.astype(complex)
    if not np.all(np.isfinite(w)):
        raise ValueError("omega must hold finite numbers")
    return complex(C) * np.exp(-np.exp(1j * w))


def fourier_coefficients(func: Callable[[np.ndarray], Any], ks: Sequence[int], *, samples: int = 256) -> np.ndarray:
    r"""Fourier coefficients :math:`c_k = \frac1{2\pi}\int_{-\pi}^{\pi} f(\omega) e^{-ik\omega}\,d\omega`.

    Evaluated by the trapezoidal rule on ``samples`` equispaced points (the discrete
    Fourier transform), which is exact for trigonometric polynomials of degree
    ``< samples/2`` and spectrally accurate for smooth periodic ``f``. If ``f`` is the
    transform of a distribution, :math:`f = \sum_k c_k e^{ik\omega}` means the inverse
    transform is the comb :math:`\sum_k c_k\,\delta(x+k)`.

    First used in chapter 3108.
    """
    _callable(func, "func")
    samples = check_int(samples, "samples", 4)
    if isinstance(ks, str | bytes) or not isinstance(ks, Sequence | np.ndarray):
        raise TypeError(f"ks must be a sequence of ints, got {type(ks).__name__}")
    if len(ks) == 0:
        raise ValueError("ks must not be empty")
    kk = [check_int(k, f"ks[{i}]", -(10**9)) for i, k in enumerate(ks)]
    if any(2 * abs(k) >= samples for k in kk):
        raise ValueError(f"every |k| must be < samples/2 = {samples / 2:g} (aliasing); raise samples")
    w = -np.pi + 2 * np.pi * np.arange(samples) / samples
    with np.errstate(all="ignore"):  # non-finite values are reported below
        vals = np.asarray(func(w), dtype=complex)
    if vals.shape != w.shape:
        raise ValueError(f"func must return an array of shape {w.shape}, got {vals.shape}")
    if not np.all(np.isfinite(vals)):
        raise ValueError("func returned non-finite values")
    k_arr = np.asarray(kk, dtype=float)
    return (vals[None, :] * np.exp(-1j * k_arr[:, None] * w[None, :])).mean(axis=1)


def comb_weights(K: int) -> list[Fraction]:
    r"""Exact weights :math:`r_k = (-1)^k/k!`, ``k = 0..K-1``, of the comb :math:`\sum_k r_k\delta(x+k)`.

    They are the Fourier coefficients of :math:`\exp(-e^{i\omega})`, satisfy the
    recursion :math:`r_k = -r_{k-1}/k` that :math:`f(x+1) = x f(x)` imposes on a comb,
    and equal the residues of :math:`\Gamma` at :math:`x=-k`.

    First used in chapter 3108.
    """
    K = check_int(K, "K", 1)
    return [Fraction((-1) ** k, math.factorial(k)) for k in range(K)]


def gamma_residue(k: int, *, dps: int = 30) -> mpmath.mpf:
    r"""Residue of :math:`\Gamma` at the pole :math:`x=-k`, as :math:`\lim_{z\to-k}(z+k)\Gamma(z)`.

    Computed numerically with :func:`mpmath.limit` (Richardson extrapolation), so it
    is an independent check of the closed form :math:`(-1)^k/k!`.

    First used in chapter 3108.
    """
    k = check_int(k, "k", 0, 200)
    dps = _dps(dps)
    with mpmath.workdps(dps):
        return +mpmath.limit(lambda z: (z + k) * mpmath.gamma(z), -k)


def _contour_limits(x: mpmath.mpc, a: float, dps: int) -> tuple[mpmath.mpf, mpmath.mpf]:
    """Truncation of the u-line so that both tails are below 10**-dps (times e**-10)."""
    budget = dps * mpmath.log(10) + 10
    lo = -budget / x.real - 1  # e^{u Re x} < 10^-dps e^-10 beyond lo
    hi = mpmath.log(budget / mpmath.cos(a)) + 1  # exp(-cos(a) e^u) < e^-budget beyond hi
    return lo, hi


def contour_integral(x: complex, *, m: int = 0, a: float = 0.0, dps: int = 20) -> mpmath.mpc:
    r""":math:`I_{m,a}(x) = \int_{\mathcal C_{m,a}} \exp(-e^{i\omega})\, e^{i\omega x}\,d\omega`.

    The contour :math:`\mathcal C_{m,a}` is the vertical line
    :math:`\omega = 2\pi m + a - iu`, run from :math:`u=-\infty` (top, :math:`+i\infty`) to
    :math:`u=+\infty` (bottom). With :math:`t = e^{i\omega} = e^{ia}e^{u}` the integral is
    :math:`-i\,e^{2\pi i m x}\,\Gamma(x)` for :math:`\operatorname{Re}x>0` and
    :math:`|a|<\pi/2` (bottom end in the valley where :math:`\operatorname{Re}e^{i\omega}>0`).

    The line is truncated to :math:`u \in [u_-, u_+]` with both tails below
    :math:`10^{-\mathrm{dps}}` and integrated with :func:`mpmath.quad` (finite limits:
    infinite ones make mpmath sample astronomically large ``u``).

    First used in chapter 3108.
    """
    xc = _complex(x, "x")
    m = check_int(m, "m", -(10**6), 10**6)
    a = _real(a, "a")
    dps = _dps(dps)
    if xc.real <= 0:
        raise ValueError(f"x must have a positive real part (the top end diverges otherwise), got {x!r}")
    if abs(a) >= math.pi / 2:
        raise ValueError(f"a must satisfy |a| < pi/2 so the bottom end lies in a valley, got {a:g}")
    with mpmath.workdps(dps + 5):
        xc = mpmath.mpc(x)
        shift = 2 * mpmath.pi * m + a

        def integrand(u: mpmath.mpf) -> mpmath.mpc:
            omega = mpmath.mpc(shift, -u)
            return mpmath.exp(-mpmath.exp(1j * omega) + 1j * omega * xc) * (-1j)

        lo, hi = _contour_limits(xc, a, dps)
        nodes = sorted({lo, *[v for v in (-20, -8, -3, 0, 1, 2, 3) if lo < v < hi], hi})
        value = mpmath.quad(integrand, nodes)
    with mpmath.workdps(dps):
        return +value


def gamma_by_contour(x: complex, *, m: int = 0, a: float = 0.0, dps: int = 20) -> mpmath.mpc:
    r"""The inverse transform :math:`\frac1{2\pi}\int_{\mathcal C_{m,a}} C\exp(-e^{i\omega})e^{i\omega x}d\omega`, :math:`C=2\pi i`.

    With the normalisation :math:`C = 2\pi i` (fixed by :math:`\Gamma(1) = 1` on the
    contour ``m = 0``) this returns :math:`e^{2\pi i m x}\,\Gamma(x)`: ``m = 0`` gives
    Euler's :math:`\Gamma`; the other valleys multiply it by a 1-periodic factor.
    Arguments as in :func:`contour_integral`. For ``m != 0`` the factor
    :math:`|e^{2\pi i m x}| = e^{-2\pi m \operatorname{Im} x}` can be tiny while the integrand is
    not: about :math:`2\pi |m\operatorname{Im}x|/\ln 10` digits cancel, so raise ``dps`` accordingly.

    First used in chapter 3108.
    """
    value = contour_integral(x, m=m, a=a, dps=dps)
    with mpmath.workdps(dps):
        return +(1j * value)


# --------------------------------------------------------------------------- periodic factors


def perturbed_gamma(x: Any, eps: float, *, n: int = 1) -> np.ndarray:
    r""":math:`f_\varepsilon(x) = \Gamma(x)\,(1 + \varepsilon\sin 2\pi n x)`, vectorised (real or complex ``x``).

    For every ``eps`` it satisfies :math:`f(x+1) = x f(x)` and :math:`f(k) = (k-1)!`;
    for :math:`|\varepsilon| < 1` it is positive on :math:`(0,\infty)`. It is *not*
    log-convex unless ``eps == 0`` (see :func:`log_convexity_witness`).

    First used in chapter 3108.
    """
    e = _eps(eps)
    n = check_int(n, "n", 1)
    if _is_bool(x) or isinstance(x, str):
        raise TypeError("x must be a number or an array of numbers")
    z = np.asarray(x)
    if z.dtype == bool or not np.issubdtype(z.dtype, np.number):
        raise TypeError(f"x must hold numbers, got dtype {z.dtype}")
    if not np.all(np.isfinite(z)):
        raise ValueError("x must hold finite numbers")
    if np.iscomplexobj(z):
        return special.gamma(z) * (1 + e * np.sin(2 * np.pi * n * z))
    z = z.astype(float)
    return special.gamma(z) * (1 + e * np.sin(2 * np.pi * n * z))


def perturbed_log_gamma(x: Any, eps: float, *, n: int = 1) -> np.ndarray:
    r""":math:`\log f_\varepsilon(x) = \log\Gamma(x) + \log(1 + \varepsilon\sin 2\pi n x)` for real ``x > 0``.

    Computed with ``gammaln`` and ``log1p``, so it stays accurate where
    :math:`\Gamma(x)` itself overflows (``x > 171``). Requires :math:`|\varepsilon| < 1`.

    First used in chapter 3108.
    """
    e = _eps(eps)
    n = check_int(n, "n", 1)
    xs = _real_array(x, "x")
    if np.any(xs <= 0):
        raise ValueError("x must be > 0 (log Gamma is taken on the positive axis)")
    out = special.gammaln(xs) + np.log1p(e * np.sin(2 * np.pi * n * xs))
    return out if np.ndim(x) else out[0]


def perturbed_log_gamma_dd(x: Any, eps: float, *, n: int = 1) -> np.ndarray:
    r"""Exact second derivative of :math:`\log f_\varepsilon`:

    .. math::

        (\log f_\varepsilon)''(x) = \psi'(x) - (2\pi n)^2\,
        \frac{\varepsilon(\sin 2\pi n x + \varepsilon)}{(1+\varepsilon\sin 2\pi n x)^2},

    with :math:`\psi'(x) = \sum_{k\ge0} (x+k)^{-2}` the trigamma function. Real ``x > 0``,
    :math:`|\varepsilon| < 1`.

    First used in chapter 3108.
    """
    e = _eps(eps)
    n = check_int(n, "n", 1)
    xs = _real_array(x, "x")
    if np.any(xs <= 0):
        raise ValueError("x must be > 0")
    s = np.sin(2 * np.pi * n * xs)
    out = special.polygamma(1, xs) - (2 * np.pi * n) ** 2 * e * (s + e) / (1 + e * s) ** 2
    return out if np.ndim(x) else out[0]


def functional_equation_residual(f: Callable[[np.ndarray], Any], xs: Any) -> float:
    r"""Largest relative residual :math:`\max_x |f(x+1) - x f(x)| / \max(|f(x+1)|, 10^{-300})` on ``xs``.

    Zero (up to rounding) for any solution of the Gamma functional equation, e.g.
    :math:`\Gamma` itself or :math:`\Gamma\cdot P` with a 1-periodic ``P``.

    First used in chapter 3108.
    """
    _callable(f, "f")
    arr = _real_array(xs, "xs")
    with np.errstate(all="ignore"):
        left = np.asarray(f(arr + 1), dtype=complex)
        right = arr * np.asarray(f(arr), dtype=complex)
    if left.shape != arr.shape or right.shape != arr.shape:
        raise ValueError(f"f must return an array of shape {arr.shape}")
    if not (np.all(np.isfinite(left)) and np.all(np.isfinite(right))):
        raise ValueError("f is not finite on xs or xs + 1 (a pole, or overflow)")
    scale = np.maximum(np.abs(left), 1e-300)
    return float(np.max(np.abs(left - right) / scale))


# --------------------------------------------------------------------------- log-convexity


def log_second_differences(logf: Callable[[np.ndarray], Any], xs: Any, *, h: float = 1e-3) -> np.ndarray:
    r"""Central second differences :math:`[\ell(x+h) - 2\ell(x) + \ell(x-h)]/h^2` of :math:`\ell = \log f`.

    They approximate :math:`(\log f)''(x)` with error :math:`O(h^2)` plus rounding
    :math:`\sim 4\epsilon_{\rm mach}|\ell|/h^2`; ``logf`` must return :math:`\log f` (not ``f``).

    First used in chapter 3108.
    """
    _callable(logf, "logf")
    arr = _real_array(xs, "xs")
    step = _real(h, "h")
    if step <= 0:
        raise ValueError(f"h must be > 0, got {step:g}")
    with np.errstate(all="ignore"):  # non-finite values are reported below
        vals = [np.asarray(logf(arr + s), dtype=float) for s in (step, 0.0, -step)]
    if any(v.shape != arr.shape for v in vals):
        raise ValueError(f"logf must return an array of shape {arr.shape}")
    if not all(np.all(np.isfinite(v)) for v in vals):
        raise ValueError("logf is not finite on the grid (x - h, x, x + h)")
    return (vals[0] - 2 * vals[1] + vals[2]) / step**2


def is_log_convex(logf: Callable[[np.ndarray], Any], xs: Any, *, h: float = 1e-3, tol: float = 1e-6) -> bool:
    r"""Whether every second difference of :math:`\log f` on the grid is :math:`\ge -\mathrm{tol}`.

    A grid test, not a proof: it can only *refute* log-convexity (a negative second
    difference beyond rounding is a witness), and it supports it on the grid.
    ``tol`` absorbs rounding of the differences (see :func:`log_second_differences`).

    First used in chapter 3108.
    """
    t = _real(tol, "tol")
    if t < 0:
        raise ValueError(f"tol must be >= 0, got {t:g}")
    return bool(np.all(log_second_differences(logf, xs, h=h) >= -t))


def log_convexity_witness(eps: float, *, n: int = 1) -> float:
    r"""The first point :math:`x^\ast = (j+q)/n` where :math:`(\log f_\varepsilon)''(x^\ast) < 0`.

    Here :math:`f_\varepsilon = \Gamma\,(1+\varepsilon\sin 2\pi n x)`, ``q = 1/4`` for
    ``eps > 0`` and ``3/4`` for ``eps < 0`` (the points where :math:`\sin 2\pi n x =
    \operatorname{sign}\varepsilon`). For :math:`0 < |\varepsilon| < 1/2` these are the points
    where the periodic factor bends :math:`\log f` down the most, by
    :math:`(2\pi n)^2|\varepsilon|/(1+|\varepsilon|)`; since :math:`\psi'(x)\sim 1/x \to 0`, such a
    ``j`` always exists, so no ``eps != 0`` gives a log-convex ``f``. Found by exponential
    search and bisection on the decreasing :math:`\psi'`.

    First used in chapter 3108.
    """
    e = _real(eps, "eps")
    if e == 0 or abs(e) >= 0.5:
        raise ValueError(f"eps must satisfy 0 < |eps| < 1/2, got {e:g}")
    n = check_int(n, "n", 1)
    q = 0.25 if e > 0 else 0.75
    threshold = (2 * math.pi * n) ** 2 * abs(e) / (1 + abs(e))

    def violated(j: int) -> bool:
        return float(special.polygamma(1, (j + q) / n)) < threshold

    if violated(0):
        return q / n
    hi = 1
    while not violated(hi):
        hi *= 2
    lo = hi // 2  # not violated at lo (lo = 0 or a previous power of two)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if violated(mid):
            hi = mid
        else:
            lo = mid
    return (hi + q) / n


def bohr_mollerup_bounds(x: float, n: int) -> tuple[float, float]:
    r"""Bounds that log-convexity forces on *any* solution of :math:`f(x+1)=xf(x)`, :math:`f(1)=1`.

    For :math:`0 < x \le 1` and :math:`n \ge 2`, comparing slopes of the convex
    :math:`\log f` on :math:`[n-1,n]`, :math:`[n,n+x]`, :math:`[n,n+1]` gives

    .. math::

        \frac{(n-1)^x (n-1)!}{x(x+1)\cdots(x+n-1)} \le f(x) \le
        \frac{n^x (n-1)!}{x(x+1)\cdots(x+n-1)}.

    The ratio of the bounds is :math:`(n/(n-1))^x \to 1`, which is the uniqueness
    half of the Bohr--Mollerup theorem. Computed in log space with ``log1p`` (no
    :math:`\Gamma` evaluations), accurate for ``n`` up to millions.

    First used in chapter 3108.
    """
    xv = _real(x, "x")
    if not 0 < xv <= 1:
        raise ValueError(f"x must lie in (0, 1], got {xv:g}")
    n = check_int(n, "n", 2, 10**8)
    j = np.arange(1, n, dtype=float)
    # log[(n-1)! / (x (x+1) ... (x+n-1))] = -log x + sum_j log(j / (x + j))
    common = -math.log(xv) + math.fsum(np.log1p(-xv / (xv + j)))
    lower = math.exp(xv * math.log(n - 1) + common)
    upper = math.exp(xv * math.log(n) + common)
    return lower, upper


# --------------------------------------------------------------------------- the genuine transform


def gamma_vertical_transform(c: float, u: Any, *, y_max: float = 80.0, dy: float = 0.05) -> np.ndarray:
    r"""Inverse Fourier transform of :math:`y \mapsto \Gamma(c+iy)`, which should be :math:`e^{cu - e^u}`.

    Since :math:`\Gamma(c+iy) = \int_{\mathbb R} e^{cu-e^u} e^{iyu}\,du` for :math:`c > 0`
    (Euler's integral with :math:`t=e^u`), the pair is genuine:
    :math:`e^{cu-e^u} = \frac1{2\pi}\int \Gamma(c+iy)\,e^{-iyu}\,dy`. Evaluated by the
    trapezoidal rule on :math:`[-Y, Y]` with step ``dy`` using ``scipy.special.loggamma``;
    :math:`|\Gamma(c+iy)|` decays like :math:`e^{-\pi|y|/2}`, so truncation is negligible
    for :math:`Y \gtrsim 60` and the rule is spectrally accurate while
    :math:`|u| < \pi/\mathrm{dy}`.

    First used in chapter 3108.
    """
    cv = _real(c, "c")
    if cv <= 0:
        raise ValueError(f"c must be > 0 (Euler's integral needs Re x > 0), got {cv:g}")
    us = _real_array(u, "u")
    Y = _real(y_max, "y_max")
    step = _real(dy, "dy")
    if Y <= 0 or step <= 0:
        raise ValueError(f"y_max and dy must be > 0, got y_max={Y:g}, dy={step:g}")
    count = int(round(2 * Y / step))
    if count > 2_000_000:
        raise ValueError(f"y_max/dy gives {count} nodes; keep it under 2e6")
    if count < 2:
        raise ValueError("y_max/dy gives fewer than 2 nodes; lower dy")
    y = np.linspace(-Y, Y, count + 1)
    vals = np.exp(special.loggamma(cv + 1j * y))
    weights = np.full(y.size, y[1] - y[0])
    weights[[0, -1]] *= 0.5
    kernel = np.exp(-1j * np.outer(us, y))
    out = (kernel * (vals * weights)[None, :]).sum(axis=1) / (2 * np.pi)
    return out if np.ndim(u) else out[0]


def prym_split(x: complex, *, terms: int = 60, dps: int = 20) -> tuple[mpmath.mpc, mpmath.mpc]:
    r"""Prym's decomposition :math:`\Gamma(x) = \sum_{k\ge0} \frac{(-1)^k}{k!(x+k)} + \int_1^\infty t^{x-1}e^{-t}dt`.

    Returns ``(pole_part, entire_part)``: the first ``terms`` terms of the pole sum
    (:math:`=\int_0^1 t^{x-1}e^{-t}dt` for :math:`\operatorname{Re}x>0`, with the comb weights
    :math:`(-1)^k/k!` as residues) and the upper incomplete gamma function
    :math:`\Gamma(x,1)`, an entire function. Their sum is :math:`\Gamma(x)` for every
    ``x`` that is not a pole.

    First used in chapter 3108.
    """
    xc = _complex(x, "x")
    _not_a_pole(xc, "x")
    terms = check_int(terms, "terms", 1, 10_000)
    dps = _dps(dps)
    with mpmath.workdps(dps + 5):
        xc = mpmath.mpc(x)
        pole = mpmath.fsum((-1) ** k / (mpmath.factorial(k) * (xc + k)) for k in range(terms))
        entire = mpmath.gammainc(xc, 1, mpmath.inf)
    with mpmath.workdps(dps):
        return +mpmath.mpc(pole), +mpmath.mpc(entire)
