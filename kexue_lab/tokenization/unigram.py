"""The Unigram segmentation model over bytes and its dynamic programmes.

A text is a byte string :math:`c_1\\dots c_l`; a *segmentation* cuts it into pieces
:math:`w_1,\\dots,w_m` of a vocabulary :math:`V`, each with a log-probability
:math:`s(w)=\\log p(w)\\le 0`. The score of a segmentation is
:math:`s(\\boldsymbol w)=\\sum_i s(w_i)`.

Two dynamic programmes over the prefixes :math:`e=0..l` do all the work:

* Viterbi (max-plus): :math:`S^*(e)=\\max_{k<e}[S^*(k)+s(c_{k+1..e})]`, :math:`S^*(0)=0`;
* the partition function (log-sum-exp): :math:`\\log Z(e)=\\operatorname{logsumexp}_{k<e}
  [\\log Z(k)+\\alpha\\,s(c_{k+1..e})]`, :math:`\\log Z(0)=0`.

Both are computed "push" style: the starts :math:`k` are visited in ascending order and the
pieces starting at :math:`k` are found by walking a byte trie, so the cost is the number of
(prefix, piece) matches, :math:`O(lm)` for maximum piece length :math:`m`. For a fixed end
:math:`e` the candidates therefore arrive with *ascending start*, i.e. the longest last piece
first (the order in which bytepiece's Aho-Corasick scan reports them); ties in Viterbi keep the
first candidate (strict ``>``), so the longest last piece wins a tie, as in bytepiece.

Everything is in log space (float64): long texts cannot underflow.

First used in chapter 9752 (BytePiece); the sampling chapters 9768/9811 build on it.
"""

from __future__ import annotations

import base64
import json
import math
import numbers
import pathlib
from collections.abc import Iterator, Mapping, Sequence

import numpy as np

__all__ = [
    "UnigramModel",
    "as_bytes",
    "check_alpha",
    "count_segmentations",
    "enumerate_segmentations",
    "find_matches",
    "log_partition",
    "logsumexp2",
    "prefix_log_partition",
    "random_model",
    "random_piece_text",
    "segmentation_score",
    "viterbi_decode",
]

NEG_INF = -math.inf
POS_INF = math.inf


def as_bytes(text: object, name: str = "text") -> bytes:
    """Return ``text`` as :class:`bytes`; raise :class:`TypeError` for ``str`` and non-bytes-like input.

    First used in chapter 9752.
    """
    if isinstance(text, bytes):
        return text
    if isinstance(text, (bytearray, memoryview)):
        return bytes(text)
    if isinstance(text, str):
        raise TypeError(
            f"{name} must be bytes (UTF-8 encode the string first: s.encode('utf-8')), got str {text[:20]!r}"
        )
    raise TypeError(f"{name} must be bytes-like (bytes, bytearray, memoryview), got {type(text).__name__}")


def check_alpha(alpha: object) -> float:
    """Validate a sharpening exponent :math:`\\alpha` (finite, :math:`\\ge 0`) and return it as float.

    :math:`\\alpha=0` is allowed (uniform over all segmentations); negative, NaN or infinite values raise
    :class:`ValueError`, non-numbers :class:`TypeError`.

    First used in chapter 9811.
    """
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
        raise TypeError(f"alpha must be a real number, got {type(alpha).__name__}")
    a = float(alpha)
    if math.isnan(a):
        raise ValueError("alpha must be a finite number >= 0, got NaN")
    if math.isinf(a):
        raise ValueError(f"alpha must be finite (use viterbi_decode for the alpha -> inf limit), got {a}")
    if a < 0:
        raise ValueError(f"alpha must be >= 0 (alpha < 0 would favour improbable segmentations), got {a}")
    return a


def logsumexp2(x: float, y: float) -> float:
    """Binary log-sum-exp :math:`\\log(e^x+e^y)=\\max(x,y)+\\log(1+e^{-|x-y|})`, safe for :math:`-\\infty`.

    ``logsumexp2(-inf, -inf) == -inf`` (the naive formula gives NaN) and ``logsumexp2(-inf, y) == y`` exactly.

    First used in chapter 9811.
    """
    if x < y:
        x, y = y, x
    if y == NEG_INF:
        return x
    return x + math.log1p(math.exp(y - x))


