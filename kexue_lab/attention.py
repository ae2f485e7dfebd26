"""Softmax attention: reference kernels and the gradient-maximising scale.

Notation (chapter 9812): ``n`` keys, logits ``s`` in R^n, inverse temperature
``alpha >= 0`` and ``p = softmax(alpha * s)``.

* :func:`softmax_jacobian` and :func:`l1_grad_objective` compute the softmax
  Jacobian ``alpha (diag p - p p^T)`` and half its entrywise L1 norm,
  ``alpha (1 - sum_i p_i^2)``.
* :func:`sdpa` is a plain reference implementation of scaled dot-product
  attention with the same semantics as
  :func:`torch.nn.functional.scaled_dot_product_attention`.
* :func:`surrogate_objective`, :func:`optimal_alpha_normal` and
  :func:`optimal_alpha_cosine` implement the article's mean-field surrogate
  ``alpha (1 - E[e^{2 alpha s}] / (n E[e^{alpha s}]^2))`` and its maximiser, for
  logits ``s ~ N(0, 1)`` ("normal") or ``s`` = cosine of two random unit vectors of
  R^d ("cosine", density proportional to ``(1 - s^2)^{(d-3)/2}``).
* :func:`mc_grad_objective` (Monte Carlo) and :func:`exact_grad_objective`
  (deterministic quadrature) compute the *exact* expected objective
  ``E_s[alpha (1 - sum_i p_i^2)]`` that the surrogate approximates;
  :func:`sample_logits` draws the logits and :func:`l1_grad_objective_grid`
  evaluates the per-draw objective on a grid of ``alpha``.
* :func:`cosine_log_mgf` is the log moment generating function of the cosine law
  (a Bessel / 0F1 function), evaluated without overflow.

Randomness: the Monte Carlo helpers take a ``numpy.random.Generator`` (not a
``torch.Generator``), the object :func:`kexue_lab.runtime.setup` returns.

First used in chapter 9812 (attention scale).
"""

from __future__ import annotations

import math
import numbers
from typing import Literal

import numpy as np
import torch
from numpy.typing import ArrayLike
from scipy import optimize, signal, special

from .checks import check_int

__all__ = [
    "softmax_jacobian",
    "l1_grad_objective",
    "sdpa",
    "optimal_alpha_normal",
    "optimal_alpha_cosine",
    "cosine_log_mgf",
    "surrogate_objective",
    "sample_logits",
    "l1_grad_objective_grid",
    "mc_grad_objective",
    "exact_grad_objective",
    "MODELS",
]

MODELS: tuple[str, ...] = ("normal", "cosine")
Model = Literal["normal", "cosine"]

_MAX_JACOBIAN_N = 10_000
_MAX_GRID = 2**22


# --------------------------------------------------------------------------- validation


def _check_float_tensor(x: object, name: str) -> torch.Tensor:
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(x).__name__}")
    if not x.is_floating_point():
        raise TypeError(f"{name} must have a floating dtype (float32/float64), got {x.dtype}; cast it first")
    if not bool(torch.isfinite(x).all()):
        raise ValueError(f"{name} must be finite (no nan/inf)")
    return x


def _check_dim(dim: object, ndim: int) -> int:
    if isinstance(dim, bool) or not isinstance(dim, numbers.Integral):
        raise TypeError(f"dim must be an int, got {type(dim).__name__}")
    if ndim == 0:
        raise ValueError("s must have at least one dimension (the keys)")
    if not -ndim <= int(dim) < ndim:
        raise ValueError(f"dim={dim} is out of range for a tensor with {ndim} dimensions")
    return int(dim) % ndim


def _check_alpha_number(alpha: object, name: str = "alpha") -> float:
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(alpha).__name__}")
    a = float(alpha)
    if not math.isfinite(a):
        raise ValueError(f"{name} must be finite, got {alpha}")
    if a < 0:
        raise ValueError(f"{name} must be >= 0 (an inverse temperature), got {alpha}")
    return a


