"""BytePiece-style training: a byte n-gram language model (BNLM) and vocabulary pruning.

The training idea of chapter 9752 (kexue.fm/archives/9752), in four stages:

1. **Count** every byte :math:`k`-gram, :math:`k=1..n`, inside the training chunks (NFC-normalised
   lines, UTF-8 encoded).
2. **Estimate** the in-piece conditionals
   :math:`\\log\\hat p(c_k\\mid c_{1..k-1})=\\log C(c_{1..k})-\\log C(c_{1..k-1})`, keeping only
   :math:`k`-grams (:math:`k\\ge2`) seen at least ``min_count`` times (no back-off: a pruned
   :math:`k`-gram forces a piece boundary).
3. **Pre-segment** the corpus: a piece contributes
   :math:`\\sum_{t=1}^{l}\\log\\hat p(c_t\\mid\\text{previous }\\min(t-1,n-1)\\text{ bytes of the piece})`,
   and the segmentation maximising the sum is a byte-labelling Viterbi whose state is the position
   inside the current piece, capped at :math:`n-1`. The pieces it produces, with their counts, are
   the raw vocabulary.
4. **Prune**: keep all 256 single bytes; drop pieces that are too rare or too long, then pieces that
   Unigram Viterbi would never emit ("wasted", e.g. :math:`p(u)p(v)>p(uv)`), then the least frequent
   pieces beyond the size budget; every dropped piece hands its count to the pieces Viterbi splits
   it into, and the wasted-piece pass repeats until the vocabulary stops changing.

Compression metrics (bytes per token, bits per byte) live here too.

First used in chapter 9752 (BytePiece).
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from ..checks import check_int
from .unigram import UnigramModel, as_bytes, viterbi_decode

__all__ = [
    "BytePieceTrainer",
    "NgramTable",
    "bits_per_byte",
    "bnlm_objective",
    "bnlm_segment",
    "compression_ratio",
    "split_chunks",
    "wasted_pieces",
]

NEG_INF = -math.inf
MAX_ORDER = 8  # k-grams are packed into uint64 codes, 8 bits per byte
#: Penalty (in nats) for starting a piece on a UTF-8 continuation byte when ``ensure_unicode`` is on.
#: Finite, so a chunk whose only segmentations split a character still gets one (the fewest such
#: splits win first, then the highest score); far below any real score of a chunk shorter than ~10^7 bytes.
CONTINUATION_PENALTY = 1e9


def _check_normalize(normalize: object) -> str | None:
    if normalize is not None and normalize not in ("NFC", "NFD", "NFKC", "NFKD"):
        raise ValueError(f"normalize must be None or one of 'NFC', 'NFD', 'NFKC', 'NFKD', got {normalize!r}")
    return normalize  # type: ignore[return-value]


def split_chunks(text: str, *, normalize: str | None = "NFC", maxlen: int = 10_000) -> list[bytes]:
    """Cut a text into UTF-8 training/tokenisation chunks: lines that keep their run of newlines.

    The text is first Unicode-normalised (``normalize``, default NFC as in bytepiece; ``None`` keeps it
    as it is), then cut after every run of ``\\n`` (at most 100 newlines per chunk), and lines longer
    than ``maxlen`` characters are cut every ``maxlen`` characters (``maxlen=0``: no cap). Pieces never
    cross a chunk boundary. ``b"".join(split_chunks(t, normalize=None)) == t.encode()`` always.

    First used in chapter 9752.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, got {type(text).__name__}")
    normalize = _check_normalize(normalize)
    maxlen = check_int(maxlen, "maxlen", 0)
    if normalize is not None:
        text = unicodedata.normalize(normalize, text)
    width = "" if maxlen == 0 else str(maxlen)
    # a line (maybe empty) with its newline run, or a trailing line without newline
    pattern = re.compile(f"[^\\n]{{0,{width}}}\\n{{1,100}}|[^\\n]{{1,{width}}}")
    return [m.group().encode("utf-8") for m in pattern.finditer(text)]


# --------------------------------------------------------------------------- n-gram table


