"""Stochastic segmentation of a Unigram model: legacy Viterbi sampling, perfect sampling, FFBS.

Target distribution over the segmentations :math:`\\Omega` of a text, for :math:`\\alpha\\ge0`:

.. math:: P_\\alpha(\\boldsymbol w)=\\frac{e^{\\alpha s(\\boldsymbol w)}}{Z},\\qquad
          Z=\\sum_{\\boldsymbol w\\in\\Omega}e^{\\alpha s(\\boldsymbol w)} .

Samplers (``method=``):

``"perfect"`` (chapter 9811)
    One Viterbi-like pass. At each end :math:`e` a running :math:`\\log Z(e)` is accumulated over the
    candidates :math:`k` with weight :math:`Z(k)e^{\\alpha s(c_{k+1..e})}`; the newcomer replaces the held
    back-pointer with probability (its weight)/(cumulative weight) -- the weighted reservoir rule. Exact.
``"ffbs"``
    Forward filtering, backward sampling: the forward pass computes :math:`\\log Z(e)` for every prefix,
    then the back-pointers are drawn only along the path, from :math:`l` back to 0, with
    :math:`\\Pr[k\\mid e]=Z(k)e^{\\alpha s(c_{k+1..e})}/Z(e)`. Exact (SentencePiece's sampler).
``"legacy"`` (chapter 9768, bytepiece 0.4.x)
    Inside the Viterbi loop, the held path at :math:`e` (score :math:`s_{\\rm old}`) is replaced by a newcomer
    (score :math:`s_{\\rm new}`, a whole path) with probability :math:`\\sigma(\\alpha(s_{\\rm new}-s_{\\rm old}))`;
    the first candidate is always accepted. *Not* exact: see :func:`legacy_exact_distribution`.
``"half"`` (bytepiece commit 4e92759, a negative control)
    The reservoir rule of ``"perfect"`` but with the newcomer weighted by the *held sampled path's* score at
    its start instead of the prefix partition function :math:`Z(k)`. Not exact either.

Candidate order. ``perfect`` visits starts in ascending order and the pieces from each start by increasing
length, so at a fixed end the candidates arrive longest-last-piece first; one uniform is drawn per candidate
that is not the first at its end, in that visiting order. ``legacy``/``half`` visit ends in ascending order
and, at each end, the candidates in ``order`` (``"longest_first"`` = ascending start, as bytepiece's
Aho-Corasick scan; or ``"shortest_first"``); their output distribution depends on this order, that of
``perfect`` and ``ffbs`` does not.

Arithmetic is float64. ``perfect`` accumulates the weights :math:`Z(e)` *linearly*, each piece weighted by
:math:`e^{\\alpha s(w)}2^{-|w|}` (the factor :math:`2^{-l}` is common to every segmentation, so the law is unchanged,
and it keeps :math:`Z(e)` from growing: at most :math:`m` candidates of total factor :math:`<1`); the pending
window is rescaled by exact powers of two when :math:`Z` gets small, and a text on which this could lose
precision (an extreme :math:`\\alpha`) is redone in log space, as ``ffbs`` and the others always run. Randomness
comes only from the :class:`numpy.random.Generator` passed as ``rng``, drawn in chunks of :math:`u\\in[0,1)`; a
newcomer of weight :math:`w` at cumulative weight :math:`W` is accepted iff :math:`uW<w` (``perfect``) or
``u < p`` (the others): probability exactly :math:`w/W` or ``p``. The first candidate at each end, whose
acceptance probability is 1, is taken without a draw. Never backtracks through an unset back-pointer.

First used in chapter 9768 (legacy) and 9811 (perfect).
"""

from __future__ import annotations

import heapq
import itertools
import math
import numbers
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from scipy import stats

from .unigram import (
    NEG_INF,
    UnigramModel,
    _check_model,
    _forward_logz,
    _unsegmentable,
    as_bytes,
    check_alpha,
    enumerate_segmentations,
    find_matches,
)