def _check_alpha_array(alpha: object) -> tuple[np.ndarray, bool]:
    """Return ``(alpha as float64 array, was_scalar)``; alpha must be finite and >= 0."""
    if isinstance(alpha, bool | np.bool_):
        raise TypeError("alpha must be a real number or an array of reals, got a bool")
    if isinstance(alpha, torch.Tensor):
        alpha = alpha.detach().cpu().numpy()
    arr = np.asarray(alpha)
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"alpha must be real (int or float), got dtype {arr.dtype}")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError("alpha must be finite (no nan/inf)")
    if np.any(arr < 0):
        raise ValueError(f"alpha must be >= 0 (an inverse temperature), got min {arr.min()}")
    return arr, arr.ndim == 0


def _check_n(n: object) -> tuple[np.ndarray, bool]:
    """Return ``(n as int64 array, was_scalar)``; n must be integer(s) >= 2."""
    if isinstance(n, bool | np.bool_):
        raise TypeError("n (the number of keys) must be an int, got a bool")
    if isinstance(n, numbers.Integral):
        if int(n) >= 2**62:
            raise ValueError(f"n={n} is too large (must be < 2**62)")
        arr = np.asarray(int(n), dtype=np.int64)
    else:
        if isinstance(n, numbers.Real):
            raise TypeError(f"n (the number of keys) must be an int, got {type(n).__name__} {n!r}")
        arr = np.asarray(n)
        if arr.dtype.kind not in "iu":
            raise TypeError(f"n (the number of keys) must be an int or an array of ints, got dtype {arr.dtype}")
        if arr.size == 0:
            raise ValueError("n must not be empty")
        arr = arr.astype(np.int64)
    if np.any(arr < 2):
        raise ValueError(
            f"n (the number of keys) must be >= 2 (n = 1 gives p = 1 and no maximiser), got min {arr.min()}"
        )
    return arr, arr.ndim == 0


def _check_model(model: object, d: object) -> tuple[str, int | None]:
    if not isinstance(model, str):
        raise TypeError(f"model must be a str, one of {MODELS}, got {type(model).__name__}")
    if model not in MODELS:
        raise ValueError(f"model must be one of {MODELS}, got {model!r}")
    if model == "normal":
        if d is not None:
            raise ValueError("d is only used by model='cosine'; for model='normal' leave d=None")
        return model, None
    return model, _check_d(d)


def _check_d(d: object) -> int:
    if d is None:
        raise ValueError("model='cosine' needs the dimension d (an int >= 2)")
    if isinstance(d, bool) or not isinstance(d, numbers.Integral):
        raise TypeError(f"d must be an int, got {type(d).__name__}")
    if int(d) < 2:
        raise ValueError(f"d must be >= 2 (the cosine law (1 - s^2)^((d-3)/2) needs d >= 2), got {d}")
    return int(d)


def _check_generator(generator: object) -> np.random.Generator:
    if generator is None:
        return np.random.default_rng(0)
    if isinstance(generator, torch.Generator):
        raise TypeError("generator must be a numpy.random.Generator (e.g. from runtime.setup()), not a torch.Generator")
    if not isinstance(generator, np.random.Generator):
        raise TypeError(f"generator must be a numpy.random.Generator or None, got {type(generator).__name__}")
    return generator


def _out(x: np.ndarray, scalar: bool) -> float | np.ndarray:
    return float(x) if scalar else x


# --------------------------------------------------------------------------- softmax gradients


def softmax_jacobian(s: torch.Tensor, alpha: float = 1.0, dim: int = -1, *, allow_large: bool = False) -> torch.Tensor:
    r"""Jacobian of ``p = softmax(alpha * s)`` with respect to ``s``.

    .. math:: \partial p_i / \partial s_j = \alpha\,(p_i \delta_{ij} - p_i p_j),
       \quad\text{i.e.}\quad J = \alpha\,(\operatorname{diag} p - p p^\top).

    ``s`` has any shape; ``dim`` is the key axis (length ``n``). The result has
    shape ``(*batch, n, n)`` where ``batch`` is ``s.shape`` without ``dim``.
    ``alpha`` is a number ``>= 0``. Memory is O(n^2): ``n > 10000`` needs
    ``allow_large=True``.

    First used in chapter 9812.
    """
    s = _check_float_tensor(s, "s")
    dim = _check_dim(dim, s.ndim)
    a = _check_alpha_number(alpha)
    n = s.shape[dim]
    if n == 0:
        raise ValueError("s has no keys along dim (length 0)")
    if n > _MAX_JACOBIAN_N and not allow_large:
        raise ValueError(f"n={n} > {_MAX_JACOBIAN_N}: the Jacobian has n^2 entries; pass allow_large=True")
    p = torch.softmax(a * s.movedim(dim, -1), dim=-1)
    return a * (torch.diag_embed(p) - p.unsqueeze(-1) * p.unsqueeze(-2))


