"""Argument checks shared by the modules of kexue_lab (one place for one rule).

First used by chapter 9812 (attention) and, consolidated here, by every part of the book.
"""

from __future__ import annotations

import numbers

__all__ = ["check_int"]


def check_int(value: object, name: str, lo: int, hi: int | None = None) -> int:
    """``value`` as a Python int in ``[lo, hi]`` (``hi=None``: no upper bound).

    Raises ``TypeError`` when ``value`` is not an integer (bools are refused: ``True`` is
    not a count) and ``ValueError`` when it is out of range; both messages name ``name``.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    v = int(value)
    if v < lo or (hi is not None and v > hi):
        bound = f">= {lo}" if hi is None else f"in [{lo}, {hi}]"
        raise ValueError(f"{name} must be {bound}, got {v}")
    return v