def _build_trie(items) -> dict:
    """Byte trie: node = {byte: (child_node, logp or None)}; None marks a prefix that is not a piece."""
    root: dict = {}
    for piece, v in items:
        node = root
        last = len(piece) - 1
        for i, b in enumerate(piece):
            entry = node.get(b)
            if entry is None:
                entry = ({}, v if i == last else None)
                node[b] = entry
            elif i == last:
                entry = (entry[0], v)
                node[b] = entry
            node = entry[0]
    return root


class UnigramModel:
    """An immutable Unigram vocabulary: piece (non-empty bytes) -> log-probability :math:`s(w)\\le 0`.

    ``UnigramModel({b"a": -1.0, b"ab": -2.5})``; ``UnigramModel.from_counts({b"a": 3, b"ab": 1})`` uses
    :math:`s(w)=\\log c(w)-\\log\\sum_u c(u)` (natural log, as bytepiece). Probabilities need not sum to one
    (a model is any positive weight per piece), but every log-probability must be finite and :math:`\\le 0`.

    First used in chapter 9752.
    """

    __slots__ = ("_logp", "_max_len", "_trie", "_rtrie", "_wtries")

    def __init__(self, logp: Mapping[bytes, float]) -> None:
        if isinstance(logp, UnigramModel):
            logp = logp._logp
        if not isinstance(logp, Mapping):
            raise TypeError(f"logp must be a mapping piece(bytes) -> log-probability, got {type(logp).__name__}")
        if len(logp) == 0:
            raise ValueError("the model is empty: it needs at least one piece")
        table: dict[bytes, float] = {}
        for piece, value in logp.items():
            if isinstance(piece, str):
                raise TypeError(f"pieces must be bytes, got str {piece!r} (encode it first)")
            if not isinstance(piece, (bytes, bytearray)):
                raise TypeError(f"pieces must be bytes, got {type(piece).__name__}")
            if len(piece) == 0:
                raise ValueError("the empty byte string cannot be a piece")
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise TypeError(
                    f"log-probability of {bytes(piece)!r} must be a real number, got {type(value).__name__}"
                )
            v = float(value)
            if not math.isfinite(v):
                raise ValueError(f"log-probability of {bytes(piece)!r} must be finite, got {v}")
            if v > 0:
                raise ValueError(f"log-probability of {bytes(piece)!r} must be <= 0 (a probability <= 1), got {v}")
            table[bytes(piece)] = v
        self._logp = table
        self._max_len = max(len(p) for p in table)
        self._trie = _build_trie(table.items())
        self._rtrie: dict | None = None  # trie of reversed pieces, built on first use (backward passes)
        self._wtries: dict | None = None  # alpha -> weighted trie of the perfect sampler (sampling.py), lazy

    @classmethod
    def from_counts(cls, counts: Mapping[bytes, int]) -> UnigramModel:
        """Model with :math:`s(w)=\\log c(w)-\\log\\sum_{u\\in V}c(u)`; counts must be positive integers.

        First used in chapter 9752.
        """
        if not isinstance(counts, Mapping):
            raise TypeError(f"counts must be a mapping piece(bytes) -> positive int, got {type(counts).__name__}")
        if len(counts) == 0:
            raise ValueError("counts is empty: the model needs at least one piece")
        for piece, c in counts.items():
            if isinstance(c, bool) or not isinstance(c, numbers.Integral):
                raise ValueError(f"count of {piece!r} must be a positive integer, got {c!r}")
            if c <= 0:
                raise ValueError(f"count of {piece!r} must be a positive integer, got {c}")
        log_total = math.log(sum(int(c) for c in counts.values()))
        return cls({p: math.log(int(c)) - log_total for p, c in counts.items()})

    @classmethod
    def from_bytepiece(cls, pieces: Mapping[str, Sequence] | str | pathlib.Path) -> UnigramModel:
        """Model from a bytepiece vocabulary ``{base64(piece): [id, text, count]}`` (dict or JSON file path).

        Log-probabilities are :math:`\\log c-\\log\\sum c` as in ``bytepiece.Tokenizer``.

        First used in chapter 9752.
        """
        if isinstance(pieces, (str, pathlib.Path)):
            with open(pieces, encoding="utf-8") as fh:
                pieces = json.load(fh)
        if not isinstance(pieces, Mapping):
            raise TypeError(f"pieces must be a mapping base64 -> [id, text, count], got {type(pieces).__name__}")
        counts = {}
        for key, value in pieces.items():
            if not isinstance(value, Sequence) or len(value) < 3:
                raise ValueError(f"entry {key!r} must be [id, text, count], got {value!r}")
            counts[base64.b64decode(key)] = value[2]
        return cls.from_counts(counts)

    def _reversed_trie(self) -> dict:
        """Trie of the reversed pieces: walking it from an end position backwards finds every piece ending there."""
        if self._rtrie is None:
            self._rtrie = _build_trie((p[::-1], v) for p, v in self._logp.items())
        return self._rtrie

    @property
    def max_len(self) -> int:
        """Length in bytes of the longest piece."""
        return self._max_len

    def logp(self, piece: bytes) -> float:
        """Log-probability :math:`s(w)` of ``piece``; :math:`-\\infty` if it is not in the vocabulary."""
        return self._logp.get(as_bytes(piece, "piece"), NEG_INF)

    def items(self):
        """Iterate over (piece, log-probability) pairs."""
        return self._logp.items()

    def as_dict(self) -> dict[bytes, float]:
        """A copy of the piece -> log-probability table."""
        return dict(self._logp)

    def __contains__(self, piece: object) -> bool:
        return isinstance(piece, (bytes, bytearray, memoryview)) and bytes(piece) in self._logp

    def __len__(self) -> int:
        return len(self._logp)

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._logp)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UnigramModel) and self._logp == other._logp

    def __hash__(self) -> int:  # immutable, so hashable
        return hash(frozenset(self._logp.items()))

    def __repr__(self) -> str:
        return f"UnigramModel({len(self)} pieces, max_len={self._max_len})"