def l1_grad_objective(s: torch.Tensor, alpha: float | torch.Tensor, dim: int = -1) -> torch.Tensor:
    r"""Half the entrywise L1 norm of the softmax Jacobian: ``alpha * (1 - sum_i p_i^2)``.

    .. math:: \tfrac12 \sum_{i,j} \lvert \partial p_i/\partial s_j \rvert
       = \alpha \Bigl(1 - \sum_i p_i^2\Bigr) = \alpha \sum_i p_i (1 - p_i),
       \qquad p = \operatorname{softmax}(\alpha s).

    Computed without cancellation: with ``m`` the arg-max key and
    ``e_i = exp(alpha (s_i - s_m)) <= 1`` for the *other* keys,
    ``r = sum_{i != m} e_i`` and ``q = sum_{i != m} e_i^2``,

    .. math:: \alpha\Bigl(1 - \sum_i p_i^2\Bigr) = \alpha\,\frac{2r + r^2 - q}{(1 + r)^2},

    a sum of non-negative terms. It keeps full relative precision even when
    ``alpha`` is huge and ``1 - sum p^2`` would round to 0: for a unique maximum
    with gap ``G`` it behaves as ``2 alpha exp(-alpha G)``.

    ``alpha`` is a number ``>= 0`` or a tensor of them that broadcasts against ``s``
    and has size 1 along ``dim`` (e.g. shape ``(A, 1, 1)`` for ``s`` of shape
    ``(B, n)`` gives a result of shape ``(A, B)``). The key axis ``dim`` is
    reduced.

    First used in chapter 9812.
    """
    s = _check_float_tensor(s, "s")
    dim = _check_dim(dim, s.ndim) - s.ndim  # negative: stable under broadcasting
    if s.shape[dim] == 0:
        raise ValueError("s has no keys along dim (length 0)")
    if isinstance(alpha, torch.Tensor):
        if not alpha.is_floating_point():
            alpha = alpha.to(s.dtype)
        if not bool(torch.isfinite(alpha).all()):
            raise ValueError("alpha must be finite (no nan/inf)")
        if bool((alpha < 0).any()):
            raise ValueError("alpha must be >= 0 (an inverse temperature)")
        a = alpha.to(dtype=s.dtype, device=s.device)
        if a.ndim >= -dim and a.shape[dim] != 1:
            raise ValueError(f"alpha must have size 1 along the key axis dim={dim}, got shape {tuple(alpha.shape)}")
    else:
        a = torch.tensor(_check_alpha_number(alpha), dtype=s.dtype, device=s.device)
    x = a * s
    top = x.amax(dim=dim, keepdim=True)
    e = torch.exp(x - top).scatter(dim, x.argmax(dim=dim, keepdim=True), 0.0)  # the other keys, each <= 1
    r = e.sum(dim=dim)
    q = (e * e).sum(dim=dim)
    total = (2 * r + r * r - q) / (1 + r) ** 2
    a_red = a.expand_as(x).select(dim, 0) if a.ndim > 0 else a
    return a_red * total


# --------------------------------------------------------------------------- reference attention


