"""jieba's dictionary as a real unigram model of Chinese.

With ``HMM=False`` jieba cuts a sentence along the maximum-probability route over its
dictionary, :math:`p(w)=f(w)/\\sum_u f(u)`, where a Han character that is no word gets
frequency 1. Loaded as byte pieces (UTF-8), that is a :class:`UnigramModel` whose
:func:`viterbi_decode` reproduces ``jieba.lcut(text, HMM=False)`` (up to tie-breaking).

First used in chapter 9752 (the benchmark and the cross-check tests use it too).
"""

from __future__ import annotations

import math
import re

import numpy as np

from .unigram import UnigramModel

__all__ = ["HAN", "jieba_counts", "jieba_model", "jieba_sentences"]

HAN = re.compile("[\u4e00-\u9fd5]+")  # jieba's class of Chinese characters


def _jieba():
    try:
        import jieba
    except ImportError as exc:  # pragma: no cover - jieba is installed by `make`
        raise ImportError("jieba is not installed: run `make install`") from exc
    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba


def jieba_counts() -> dict[bytes, int]:
    """Word (UTF-8 bytes) -> count, read from the ``dict.txt`` that ships inside the jieba package.

    First used in chapter 9768 (and 9811).
    """
    import importlib.resources

    counts: dict[bytes, int] = {}
    with (importlib.resources.files("jieba") / "dict.txt").open("rb") as fh:
        for line in fh:
            word, count = line.split(b" ", 2)[:2]
            counts[word] = int(count)
    return counts


def jieba_model() -> UnigramModel:
    """jieba's dictionary as a byte-level model: :math:`s(w)=\\log f(w)-\\log\\sum_u f(u)`.

    Every character of jieba's Han class that is not a word gets frequency 1, as in jieba.
    """
    jieba = _jieba()
    lt = math.log(jieba.dt.total)
    logp = {w.encode(): math.log(f) - lt for w, f in jieba.dt.FREQ.items() if f}
    for cp in range(0x4E00, 0x9FD6):
        logp.setdefault(chr(cp).encode(), -lt)
    return UnigramModel(logp)


def jieba_sentences(n: int, seed: int = 0) -> list[str]:
    """``n`` pseudo-sentences: 2 to 11 Han dictionary words drawn with probability proportional to frequency."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    freq = _jieba().dt.FREQ
    words = sorted(w for w, f in freq.items() if f and HAN.fullmatch(w))
    p = np.array([freq[w] for w in words], dtype=np.float64)
    p /= p.sum()
    rng = np.random.default_rng(seed)
    sizes = rng.integers(2, 12, size=n)
    drawn = rng.choice(len(words), size=int(sizes.sum()), p=p)
    return ["".join(words[j] for j in chunk) for chunk in np.split(drawn, np.cumsum(sizes)[:-1])]