def _check_model(model: object) -> UnigramModel:
    if not isinstance(model, UnigramModel):
        raise TypeError(f"model must be a UnigramModel, got {type(model).__name__}")
    return model


def _unsegmentable(text: bytes, reach: Sequence[float]) -> ValueError:
    """The error for a text with no segmentation: name the longest segmentable prefix."""
    r = max(e for e, v in enumerate(reach) if v != NEG_INF)
    nxt = text[r : r + 8]
    return ValueError(
        f"text cannot be segmented with this vocabulary: the longest segmentable prefix has {r} of "
        f"{len(text)} bytes; no piece continues at offset {r} (next bytes {nxt!r})"
    )


def find_matches(text: bytes, model: UnigramModel) -> list[tuple[int, int, float]]:
    """All vocabulary pieces in ``text`` as ``(start, end, logp)`` with ``text[start:end]`` in the model.

    Sorted by end ascending, then start ascending (longest piece first at each end). Their number is at most
    :math:`\\sum_{k=1}^{m}(l-k+1)=lm-m(m-1)/2` for :math:`l\\ge m`.

    First used in chapter 9752.
    """
    text = as_bytes(text)
    model = _check_model(model)
    out = []
    n = len(text)
    root = model._trie
    for s in range(n):
        node = root
        e = s
        while e < n:
            entry = node.get(text[e])
            if entry is None:
                break
            node, lp = entry
            e += 1
            if lp is not None:
                out.append((s, e, lp))
    out.sort(key=lambda t: (t[1], t[0]))
    return out


def viterbi_decode(text: bytes, model: UnigramModel) -> tuple[list[bytes], float]:
    """Maximum-probability segmentation :math:`\\arg\\max_{\\boldsymbol w}\\sum_i s(w_i)` and its score.

    Recursion :math:`S^*(e)=\\max_{k<e}[S^*(k)+s(c_{k+1..e})]`, :math:`S^*(0)=0`, then backtracking.
    Ties keep the longest last piece (first candidate under strict ``>``). Empty text gives ``([], 0.0)``.
    Raises :class:`ValueError` if no segmentation exists (never returns a partial one).

    First used in chapter 9752.
    """
    text = as_bytes(text)
    model = _check_model(model)
    n = len(text)
    if n == 0:
        return [], 0.0
    best = [NEG_INF] * (n + 1)
    best[0] = 0.0
    back = [-1] * (n + 1)
    root = model._trie
    for s in range(n):
        bs = best[s]
        if bs == NEG_INF:
            continue
        node = root
        e = s
        while e < n:
            entry = node.get(text[e])
            if entry is None:
                break
            node, lp = entry
            e += 1
            if lp is not None:
                v = bs + lp
                if v > best[e]:
                    best[e] = v
                    back[e] = s
    if best[n] == NEG_INF:
        raise _unsegmentable(text, best)
    pieces = []
    e = n
    while e > 0:
        s = back[e]
        pieces.append(text[s:e])
        e = s
    pieces.reverse()
    return pieces, best[n]