def sdpa(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    *,
    scale: float | None = None,
    causal: bool = False,
    attn_mask: torch.Tensor | None = None,
    return_weights: bool = False,
) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
    r"""Reference scaled dot-product attention, ``softmax(scale * q k^T + mask) v``.

    Shapes as in :func:`torch.nn.functional.scaled_dot_product_attention`:
    ``q (..., L, E)``, ``k (..., S, E)``, ``v (..., S, Ev)`` with broadcastable
    batch dimensions; the output is ``(..., L, Ev)``. ``scale=None`` means
    ``1/sqrt(E)``. ``causal=True`` lets query ``i`` see keys ``j <= i`` (top-left
    aligned, as torch does). ``attn_mask`` is boolean (``True`` = may attend) or
    floating (added to the scores); it cannot be combined with ``causal``. A query
    that may attend to no key gets zero weights and a zero output (torch >= 2.5
    does the same). With ``return_weights=True`` returns ``(output, weights)``.

    First used in chapter 9812.
    """
    for name, t in (("q", q), ("k", k), ("v", v)):
        if not isinstance(t, torch.Tensor):
            raise TypeError(f"{name} must be a torch.Tensor, got {type(t).__name__}")
        if not t.is_floating_point():
            raise TypeError(f"{name} must have a floating dtype, got {t.dtype}")
        if t.ndim < 2:
            raise ValueError(
                f"{name} must have at least 2 dimensions (..., length, features), got shape {tuple(t.shape)}"
            )
    if not (q.dtype == k.dtype == v.dtype):
        raise TypeError(f"q, k, v must share one dtype, got {q.dtype}, {k.dtype}, {v.dtype}")
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(f"q and k must have the same feature size, got {q.shape[-1]} and {k.shape[-1]}")
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(f"k and v must have the same number of keys, got {k.shape[-2]} and {v.shape[-2]}")
    if not isinstance(causal, bool):
        raise TypeError(f"causal must be a bool, got {type(causal).__name__}")
    if not isinstance(return_weights, bool):
        raise TypeError(f"return_weights must be a bool, got {type(return_weights).__name__}")
    if scale is None:
        scale = 1.0 / math.sqrt(q.shape[-1])
    scale = _check_alpha_number(scale, "scale")
    L, S = q.shape[-2], k.shape[-2]
    scores = scale * (q @ k.transpose(-2, -1))
    if causal:
        if attn_mask is not None:
            raise ValueError("pass either causal=True or attn_mask, not both (torch refuses the combination too)")
        attn_mask = torch.ones(L, S, dtype=torch.bool, device=q.device).tril()
    if attn_mask is not None:
        if not isinstance(attn_mask, torch.Tensor):
            raise TypeError(f"attn_mask must be a torch.Tensor or None, got {type(attn_mask).__name__}")
        try:
            torch.broadcast_shapes(attn_mask.shape, scores.shape)
        except RuntimeError as exc:
            raise ValueError(
                f"attn_mask of shape {tuple(attn_mask.shape)} does not broadcast to {tuple(scores.shape)}"
            ) from exc
        if attn_mask.dtype == torch.bool:
            scores = scores.masked_fill(~attn_mask, float("-inf"))
        elif attn_mask.is_floating_point():
            scores = scores + attn_mask.to(scores.dtype)
        else:
            raise TypeError(f"attn_mask must be bool or floating, got {attn_mask.dtype}")
    row_max = scores.amax(dim=-1, keepdim=True)
    row_max = torch.where(torch.isfinite(row_max), row_max, torch.zeros_like(row_max))
    e = torch.exp(scores - row_max)
    denom = e.sum(dim=-1, keepdim=True)
    weights = torch.where(denom > 0, e / denom.clamp_min(torch.finfo(e.dtype).tiny), torch.zeros_like(e))
    out = weights @ v
    return (out, weights) if return_weights else out


# --------------------------------------------------------------------------- the mean-field surrogate


def cosine_log_mgf(alpha: ArrayLike, d: int) -> float | np.ndarray:
    r"""Log moment generating function of the cosine law on ``[-1, 1]`` in dimension ``d``.

    ``s`` is the cosine between two independent uniform directions of R^d, density
    ``(1 - s^2)^{(d-3)/2} / B(1/2, (d-1)/2)``; its MGF is

    .. math:: g(\alpha) = E[e^{\alpha s}] = \Gamma(d/2)\,(2/\alpha)^{d/2-1} I_{d/2-1}(\alpha)
       = {}_0F_1(;\,d/2;\,\alpha^2/4).

    Returns ``log g(alpha)``, computed from the exponentially scaled Bessel function
    :func:`scipy.special.ive` (no overflow for large ``alpha``) and from
    :func:`scipy.special.hyp0f1` where the Bessel function underflows (small
    ``alpha``). ``g`` is even, so any real ``alpha`` is accepted.

    First used in chapter 9812.
    """
    d = _check_d(d)
    if isinstance(alpha, bool | np.bool_):
        raise TypeError("alpha must be real, got a bool")
    a = np.asarray(alpha)
    if a.dtype.kind not in "iuf":
        raise TypeError(f"alpha must be real, got dtype {a.dtype}")
    a = np.abs(a.astype(np.float64))
    if not np.all(np.isfinite(a)):
        raise ValueError("alpha must be finite (no nan/inf)")
    return _out(_cos_logmgf(a, d), a.ndim == 0)