__all__ = [
    "METHODS",
    "chisquare_against",
    "duel_chain_probs",
    "format_segmentation",
    "legacy_exact_distribution",
    "nbest",
    "reservoir_select_probs",
    "sample_many",
    "sample_segmentation",
    "sampling_entropy",
    "segmentation_distribution",
    "segmentation_logprob",
    "subword_regularization_sample",
    "total_variation",
]

METHODS = ("perfect", "ffbs", "legacy", "half")
ORDERS = ("longest_first", "shortest_first")
_CHUNK = 4096
POS_INF = math.inf


def _check_rng(rng: object) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng must be a numpy.random.Generator (or an int seed), got {type(rng).__name__}")


def _log_uniforms(rng: np.random.Generator, first: int):
    """Endless stream of log(v) with v = 1 - u ~ U(0, 1], drawn in chunks; ``v < p`` has probability ``p``.

    The first chunk has ``first`` values (about the number of draws a short text needs); the chunk size then
    doubles up to ``_CHUNK``. ``log1p(-u)`` never sees ``log(0)``.
    """
    size = max(1, min(first, _CHUNK))
    while True:
        yield from np.log1p(-rng.random(size)).tolist()
        size = min(2 * size, _CHUNK)


def _uniforms(rng: np.random.Generator, first: int):
    """Endless stream of u ~ U[0,1), drawn in chunks like :func:`_log_uniforms`."""
    size = max(1, min(first, _CHUNK))
    while True:
        yield from rng.random(size).tolist()
        size = min(2 * size, _CHUNK)