def _gram_codes(
    buf: np.ndarray, chunk_start: np.ndarray, k: int, prev: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """uint64 code of the k-gram ending at every position, and whether it lies inside one chunk."""
    pos = np.arange(len(buf))
    if k == 1:
        codes = buf.astype(np.uint64)
    else:
        codes = np.zeros(len(buf), dtype=np.uint64)
        codes[1:] = (prev[:-1] << np.uint64(8)) | buf[1:].astype(np.uint64)
    valid = pos - (k - 1) >= chunk_start
    return codes, valid


def _concat(chunks: Sequence[bytes]) -> tuple[bytes, np.ndarray, np.ndarray]:
    """Concatenate chunks; return the buffer, each byte's chunk start, and the chunk starts."""
    lengths = np.fromiter((len(c) for c in chunks), dtype=np.int64, count=len(chunks))
    starts = np.zeros(len(chunks), dtype=np.int64)
    if len(chunks) > 1:
        np.cumsum(lengths[:-1], out=starts[1:])
    data = b"".join(chunks)
    chunk_start = np.repeat(starts, lengths)
    return data, chunk_start, starts


class NgramTable:
    """Byte n-gram log-conditionals :math:`\\log\\hat p(c_k\\mid c_{1..k-1})` for :math:`k=1..n`.

    Built from chunk counts with :meth:`from_chunks` (the BNLM estimate) or from an explicit table with
    :meth:`from_log_conditionals` (for tests and teaching). A missing :math:`k`-gram has conditional
    :math:`-\\infty`. Internally each order is a sorted array of uint64 codes, so look-ups are
    vectorised with :func:`numpy.searchsorted`.

    First used in chapter 9752.
    """

    def __init__(
        self, order: int, codes: list[np.ndarray], logcond: list[np.ndarray], counts: list[np.ndarray] | None = None
    ):
        self.order = check_int(order, "order", 1, MAX_ORDER)
        if len(codes) != self.order or len(logcond) != self.order:
            raise ValueError(f"need one code array and one value array per order 1..{self.order}")
        self._codes = [np.asarray(c, dtype=np.uint64) for c in codes]
        self._logcond = [np.asarray(v, dtype=np.float64) for v in logcond]
        self._counts = counts

    # ---- construction
    @classmethod
    def from_log_conditionals(cls, table: Mapping[bytes, float], order: int) -> NgramTable:
        """Table from ``{k-gram: log p(last byte | first k-1 bytes)}`` with ``1 <= k <= order``.

        First used in chapter 9752.
        """
        order = check_int(order, "order", 1, MAX_ORDER)
        if not isinstance(table, Mapping):
            raise TypeError(f"table must be a mapping bytes -> float, got {type(table).__name__}")
        per: list[dict[int, float]] = [{} for _ in range(order)]
        for gram, value in table.items():
            gram = as_bytes(gram, "k-gram")
            if not 1 <= len(gram) <= order:
                raise ValueError(f"k-gram {gram!r} has length {len(gram)}, expected 1..{order}")
            v = float(value)
            if math.isnan(v) or v > 0:
                raise ValueError(f"log-conditional of {gram!r} must be <= 0 (or -inf), got {v}")
            per[len(gram) - 1][int.from_bytes(gram, "big")] = v
        codes, vals = [], []
        for d in per:
            keys = sorted(d)
            codes.append(np.array(keys, dtype=np.uint64))
            vals.append(np.array([d[k] for k in keys], dtype=np.float64))
        return cls(order, codes, vals)

    @classmethod
    def from_chunks(cls, chunks: Iterable[bytes], order: int = 6, *, min_count: int = 2) -> NgramTable:
        """The BNLM estimate from byte chunks (k-grams never cross a chunk boundary).

        :math:`C(\\varepsilon)` is the number of bytes; every byte value missing from the corpus is added
        once (so all 256 single bytes have a finite probability); :math:`k`-grams with :math:`k\\ge2` and
        :math:`C<` ``min_count`` are dropped; then
        :math:`\\log\\hat p(c_k\\mid c_{1..k-1})=\\log C(c_{1..k})-\\log C(c_{1..k-1})`.
        Because occurrences of a context at a chunk end have no continuation, and pruned continuations
        are dropped, :math:`\\sum_b\\hat p(b\\mid x)\\le1`.

        First used in chapter 9752.
        """
        order = check_int(order, "order", 1, MAX_ORDER)
        min_count = check_int(min_count, "min_count", 1)
        chunks = [as_bytes(c, "chunk") for c in chunks]
        data, chunk_start, _ = _concat(chunks)
        buf = np.frombuffer(data, dtype=np.uint8)
        codes_k: list[np.ndarray] = []
        counts_k: list[np.ndarray] = []
        prev = None
        for k in range(1, order + 1):
            codes, valid = _gram_codes(buf, chunk_start, k, prev)
            prev = codes
            u, c = np.unique(codes[valid], return_counts=True)
            codes_k.append(u)
            counts_k.append(c.astype(np.int64))
        # complete the 256 single bytes
        n_bytes = len(buf)
        present = np.zeros(256, dtype=bool)
        present[codes_k[0].astype(np.int64)] = True
        missing = np.flatnonzero(~present)
        if len(missing):
            codes_k[0] = np.concatenate([codes_k[0], missing.astype(np.uint64)])
            counts_k[0] = np.concatenate([counts_k[0], np.ones(len(missing), dtype=np.int64)])
            o = np.argsort(codes_k[0])
            codes_k[0], counts_k[0] = codes_k[0][o], counts_k[0][o]
        total = n_bytes + len(missing)
        # prune k >= 2 and take log ratios
        logcond = []
        for k in range(1, order + 1):
            if k >= 2:
                keep = counts_k[k - 1] >= min_count
                codes_k[k - 1], counts_k[k - 1] = codes_k[k - 1][keep], counts_k[k - 1][keep]
            lc = np.log(counts_k[k - 1].astype(np.float64))
            if k == 1:
                lc -= np.log(np.float64(total))
            else:
                ctx = codes_k[k - 1] >> np.uint64(8)
                pos = np.searchsorted(codes_k[k - 2], ctx)
                lc -= np.log(counts_k[k - 2][pos].astype(np.float64))
            logcond.append(lc)
        table = cls(order, codes_k, logcond, counts_k)
        table.total = total
        return table

    # ---- queries
    def __len__(self) -> int:
        return int(sum(len(c) for c in self._codes))

    def logcond(self, gram: bytes) -> float:
        """:math:`\\log\\hat p(\\text{last byte}\\mid\\text{the others})` of a k-gram (:math:`-\\infty` if absent)."""
        gram = as_bytes(gram, "k-gram")
        if not 1 <= len(gram) <= self.order:
            raise ValueError(f"k-gram must have 1..{self.order} bytes, got {len(gram)}")
        codes = self._codes[len(gram) - 1]
        code = np.uint64(int.from_bytes(gram, "big"))
        i = int(np.searchsorted(codes, code))
        if i < len(codes) and codes[i] == code:
            return float(self._logcond[len(gram) - 1][i])
        return NEG_INF

    def count(self, gram: bytes) -> int:
        """Corpus count of a kept k-gram (0 if absent); only for tables built by :meth:`from_chunks`."""
        if self._counts is None:
            raise ValueError("this table was not estimated from counts")
        gram = as_bytes(gram, "k-gram")
        if not 1 <= len(gram) <= self.order:
            raise ValueError(f"k-gram must have 1..{self.order} bytes, got {len(gram)}")
        codes = self._codes[len(gram) - 1]
        code = np.uint64(int.from_bytes(gram, "big"))
        i = int(np.searchsorted(codes, code))
        return int(self._counts[len(gram) - 1][i]) if i < len(codes) and codes[i] == code else 0

    def grams(self, k: int) -> list[bytes]:
        """All kept k-grams of length ``k`` (sorted)."""
        k = check_int(k, "k", 1, self.order)
        return [int(c).to_bytes(k, "big") for c in self._codes[k - 1]]

    def _emissions(self, buf: np.ndarray, chunk_start: np.ndarray) -> np.ndarray:
        """E[i, j] = log p(c_i | the j previous bytes), -inf outside the chunk or for a pruned gram."""
        n = self.order
        E = np.full((len(buf), n), NEG_INF)
        prev = None
        for k in range(1, n + 1):
            codes, valid = _gram_codes(buf, chunk_start, k, prev)
            prev = codes
            table = self._codes[k - 1]
            if len(table) == 0:
                continue
            pos = np.searchsorted(table, codes)
            pos_c = np.minimum(pos, len(table) - 1)
            hit = valid & (table[pos_c] == codes)
            E[hit, k - 1] = self._logcond[k - 1][pos_c[hit]]
        return E


# --------------------------------------------------------------------------- BNLM Viterbi


def _bnlm_starts(
    chunks: Sequence[bytes], table: NgramTable, ensure_unicode: bool, penalty: float = CONTINUATION_PENALTY
) -> tuple[bytes, np.ndarray, np.ndarray]:
    """Piece-start flags of the optimal BNLM segmentation of every chunk (batched over chunks).

    State j at byte i means "byte i is the (j+1)-th byte of its piece" (j capped at n-1); emission
    E[i, j]; transitions j -> 0 (new piece) and j -> min(j+1, n-1), both free. Ties: the smallest
    previous state wins (as numpy.argmax). Returns (data, is_start, per-chunk best scores).
    """
    n = table.order
    data, chunk_start, starts = _concat(chunks)
    buf = np.frombuffer(data, dtype=np.uint8)
    E = table._emissions(buf, chunk_start)
    if ensure_unicode:
        cont = (buf >= 0x80) & (buf < 0xC0)
        E[cont, 0] -= penalty
    lengths = np.fromiter((len(c) for c in chunks), dtype=np.int64, count=len(chunks))
    order = np.argsort(-lengths, kind="stable")
    s_starts, s_lens = starts[order], lengths[order]
    maxlen = int(s_lens[0]) if len(s_lens) else 0
    # active[t] = number of chunks longer than t (a prefix of the sorted order)
    active = np.searchsorted(-s_lens, -np.arange(maxlen + 1), side="left")
    bp0 = np.zeros(len(buf), dtype=np.int8)
    bpl = np.zeros(len(buf), dtype=np.int8)
    final_state = np.zeros(len(chunks), dtype=np.int64)
    final_score = np.full(len(chunks), NEG_INF)
    V = np.empty((0, n))
    for t in range(maxlen):
        a = int(active[t])
        idx = s_starts[:a] + t
        e = E[idx]
        if t == 0:
            V = e.copy()
        else:
            Vp = V[:a]
            newV = np.empty((a, n))
            # compare candidates *after* adding the emission (as bytepiece does): two sums one ulp
            # apart can round to the same value, and then the smaller state wins the tie
            cand0 = Vp + e[:, :1]
            arg0 = cand0.argmax(axis=1)
            newV[:, 0] = cand0[np.arange(a), arg0]
            bp0[idx] = arg0
            if n >= 2:
                if n >= 3:
                    newV[:, 1 : n - 1] = Vp[:, 0 : n - 2] + e[:, 1 : n - 1]
                up = Vp[:, n - 2] + e[:, n - 1]
                stay_val = Vp[:, n - 1] + e[:, n - 1]
                stay = stay_val > up  # strict: ties go to the smaller state
                newV[:, n - 1] = np.where(stay, stay_val, up)
                bpl[idx] = stay
            V = newV
        b = int(active[t + 1])
        if b < a:  # chunks that end at t
            fin = V[b:a]
            final_state[b:a] = fin.argmax(axis=1)
            final_score[b:a] = fin.max(axis=1)
    is_start = np.zeros(len(buf), dtype=bool)
    cur = np.zeros(len(chunks), dtype=np.int64)
    for t in range(maxlen - 1, -1, -1):
        a, b = int(active[t]), int(active[t + 1])
        cur[b:a] = final_state[b:a]
        idx = s_starts[:a] + t
        c = cur[:a]
        is_start[idx] = c == 0
        if t > 0:
            prev = c - 1
            z = c == 0
            prev[z] = bp0[idx[z]]
            if n >= 2:
                last = c == n - 1
                prev[last] = n - 2 + bpl[idx[last]]
            cur[:a] = prev
    scores = np.empty(len(chunks))
    scores[order] = final_score
    return data, is_start, scores


def _check_penalty(penalty: object) -> float:
    if isinstance(penalty, bool) or not isinstance(penalty, numbers.Real):
        raise TypeError(f"continuation_penalty must be a real number, got {type(penalty).__name__}")
    p = float(penalty)
    if math.isnan(p) or p <= 0:
        raise ValueError(f"continuation_penalty must be > 0 (math.inf forbids the split), got {p}")
    return p


def bnlm_segment(
    chunk: bytes, table: NgramTable, *, ensure_unicode: bool = True, continuation_penalty: float = CONTINUATION_PENALTY
) -> list[bytes]:
    """The segmentation of ``chunk`` that maximises the BNLM objective (see :func:`bnlm_objective`).

    A Viterbi over (byte, position-in-piece capped at :math:`n-1`): :math:`O(ln)` time. With
    ``ensure_unicode`` a piece may start on a UTF-8 continuation byte (0x80-0xBF) only at a cost of
    ``continuation_penalty`` nats (default :data:`CONTINUATION_PENALTY`). ``math.inf`` forbids it
    outright, as bytepiece does; a chunk in which a character cannot be continued (its 2-gram was
    pruned) then has no finite segmentation, and the result is the degenerate one bytepiece also
    returns (single bytes from there on). Raises :class:`ValueError` if every segmentation has
    probability 0 and no penalty is involved (a hand-made table lacking some single byte).

    First used in chapter 9752.
    """
    chunk = as_bytes(chunk, "chunk")
    if not isinstance(table, NgramTable):
        raise TypeError(f"table must be an NgramTable, got {type(table).__name__}")
    if len(chunk) == 0:
        return []
    penalty = _check_penalty(continuation_penalty)
    data, is_start, scores = _bnlm_starts([chunk], table, bool(ensure_unicode), penalty)
    if scores[0] == NEG_INF and not (ensure_unicode and penalty == math.inf):
        raise ValueError(f"every segmentation of {chunk[:20]!r} has probability 0 under this n-gram table")
    cuts = list(np.flatnonzero(is_start)) + [len(data)]
    return [data[s:e] for s, e in zip(cuts, cuts[1:])]


def bnlm_objective(pieces: Sequence[bytes], table: NgramTable) -> float:
    """:math:`F(\\boldsymbol w)=\\sum_i\\sum_{t=1}^{l_i}\\log\\hat p(c_{L_{i-1}+t}\\mid\\text{previous }\\min(t-1,n-1)\\text{ bytes of }w_i)`.

    The chain rule inside each piece, restarted at every boundary and truncated to an n-gram context
    (the article's Eq. 1 with the n-gram approximation); :math:`-\\infty` if a needed k-gram is missing.

    First used in chapter 9752.
    """
    if not isinstance(table, NgramTable):
        raise TypeError(f"table must be an NgramTable, got {type(table).__name__}")
    if isinstance(pieces, (str, bytes, bytearray)):
        raise TypeError("pieces must be a sequence of bytes pieces, not a single string")
    n = table.order
    total = 0.0
    for p in pieces:
        p = as_bytes(p, "piece")
        if len(p) == 0:
            raise ValueError("empty piece")
        for t in range(len(p)):
            total += table.logcond(p[max(0, t - n + 1) : t + 1])
    return total


# --------------------------------------------------------------------------- pruning


def _resplit(keep: Mapping[bytes, int], items: Iterable[tuple[bytes, int]]) -> Counter:
    """Tokenise every piece of ``items`` with the Unigram model of ``keep``; add its count to each sub-piece."""
    model = UnigramModel.from_counts(keep)
    out: Counter = Counter()
    for piece, c in items:
        for q in viterbi_decode(piece, model)[0]:
            out[q] += c
    return out


def _drop_wasted(keep: dict[bytes, int], max_rounds: int = 100) -> dict[bytes, int]:
    for _ in range(max_rounds):
        new = dict(_resplit(keep, keep.items()))
        if len(new) == len(keep):
            return new
        keep = new
    raise RuntimeError(f"wasted-piece pruning did not settle in {max_rounds} rounds")  # pragma: no cover


def wasted_pieces(model: UnigramModel) -> list[bytes]:
    """Pieces Viterbi never emits: :math:`w` with :math:`\\mathrm{viterbi}(w)\\ne[w]`.

    If :math:`w=u\\circ v` with :math:`s(u)+s(v)>s(w)`, replacing :math:`w` by :math:`(u,v)` in any
    segmentation strictly raises its score, so :math:`w` can never be optimal; the test "Viterbi on
    :math:`w` alone does not return :math:`[w]`" generalises this to splits into any number of pieces
    (ties resolved as :func:`viterbi_decode` does). Sorted by (length, bytes).

    First used in chapter 9752.
    """
    if not isinstance(model, UnigramModel):
        raise TypeError(f"model must be a UnigramModel, got {type(model).__name__}")
    return sorted((p for p in model if viterbi_decode(p, model)[0] != [p]), key=lambda p: (len(p), p))


class BytePieceTrainer:
    """Learn a byte-level Unigram vocabulary with the BNLM of chapter 9752.

    ``BytePieceTrainer(order=6, max_vocab_size=10000, min_count=2, max_piece_length=36).fit(texts)``
    returns a :class:`UnigramModel` with :math:`s(w)=\\log c(w)-\\log\\sum_u c(u)` over the final
    piece counts. ``max_vocab_size`` counts ``n_specials`` reserved ids (bytepiece reserves 3:
    ``<pad>, <bos>, <eos>``), so at most ``max_vocab_size - n_specials`` pieces are kept; the result
    can be smaller (``min_count`` and wasted-piece removal act first). After :meth:`fit`:
    ``counts_`` (piece -> count), ``ngrams_`` (the :class:`NgramTable`), ``raw_counts_`` (pieces of
    the pre-segmentation before pruning).

    Texts are ``str``; they are normalised (``normalize``, default NFC) and cut into chunks by
    :func:`split_chunks`. ``ensure_unicode`` keeps pieces from starting inside a UTF-8 character
    (see :func:`bnlm_segment` for ``continuation_penalty``; ``math.inf`` reproduces bytepiece 0.6.3
    exactly, including its degenerate segmentation of lines whose rare character lost its 2-gram).

    First used in chapter 9752.
    """

    def __init__(
        self,
        order: int = 6,
        max_vocab_size: int = 10_000,
        min_count: int = 2,
        max_piece_length: int = 36,
        *,
        ensure_unicode: bool = True,
        normalize: str | None = "NFC",
        max_chunk_chars: int = 10_000,
        n_specials: int = 3,
        continuation_penalty: float = CONTINUATION_PENALTY,
    ) -> None:
        self.order = check_int(order, "order", 1, MAX_ORDER)
        self.n_specials = check_int(n_specials, "n_specials", 0)
        self.max_vocab_size = check_int(max_vocab_size, "max_vocab_size", 256 + self.n_specials)
        self.min_count = check_int(min_count, "min_count", 1)
        self.max_piece_length = check_int(max_piece_length, "max_piece_length", 1)
        if not isinstance(ensure_unicode, bool):
            raise TypeError(f"ensure_unicode must be a bool, got {type(ensure_unicode).__name__}")
        self.ensure_unicode = ensure_unicode
        self.normalize = _check_normalize(normalize)
        self.max_chunk_chars = check_int(max_chunk_chars, "max_chunk_chars", 0)
        self.continuation_penalty = _check_penalty(continuation_penalty)

    def chunks(self, texts: Iterable[str]) -> list[bytes]:
        """The byte chunks the trainer sees (normalised, cut by :func:`split_chunks`)."""
        if isinstance(texts, (str, bytes, bytearray)):
            raise TypeError("texts must be an iterable of str (a list of documents), not a single string")
        out: list[bytes] = []
        for i, t in enumerate(texts):
            if not isinstance(t, str):
                raise TypeError(f"texts[{i}] must be str, got {type(t).__name__}")
            out.extend(split_chunks(t, normalize=self.normalize, maxlen=self.max_chunk_chars))
        return out

    def pre_segment(self, chunks: Sequence[bytes]) -> Counter:
        """Counts of the pieces of the BNLM segmentation of every chunk (needs ``ngrams_``)."""
        if not hasattr(self, "ngrams_"):
            raise RuntimeError("pre_segment needs the n-gram table: call fit() first")
        data, is_start, _ = _bnlm_starts(list(chunks), self.ngrams_, self.ensure_unicode, self.continuation_penalty)
        cuts = np.append(np.flatnonzero(is_start), len(data)).tolist()
        return Counter(data[s:e] for s, e in zip(cuts, cuts[1:]))

    def prune(self, pieces: Mapping[bytes, int]) -> dict[bytes, int]:
        """Stage 4: bytes completion, frequency/length cut, wasted pieces, size budget (see module doc)."""
        pieces = dict(pieces)
        for b in range(256):
            pieces.setdefault(bytes([b]), 1)
        keep, drop = {}, []
        for p, c in pieces.items():
            if len(p) == 1 or (len(p) <= self.max_piece_length and c >= self.min_count):
                keep[p] = c
            else:
                drop.append((p, c))
        for p, c in _resplit(keep, drop).items():
            keep[p] += c
        keep = _drop_wasted(keep)
        budget = self.max_vocab_size - self.n_specials
        if len(keep) > budget:
            # single bytes first, then frequent, then long, then bytes order (deterministic)
            ranked = sorted(keep.items(), key=lambda t: (len(t[0]) > 1, -t[1], -len(t[0]), t[0]))
            keep = dict(ranked[:budget])
            for p, c in _resplit(keep, ranked[budget:]).items():
                keep[p] += c
            keep = _drop_wasted(keep)
        return keep

    def fit(self, texts: Iterable[str]) -> UnigramModel:
        """Train on ``texts`` (an iterable of str, read once) and return the Unigram model."""
        chunks = self.chunks(texts)
        if not chunks:
            raise ValueError("texts contain no characters to train on")
        self.ngrams_ = NgramTable.from_chunks(chunks, self.order, min_count=self.min_count)
        self.raw_counts_ = self.pre_segment(chunks)
        self.counts_ = self.prune(self.raw_counts_)
        return UnigramModel.from_counts(self.counts_)

    def to_bytepiece(self) -> dict[str, list]:
        """The fitted vocabulary in bytepiece's JSON layout ``{base64(piece): [id, text, count]}``."""
        if not hasattr(self, "counts_"):
            raise RuntimeError("call fit() first")
        import base64

        ordered = sorted(self.counts_.items(), key=lambda t: (len(t[0]), t[0]))
        return {
            base64.b64encode(p).decode(): [i + self.n_specials, p.decode("utf-8", errors="ignore"), c]
            for i, (p, c) in enumerate(ordered)
        }


# --------------------------------------------------------------------------- metrics


def _text_bytes(t: object, i: int) -> bytes:
    if isinstance(t, str):
        return t.encode("utf-8")
    try:
        return as_bytes(t, f"texts[{i}]")
    except TypeError:
        raise TypeError(f"texts[{i}] must be str or bytes, got {type(t).__name__}") from None


def _check_texts(texts: object) -> list:
    if isinstance(texts, (str, bytes, bytearray)):
        raise TypeError("texts must be an iterable of texts, not a single string")
    if not isinstance(texts, Iterable):
        raise TypeError(f"texts must be an iterable of str or bytes, got {type(texts).__name__}")
    return list(texts)


def compression_ratio(texts: Iterable[bytes | str], tokenize: Callable[[Any], Sequence]) -> float:
    """Bytes per token :math:`\\sum_t|t|_\\text{UTF-8}\\,/\\,\\sum_t|\\mathrm{tokenize}(t)|` (higher = better).

    Each item is passed to ``tokenize`` unchanged (so it may be bytes for a byte tokenizer or str for
    e.g. sentencepiece); a ``str`` item counts its UTF-8 length. Raises :class:`ValueError` when the
    texts hold no bytes or the tokenizer returns no tokens.

    First used in chapter 9752.
    """
    if not callable(tokenize):
        raise TypeError(f"tokenize must be callable, got {type(tokenize).__name__}")
    texts = _check_texts(texts)
    n_bytes = n_tokens = 0
    for i, t in enumerate(texts):
        n_bytes += len(_text_bytes(t, i))
        n_tokens += len(tokenize(t))
    if n_bytes == 0:
        raise ValueError("texts hold no bytes: the compression ratio is undefined")
    if n_tokens == 0:
        raise ValueError("the tokenizer returned no tokens for non-empty texts")
    return n_bytes / n_tokens


def bits_per_byte(texts: Iterable[bytes | str], model: UnigramModel) -> float:
    """Code length of the Viterbi segmentation per byte, :math:`\\sum_t -\\log_2 p(\\boldsymbol w^*(t))\\,/\\,\\sum_t|t|`.

    The Unigram model as a compressor: the maximum-probability segmentation is the shortest code
    (in bits) the model can give a text. ``str`` items are UTF-8 encoded as they are (no
    normalisation). Raises :class:`ValueError` for texts with no bytes or a text the model cannot
    segment.

    First used in chapter 9752.
    """
    if not isinstance(model, UnigramModel):
        raise TypeError(f"model must be a UnigramModel, got {type(model).__name__}")
    texts = _check_texts(texts)
    n_bytes, nats = 0, 0.0
    for i, t in enumerate(texts):
        b = _text_bytes(t, i)
        n_bytes += len(b)
        nats -= viterbi_decode(b, model)[1]
    if n_bytes == 0:
        raise ValueError("texts hold no bytes: bits per byte is undefined")
    return nats / math.log(2) / n_bytes