def _cos_logmgf(a: np.ndarray, d: int) -> np.ndarray:
    nu, b = d / 2 - 1, d / 2
    a = np.asarray(a, dtype=np.float64)
    out = np.empty_like(a)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        iv = special.ive(nu, a)
        bessel = (iv > 1e-280) & (a > 1.0)
        safe = np.where(bessel, a, 1.0)
        out_b = special.gammaln(b) + nu * np.log(2.0 / safe) + np.log(np.where(bessel, iv, 1.0)) + safe
        out_s = np.log(special.hyp0f1(b, np.where(bessel, 0.0, a) ** 2 / 4))
    out[...] = np.where(bessel, out_b, out_s)
    return out


def _cos_dlogmgf(a: np.ndarray, d: int) -> np.ndarray:
    """``d/d alpha log g(alpha) = I_{d/2}(alpha) / I_{d/2-1}(alpha)`` (the tilted mean of s)."""
    nu, b = d / 2 - 1, d / 2
    a = np.asarray(a, dtype=np.float64)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        i0, i1 = special.ive(nu, a), special.ive(nu + 1, a)
        bessel = (i0 > 1e-280) & (i1 > 1e-280) & (a > 1.0)
        ratio_b = np.where(bessel, i1, 0.0) / np.where(bessel, i0, 1.0)
        z = np.where(bessel, 0.0, a) ** 2 / 4
        ratio_s = a / (2 * b) * special.hyp0f1(b + 1, z) / special.hyp0f1(b, z)
    return np.where(bessel, ratio_b, ratio_s)


def _log_ratio(a: np.ndarray, model: str, d: int | None) -> np.ndarray:
    """``log( E[e^{2 a s}] / E[e^{a s}]^2 )`` for the model."""
    if model == "normal":
        return a**2
    return _cos_logmgf(2 * a, d) - 2 * _cos_logmgf(a, d)


def surrogate_objective(
    alpha: ArrayLike, n: int | ArrayLike, *, model: Model, d: int | None = None
) -> float | np.ndarray:
    r"""The article's mean-field surrogate of ``alpha (1 - sum_i p_i^2)``.

    .. math:: F(\alpha) = \alpha\Bigl(1 - \frac{E[e^{2\alpha s}]}{n\,E[e^{\alpha s}]^2}\Bigr),

    which is ``alpha (1 - e^{alpha^2}/n)`` for ``model="normal"`` (``s ~ N(0,1)``)
    and uses :func:`cosine_log_mgf` for ``model="cosine"`` (needs ``d``).
    ``alpha`` (``>= 0``) and ``n`` (integers ``>= 2``) broadcast; the surrogate
    tends to ``-inf`` for large ``alpha`` (returned as ``-inf`` on overflow).

    First used in chapter 9812.
    """
    model, d = _check_model(model, d)
    a, a_scalar = _check_alpha_array(alpha)
    nn, n_scalar = _check_n(n)
    with np.errstate(over="ignore"):
        val = a * (1.0 - np.exp(_log_ratio(a, model, d) - np.log(nn.astype(np.float64))))
    val = np.where(a == 0, 0.0, val)
    return _out(val, a_scalar and n_scalar)


def optimal_alpha_normal(n: int | ArrayLike) -> float | np.ndarray:
    r"""Maximiser of the normal surrogate ``alpha (1 - e^{alpha^2}/n)``, in closed form.

    Stationarity gives ``(1 + 2 alpha^2) e^{alpha^2} = n``, solved by the principal
    branch of the Lambert W function:

    .. math:: \alpha^{*2} = W\!\bigl(n\sqrt{e}/2\bigr) - \tfrac12 .

    ``n`` is an int ``>= 2`` or an array of them; returns a float or an array of
    the same shape. First used in chapter 9812.
    """
    nn, scalar = _check_n(n)
    # the principal branch is real (and > 1/2) for arguments >= sqrt(e); scipy returns it as a complex dtype
    w = special.lambertw(nn.astype(np.float64) * math.sqrt(math.e) / 2).real
    return _out(np.sqrt(w - 0.5), scalar)