def _sigmoid(x: float) -> float:
    """Numerically stable logistic function."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    t = math.exp(x)
    return t / (1.0 + t)


def _backtrack(text: bytes, back: Sequence[int]) -> list[bytes]:
    pieces = []
    e = len(text)
    while e > 0:
        s = back[e]
        if s < 0:  # cannot happen for a reachable end; guard against a silent partial path
            raise RuntimeError(f"internal error: unset back-pointer at offset {e}")
        pieces.append(text[s:e])
        e = s
    pieces.reverse()
    return pieces


_RESCALE_BELOW = 2.0**-600  # Z(start) below this: rescale the pending window by a power of two
_PRECISE = 2.0**-960  # a nonzero weight below this may have lost bits to underflow: redo in log space
_META = 256  # key of a weighted-trie node's (trie node, depth, alpha); text codes are 0..255 or _END
_END = -1  # appended to the codes of the text: never a trie key, so every walk stops without a bounds test
_MAX_ALPHAS = 8  # weighted tries kept per model


def _weighted_trie(model: UnigramModel, alpha: float) -> dict:
    """Root of the lazily filled weighted copy of ``model``'s trie for ``alpha`` (cached on the model).

    A node maps a byte to ``(child, w)`` with :math:`w=e^{\\alpha s(c_{1..d})}2^{-d}` at depth :math:`d` (``None``
    for a prefix that is not a piece), or to ``None`` where the trie has no such child; entries are made on first
    use by :func:`_grow`, so only the part of the vocabulary that the texts reach is ever built.
    """
    tries = model._wtries
    if tries is None:
        tries = model._wtries = {}
    root = tries.get(alpha)
    if root is None:
        if len(tries) >= _MAX_ALPHAS:
            del tries[next(iter(tries))]
        root = tries[alpha] = {_META: (model._trie, 0, alpha)}
    return root


def _grow(node: dict, b: int):
    """Fill and return the entry of weighted-trie ``node`` for byte code ``b`` (see :func:`_weighted_trie`)."""
    trie_node, depth, alpha = node[_META]
    entry = trie_node.get(b)
    if entry is not None:
        child, lp = entry
        depth += 1
        w = None if lp is None else math.ldexp(math.exp(alpha * lp), -depth)
        entry = ({_META: (child, depth, alpha)}, w)
    node[b] = entry
    return entry


def _rescale(z: list[float], s: int, m: int) -> float | None:
    """Multiply the pending weights ``z[s..s+m]`` by the power of two that brings ``z[s]`` into [1/2, 1).

    Exact (no rounding). Returns the new ``z[s]``, or ``None`` (redo in log space) if a weight in the window is
    nonzero but below ``_PRECISE`` (it may have lost bits to underflow) or would overflow.
    """
    f = 2.0 ** -math.frexp(z[s])[1]
    for j in range(s, min(len(z), s + m + 1)):
        v = z[j]
        if v:
            if v < _PRECISE:
                return None
            v *= f
            if v == POS_INF:
                return None
            z[j] = v
    return z[s]


def _sample_perfect(text: bytes, model: UnigramModel, alpha: float, rng: np.random.Generator) -> list[bytes]:
    """The perfect sampler (validated inputs, non-empty text).

    One push-style pass: ``z[e]`` accumulates the weights :math:`Z(k)e^{\\alpha s(c_{k+1..e})}2^{-(e-k)}` of the
    candidates arriving at ``e``; the first is taken, a later one of weight ``c`` replaces the back-pointer iff
    ``u * z[e] < c`` (``z[e]`` including ``c``), one uniform ``u`` per such candidate. The factor
    :math:`2^{-(e-k)}` multiplies every segmentation by :math:`2^{-l}`, so :math:`Z(e)2^{e}` is the partition
    function and the law is :math:`e^{\\alpha s}/Z`; it also keeps every ``z`` below the largest pending one.
    Small ``z`` are rescaled exactly by :func:`_rescale`. If a weight underflows (or could have lost
    precision), the text is sampled again by :func:`_sample_perfect_log`; that decision depends on the text,
    the model and alpha only, never on the draws, so the law is unchanged.
    """
    n = len(text)
    root = _weighted_trie(model, alpha)
    codes = [*text, _END]
    z = [0.0] * (n + 1)
    z[0] = 1.0
    back = [-1] * (n + 1)
    low = _RESCALE_BELOW
    us = rng.random(min(n + 16, _CHUNK)).tolist()  # about one uniform per byte; refilled when used up
    pop = us.pop
    for s in range(n):
        zs = z[s]
        if zs < low:
            if not zs:
                if back[s] < 0:  # unreachable
                    continue
                return _sample_perfect_log(text, model, alpha, rng)  # reached, but its weight underflowed to 0
            zs = _rescale(z, s, model._max_len) if zs >= _PRECISE else None
            if zs is None:
                return _sample_perfect_log(text, model, alpha, rng)
        z[s] = 0.0  # no longer needed: frees the float, keeping the working set small on long texts
        node = root
        e = s
        while True:
            try:
                entry = node[codes[e]]
            except KeyError:
                entry = _grow(node, codes[e])
            if entry is None:
                break
            node, w = entry
            e += 1
            if w is None:
                continue
            c = zs * w  # this candidate's weight
            old = z[e]
            if old:
                a = old + c
                z[e] = a
                try:
                    u = pop()
                except IndexError:
                    us.extend(rng.random(min(n // 2 + 16, _CHUNK)).tolist())
                    u = pop()
                if u * a < c:  # probability c / a: the weighted reservoir rule
                    back[e] = s
            else:  # first candidate at e: acceptance probability exactly 1
                z[e] = c
                back[e] = s
    zn = z[n]
    if zn < _PRECISE:
        if zn or back[n] >= 0:
            return _sample_perfect_log(text, model, alpha, rng)
        raise _unsegmentable(text, [0.0 if e == 0 or k >= 0 else NEG_INF for e, k in enumerate(back)])
    return _backtrack(text, back)


def _sample_perfect_log(text: bytes, model: UnigramModel, alpha: float, rng: np.random.Generator) -> list[bytes]:
    """The perfect sampler in log space: slower, but safe for any alpha (the fallback of :func:`_sample_perfect`)."""
    n = len(text)
    z = [NEG_INF] * (n + 1)
    z[0] = 0.0
    back = [-1] * (n + 1)
    root = model._trie
    log1p, exp = math.log1p, math.exp
    next_logu = itertools.chain.from_iterable([_log_uniforms(rng, n // 2 + 16)]).__next__
    for s in range(n):
        zs = z[s]
        if zs == NEG_INF:
            continue
        node = root
        e = s
        while e < n:
            entry = node.get(text[e])
            if entry is None:
                break
            node, lp = entry
            e += 1
            if lp is None:
                continue
            c = zs + alpha * lp  # log of this candidate's weight Z(s) * exp(alpha * s(piece))
            old = z[e]
            d = c - old
            if d == POS_INF:  # first candidate at e: acceptance probability exactly 1
                z[e] = c
                back[e] = s
                continue
            new = c + log1p(exp(-d)) if d > 0 else old + log1p(exp(d))  # logsumexp(old, c)
            z[e] = new
            if next_logu() < c - new:  # v < w / W, the weighted reservoir rule
                back[e] = s
    if z[n] == NEG_INF:
        raise _unsegmentable(text, z)
    return _backtrack(text, back)


def _sample_ffbs(text: bytes, model: UnigramModel, alpha: float, rng: np.random.Generator) -> list[bytes]:
    z = _forward_logz(text, model, alpha)
    n = len(text)
    if z[n] == NEG_INF:
        raise _unsegmentable(text, z)
    rtrie = model._reversed_trie()
    exp = math.exp
    pieces = []
    e = n
    while e > 0:
        ze = z[e]
        u = rng.random()
        acc = 0.0
        chosen = -1
        node = rtrie
        s = e
        while s > 0:  # candidates k < e with text[k:e] a piece, shortest last piece first
            entry = node.get(text[s - 1])
            if entry is None:
                break
            node, lp = entry
            s -= 1
            if lp is None or z[s] == NEG_INF:
                continue
            chosen = s
            acc += exp(z[s] + alpha * lp - ze)  # Pr[k | e] = Z(k) exp(alpha s(piece)) / Z(e)
            if u < acc:
                break
        # if rounding leaves acc just below 1 and u above it, the last valid candidate is kept
        pieces.append(text[chosen:e])
        e = chosen
    pieces.reverse()
    return pieces


def _candidates_by_end(text: bytes, model: UnigramModel, order: str) -> list[list[tuple[int, float]]]:
    by_end: list[list[tuple[int, float]]] = [[] for _ in range(len(text) + 1)]
    for s, e, lp in find_matches(text, model):
        by_end[e].append((s, lp))
    if order == "shortest_first":
        for lst in by_end:
            lst.reverse()
    return by_end


def _sample_held(
    text: bytes, model: UnigramModel, alpha: float, rng: np.random.Generator, order: str, rule: str
) -> list[bytes]:
    """Legacy duels (rule='legacy') or reservoir on held-path scores (rule='half')."""
    n = len(text)
    held = [NEG_INF] * (n + 1)  # score of the held (sampled) path ending at e
    held[0] = 0.0
    wsum = [NEG_INF] * (n + 1)  # 'half' only: log of the cumulative weight at e
    back = [-1] * (n + 1)
    by_end = _candidates_by_end(text, model, order)
    next_u = itertools.chain.from_iterable([_uniforms(rng, n // 2 + 16)]).__next__
    for e in range(1, n + 1):
        first = True
        for s, lp in by_end[e]:
            hs = held[s]
            if hs == NEG_INF:
                continue
            v = hs + lp
            if first:
                held[e], back[e], first = v, s, False
                wsum[e] = alpha * v
                continue
            if rule == "legacy":
                p = _sigmoid(alpha * (v - held[e]))  # sigma(alpha (s_new - s_old))
            else:
                c = alpha * v
                wsum[e] = w = max(c, wsum[e]) + math.log1p(math.exp(-abs(c - wsum[e])))
                p = math.exp(c - w)
            if next_u() < p:
                held[e], back[e] = v, s
    if held[n] == NEG_INF:
        raise _unsegmentable(text, held)
    return _backtrack(text, back)


def _check_method(method: object, order: object) -> None:
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}, got {order!r}")


def sample_segmentation(
    text: bytes,
    model: UnigramModel,
    alpha: float,
    *,
    rng: np.random.Generator,
    method: str = "perfect",
    order: str = "longest_first",
) -> list[bytes]:
    """Draw one segmentation of ``text``.

    ``perfect`` and ``ffbs`` draw :math:`\\boldsymbol w` with probability exactly
    :math:`e^{\\alpha s(\\boldsymbol w)}/Z`; ``legacy`` is the 9768 sampler (duels
    :math:`\\sigma(\\alpha(s_{\\rm new}-s_{\\rm old}))`), ``half`` the intermediate bytepiece fix; both are biased.
    ``order`` (candidate order at each end) affects ``legacy``/``half`` only. :math:`\\alpha=0` is uniform over
    :math:`\\Omega` for the exact methods. Raises :class:`ValueError` for invalid alpha, method, order or an
    unsegmentable text; :class:`TypeError` for non-bytes text or a non-Generator ``rng`` (an int seed is wrapped).

    First used in chapter 9768.
    """
    if (
        type(text) is bytes
        and type(model) is UnigramModel
        and type(alpha) is float
        and 0.0 <= alpha < POS_INF
        and method == "perfect"
        and order == "longest_first"
        and type(rng) is np.random.Generator
    ):  # the common call: nothing to convert and every check below would pass
        return _sample_perfect(text, model, alpha, rng) if text else []
    text = as_bytes(text)
    model = _check_model(model)
    alpha = check_alpha(alpha)
    _check_method(method, order)
    rng = _check_rng(rng)
    if not text:
        return []
    if method == "perfect":
        return _sample_perfect(text, model, alpha, rng)
    if method == "ffbs":
        return _sample_ffbs(text, model, alpha, rng)
    return _sample_held(text, model, alpha, rng, order, method)


def sample_many(
    text: bytes,
    model: UnigramModel,
    alpha: float,
    n: int,
    *,
    rng: np.random.Generator,
    method: str = "perfect",
    order: str = "longest_first",
) -> Counter:
    """Counter of ``n`` independent draws of :func:`sample_segmentation` (keys: tuples of pieces).

    First used in chapter 9811.
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
    text = as_bytes(text)
    model = _check_model(model)
    alpha = check_alpha(alpha)
    _check_method(method, order)
    rng = _check_rng(rng)
    out: Counter = Counter()
    for _ in range(int(n)):
        out[tuple(sample_segmentation(text, model, alpha, rng=rng, method=method, order=order))] += 1
    return out