def _forward_logz(text: bytes, model: UnigramModel, alpha: float) -> list[float]:
    """Prefix log partition functions (validated inputs); -inf marks unreachable prefixes."""
    n = len(text)
    z = [NEG_INF] * (n + 1)
    z[0] = 0.0
    root = model._trie
    log1p, exp = math.log1p, math.exp
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
            c = zs + alpha * lp
            old = z[e]
            d = c - old
            if d == POS_INF:  # first candidate at e
                z[e] = c
            elif d > 0:
                z[e] = c + log1p(exp(-d))
            else:
                z[e] = old + log1p(exp(d))
    return z


def prefix_log_partition(text: bytes, model: UnigramModel, alpha: float) -> np.ndarray:
    """Array of :math:`\\log Z(c_{1..e})` for :math:`e=0..l` (``-inf`` for prefixes with no segmentation).

    :math:`\\log Z(e)=\\operatorname{logsumexp}_{k<e}[\\log Z(k)+\\alpha s(c_{k+1..e})]`, :math:`\\log Z(0)=0`.
    Raises :class:`ValueError` if the whole text cannot be segmented.

    First used in chapter 9811.
    """
    text = as_bytes(text)
    model = _check_model(model)
    alpha = check_alpha(alpha)
    z = _forward_logz(text, model, alpha)
    if z[-1] == NEG_INF:
        raise _unsegmentable(text, z)
    return np.asarray(z, dtype=np.float64)


def log_partition(text: bytes, model: UnigramModel, alpha: float) -> float:
    """:math:`\\log Z=\\log\\sum_{\\boldsymbol w\\in\\Omega(\\text{text})}e^{\\alpha s(\\boldsymbol w)}` by the DP.

    The Viterbi recursion with max replaced by log-sum-exp; :math:`\\alpha=0` gives :math:`\\log|\\Omega|`,
    and :math:`\\log Z/\\alpha\\to S^*` as :math:`\\alpha\\to\\infty`. Empty text gives 0.0. Raises
    :class:`ValueError` if the text cannot be segmented or alpha is not finite and >= 0.

    First used in chapter 9811.
    """
    text = as_bytes(text)
    model = _check_model(model)
    alpha = check_alpha(alpha)
    z = _forward_logz(text, model, alpha)
    if z[-1] == NEG_INF:
        raise _unsegmentable(text, z)
    return z[-1]


def count_segmentations(text: bytes, model: UnigramModel) -> int:
    """:math:`|\\Omega(\\text{text})|` exactly (Python int): :math:`N(e)=\\sum_{k<e}N(k)[c_{k+1..e}\\in V]`.

    Zero if the text cannot be segmented (no error: counting is a legitimate question); 1 for empty text.

    First used in chapter 9811.
    """
    text = as_bytes(text)
    model = _check_model(model)
    n = len(text)
    cnt = [0] * (n + 1)
    cnt[0] = 1
    root = model._trie
    for s in range(n):
        c = cnt[s]
        if c == 0:
            continue
        node = root
        e = s
        while e < n:
            entry = node.get(text[e])
            if entry is None:
                break
            node, lp = entry
            e += 1
            if lp is not None:
                cnt[e] += c
    return cnt[n]


def enumerate_segmentations(text: bytes, model: UnigramModel, *, limit: int = 100_000) -> list[tuple[bytes, ...]]:
    """Every segmentation of ``text`` into vocabulary pieces, as tuples, in lexicographic order of piece lengths.

    Counts them first (:func:`count_segmentations`) and raises :class:`ValueError` if there are more than
    ``limit`` or none at all. Exponential in general: for small teaching and test cases.

    First used in chapter 9752.
    """
    text = as_bytes(text)
    model = _check_model(model)
    if isinstance(limit, bool) or not isinstance(limit, numbers.Integral) or limit < 1:
        raise ValueError(f"limit must be a positive integer, got {limit!r}")
    n = len(text)
    total = count_segmentations(text, model)
    if total == 0:
        raise _unsegmentable(text, _forward_logz(text, model, 0.0))
    if total > limit:
        raise ValueError(f"text has {total} segmentations, more than limit={limit}; raise the limit or shorten it")
    # suffix[s] = ends e such that text[s:e] is a piece and the suffix from e is segmentable.
    pieces_from: list[list[int]] = [[] for _ in range(n + 1)]
    for s, e, _ in find_matches(text, model):
        pieces_from[s].append(e)
    ok = [False] * (n + 1)
    ok[n] = True
    for s in range(n - 1, -1, -1):
        ok[s] = any(ok[e] for e in pieces_from[s])
    out: list[tuple[bytes, ...]] = []
    stack: list[tuple[int, tuple[bytes, ...]]] = [(0, ())]
    while stack:
        s, prefix = stack.pop()
        if s == n:
            out.append(prefix)
            continue
        for e in sorted((e for e in pieces_from[s] if ok[e]), reverse=True):
            stack.append((e, prefix + (text[s:e],)))
    return out