def optimal_alpha_cosine(n: int | ArrayLike, d: int, *, max_alpha: float = 1e12) -> float | np.ndarray:
    r"""Maximiser of the cosine-law surrogate ``alpha (1 - g(2 alpha) / (n g(alpha)^2))``.

    ``g`` is the cosine-law MGF (:func:`cosine_log_mgf`). With ``R = g(2a)/g(a)^2``
    and ``L = log R``, the stationarity condition ``F'(a) = 0`` reads

    .. math:: \log n = L(a) + \log\bigl(1 + a L'(a)\bigr),\qquad
       L'(a) = 2\,\frac{I_{d/2}(2a)}{I_{d/2-1}(2a)} - 2\,\frac{I_{d/2}(a)}{I_{d/2-1}(a)} .

    The right-hand side is 0 at ``a = 0`` and grows without bound, so the root is
    bracketed by doubling and then found with :func:`scipy.optimize.brentq` to
    ~1e-13 relative accuracy. The answer is never a search bound: if no sign change
    is found below ``max_alpha`` a ``ValueError`` is raised.

    ``n`` is an int ``>= 2`` or an array of them, ``d`` an int ``>= 2``.
    First used in chapter 9812.
    """
    nn, scalar = _check_n(n)
    d = _check_d(d)
    max_alpha = _check_alpha_number(max_alpha, "max_alpha")
    flat = nn.reshape(-1)
    out = np.empty(flat.shape, dtype=np.float64)
    cache: dict[int, float] = {}
    for i, ni in enumerate(flat.tolist()):
        if ni not in cache:
            cache[ni] = _argmax_cosine(ni, d, max_alpha)
        out[i] = cache[ni]
    return _out(out.reshape(nn.shape), scalar)


def _stationarity_cosine(a: float, log_n: float, d: int) -> float:
    arr = np.asarray(a, dtype=np.float64)
    lr = _cos_logmgf(2 * arr, d) - 2 * _cos_logmgf(arr, d)
    dlr = 2 * _cos_dlogmgf(2 * arr, d) - 2 * _cos_dlogmgf(arr, d)
    return float(log_n - lr - np.log1p(arr * dlr))


def _argmax_cosine(n: int, d: int, max_alpha: float) -> float:
    log_n = math.log(n)
    lo, hi = 0.0, 1.0
    while _stationarity_cosine(hi, log_n, d) > 0:
        lo, hi = hi, 2 * hi
        if hi > max_alpha:
            raise ValueError(
                f"no maximiser of the cosine surrogate found below max_alpha={max_alpha:g} (n={n}, d={d}); "
                "raise max_alpha rather than accept a search bound"
            )
    return float(optimize.brentq(_stationarity_cosine, lo, hi, args=(log_n, d), xtol=1e-14, rtol=1e-14, maxiter=500))


# --------------------------------------------------------------------------- the exact expected objective


def sample_logits(
    n: int, *, model: Model, d: int | None = None, draws: int = 1, generator: np.random.Generator | None = None
) -> np.ndarray:
    r"""Draw ``draws`` independent logit vectors of length ``n`` (float64, shape ``(draws, n)``).

    ``model="normal"``: ``s_i ~ N(0, 1)``. ``model="cosine"``: ``s_i`` is the cosine
    between a fixed direction and a uniform random direction of R^d, drawn as
    ``2 B - 1`` with ``B ~ Beta((d-1)/2, (d-1)/2)`` (the law with density
    proportional to ``(1 - s^2)^{(d-3)/2}``). ``generator`` is a
    ``numpy.random.Generator``; ``None`` means ``numpy.random.default_rng(0)``.

    First used in chapter 9812.
    """
    (nn, _scalar) = _check_n(n)
    if nn.ndim != 0:
        raise TypeError("n must be a single int here, not an array")
    model, d = _check_model(model, d)
    draws = check_int(draws, "draws", 1)
    rng = _check_generator(generator)
    size = (draws, int(nn))
    if model == "normal":
        return rng.standard_normal(size)
    h = (d - 1) / 2
    return 2.0 * rng.beta(h, h, size) - 1.0