def segmentation_logprob(
    pieces: Sequence[bytes], model: UnigramModel, alpha: float, *, text: bytes | None = None
) -> float:
    """:math:`\\log P_\\alpha(\\boldsymbol w)=\\alpha s(\\boldsymbol w)-\\log Z(\\text{text})` under the exact target.

    ``text`` defaults to the concatenation of ``pieces``; every piece must be in the model.

    First used in chapter 9811.
    """
    from .unigram import log_partition, segmentation_score

    alpha = check_alpha(alpha)
    if isinstance(pieces, (str, bytes, bytearray)):
        raise TypeError("pieces must be a sequence of bytes pieces, not a single string")
    pieces = [as_bytes(p, "piece") for p in pieces]
    text = b"".join(pieces) if text is None else as_bytes(text)
    score = segmentation_score(pieces, model, text=text)
    return alpha * score - log_partition(text, model, alpha)


def segmentation_distribution(
    text: bytes, model: UnigramModel, alpha: float, *, limit: int = 100_000
) -> dict[tuple[bytes, ...], float]:
    """The exact target :math:`P_\\alpha(\\boldsymbol w)=e^{\\alpha s(\\boldsymbol w)}/Z` for every segmentation.

    By enumeration (:func:`enumerate_segmentations`, which raises :class:`ValueError` above ``limit``
    segmentations); :math:`Z` from the log-space DP, so the probabilities sum to one up to rounding.

    First used in chapter 9768.
    """
    text = as_bytes(text)
    model = _check_model(model)
    alpha = check_alpha(alpha)
    segs = enumerate_segmentations(text, model, limit=limit)
    table = model._logp
    scores = [sum(table[p] for p in seg) for seg in segs]
    log_z = _forward_logz(text, model, alpha)[-1]
    return {seg: math.exp(alpha * sc - log_z) for seg, sc in zip(segs, scores)}


