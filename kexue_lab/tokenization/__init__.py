"""Tokenization: Unigram segmentation (Viterbi), stochastic segmentation, and the BytePiece trainer.

Submodules: :mod:`.unigram` (the model and its dynamic programmes), :mod:`.sampling` (legacy and
perfect Viterbi sampling, FFBS, exact distributions), :mod:`.trainer` (BytePiece/BNLM training and
compression metrics).

First used in chapter 9752.
"""

from .sampling import (
    METHODS,
    chisquare_against,
    duel_chain_probs,
    format_segmentation,
    legacy_exact_distribution,
    nbest,
    reservoir_select_probs,
    sample_many,
    sample_segmentation,
    sampling_entropy,
    segmentation_distribution,
    segmentation_logprob,
    subword_regularization_sample,
    total_variation,
)
from .unigram import (
    UnigramModel,
    as_bytes,
    check_alpha,
    count_segmentations,
    enumerate_segmentations,
    find_matches,
    log_partition,
    logsumexp2,
    prefix_log_partition,
    random_model,
    random_piece_text,
    segmentation_score,
    viterbi_decode,
)

__all__ = [
    "METHODS",
    "UnigramModel",
    "as_bytes",
    "check_alpha",
    "chisquare_against",
    "count_segmentations",
    "duel_chain_probs",
    "enumerate_segmentations",
    "format_segmentation",
    "find_matches",
    "legacy_exact_distribution",
    "log_partition",
    "logsumexp2",
    "nbest",
    "prefix_log_partition",
    "random_model",
    "random_piece_text",
    "reservoir_select_probs",
    "sample_many",
    "sample_segmentation",
    "sampling_entropy",
    "segmentation_distribution",
    "segmentation_logprob",
    "segmentation_score",
    "subword_regularization_sample",
    "total_variation",
    "viterbi_decode",
]

try:  # trainer.py is written by chapter 9752; keep the package importable before it exists
    from .trainer import BytePieceTrainer, bits_per_byte, compression_ratio  # noqa: F401
except ModuleNotFoundError as exc:  # pragma: no cover - only while trainer.py is missing
    if exc.name != __name__ + ".trainer":
        raise
else:
    __all__ += ["BytePieceTrainer", "bits_per_byte", "compression_ratio"]