def l1_grad_objective_grid(alpha: ArrayLike, s: np.ndarray | torch.Tensor) -> np.ndarray:
    r"""``alpha_a (1 - sum_i p_i^2)`` for every ``alpha_a`` on a grid and every row of ``s``.

    ``alpha`` is a 1-D array of values ``>= 0`` and ``s`` a float array of shape
    ``(draws, n)``; returns a float64 array of shape ``(len(alpha), draws)``, the
    per-sample objective of :func:`l1_grad_objective`. The work is cut into blocks of
    about 65k numbers, which keeps it in the CPU cache (several times faster than one
    big tensor).

    First used in chapter 9812.
    """
    a, _scalar = _check_alpha_array(alpha)
    if a.ndim != 1 or a.size == 0:
        raise ValueError(f"alpha must be a non-empty 1-D array, got shape {a.shape}")
    if isinstance(s, np.ndarray):
        if s.dtype.kind != "f":
            raise TypeError(f"s must be a float array, got dtype {s.dtype}")
        s = torch.from_numpy(np.ascontiguousarray(s, dtype=np.float64))
    s = _check_float_tensor(s, "s").to(torch.float64)
    if s.ndim != 2 or s.shape[1] == 0:
        raise ValueError(f"s must have shape (draws, n) with n >= 1, got {tuple(s.shape)}")
    draws, n = s.shape
    target = 1 << 16
    a_block = max(1, min(a.size, target // n))
    d_block = max(1, target // (n * a_block))
    out = np.empty((a.size, draws), dtype=np.float64)
    at = torch.from_numpy(a).reshape(-1, 1, 1)
    for i in range(0, a.size, a_block):
        for j in range(0, draws, d_block):
            out[i : i + a_block, j : j + d_block] = l1_grad_objective(s[j : j + d_block], at[i : i + a_block]).numpy()
    return out


def mc_grad_objective(
    alpha: ArrayLike,
    n: int,
    *,
    model: Model,
    d: int | None = None,
    draws: int = 1000,
    generator: np.random.Generator | None = None,
) -> tuple[float, float] | tuple[np.ndarray, np.ndarray]:
    r"""Monte Carlo estimate of the exact expected objective ``E_s[alpha (1 - sum_i p_i^2)]``.

    ``s`` has ``n`` i.i.d. entries from the model (see :func:`sample_logits`);
    this is the quantity the article's surrogate (:func:`surrogate_objective`)
    approximates. Returns ``(mean, stderr)`` over ``draws`` draws; ``stderr`` is the
    sample standard deviation over ``sqrt(draws)``. ``alpha`` may be a number or an
    array: every ``alpha`` is evaluated on the *same* draws (common random numbers),
    so the curve ``alpha -> mean`` is smooth and differences between ``alpha`` values
    are far more precise than ``stderr`` suggests. Arrays come back with the shape
    of ``alpha``.

    ``generator`` is a ``numpy.random.Generator`` (``None``: seeded with 0, so the
    call is reproducible). First used in chapter 9812.
    """
    a, a_scalar = _check_alpha_array(alpha)
    draws = check_int(draws, "draws", 2)
    s = sample_logits(n, model=model, d=d, draws=draws, generator=generator)
    v = l1_grad_objective_grid(a.reshape(-1), s)  # (A, draws)
    mean = v.mean(axis=1).reshape(a.shape)
    stderr = (v.std(axis=1, ddof=1) / math.sqrt(draws)).reshape(a.shape)
    if a_scalar:
        return float(mean), float(stderr)
    return mean, stderr


def exact_grad_objective(alpha: ArrayLike, n: int, *, model: Model, d: int | None = None) -> float | np.ndarray:
    r"""The exact expected objective ``E_s[alpha (1 - sum_i p_i^2)]``, by deterministic quadrature.

    Uses the *gap representation* derived in chapter 9812: for any fixed logits,
    ``alpha (1 - sum_i p_i^2)`` equals the density at 0 of the gap between the two
    largest of ``V_i = s_i + g_i / alpha`` with ``g_i`` i.i.d. standard Gumbel. For
    i.i.d. logits with CDF ``F_s`` this gives

    .. math:: E_s\Bigl[\alpha\Bigl(1-\sum_i p_i^2\Bigr)\Bigr]
       = n(n-1)\int f_V(u)^2 F_V(u)^{n-2}\,du,\qquad
       F_V = F_s * k_\alpha,\ f_V = F_s * k_\alpha',

    with ``k_alpha(t) = alpha w(alpha t)``, ``w(g) = exp(-g - e^{-g})`` the Gumbel
    density. Both convolutions are done by FFT on a uniform grid fine enough to
    resolve ``1/alpha`` and the spread of ``s``; relative accuracy is about 1e-7.
    As ``alpha -> inf`` the value tends to ``n(n-1) int f_s^2 F_s^{n-2}``, the density
    of the top-two gap of ``s`` at 0, not to 0.

    ``alpha`` is a number or array (``>= 0``; the grid must stay below 2**22
    points, which allows roughly ``1e-3 <= alpha <= 5e3`` for the normal model),
    ``n`` one int ``>= 2``. First used in chapter 9812.
    """
    model, d = _check_model(model, d)
    a, a_scalar = _check_alpha_array(alpha)
    (nn, _s) = _check_n(n)
    if nn.ndim != 0:
        raise TypeError("n must be a single int here, not an array")
    flat = a.reshape(-1)
    out = np.array([_exact_one(float(x), int(nn), model, d) for x in flat]).reshape(a.shape)
    return _out(out, a_scalar)


def _law(model: str, d: int | None):
    """(CDF of s, support lo, support hi, length scale of s)."""
    if model == "normal":
        return special.ndtr, -10.0, 10.0, 1.0
    h = (d - 1) / 2

    def cdf(x):
        return special.betainc(h, h, np.clip((1.0 + x) / 2.0, 0.0, 1.0))

    return cdf, -1.0, 1.0, 1.0 / math.sqrt(d)


def _exact_one(alpha: float, n: int, model: str, d: int | None) -> float:
    if alpha == 0.0:
        return 0.0
    cdf, lo, hi, scale = _law(model, d)
    h = min(scale, 1.0 / alpha) / 24.0
    t_lo, t_hi = -4.0 / alpha, 40.0 / alpha  # Gumbel g in [-4, 40]: tails below 1e-17
    n_t = int(math.ceil((t_hi - t_lo) / h)) + 1
    n_y = int(math.ceil((hi - lo + 2 * (t_hi - t_lo)) / h)) + 1
    if n_t + n_y > _MAX_GRID:
        raise ValueError(
            f"alpha={alpha:g} needs a quadrature grid of {n_t + n_y} points (> {_MAX_GRID}); "
            "for alpha -> inf use the limit n(n-1) int f_s^2 F_s^(n-2)"
        )
    t = t_lo + h * np.arange(n_t)
    g = alpha * t
    w = np.exp(-g - np.exp(-g))
    k = alpha * w * h
    k_prime = alpha**2 * w * (np.exp(-g) - 1.0) * h
    k /= k.sum()  # exact normalisation of the discrete kernel
    k_prime -= k_prime.mean()  # a derivative kernel integrates to 0
    y0 = lo - (t_hi - t_lo)
    y = y0 + h * np.arange(n_y)
    F = cdf(y)
    F_v = signal.fftconvolve(F, k, mode="full")
    f_v = signal.fftconvolve(F, k_prime, mode="full")
    # index m of the full convolution sits at u = y0 + t_lo + m h; keep u where F_s was fully sampled
    m = np.arange(F_v.size)
    u = y0 + t_lo + h * m
    keep = (m >= n_t - 1) & (m <= n_y - 1)
    F_v = np.clip(F_v[keep], 0.0, 1.0)
    f_v = np.clip(f_v[keep], 0.0, None)
    u = u[keep]
    if n == 2:
        power = np.ones_like(F_v)
    else:
        with np.errstate(divide="ignore"):
            power = np.exp((n - 2) * np.log(F_v))  # F_v = 0 gives exp(-inf) = 0
    integrand = f_v**2 * power
    return float(n * (n - 1) * np.trapezoid(integrand, u))
