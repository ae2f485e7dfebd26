"""One-dimensional density models: the Fourier basis density and its baselines.

The Fourier basis density model (De la Fuente, Singh and Ballé, 2024; explained in
kexue.fm/archives/10007) writes a density on ``[-1, 1]`` as a trigonometric
polynomial whose coefficients are the autocorrelation of a complex vector ``a``::

    c_n = sum_k a_k conj(a_{k+n}),            n = 0..N
    f(x) = sum_{|n|<=N} c_n e^{i pi n x} = |sum_k a_k e^{-i pi k x}|^2 >= 0
    p(x) = f(x) / (2 c_0),                     c_0 = ||a||^2

and moves it to the real line with ``x = tanh((y - loc) / scale)``.

Conventions: every tensor is float64 (complex128 for coefficients) unless the
caller passes another dtype to a module. First used in chapter 10007.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch
from scipy.integrate import trapezoid
from torch import nn

from .checks import check_int

__all__ = [
    "autocorrelate",
    "FourierDensity",
    "fejer_riesz",
    "ml_optimality_gap",
    "ml_fit_convex",
    "GaussianMixture",
    "DeepFactorizedDensity",
    "fit_adam",
    "kl_quadrature",
]

_LOG4 = math.log(4.0)
_TINY = 1e-300  # floor of the (unnormalised) density inside a log: keeps log_prob finite


# --------------------------------------------------------------------------- validation helpers


def _check_int(name: str, value: Any, *, minimum: int = 0) -> int:
    # This chapter's contract asks for ValueError on a non-integer too.
    try:
        return check_int(value, name, minimum)
    except TypeError as exc:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}") from exc


def _check_positive(name: str, value: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}") from exc
    if not (math.isfinite(v) and v > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return v


def _check_finite_number(name: str, value: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a finite number, got {value!r}") from exc
    if not math.isfinite(v):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return v


def _as_real_tensor(name: str, value: Any, dtype: torch.dtype, device: torch.device) -> torch.Tensor:
    if isinstance(value, torch.Tensor):
        if value.is_complex():
            raise ValueError(f"{name} must be real, got a complex tensor")
        t = value.to(dtype=dtype, device=device)
    else:
        arr = np.asarray(value)
        if np.iscomplexobj(arr):
            raise ValueError(f"{name} must be real, got complex values")
        try:
            t = torch.as_tensor(arr.astype(np.float64), dtype=dtype, device=device)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name} must be an array of real numbers") from exc
    if not bool(torch.isfinite(t).all()):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return t


# --------------------------------------------------------------------------- autocorrelation


def autocorrelate(a: Any) -> Any:
    r"""Autocorrelation ``c_n = sum_{k=0}^{N-n} a_k conj(a_{k+n})`` for ``n = 0..N`` (last axis).

    This is the convention of the article and the paper; with it
    ``sum_{|n|<=N} c_n e^{i pi n x} = |sum_k a_k e^{-i pi k x}|^2`` (note the minus sign;
    ``c_{-n} = conj(c_n)``). A torch tensor in gives a complex torch tensor out
    (differentiable, computed with two FFTs of length ``2N + 1``); anything else gives a
    ``complex128`` numpy array (direct sums).

    Raises ValueError for a 0-d or empty input, or for non-finite values.
    First used in chapter 10007.
    """
    if isinstance(a, torch.Tensor):
        if a.ndim < 1 or a.shape[-1] == 0:
            raise ValueError(
                f"autocorrelate needs at least one coefficient on the last axis, got shape {tuple(a.shape)}"
            )
        z = a if a.is_complex() else a.to(torch.complex128)
        if not bool(torch.isfinite(torch.view_as_real(z)).all()):
            raise ValueError("autocorrelate: coefficients must be finite")
        n1 = z.shape[-1]
        # |A(w)|^2 = sum_n c_n e^{i w n} with A = fft(a); 2N+1 points recover c_{-N..N} exactly
        L = 2 * n1 - 1
        power = torch.fft.fft(z, n=L, dim=-1).abs() ** 2
        return torch.fft.fft(power.to(z.dtype), dim=-1)[..., :n1] / L
    try:
        arr = np.asarray(a, dtype=np.complex128)
    except (TypeError, ValueError) as exc:
        raise ValueError("autocorrelate needs numbers (real or complex)") from exc
    if arr.ndim < 1 or arr.shape[-1] == 0:
        raise ValueError(f"autocorrelate needs at least one coefficient on the last axis, got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError("autocorrelate: coefficients must be finite")
    n1 = arr.shape[-1]
    out = np.empty(arr.shape, dtype=np.complex128)
    for n in range(n1):
        out[..., n] = (arr[..., : n1 - n] * np.conj(arr[..., n:])).sum(-1)
    return out


# --------------------------------------------------------------------------- the model


class FourierDensity(nn.Module):
    r"""Fourier basis density on the real line (a ``torch.nn.Module``, float64 by default).

    Parameters: the complex vector ``a = a_re + i a_im`` of length ``N + 1`` and the map
    ``x = tanh((y - loc) / scale)``. The density is

    .. math::
        q(y) = \frac{1}{s}\,\mathrm{sech}^2\!\Big(\frac{y-t}{s}\Big)\, p\Big(\tanh\frac{y-t}{s}\Big),\qquad
        p(x) = \frac{|\sum_k a_k e^{-i\pi k x}|^2}{2\,\|a\|^2}.

    ``a`` starts at ``(1, 0, ..., 0)`` (the uniform density on ``[-1, 1]``), so a new model
    is deterministic. With ``learn_map=True`` the offset ``loc`` and ``log(scale)`` are
    trained too, otherwise they are fixed buffers.

    Raises ValueError if ``N`` is not a non-negative int, or ``scale`` is not a positive
    finite number (``loc`` must be finite). First used in chapter 10007.
    """

    def __init__(
        self,
        N: int,
        *,
        loc: float = 0.0,
        scale: float = 1.0,
        learn_map: bool = True,
        dtype: torch.dtype = torch.float64,
    ) -> None:
        super().__init__()
        self.N = _check_int("N", N)
        loc = _check_finite_number("loc", loc)
        scale = _check_positive("scale", scale)
        if dtype not in (torch.float64, torch.float32):
            raise ValueError(f"dtype must be torch.float64 or torch.float32, got {dtype}")
        self.learn_map = bool(learn_map)
        a_re = torch.zeros(self.N + 1, dtype=dtype)
        a_re[0] = 1.0
        self.a_re = nn.Parameter(a_re)
        self.a_im = nn.Parameter(torch.zeros(self.N + 1, dtype=dtype))
        loc_t = torch.tensor(loc, dtype=dtype)
        log_scale_t = torch.tensor(math.log(scale), dtype=dtype)
        if self.learn_map:
            self.loc = nn.Parameter(loc_t)
            self.log_scale = nn.Parameter(log_scale_t)
        else:
            self.register_buffer("loc", loc_t)
            self.register_buffer("log_scale", log_scale_t)
        self.register_buffer("_k", torch.arange(self.N + 1, dtype=dtype))
        self.register_buffer("_alt", 1.0 - 2.0 * (self._k % 2))  # (-1)^k

    # -- construction ----------------------------------------------------------
    @classmethod
    def from_coeffs(cls, a: Any, loc: float = 0.0, scale: float = 1.0, *, learn_map: bool = True) -> FourierDensity:
        """A model with the given complex coefficients ``a_0..a_N`` (any non-zero vector).

        Raises ValueError for an empty, non-finite or all-zero ``a``. First used in chapter 10007.
        """
        arr = np.asarray(a.detach().cpu().numpy() if isinstance(a, torch.Tensor) else a)
        try:
            arr = arr.astype(np.complex128)
        except (TypeError, ValueError) as exc:
            raise ValueError("from_coeffs: a must hold numbers") from exc
        if arr.ndim != 1 or arr.size == 0:
            raise ValueError(f"from_coeffs: a must be a non-empty 1-d vector, got shape {arr.shape}")
        if not np.isfinite(arr).all():
            raise ValueError("from_coeffs: a must be finite")
        if not np.any(arr != 0):
            raise ValueError("from_coeffs: a is all zeros; the density 0 / 0 is undefined (need ||a|| > 0)")
        model = cls(arr.size - 1, loc=loc, scale=scale, learn_map=learn_map)
        with torch.no_grad():
            model.a_re.copy_(torch.from_numpy(arr.real.copy()))
            model.a_im.copy_(torch.from_numpy(arr.imag.copy()))
        return model

    # -- basic quantities ----------------------------------------------------------
    @property
    def scale(self) -> torch.Tensor:
        """The scale ``s = exp(log_scale) > 0`` of the tanh map."""
        return self.log_scale.exp()

    @property
    def n_params(self) -> int:
        """Real trainable parameters: ``2 (N + 1)`` for ``a``, plus 2 for ``(loc, scale)`` if learned."""
        return 2 * (self.N + 1) + (2 if self.learn_map else 0)

    def a(self) -> torch.Tensor:
        """The complex coefficient vector ``a`` (complex128 for float64 models)."""
        return torch.complex(self.a_re, self.a_im)

    def _norm2(self) -> torch.Tensor:
        n2 = (self.a_re**2 + self.a_im**2).sum()
        if not bool(n2 > 0):
            raise ValueError("all coefficients are zero: the density is undefined (need ||a|| > 0)")
        return n2

    def coeffs(self) -> torch.Tensor:
        """Fourier coefficients ``c_0..c_N`` of ``f = |sum_k a_k e^{-i pi k x}|^2`` (``c_{-n} = conj(c_n)``).

        Raises ValueError if ``a`` is all zeros. First used in chapter 10007.
        """
        self._norm2()
        return autocorrelate(self.a())

    # -- the trig polynomial ---------------------------------------------------------
    def _features(self, delta: torch.Tensor, sign: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """``W[:, k] = e^{i pi k delta}`` and the mask ``x >= 0`` for ``x = sign (1 - delta)`` (no autograd).

        ``e^{-i pi k x} = (-1)^k W[:, k]`` for ``x >= 0`` and its conjugate for ``x < 0``; building
        the powers from ``delta = 1 - |x|`` keeps full accuracy in the tails.
        """
        with torch.no_grad():
            base = torch.polar(torch.ones_like(delta), math.pi * delta)
            return _powers(base, self.N + 1), (sign > 0)[:, None]

    def _f(self, x: torch.Tensor, feats: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
        """``f(x) = |h(x)|^2``, ``h(x) = sum_k a_k e^{-i pi k x}``, from precomputed features.

        The features are computed without autograd (they are the expensive part); the
        dependence on ``x`` is restored to first order with the exact derivative ``f'(x)``:
        ``f + (x - x.detach()) f'(x)`` has the value ``f`` and the gradient ``f'`` in ``x``.
        Gradients are exact; second derivatives through ``x`` are not provided.
        """
        W, pos = feats
        v = self._alt * torch.complex(self.a_re, self.a_im)
        dv = (-1j * math.pi) * self._k * v  # coefficients of h'(x)
        G = W @ torch.stack([v, v.conj(), dv, dv.conj()], dim=1)
        H = torch.where(pos, G[:, 0::2], G[:, 1::2].conj())  # columns: h(x), h'(x)
        h = H[:, 0]
        f = h.real**2 + h.imag**2
        if x.requires_grad:
            with torch.no_grad():
                df = 2 * (h.real * H[:, 1].real + h.imag * H[:, 1].imag)
            f = f + (x - x.detach()) * df
        return f

    def _unit_inputs(self, x: Any) -> tuple[torch.Tensor, tuple[int, ...]]:
        t = _as_real_tensor("x", x, self.a_re.dtype, self.a_re.device)
        if bool((t.abs() > 1.0).any()):
            raise ValueError("x must lie in [-1, 1] (the unit-interval density); map real data with the tanh map")
        return t.reshape(-1), tuple(t.shape)

    def pdf_unit(self, x: Any) -> torch.Tensor:
        r"""Density on ``[-1, 1]``: ``p(x) = |sum_k a_k e^{-i pi k x}|^2 / (2 ||a||^2)``.

        Equals ``1/2 + Re sum_{n>=1} (c_n / c_0) e^{i pi n x}``. Raises ValueError for
        ``x`` outside ``[-1, 1]``, non-finite ``x``, or all-zero coefficients.
        First used in chapter 10007.
        """
        xf, shape = self._unit_inputs(x)
        n2 = self._norm2()
        sign = torch.where(xf >= 0, 1.0, -1.0).to(xf.dtype)
        f = self._f(xf, self._features(1.0 - xf.detach().abs(), sign))
        return (f / (2 * n2)).reshape(shape)

    def _cdf_delta(self, delta: torch.Tensor, upper: torch.Tensor) -> torch.Tensor:
        """CDF at ``x = -1 + delta`` (``upper`` False) or ``x = 1 - delta`` (``upper`` True).

        Uses ``P(-1 + d) = d/2 + sum_n (-1)^n [rho_n sin(pi n d) - sigma_n 2 sin^2(pi n d / 2)] / (pi n)``
        and ``1 - P(1 - d) = d/2 + sum_n (-1)^n [rho_n sin(pi n d) + sigma_n 2 sin^2(pi n d / 2)] / (pi n)``,
        with ``c_n / c_0 = rho_n + i sigma_n``: both tails keep full relative accuracy (unless the
        density vanishes at ``x = -1`` or ``1``, where the leading terms cancel).
        """
        c = self.coeffs()
        r = c[1:] / c[0]
        n = self._k[1:]
        alt = 1.0 - 2.0 * (n % 2)
        ang = math.pi * delta[:, None] * n
        s1 = torch.sin(ang) @ (alt * r.real / (math.pi * n))
        s2 = (2 * torch.sin(ang / 2) ** 2) @ (alt * r.imag / (math.pi * n))
        sign = torch.where(upper, 1.0, -1.0).to(delta.dtype)
        tail = delta / 2 + s1 + sign * s2
        tail = tail.clamp(0.0, 1.0)
        return torch.where(upper, 1.0 - tail, tail)

    def cdf_unit(self, x: Any) -> torch.Tensor:
        r"""CDF on ``[-1, 1]``: ``P(x) = (x+1)/2 + Re sum_{n=1}^N (c_n/c_0) (e^{i pi n x} - (-1)^n) / (i pi n)``.

        (The article prints ``(x^2 - 1)/2`` and a stray factor 1/2 with no ``Re``; see chapter
        10007.) Raises ValueError for ``x`` outside ``[-1, 1]`` or non-finite.
        First used in chapter 10007.
        """
        xf, shape = self._unit_inputs(x)
        upper = xf > 0
        delta = torch.where(upper, 1.0 - xf, 1.0 + xf)
        return self._cdf_delta(delta, upper).reshape(shape)

    # -- the real line ------------------------------------------------------------------
    def _real_inputs(self, y: Any) -> tuple[torch.Tensor, tuple[int, ...]]:
        t = _as_real_tensor("y", y, self.a_re.dtype, self.a_re.device)
        return t.reshape(-1), tuple(t.shape)

    def log_prob(self, y: Any) -> torch.Tensor:
        r"""``log q(y) = log sech^2 z - log s + log p(tanh z)`` with ``z = (y - loc) / s``.

        Differentiable. Evaluated in a form that stays accurate in the tails
        (``1 - tanh|z|`` is computed without cancellation) and never returns NaN: the
        unnormalised density is floored at ``1e-300 ||a||^2`` inside the log, so zeros of
        the density give a large negative number, not ``-inf``. Raises ValueError for
        non-finite ``y`` or all-zero coefficients. First used in chapter 10007.
        """
        yf, shape = self._real_inputs(y)
        z = (yf - self.loc) / self.scale
        return (self._log_prob_z(z) - self.log_scale).reshape(shape)

    def _log_prob_z(self, z: torch.Tensor, feats: tuple[torch.Tensor, torch.Tensor] | None = None) -> torch.Tensor:
        """Log density of ``z = (y - loc)/scale``: ``log sech^2 z + log p(tanh z)`` (floored, never NaN)."""
        n2 = self._norm2()
        az = z.abs()
        e = torch.exp(-2 * az)
        log_sech2 = _LOG4 - 2 * az - 2 * torch.log1p(e)
        if feats is None:
            feats = self._z_features(z)
        f = self._f(torch.tanh(z), feats)
        return log_sech2 + torch.log(f + _TINY * n2) - torch.log(2 * n2)

    def _z_features(self, z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        with torch.no_grad():
            e = torch.exp(-2 * z.abs())
            delta = 2 * e / (1 + e)  # 1 - tanh|z| without cancellation in the tails
            sign = torch.where(z >= 0, 1.0, -1.0).to(z.dtype)
            return self._features(delta, sign)

    def _cdf_z(self, z: torch.Tensor) -> torch.Tensor:
        e = torch.exp(-2 * z.abs())
        return self._cdf_delta(2 * e / (1 + e), z > 0)

    def cdf(self, y: Any) -> torch.Tensor:
        """``Q(y) = P(tanh((y - loc) / scale))``, accurate in both tails. Raises ValueError for non-finite ``y``.

        First used in chapter 10007.
        """
        yf, shape = self._real_inputs(y)
        return self._cdf_z((yf - self.loc) / self.scale).reshape(shape)

    def icdf(self, u: Any, *, tol: float = 1e-13, max_iter: int = 200) -> torch.Tensor:
        """Quantile ``Q^{-1}(u) = loc + scale * artanh(P^{-1}(u))`` (no gradient).

        Safeguarded Newton iteration in ``z = (y - loc)/scale`` on the bracket ``[-400, 400]``
        (bisection whenever Newton leaves the bracket), so zeros of the density cannot make it
        diverge. It stops when ``|Q(y) - u| <= tol * min(u, 1 - u)`` (relative accuracy in
        both tails) or the bracket is narrower than ``tol * (1 + |z|)``. ``u = 0`` gives ``-inf`` and ``u = 1`` gives ``+inf``. Raises ValueError for
        ``u`` outside ``[0, 1]`` or NaN, ``tol <= 0`` or ``max_iter < 1``. First used in chapter 10007.
        """
        tol = _check_positive("tol", tol)
        max_iter = _check_int("max_iter", max_iter, minimum=1)
        t = _as_real_tensor("u", u, self.a_re.dtype, self.a_re.device)
        if bool(((t < 0) | (t > 1)).any()):
            raise ValueError("u must lie in [0, 1] (probabilities)")
        shape = tuple(t.shape)
        uf = t.reshape(-1)
        with torch.no_grad():
            s = self.scale
            loc = self.loc
            inner = (uf > 0) & (uf < 1)
            uu = uf[inner]
            lo = torch.full_like(uu, -400.0)
            hi = torch.full_like(uu, 400.0)
            z = torch.atanh((2 * uu - 1).clamp(-1 + 1e-15, 1 - 1e-15))
            for _ in range(max_iter):
                F = self._cdf_z(z) - uu
                lo = torch.where(F < 0, z, lo)
                hi = torch.where(F >= 0, z, hi)
                dens = torch.exp(self._log_prob_z(z))  # dP/dz
                z_new = z - F / dens
                bad = ~torch.isfinite(z_new) | (z_new <= lo) | (z_new >= hi)
                z_next = torch.where(bad, (lo + hi) / 2, z_new)
                done = (F.abs() <= tol * torch.minimum(uu, 1 - uu)) | ((hi - lo) <= tol * (1 + z.abs()))
                z = torch.where(done, z, z_next)
                if bool(done.all()):
                    break
            out = torch.empty_like(uf)
            out[inner] = loc + s * z
            out[uf == 0] = -math.inf
            out[uf == 1] = math.inf
        return out.reshape(shape)

    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """``n`` samples by inverse CDF: ``y = Q^{-1}(u)``, ``u ~ U(0, 1)`` (``u`` kept inside ``(0, 1)``).

        Pass a seeded ``torch.Generator`` for reproducible draws. Raises ValueError if ``n``
        is not a non-negative int. First used in chapter 10007.
        """
        n = _check_int("n", n)
        u = torch.rand(n, generator=generator, dtype=torch.float64)
        u = (u + 2.0**-54).to(self.a_re.dtype)  # torch.rand gives multiples of 2^-53 in [0, 1)
        return self.icdf(u)

    def regularizer(self, *, normalized: bool = True) -> torch.Tensor:
        r"""Smoothness penalty.

        ``normalized=True`` (default): ``int_{-1}^1 |p'(x)|^2 dx = pi^2 sum_{n>=1} n^2 |c_n / c_0|^2``,
        invariant to ``a -> lambda a`` like the density itself. ``normalized=False``: the
        article's ``int |f'|^2 = 2 pi^2 sum_{|n|<=N} n^2 |c_n|^2`` on the *unnormalised* ``f``,
        which scales as ``lambda^4`` and can be driven to 0 by shrinking ``a`` without
        changing the density (chapter 10007 shows this). First used in chapter 10007.
        """
        c = self.coeffs()
        n2 = self._k[1:] ** 2
        if normalized:
            return math.pi**2 * (n2 * (c[1:] / c[0]).abs() ** 2).sum()
        return 4 * math.pi**2 * (n2 * c[1:].abs() ** 2).sum()

    def fit(
        self,
        y: Any,
        steps: int = 500,
        lr: float = 0.02,
        gamma: float = 0.0,
        *,
        normalized_penalty: bool = True,
    ) -> list[float]:
        """Maximum likelihood with Adam: minimise ``-mean log q(y_i) + gamma * regularizer()``.

        Returns the loss after every step. Raises ValueError for non-finite or empty ``y``,
        ``steps`` not a positive int, ``lr <= 0`` or ``gamma < 0``. First used in chapter 10007.
        """
        yt = _as_real_tensor("y", y, self.a_re.dtype, self.a_re.device).reshape(-1)
        if yt.numel() == 0:
            raise ValueError("y must hold at least one sample")
        steps = _check_int("steps", steps, minimum=1)
        lr = _check_positive("lr", lr)
        gamma = float(gamma)
        if not (math.isfinite(gamma) and gamma >= 0):
            raise ValueError(f"gamma must be a finite number >= 0, got {gamma!r}")

        feats = None
        if not self.learn_map:  # the map is fixed: the trigonometric features never change
            with torch.no_grad():
                feats = self._z_features((yt - self.loc) / self.scale)

        def loss_fn() -> torch.Tensor:
            z = (yt - self.loc) / self.scale
            loss = self.log_scale - self._log_prob_z(z, feats).mean()
            if gamma > 0:
                loss = loss + gamma * self.regularizer(normalized=normalized_penalty)
            return loss

        return fit_adam(self, loss_fn, steps=steps, lr=lr)


def _powers(base: torch.Tensor, count: int) -> torch.Tensor:
    """``base[:, None] ** arange(count)`` by two short cumulative products (blocks of ~sqrt(count))."""
    n = base.shape[0]
    block = max(1, math.isqrt(count - 1) + 1) if count > 1 else 1
    n_blocks = -(-count // block)
    small = torch.ones(n, block, dtype=base.dtype, device=base.device)
    if block > 1:
        small[:, 1:] = torch.cumprod(base[:, None].expand(-1, block - 1), dim=1)
    big = torch.ones(n, n_blocks, dtype=base.dtype, device=base.device)
    if n_blocks > 1:
        step = small[:, -1] * base  # base ** block
        big[:, 1:] = torch.cumprod(step[:, None].expand(-1, n_blocks - 1), dim=1)
    return (big[:, :, None] * small[:, None, :]).reshape(n, n_blocks * block)[:, :count]


# --------------------------------------------------------------------------- Fejér–Riesz


def fejer_riesz(c: Any, *, tol: float = 1e-9) -> np.ndarray:
    r"""Spectral factor of a non-negative trigonometric polynomial: ``a`` with ``autocorrelate(a) = c``.

    ``c = (c_0, ..., c_N)`` describes ``f(x) = sum_{|n|<=N} c_n e^{i pi n x}`` with
    ``c_{-n} = conj(c_n)``. Fejér–Riesz: if ``f >= 0`` there is ``a`` (length ``N + 1``) with
    ``f = |sum_k a_k e^{-i pi k x}|^2``. With ``w = e^{-i pi x}``, ``w^N f`` is the polynomial
    ``sum_j c_{N-j} w^j`` (negative ``n`` by conjugation); its roots come in pairs
    ``r, 1/conj(r)``; ``a`` collects the ``N`` roots of smallest modulus (the minimum-phase
    factor) and is scaled so that ``||a||^2 = c_0``. Roots on the unit circle (zeros of ``f``)
    are double and are resolved only to about ``sqrt(machine eps)``.

    Raises ValueError if ``c`` is empty or non-finite, ``c_0`` is not real and positive, or
    ``f`` takes a value below ``-tol * c_0`` on a fine grid (not non-negative).
    First used in chapter 10007.
    """
    try:
        arr = (
            np.asarray(c, dtype=np.complex128).reshape(-1)
            if not isinstance(c, torch.Tensor)
            else c.detach().cpu().numpy().astype(np.complex128).reshape(-1)
        )
    except (TypeError, ValueError) as exc:
        raise ValueError("fejer_riesz: c must hold numbers") from exc
    if arr.size == 0 or not np.isfinite(arr).all():
        raise ValueError("fejer_riesz: c must be a non-empty finite vector (c_0, ..., c_N)")
    c0 = arr[0]
    if abs(c0.imag) > tol * max(1.0, abs(c0.real)) or not c0.real > 0:
        raise ValueError(f"fejer_riesz: c_0 must be real and positive (it is the integral / 2), got {c0}")
    arr = arr.copy()
    arr[0] = c0.real
    # trim trailing zeros: the degree is the last non-negligible coefficient
    nz = np.flatnonzero(np.abs(arr) > 1e-15 * c0.real)
    N = int(nz[-1])
    arr = arr[: N + 1]
    grid = np.linspace(-1, 1, 16 * (N + 1) + 1)
    n = np.arange(1, N + 1)
    fvals = c0.real + 2 * np.real(np.exp(1j * np.pi * np.outer(grid, n)) @ arr[1:])
    if fvals.min() < -tol * c0.real:
        raise ValueError(f"fejer_riesz: f is negative somewhere (min {fvals.min():.3g} on a grid); no factor exists")
    if N == 0:
        return np.array([np.sqrt(c0.real)], dtype=np.complex128)
    # coefficients of w^N f(w) in increasing powers of w: c_N, ..., c_1, c_0, c_{-1}, ..., c_{-N}
    # (f = sum_n c_n e^{i pi n x} = sum_n c_n w^{-n}, so w^j carries c_{N-j}).
    full = np.concatenate([arr[::-1], np.conj(arr[1:])])
    roots = np.roots(full[::-1])
    roots = roots[np.argsort(np.abs(roots))][:N]
    monic = np.poly(roots)[::-1]  # increasing powers: h(w) = sum_k a_k w^k up to a constant
    a = monic * np.sqrt(c0.real / np.sum(np.abs(monic) ** 2))
    return a.astype(np.complex128)


# --------------------------------------------------------------------------- convex ML in c-space


def _unit_features(x: np.ndarray, N: int) -> np.ndarray:
    return np.exp(1j * np.pi * np.outer(x, np.arange(N + 1)))  # u_k(x) = e^{i pi k x}


def _unit_data(x: Any) -> np.ndarray:
    arr = np.asarray(x, dtype=np.float64).reshape(-1)
    if arr.size == 0 or not np.isfinite(arr).all() or np.abs(arr).max() > 1:
        raise ValueError("x must be a non-empty array of finite points in [-1, 1]")
    return arr


def ml_optimality_gap(a: Any, x: Any) -> float:
    r"""Certified bound on ``NLL(a) - min NLL`` over all degree-``N`` Fourier densities on ``[-1, 1]``.

    The NLL ``L(g) = -mean_i log g(x_i)`` is convex on the convex set of normalised non-negative
    trigonometric polynomials; for any ``g`` in it, ``L(g) >= L(p) + 1 - mean_i g(x_i)/p(x_i)``.
    Every ``g`` is ``|u^H b|^2 / (2||b||^2)`` (Fejér–Riesz), so the worst case is
    ``lambda_max(M)/2`` with ``M = mean_i u(x_i) u(x_i)^H / p(x_i)``, ``u_k(x) = e^{i pi k x}``.
    The returned ``lambda_max(M)/2 - 1 >= 0`` bounds the gap; it is 0 exactly at the optimum.

    Raises ValueError for an all-zero ``a``, or ``x`` not finite / not in ``[-1, 1]``.
    First used in chapter 10007.
    """
    av = np.asarray(a.detach().cpu().numpy() if isinstance(a, torch.Tensor) else a, dtype=np.complex128).reshape(-1)
    if av.size == 0 or not np.isfinite(av).all() or not np.any(av != 0):
        raise ValueError("a must be a finite, non-zero coefficient vector")
    xs = _unit_data(x)
    U = _unit_features(xs, av.size - 1)
    p = np.abs(U.conj() @ av) ** 2 / (2 * np.sum(np.abs(av) ** 2))
    if np.any(p <= 0):
        return math.inf
    M = (U.T * (1 / p)) @ U.conj() / xs.size
    return float(np.linalg.eigvalsh(M)[-1] / 2 - 1)


def ml_fit_convex(x: Any, N: int, *, tol: float = 1e-7, max_iter: int = 20000) -> tuple[np.ndarray, float, int]:
    r"""Global maximum-likelihood Fourier density of degree ``N`` for data ``x`` in ``[-1, 1]``.

    Solves the convex problem over Hermitian ``X >= 0`` with ``f_X(x) = u(x)^H X u(x)`` and
    ``2 tr X = 1`` (``c_n = sum_k X_{k, k+n}``) by the fixed-point iteration
    ``X <- R X R / (2 tr(R X R))``, ``R = mean_i u_i u_i^H / f_X(x_i)`` (the "R rho R" iteration
    of quantum tomography), whose fixed points are the KKT points ``R X = 2 X``, ``R <= 2 I``.
    Stops when the certificate ``lambda_max(R)/2 - 1`` (see :func:`ml_optimality_gap`) is
    below ``tol``. Returns ``(a, gap, iterations)`` where ``a = fejer_riesz(c)`` is a rank-one
    factor of the optimal ``c``: nothing is lost by parameterising with one vector ``a``.

    Raises ValueError for bad ``x`` or ``N``, ``tol <= 0``, or ``max_iter`` < 1.
    First used in chapter 10007.
    """
    xs = _unit_data(x)
    N = _check_int("N", N)
    tol = _check_positive("tol", tol)
    max_iter = _check_int("max_iter", max_iter, minimum=1)
    U = _unit_features(xs, N)
    X = np.eye(N + 1, dtype=np.complex128) / (2 * (N + 1))
    gap = math.inf
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007
        f = np.real(np.sum((U.conj() @ X) * U, axis=1))  # u_i^H X u_i
        R = (U.T * (1 / f)) @ U.conj() / xs.size
        R = (R + R.conj().T) / 2
        gap = float(np.linalg.eigvalsh(R)[-1] / 2 - 1)
        if gap < tol:
            break
        X = R @ X @ R
        X = (X + X.conj().T) / (4 * np.real(np.trace(X)))
    c = np.array([np.trace(X, offset=n) for n in range(N + 1)])  # c_n = sum_k X_{k, k+n}
    a = fejer_riesz(c, tol=1e-6)
    return a, gap, it


# --------------------------------------------------------------------------- baselines


class GaussianMixture(nn.Module):
    r"""Weighted Gaussian mixture ``q(y) = sum_j softmax(w)_j N(y; mu_j, sigma_j^2)`` for gradient training.

    ``3K - 1`` free real parameters. Initialised at ``means`` (e.g. data quantiles) with common
    width ``width``. Raises ValueError if ``K`` is not a positive int, ``means`` has the wrong
    length or is not finite, or ``width <= 0``. First used in chapter 10007.
    """

    def __init__(self, K: int, means: Any = None, width: float = 1.0, dtype: torch.dtype = torch.float64) -> None:
        super().__init__()
        self.K = _check_int("K", K, minimum=1)
        width = _check_positive("width", width)
        if means is None:
            means = np.linspace(-1, 1, self.K) if self.K > 1 else np.zeros(1)
        mu = np.asarray(means, dtype=np.float64).reshape(-1)
        if mu.size != self.K or not np.isfinite(mu).all():
            raise ValueError(f"means must be {self.K} finite numbers, got {mu.size}")
        self.logits = nn.Parameter(torch.zeros(self.K, dtype=dtype))
        self.mu = nn.Parameter(torch.as_tensor(mu, dtype=dtype))
        self.log_sigma = nn.Parameter(torch.full((self.K,), math.log(width), dtype=dtype))

    @property
    def n_params(self) -> int:
        """``3K - 1`` (weights live on a simplex)."""
        return 3 * self.K - 1

    def log_prob(self, y: Any) -> torch.Tensor:
        """``log sum_j w_j N(y; mu_j, sigma_j^2)`` by log-sum-exp. Raises ValueError for non-finite ``y``.

        First used in chapter 10007.
        """
        yt = _as_real_tensor("y", y, self.mu.dtype, self.mu.device)
        z = (yt[..., None] - self.mu) / self.log_sigma.exp()
        comp = -0.5 * z**2 - self.log_sigma - 0.5 * math.log(2 * math.pi)
        return torch.logsumexp(comp + torch.log_softmax(self.logits, -1), dim=-1)


class DeepFactorizedDensity(nn.Module):
    r"""Ballé's deep factorized density: a monotone network CDF ``Phi(y) = sigmoid(g(y))``.

    ``g`` has layers ``h <- softplus(H_k) h + b_k`` followed (except after the last) by
    ``h <- h + tanh(f_k) * tanh(h)``. Non-negative weights and ``1 + tanh(f) tanh'(h) > 0``
    make ``g`` increasing, so ``q(y) = sigmoid'(g) g'(y)`` is a density; ``g'`` is propagated
    exactly alongside ``g`` (forward-mode). Widths ``(1, *filters, 1)``; the initialisation
    follows the compressai ``EntropyBottleneck`` (``init_scale`` sets the initial spread).
    The network sees ``(y - loc) / scale`` (a fixed standardisation, not trained; the
    Jacobian ``1/scale`` is included). Raises ValueError for empty or non-positive
    ``filters``, ``init_scale <= 0``, ``scale <= 0`` or non-finite ``loc``.
    First used in chapter 10007.
    """

    def __init__(
        self,
        filters: Sequence[int] = (3, 3, 3),
        *,
        init_scale: float = 10.0,
        loc: float = 0.0,
        scale: float = 1.0,
        seed: int = 0,
        dtype: torch.dtype = torch.float64,
    ) -> None:
        super().__init__()
        self.loc = _check_finite_number("loc", loc)
        self.scale = _check_positive("scale", scale)
        filters = tuple(filters)
        if not filters or any(isinstance(r, bool) or not isinstance(r, int) or r < 1 for r in filters):
            raise ValueError(f"filters must be a non-empty tuple of positive ints, got {filters!r}")
        init_scale = _check_positive("init_scale", init_scale)
        self.filters = filters
        dims = (1, *filters, 1)
        per_layer = init_scale ** (1.0 / (len(dims) - 1))
        gen = torch.Generator().manual_seed(int(seed))
        self.H = nn.ParameterList()
        self.b = nn.ParameterList()
        self.f = nn.ParameterList()
        for k in range(len(dims) - 1):
            init = math.log(math.expm1(1.0 / per_layer / dims[k + 1]))
            self.H.append(nn.Parameter(torch.full((dims[k + 1], dims[k]), init, dtype=dtype)))
            self.b.append(nn.Parameter(torch.rand(dims[k + 1], 1, generator=gen, dtype=dtype) - 0.5))
            if k < len(dims) - 2:
                self.f.append(nn.Parameter(torch.zeros(dims[k + 1], 1, dtype=dtype)))

    @property
    def n_params(self) -> int:
        """Real parameters: ``sum d_k d_{k+1} + sum d_{k+1} + sum_{k < K-1} d_{k+1}`` (43 for ``(3, 3, 3)``)."""
        return sum(p.numel() for p in self.parameters())

    def _logits(self, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = ((y - self.loc) / self.scale).reshape(1, -1)
        d = torch.ones_like(h)
        for k in range(len(self.H)):
            W = nn.functional.softplus(self.H[k])
            h = W @ h + self.b[k]
            d = W @ d
            if k < len(self.f):
                th = torch.tanh(h)
                fk = torch.tanh(self.f[k])
                d = d * (1 + fk * (1 - th**2))
                h = h + fk * th
        return h.reshape(-1), d.reshape(-1)

    def log_prob(self, y: Any) -> torch.Tensor:
        """``log q(y) = log sigmoid(g) + log sigmoid(-g) + log g'(y)``. Raises ValueError for non-finite ``y``.

        First used in chapter 10007.
        """
        yt = _as_real_tensor("y", y, self.H[0].dtype, self.H[0].device)
        g, dg = self._logits(yt.reshape(-1))
        out = nn.functional.logsigmoid(g) + nn.functional.logsigmoid(-g) + torch.log(dg.clamp_min(1e-300))
        out = out - math.log(self.scale)
        return out.reshape(yt.shape)

    def cdf(self, y: Any) -> torch.Tensor:
        """``Phi(y) = sigmoid(g(y))``. Raises ValueError for non-finite ``y``. First used in chapter 10007."""
        yt = _as_real_tensor("y", y, self.H[0].dtype, self.H[0].device)
        g, _ = self._logits(yt.reshape(-1))
        return torch.sigmoid(g).reshape(yt.shape)


def fit_adam(model: nn.Module, loss: Callable[[], torch.Tensor] | Any, *, steps: int, lr: float) -> list[float]:
    """Minimise ``loss()`` (a closure) — or the mean NLL of data ``loss`` — with Adam; return the loss history.

    If ``loss`` is not callable it is taken as the training data and the loss is
    ``-mean model.log_prob(data)``. Raises ValueError for ``steps < 1``, ``lr <= 0``, a model
    without parameters, or a non-finite loss (with the step where it happened).
    First used in chapter 10007.
    """
    steps = _check_int("steps", steps, minimum=1)
    lr = _check_positive("lr", lr)
    params = [p for p in model.parameters() if p.requires_grad]
    if not params:
        raise ValueError("the model has no trainable parameters")
    if not callable(loss):
        data = _as_real_tensor("data", loss, params[0].dtype, params[0].device).reshape(-1)

        def closure() -> torch.Tensor:
            return -model.log_prob(data).mean()

    else:
        closure = loss
    opt = torch.optim.Adam(params, lr=lr)
    history: list[float] = []
    with torch.enable_grad():  # also inside a caller's torch.no_grad()
        for step in range(steps):
            opt.zero_grad()
            value = closure()
            if not bool(torch.isfinite(value)):
                raise ValueError(f"the loss became non-finite at step {step}")
            value.backward()
            opt.step()
            history.append(float(value.detach()))
    return history


def kl_quadrature(
    logp: Callable[[np.ndarray], np.ndarray],
    logq: Callable[[np.ndarray], np.ndarray],
    lo: float,
    hi: float,
    n: int = 20001,
) -> float:
    r"""``KL(p || q) = int p (log p - log q) dy`` by the trapezoid rule on ``n`` points of ``[lo, hi]``.

    ``logp`` and ``logq`` map a numpy grid to log-densities (``-inf`` allowed for ``p``). The
    mass of ``p`` outside ``[lo, hi]`` must be negligible; choose the range accordingly.
    Raises ValueError for ``lo >= hi``, ``n < 3``, or non-finite ``log q`` where ``p > 0``.
    First used in chapter 10007.
    """
    lo, hi = _check_finite_number("lo", lo), _check_finite_number("hi", hi)
    if not lo < hi:
        raise ValueError(f"need lo < hi, got [{lo}, {hi}]")
    n = _check_int("n", n, minimum=3)
    grid = np.linspace(lo, hi, n)
    lp = np.asarray(logp(grid), dtype=np.float64)
    lq = np.asarray(logq(grid), dtype=np.float64)
    p = np.exp(lp)
    pos = p > 0
    if not np.isfinite(lq[pos]).all():
        raise ValueError("log q must be finite wherever p > 0 (otherwise KL is infinite)")
    integrand = np.zeros_like(grid)
    integrand[pos] = p[pos] * (lp[pos] - lq[pos])
    return float(trapezoid(integrand, grid))