def segmentation_score(pieces: Sequence[bytes], model: UnigramModel, *, text: bytes | None = None) -> float:
    """Score :math:`s(\\boldsymbol w)=\\sum_i s(w_i)` of a segmentation; every piece must be in the model.

    With ``text`` given, the pieces must also concatenate to it. Raises :class:`ValueError` otherwise.

    First used in chapter 9752.
    """
    model = _check_model(model)
    if isinstance(pieces, (str, bytes, bytearray)):
        raise TypeError("pieces must be a sequence of bytes pieces, not a single string")
    total = 0.0
    joined = []
    for p in pieces:
        p = as_bytes(p, "piece")
        lp = model._logp.get(p)
        if lp is None:
            raise ValueError(f"piece {p!r} is not in the model")
        total += lp
        joined.append(p)
    if text is not None and b"".join(joined) != as_bytes(text):
        raise ValueError("the pieces do not concatenate to the text")
    return total


def random_model(
    rng: np.random.Generator,
    *,
    alphabet: bytes = b"abc",
    max_len: int = 3,
    n_extra: int = 8,
    p_range: tuple[float, float] = (0.01, 0.5),
) -> UnigramModel:
    """A small random Unigram model for experiments and tests: every byte of ``alphabet`` plus ``n_extra``
    distinct random pieces of length 2..``max_len``, each with :math:`p\\sim U(p_{\\min},p_{\\max})` (not normalised).

    First used in chapter 9768.
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    alphabet = as_bytes(alphabet, "alphabet")
    symbols = sorted(set(alphabet))
    if not symbols:
        raise ValueError("alphabet must not be empty")
    if isinstance(max_len, bool) or not isinstance(max_len, numbers.Integral) or max_len < 1:
        raise ValueError(f"max_len must be a positive integer, got {max_len!r}")
    if isinstance(n_extra, bool) or not isinstance(n_extra, numbers.Integral) or n_extra < 0:
        raise ValueError(f"n_extra must be a non-negative integer, got {n_extra!r}")
    lo, hi = p_range
    if not 0 < lo <= hi <= 1:
        raise ValueError(f"p_range must satisfy 0 < lo <= hi <= 1, got {p_range!r}")
    available = sum(len(symbols) ** k for k in range(2, max_len + 1))
    if n_extra > available:
        raise ValueError(f"only {available} pieces of length 2..{max_len} exist over this alphabet, asked {n_extra}")
    pieces = {bytes([b]) for b in symbols}
    while len(pieces) < len(symbols) + n_extra:
        k = int(rng.integers(2, max_len + 1))
        pieces.add(bytes(int(b) for b in rng.choice(symbols, size=k)))
    return UnigramModel({p: float(np.log(rng.uniform(lo, hi))) for p in sorted(pieces)})


def random_piece_text(model: UnigramModel, rng: np.random.Generator, length: int) -> bytes:
    """A text of ``length`` bytes made by concatenating random multi-byte pieces of ``model`` (then cut), so
    that it has many segmentations. Falls back to all pieces if the model has no multi-byte piece.

    First used in chapter 9768.
    """
    model = _check_model(model)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    if isinstance(length, bool) or not isinstance(length, numbers.Integral) or length < 0:
        raise ValueError(f"length must be a non-negative integer, got {length!r}")
    pool = sorted(p for p in model if len(p) > 1) or sorted(model)
    out = b""
    while len(out) < length:
        out += pool[int(rng.integers(len(pool)))]
    return out[:length]
