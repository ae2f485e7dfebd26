"""Kexue Lab: the tested helpers behind the executable textbook of kexue.fm.

Modules mirror the parts of the book: ``attention``, ``probability``, ``analysis``,
``optimization``, ``tokenization``; the core is ``derive`` (checked derivations),
``claims`` (article-vs-book tables), ``runtime`` (seeds, profile, device) and
``plotting`` (one figure style).
"""

__version__ = "0.1.0"