def duel_chain_probs(weights: Sequence[Any]) -> list[Any]:
    """Who holds the slot after a chain of pairwise duels (the legacy rule at one end position).

    Candidates with weights :math:`x_1..x_n>0` arrive in order; the newcomer :math:`k` beats the holder
    :math:`i` with probability :math:`x_k/(x_k+x_i)`. Returns :math:`h_n(i)` from
    :math:`h_k(k)=\\sum_{i<k}h_{k-1}(i)\\frac{x_k}{x_k+x_i}`, :math:`h_k(i)=h_{k-1}(i)\\frac{x_i}{x_k+x_i}`,
    :math:`h_1(1)=1`. Works with floats, :class:`fractions.Fraction` or sympy expressions (same type out).

    First used in chapter 9768.
    """
    weights = list(weights)
    if not weights:
        raise ValueError("weights must be non-empty")
    one = weights[0] / weights[0]
    h = [one]
    for k in range(1, len(weights)):
        xk = weights[k]
        win = sum((h[i] * xk / (xk + weights[i]) for i in range(k)), 0 * one)
        h = [h[i] * weights[i] / (xk + weights[i]) for i in range(k)] + [win]
    return h


def reservoir_select_probs(weights: Sequence[Any]) -> list[Any]:
    """Probability that each candidate is finally held under the weighted reservoir rule.

    The :math:`i`-th candidate is accepted with probability :math:`w_i/W_i`, :math:`W_i=\\sum_{j\\le i}w_j`,
    so :math:`\\Pr[i]=\\frac{w_i}{W_i}\\prod_{j>i}(1-\\frac{w_j}{W_j})` (which telescopes to :math:`w_i/W_n`).
    Computed from the product, not the closed form, so that the identity can be checked. Floats,
    Fractions or sympy expressions.

    First used in chapter 9811.
    """
    weights = list(weights)
    if not weights:
        raise ValueError("weights must be non-empty")
    cum = []
    acc = 0 * weights[0]
    for w in weights:
        acc = acc + w
        cum.append(acc)
    out = []
    for i, w in enumerate(weights):
        p = w / cum[i]
        for j in range(i + 1, len(weights)):
            p = p * (1 - weights[j] / cum[j])
        out.append(p)
    return out


