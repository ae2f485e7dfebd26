"""Throughput benchmark for chapter 9752 (BytePiece): decoding vs sampling, ours vs jieba/sentencepiece/bytepiece.

Not a test (no assertions on time; the file name keeps pytest from collecting it). Run from the repo root:

    .venv/bin/python tests/bench_tokenization.py [--quick] [--out notebooks/tokenization/results/9752-bench.json]

It prints bytes/s (best of ``--repeats`` runs, CPU time of this process, one thread) for, on the same
machine and the same texts:

* Chinese (sentences drawn from jieba's dictionary, see ``kexue_lab.tokenization.jieba_dict.jieba_sentences``): jieba ``lcut(HMM=False)``,
  our ``viterbi_decode`` and our perfect sampler on the UnigramModel of jieba's dictionary;
* English (lines of ``pydoc_data.topics``): our ``viterbi_decode`` / perfect sampler / FFBS on a
  BytePiece vocabulary, bytepiece's Cython ``_tokenize`` (alpha=-1 decode, alpha>=0 sample) on the same
  vocabulary, sentencepiece unigram ``encode`` and ``encode(enable_sampling=True, nbest_size=-1)`` on a
  model of the same size;

and the ratios sampling/decoding (the article's claim: sampling costs about as much as decoding) and
ours/jieba. The JSON written to ``--out`` is what chapter 9752 displays (outside nbval-compared output).

First used in chapter 9752.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import pathlib
import platform
import sys
import time

os.environ.setdefault("TQDM_DISABLE", "1")

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kexue_lab.tokenization import BytePieceTrainer, sample_segmentation, viterbi_decode  # noqa: E402
from kexue_lab.tokenization.jieba_dict import jieba_model, jieba_sentences  # noqa: E402


def english_lines() -> list[str]:
    import pydoc_data.topics as topics

    return [line for key in sorted(topics.topics) for line in topics.topics[key].split("\n") if line.strip()]


def best_rate(fn, n_bytes: int, repeats: int) -> float:
    """Bytes per CPU second of ``fn()``, best of ``repeats``."""
    best = math.inf
    for _ in range(repeats):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return n_bytes / best


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller texts, 1 repeat (smoke run)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--alpha", type=float, default=0.1)
    ap.add_argument("--out", default=str(ROOT / "notebooks/tokenization/results/9752-bench.json"))
    args = ap.parse_args(argv)
    repeats = 1 if args.quick else args.repeats
    alpha = args.alpha
    rng = np.random.default_rng(0)
    rates: dict[str, float] = {}

    # ---- Chinese: jieba's dictionary
    import jieba

    jm = jieba_model()
    sents = jieba_sentences(500 if args.quick else 3000)
    sb = [s.encode() for s in sents]
    nzh = sum(map(len, sb))
    rates["zh_jieba_cut_hmm_false"] = best_rate(lambda: [jieba.lcut(s, HMM=False) for s in sents], nzh, repeats)
    rates["zh_ours_viterbi_decode"] = best_rate(lambda: [viterbi_decode(b, jm) for b in sb], nzh, repeats)
    rates["zh_ours_perfect_sample"] = best_rate(
        lambda: [sample_segmentation(b, jm, alpha, rng=rng) for b in sb], nzh, repeats
    )
    jm = None  # free the large model before the English part

    # ---- English: a BytePiece vocabulary on pydoc_data.topics
    lines = english_lines()
    if args.quick:
        lines = lines[:2000]
    lb = [line.encode() for line in lines]
    nen = sum(map(len, lb))
    trainer = BytePieceTrainer(order=6, max_vocab_size=2000, min_count=2)
    model = trainer.fit(lines)
    rates["en_ours_viterbi_decode"] = best_rate(lambda: [viterbi_decode(b, model) for b in lb], nen, repeats)
    rates["en_ours_perfect_sample"] = best_rate(
        lambda: [sample_segmentation(b, model, alpha, rng=rng) for b in lb], nen, repeats
    )
    rates["en_ours_ffbs_sample"] = best_rate(
        lambda: [sample_segmentation(b, model, alpha, rng=rng, method="ffbs") for b in lb], nen, repeats
    )
    big = b"\n".join(lb)  # one long text: per-call overheads vanish
    rates["en_long_ours_viterbi_decode"] = best_rate(lambda: viterbi_decode(big, model), len(big), repeats)
    rates["en_long_ours_perfect_sample"] = best_rate(
        lambda: sample_segmentation(big, model, alpha, rng=rng), len(big), repeats
    )
    try:
        import bytepiece

        tok = bytepiece.Tokenizer(trainer.to_bytepiece(), seed=0)
        rates["en_bytepiece_decode"] = best_rate(lambda: [tok._tokenize(b, -1) for b in lb], nen, repeats)
        rates["en_bytepiece_sample"] = best_rate(lambda: [tok._tokenize(b, alpha) for b in lb], nen, repeats)
        rates["en_long_bytepiece_decode"] = best_rate(lambda: tok._tokenize(big, -1), len(big), repeats)
        rates["en_long_bytepiece_sample"] = best_rate(lambda: tok._tokenize(big, alpha), len(big), repeats)
    except ImportError as exc:  # pragma: no cover - optional
        print(f"bytepiece not available: {exc}")
    try:
        import sentencepiece as spm

        def sp_model(model_type: str):
            buf = io.BytesIO()
            spm.SentencePieceTrainer.train(
                sentence_iterator=iter(lines),
                model_writer=buf,
                vocab_size=2000,
                model_type=model_type,
                normalization_rule_name="identity",
                add_dummy_prefix=False,
                remove_extra_whitespaces=False,
                character_coverage=1.0,
                num_threads=1,
                minloglevel=2,
            )
            return spm.SentencePieceProcessor(model_proto=buf.getvalue())

        sp = sp_model("unigram")
        spm.set_random_generator_seed(0)
        rates["en_sentencepiece_encode"] = best_rate(lambda: [sp.encode(s) for s in lines], nen, repeats)
        rates["en_sentencepiece_sample"] = best_rate(
            lambda: [sp.encode(s, enable_sampling=True, alpha=alpha, nbest_size=-1) for s in lines], nen, repeats
        )
        big_str = big.decode()
        rates["en_long_sentencepiece_encode"] = best_rate(lambda: sp.encode(big_str), len(big), repeats)
        bpe = sp_model("bpe")
        rates["en_sentencepiece_bpe_encode"] = best_rate(lambda: [bpe.encode(s) for s in lines], nen, repeats)
        rates["en_long_sentencepiece_bpe_encode"] = best_rate(lambda: bpe.encode(big_str), len(big), repeats)
    except ImportError as exc:  # pragma: no cover - optional
        print(f"sentencepiece not available: {exc}")

    ratios = {
        "zh_ours_sample_over_decode_time": rates["zh_ours_viterbi_decode"] / rates["zh_ours_perfect_sample"],
        "zh_ours_decode_over_jieba_time": rates["zh_jieba_cut_hmm_false"] / rates["zh_ours_viterbi_decode"],
        "en_ours_sample_over_decode_time": rates["en_ours_viterbi_decode"] / rates["en_ours_perfect_sample"],
        "en_long_ours_sample_over_decode_time": rates["en_long_ours_viterbi_decode"]
        / rates["en_long_ours_perfect_sample"],
    }
    if "en_bytepiece_decode" in rates:
        ratios["en_bytepiece_sample_over_decode_time"] = rates["en_bytepiece_decode"] / rates["en_bytepiece_sample"]
        ratios["en_long_bytepiece_sample_over_decode_time"] = (
            rates["en_long_bytepiece_decode"] / rates["en_long_bytepiece_sample"]
        )
    if "en_sentencepiece_encode" in rates:
        ratios["en_sentencepiece_sample_over_encode_time"] = (
            rates["en_sentencepiece_encode"] / rates["en_sentencepiece_sample"]
        )
        if "en_bytepiece_decode" in rates:
            ratios["en_bytepiece_over_sentencepiece_bpe_speed"] = (
                rates["en_bytepiece_decode"] / rates["en_sentencepiece_bpe_encode"]
            )
            ratios["en_long_bytepiece_over_sentencepiece_bpe_speed"] = (
                rates["en_long_bytepiece_decode"] / rates["en_long_sentencepiece_bpe_encode"]
            )
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "python": platform.python_version(),
        "alpha": alpha,
        "quick": bool(args.quick),
        "repeats": repeats,
        "bytes": {"zh": nzh, "en": nen, "en_long": len(big)},
        "bytes_per_second": {k: round(v) for k, v in rates.items()},
        "time_ratios": {k: round(v, 3) for k, v in ratios.items()},
    }
    print(f"{'what':42s} {'MB/s':>8s}")
    for k, v in rates.items():
        print(f"{k:42s} {v / 1e6:8.3f}")
    for k, v in ratios.items():
        print(f"{k:42s} {v:8.2f}")
    if args.out:
        out = pathlib.Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {out}")
    return result


if __name__ == "__main__":
    main()
