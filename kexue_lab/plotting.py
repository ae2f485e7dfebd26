"""One matplotlib style for the whole book.

First used in chapter 9812 (attention scale).
"""

from __future__ import annotations

import matplotlib as mpl

__all__ = ["use_style", "COLORS", "STYLE"]

COLORS = ("#1f5fa6", "#d1495b", "#2e9e6a", "#edae49", "#6c4f9c", "#555555")

STYLE: dict = {
    "figure.figsize": (6.4, 3.8),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "savefig.bbox": "tight",
    "font.size": 10,
    "font.family": "DejaVu Sans",
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=list(COLORS)),
    "legend.frameon": False,
    "lines.linewidth": 1.8,
    "svg.hashsalt": "kexue-lab",
}


def use_style() -> None:
    """Apply the book's style to matplotlib (inline PNG figures, stable fonts and colours)."""
    mpl.rcParams.update(STYLE)
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png")
    except ImportError:  # outside IPython there is nothing to configure
        pass