def _exact_held_distribution(
    text: bytes, model: UnigramModel, alpha: float, order: str, rule: str, max_states: int
) -> dict[tuple[bytes, ...], float]:
    """Exact output law of a held-path sampler by a DP over windows of held paths.

    The state after end e is the tuple of held paths at ends e-m+1..e (m = max piece length); only these can
    be extended later, so states that agree on the window are merged.
    """
    n = len(text)
    m = model.max_len
    by_end = _candidates_by_end(text, model, order)
    table = model._logp
    # state after end e: held paths (tuple of pieces, or None if unreachable) at ends max(0, e-m+1)..e
    states: dict[tuple, float] = {((),): 1.0}
    for e in range(1, n + 1):
        new_states: dict[tuple, float] = {}
        for state, prob in states.items():
            base = e - len(state)  # the state covers ends base..e-1, every possible start of a piece ending at e
            cands = []
            for s, lp in by_end[e]:
                path = state[s - base]
                if path is None:
                    continue
                score = sum(table[p] for p in path)
                cands.append((path + (text[s:e],), score + lp))
            if not cands:
                outcomes = [(None, 1.0)]
            else:
                top = max(sc for _, sc in cands)
                w = [math.exp(alpha * (sc - top)) for _, sc in cands]
                probs = duel_chain_probs(w) if rule == "legacy" else reservoir_select_probs(w)
                outcomes = [(c[0], p) for c, p in zip(cands, probs) if p > 0]
            for path, p in outcomes:
                key = (state + (path,))[-m:]
                new_states[key] = new_states.get(key, 0.0) + prob * p
        states = new_states
        if len(states) > max_states:
            raise ValueError(f"more than max_states={max_states} distinct held-path states at offset {e}")
    out: dict[tuple[bytes, ...], float] = {}
    for state, prob in states.items():
        path = state[-1]
        if path is None:
            raise _unsegmentable(text, _forward_logz(text, model, 0.0))
        out[path] = out.get(path, 0.0) + prob
    return out


def legacy_exact_distribution(
    text: bytes,
    model: UnigramModel,
    alpha: float,
    *,
    order: str = "longest_first",
    rule: str = "legacy",
    max_states: int = 200_000,
) -> dict[tuple[bytes, ...], float]:
    """Exact output distribution of the legacy (9768) sampler, or of the ``"half"`` fix with ``rule="half"``.

    Not by sampling: a DP over the joint law of the held paths that later candidates can still extend, each
    end position resolved with :func:`duel_chain_probs` (legacy) or :func:`reservoir_select_probs` (half).
    Raises :class:`ValueError` above ``max_states`` distinct states (it is exponential in the worst case).

    First used in chapter 9768.
    """
    text = as_bytes(text)
    model = _check_model(model)
    alpha = check_alpha(alpha)
    if rule not in ("legacy", "half"):
        raise ValueError(f"rule must be 'legacy' or 'half', got {rule!r}")
    _check_method("legacy", order)
    if isinstance(max_states, bool) or not isinstance(max_states, numbers.Integral) or max_states < 1:
        raise ValueError(f"max_states must be a positive integer, got {max_states!r}")
    if not text:
        return {(): 1.0}
    return _exact_held_distribution(text, model, alpha, order, rule, int(max_states))


def nbest(text: bytes, model: UnigramModel, n: int) -> list[tuple[tuple[bytes, ...], float]]:
    """The ``n`` highest-scoring segmentations with their scores, best first (fewer if :math:`|\\Omega|<n`).

    k-best Viterbi: each prefix keeps its ``n`` best partial segmentations. Equal scores are ordered by the
    tuple of pieces, so the result is deterministic.

    First used in chapter 9768.
    """
    text = as_bytes(text)
    model = _check_model(model)
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    length = len(text)
    if length == 0:
        return [((), 0.0)]
    best: list[list[tuple[float, tuple[bytes, ...]]]] = [[] for _ in range(length + 1)]
    best[0] = [(0.0, ())]
    by_end = _candidates_by_end(text, model, "longest_first")
    for e in range(1, length + 1):
        cands = []
        for s, lp in by_end[e]:
            piece = text[s:e]
            cands.extend((sc + lp, path + (piece,)) for sc, path in best[s])
        best[e] = heapq.nsmallest(n, cands, key=lambda t: (-t[0], t[1]))
    if not best[length]:
        raise _unsegmentable(text, [0.0 if (i == 0 or best[i]) else NEG_INF for i in range(length + 1)])
    return [(path, sc) for sc, path in best[length]]


def subword_regularization_sample(
    text: bytes, model: UnigramModel, alpha: float, n: int, *, rng: np.random.Generator
) -> list[bytes]:
    """Kudo's subword regularisation: draw from the ``n`` best segmentations with probability :math:`\\propto e^{\\alpha s}`.

    With :math:`n\\ge|\\Omega|` this is the exact target of the perfect sampler.

    First used in chapter 9768.
    """
    alpha = check_alpha(alpha)
    rng = _check_rng(rng)
    cands = nbest(text, model, n)
    scores = np.array([sc for _, sc in cands])
    w = np.exp(alpha * (scores - scores.max()))
    i = rng.choice(len(cands), p=w / w.sum())
    return list(cands[i][0])


def sampling_entropy(text: bytes, model: UnigramModel, alpha: float) -> float:
    """Entropy (nats) of :math:`P_\\alpha` over all segmentations, by a forward DP (no enumeration).

    :math:`H=\\log Z-\\alpha\\,\\mathbb E[s(\\boldsymbol w)]`, with the expected score
    :math:`E(e)=\\sum_k\\frac{Z(k)e^{\\alpha s_{k,e}}}{Z(e)}\\,(E(k)+s_{k,e})`, :math:`E(0)=0`.

    First used in chapter 9811.
    """
    text = as_bytes(text)
    model = _check_model(model)
    alpha = check_alpha(alpha)
    z = _forward_logz(text, model, alpha)
    if z[-1] == NEG_INF:
        raise _unsegmentable(text, z)
    n = len(text)
    ex = [0.0] * (n + 1)
    for s, e, lp in find_matches(text, model):
        if z[s] != NEG_INF:
            ex[e] += math.exp(z[s] + alpha * lp - z[e]) * (ex[s] + lp)
    return z[n] - alpha * ex[n]


def total_variation(p: Mapping[Any, float], q: Mapping[Any, float]) -> float:
    """:math:`\\mathrm{TV}(p,q)=\\tfrac12\\sum_x|p(x)-q(x)|` over the union of supports.

    First used in chapter 9768.
    """
    keys = set(p) | set(q)
    return 0.5 * sum(abs(p.get(k, 0.0) - q.get(k, 0.0)) for k in keys)


def chisquare_against(
    counts: Mapping[Any, int], probs: Mapping[Any, float], *, min_expected: float = 5.0
) -> tuple[float, float, int]:
    """Pearson chi-square goodness of fit of observed ``counts`` to the exact ``probs``.

    Outcomes whose expected count is below ``min_expected`` are pooled into one bin (kept only if its expected
    count reaches ``min_expected``, else merged into the smallest remaining bin). An observed outcome with
    probability zero gives ``(inf, 0.0, dof)``. Returns ``(statistic, p_value, degrees_of_freedom)`` from
    :func:`scipy.stats.chisquare`.

    First used in chapter 9811.
    """
    total = sum(counts.values())
    if total <= 0:
        raise ValueError("counts must contain at least one observation")
    if any(v < 0 for v in probs.values()):
        raise ValueError("probabilities must be non-negative")
    psum = math.fsum(probs.values())
    if abs(psum - 1.0) > 1e-9:
        raise ValueError(f"probabilities must sum to 1, got {psum}")
    big = sorted((k for k in probs if probs[k] * total >= min_expected), key=lambda k: -probs[k])
    small = [k for k in probs if probs[k] * total < min_expected]
    obs = [counts.get(k, 0) for k in big]
    exp_ = [probs[k] * total for k in big]
    if small:
        o_small = sum(counts.get(k, 0) for k in small)
        e_small = sum(probs[k] for k in small) * total
        if e_small >= min_expected or not big:
            obs.append(o_small)
            exp_.append(e_small)
        else:
            obs[-1] += o_small
            exp_[-1] += e_small
    dof = len(obs) - 1
    if any(counts[k] > 0 for k in counts if probs.get(k, 0.0) == 0.0):
        return math.inf, 0.0, dof
    if dof < 1:
        raise ValueError("need at least two bins with enough expected counts for a chi-square test")
    exp_arr = np.array(exp_, dtype=np.float64)
    exp_arr *= total / exp_arr.sum()  # remove float rounding so scipy's sum check passes
    res = stats.chisquare(np.array(obs, dtype=np.float64), exp_arr)
    return float(res.statistic), float(res.pvalue), dof


def format_segmentation(pieces: Sequence[bytes]) -> str:
    """A segmentation as one line of text: the pieces joined by ``'|'``.

    A piece that is valid UTF-8 is shown decoded; any other piece (for example half of a Chinese
    character) is shown as its bytes in hex, ``<e4 bb>``. The empty segmentation gives ``''``.

    First used in chapter 9768.
    """
    if isinstance(pieces, (bytes, bytearray, str)):
        raise TypeError(f"pieces must be a sequence of bytes pieces, not a single {type(pieces).__name__}")
    out = []
    for piece in pieces:
        if not isinstance(piece, (bytes, bytearray)):
            raise TypeError(f"every piece must be bytes, got {type(piece).__name__}: {piece!r}")
        try:
            out.append(bytes(piece).decode("utf-8"))
        except UnicodeDecodeError:
            out.append("<" + bytes(piece).hex(" ") + ">")
    return "|".join(out)
