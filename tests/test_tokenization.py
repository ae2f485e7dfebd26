"""Tests for kexue_lab.tokenization: the Unigram core (unigram.py) and stochastic segmentation (sampling.py).

The exactness tests (chapters 9768/9811) are deterministic: fixed seeds, exact enumeration, and chi-square
tests whose negative controls must reject.
"""

from __future__ import annotations

import itertools
import json
import math
from collections import Counter
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kexue_lab.tokenization import (
    METHODS,
    UnigramModel,
    as_bytes,
    check_alpha,
    chisquare_against,
    count_segmentations,
    duel_chain_probs,
    enumerate_segmentations,
    find_matches,
    legacy_exact_distribution,
    log_partition,
    logsumexp2,
    nbest,
    prefix_log_partition,
    reservoir_select_probs,
    sample_many,
    sample_segmentation,
    sampling_entropy,
    segmentation_distribution,
    segmentation_logprob,
    segmentation_score,
    subword_regularization_sample,
    total_variation,
    viterbi_decode,
)

# ----------------------------------------------------------------------------- helpers


def random_model(seed: int, alphabet: bytes = b"abc", max_len: int = 3, n_extra: int = 8) -> UnigramModel:
    """All single bytes of the alphabet plus random longer pieces, random log-probabilities."""
    rng = np.random.default_rng(seed)
    pieces = {bytes([b]) for b in alphabet}
    while len(pieces) < len(alphabet) + n_extra:
        k = int(rng.integers(2, max_len + 1))
        pieces.add(bytes(rng.choice(list(alphabet), size=k).tolist()))
    return UnigramModel({p: float(np.log(rng.uniform(0.01, 0.5))) for p in sorted(pieces)})


def random_text(seed: int, length: int, alphabet: bytes = b"abc") -> bytes:
    rng = np.random.default_rng(seed + 10_000)
    return bytes(rng.choice(list(alphabet), size=length).tolist())


def piece_text(model: UnigramModel, seed: int, length: int) -> bytes:
    """A text made of random multi-byte pieces of the model (cut to ``length``): many segmentations."""
    rng = np.random.default_rng(seed + 20_000)
    long_pieces = sorted(p for p in model if len(p) > 1)
    out = b""
    while len(out) < length:
        out += long_pieces[int(rng.integers(len(long_pieces)))]
    return out[:length]


def brute_segmentations(text: bytes, model: UnigramModel) -> list[tuple[bytes, ...]]:
    """Independent enumeration: all 2^(l-1) cut sets, kept if every piece is in the model."""
    out = []
    n = len(text)
    for cuts in itertools.product([0, 1], repeat=max(n - 1, 0)):
        bounds = [0] + [i + 1 for i, c in enumerate(cuts) if c] + [n]
        seg = tuple(text[a:b] for a, b in itertools.pairwise(bounds))
        if all(p in model for p in seg):
            out.append(seg)
    return out


def score(seg, model) -> float:
    return sum(model.logp(p) for p in seg)


WATCHING = UnigramModel(
    {
        b"w": math.log(0.036),
        b"wat": math.log(0.032),
        b"watch": math.log(0.032),
        b"atching": math.log(0.1),
        b"ching": math.log(0.1),
        b"ing": math.log(0.1),
    }
)
ABC = UnigramModel(
    {
        b"a": math.log(0.3),
        b"b": math.log(0.2),
        b"c": math.log(0.1),
        b"ab": math.log(0.15),
        b"bc": math.log(0.05),
        b"abc": math.log(0.02),
    }
)


# ----------------------------------------------------------------------------- UnigramModel


def test_from_counts_gives_normalised_log_probabilities():
    m = UnigramModel.from_counts({b"a": 3, b"b": 1, b"ab": 4})
    assert math.isclose(sum(math.exp(m.logp(p)) for p in m), 1.0, rel_tol=1e-12)
    assert m.logp(b"ab") == pytest.approx(math.log(0.5))


def test_model_container_protocol():
    m = UnigramModel({b"a": -1.0, b"abc": -2.0})
    assert len(m) == 2 and m.max_len == 3
    assert b"abc" in m and b"ab" not in m and "a" not in m
    assert m.logp(b"zz") == -math.inf
    assert set(m) == {b"a", b"abc"} and dict(m.items()) == m.as_dict()
    assert m == UnigramModel(m.as_dict()) and hash(m) == hash(UnigramModel(m.as_dict()))
    assert m != UnigramModel({b"a": -1.0})
    assert "2 pieces" in repr(m)
    m.as_dict()[b"a"] = -5.0  # a copy: the model is unchanged
    assert m.logp(b"a") == -1.0
    assert UnigramModel(m) == m


@pytest.mark.parametrize(
    "table, exc, msg",
    [
        ({}, ValueError, "empty"),
        ({"a": -1.0}, TypeError, "str"),
        ({1: -1.0}, TypeError, "bytes"),
        ({b"": -1.0}, ValueError, "empty byte string"),
        ({b"a": float("nan")}, ValueError, "finite"),
        ({b"a": -float("inf")}, ValueError, "finite"),
        ({b"a": 0.5}, ValueError, "<= 0"),
        ({b"a": "x"}, TypeError, "real number"),
        ({b"a": True}, TypeError, "real number"),
    ],
)
def test_model_rejects_bad_tables(table, exc, msg):
    with pytest.raises(exc, match=msg):
        UnigramModel(table)


def test_model_rejects_non_mapping():
    with pytest.raises(TypeError, match="mapping"):
        UnigramModel([(b"a", -1.0)])


@pytest.mark.parametrize("counts", [{}, {b"a": 0}, {b"a": -2}, {b"a": 1.5}, {b"a": True}])
def test_from_counts_rejects_bad_counts(counts):
    with pytest.raises(ValueError):
        UnigramModel.from_counts(counts)


def test_from_counts_rejects_non_mapping():
    with pytest.raises(TypeError):
        UnigramModel.from_counts([1, 2])


def test_from_bytepiece_reads_dict_and_file(tmp_path):
    import base64

    pieces = {
        base64.b64encode(k).decode(): [i + 3, k.decode(), c] for i, (k, c) in enumerate({b"a": 3, b"ab": 1}.items())
    }
    m = UnigramModel.from_bytepiece(pieces)
    assert m == UnigramModel.from_counts({b"a": 3, b"ab": 1})
    path = tmp_path / "vocab.json"
    path.write_text(json.dumps(pieces))
    assert UnigramModel.from_bytepiece(path) == m
    with pytest.raises(ValueError, match="id, text, count"):
        UnigramModel.from_bytepiece({"YQ==": [3]})
    with pytest.raises(TypeError):
        UnigramModel.from_bytepiece(42)


def test_as_bytes_and_check_alpha_validate():
    assert as_bytes(bytearray(b"ab")) == b"ab" and as_bytes(memoryview(b"ab")) == b"ab"
    with pytest.raises(TypeError, match="encode"):
        as_bytes("ab")
    with pytest.raises(TypeError, match="bytes-like"):
        as_bytes(12)
    assert check_alpha(0) == 0.0 and check_alpha(np.float32(0.5)) == 0.5
    for bad in (float("nan"), float("inf"), -0.1):
        with pytest.raises(ValueError, match="alpha"):
            check_alpha(bad)
    for bad in (True, "1", None):
        with pytest.raises(TypeError, match="alpha"):
            check_alpha(bad)


def test_logsumexp2_matches_numpy_and_handles_infinities():
    rng = np.random.default_rng(0)
    xs = rng.uniform(-700, 700, size=2000)
    ys = np.concatenate([rng.uniform(-700, 700, size=1000), xs[:1000]])  # includes equal pairs
    for x, y in zip(xs, ys):
        assert math.isclose(logsumexp2(float(x), float(y)), float(np.logaddexp(x, y)), rel_tol=1e-15, abs_tol=1e-15)
    assert logsumexp2(-math.inf, -math.inf) == -math.inf
    assert logsumexp2(-math.inf, -3.25) == -3.25 and logsumexp2(-3.25, -math.inf) == -3.25


# ----------------------------------------------------------------------------- matches, Viterbi


def test_find_matches_lists_every_piece_in_order():
    m = random_model(1)
    text = random_text(1, 12)
    got = find_matches(text, m)
    expect = sorted(
        ((s, e, m.logp(text[s:e])) for s in range(len(text)) for e in range(s + 1, len(text) + 1) if text[s:e] in m),
        key=lambda t: (t[1], t[0]),
    )
    assert got == expect


def test_match_count_is_lm_minus_half_m_m_minus_1_for_a_complete_vocabulary():
    m_len = 4
    vocab = {bytes(t): -1.0 for k in range(1, m_len + 1) for t in itertools.product(b"ab", repeat=k)}
    model = UnigramModel(vocab)
    text = random_text(3, 30, b"ab")
    assert len(find_matches(text, model)) == 30 * m_len - m_len * (m_len - 1) // 2
    assert len(find_matches(text[:3], model)) == 3 * 4 // 2  # l < m: l(l+1)/2


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), length=st.integers(1, 9))
def test_viterbi_equals_brute_force_maximum(seed, length):
    m = random_model(seed)
    text = random_text(seed, length)
    pieces, s = viterbi_decode(text, m)
    segs = brute_segmentations(text, m)
    best = max(score(g, m) for g in segs)
    assert b"".join(pieces) == text
    assert s == pytest.approx(best, abs=1e-12)
    assert s == pytest.approx(segmentation_score(pieces, m), abs=1e-12)
    ranked = sorted((score(g, m) for g in segs), reverse=True)
    if len(ranked) == 1 or ranked[0] - ranked[1] > 1e-9:
        assert tuple(pieces) == max(segs, key=lambda g: score(g, m))


def test_viterbi_ties_keep_the_longest_last_piece():
    m = UnigramModel({b"a": math.log(0.5), b"aa": math.log(0.25)})
    assert viterbi_decode(b"aa", m)[0] == [b"aa"]  # a|a and aa both score log(1/4)


def test_viterbi_edge_cases_and_errors():
    m = UnigramModel({b"a": -1.0, b"b": -1.0})
    assert viterbi_decode(b"", m) == ([], 0.0)
    pieces, s = viterbi_decode(b"a" * 100_000, m)  # long input: no recursion, no underflow
    assert len(pieces) == 100_000 and s == -100_000.0
    with pytest.raises(ValueError, match="offset 2"):
        viterbi_decode(b"abcab", m)
    with pytest.raises(TypeError):
        viterbi_decode("ab", m)
    with pytest.raises(TypeError, match="UnigramModel"):
        viterbi_decode(b"ab", {b"a": -1.0})


# ----------------------------------------------------------------------------- partition function, counting


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), length=st.integers(1, 9), alpha=st.sampled_from([0.0, 0.3, 1.0, 4.0]))
def test_log_partition_equals_logsumexp_over_all_segmentations(seed, length, alpha):
    m = random_model(seed)
    text = random_text(seed, length)
    segs = brute_segmentations(text, m)
    expect = float(np.logaddexp.reduce([alpha * score(g, m) for g in segs]))
    assert log_partition(text, m, alpha) == pytest.approx(expect, abs=1e-10)
    pz = prefix_log_partition(text, m, alpha)
    assert pz.shape == (length + 1,) and pz[0] == 0.0 and pz[-1] == pytest.approx(expect, abs=1e-10)


def test_log_partition_alpha_zero_counts_and_large_alpha_sandwich():
    m = random_model(7)
    text = random_text(7, 10)
    n_seg = count_segmentations(text, m)
    assert log_partition(text, m, 0.0) == pytest.approx(math.log(n_seg), abs=1e-12)
    s_star = viterbi_decode(text, m)[1]
    for alpha in (0.5, 1.0, 5.0, 50.0):
        v = log_partition(text, m, alpha) / alpha
        assert s_star - 1e-12 <= v <= s_star + math.log(n_seg) / alpha + 1e-12


def test_log_partition_long_text_stays_finite_and_errors():
    m = UnigramModel({b"a": math.log(0.5), b"aa": math.log(0.3)})
    z = log_partition(b"a" * 50_000, m, 1.0)
    assert math.isfinite(z) and z < -1000
    assert log_partition(b"", m, 1.0) == 0.0
    with pytest.raises(ValueError, match="cannot be segmented"):
        log_partition(b"ab", m, 1.0)
    with pytest.raises(ValueError, match="cannot be segmented"):
        prefix_log_partition(b"ab", m, 1.0)
    with pytest.raises(ValueError, match="alpha"):
        log_partition(b"aa", m, -1.0)


def test_count_segmentations_gives_fibonacci_like_numbers():
    for max_len in (1, 2, 3):
        m = UnigramModel({b"a" * k: -1.0 for k in range(1, max_len + 1)})
        counts = [count_segmentations(b"a" * n, m) for n in range(0, 12)]
        ref = [1]
        for n in range(1, 12):
            ref.append(sum(ref[n - k] for k in range(1, max_len + 1) if n - k >= 0))
        assert counts == ref
    m = UnigramModel({b"a" * k: -1.0 for k in range(1, 20)})
    assert count_segmentations(b"a" * 15, m) == 2**14
    assert count_segmentations(b"ab", UnigramModel({b"a": -1.0})) == 0


def test_enumerate_segmentations_is_complete_and_guarded():
    m = random_model(11)
    text = random_text(11, 9)
    segs = enumerate_segmentations(text, m)
    assert sorted(segs) == sorted(brute_segmentations(text, m))
    assert len(set(segs)) == len(segs) == count_segmentations(text, m)
    with pytest.raises(ValueError, match="more than limit"):
        enumerate_segmentations(text, m, limit=1)
    with pytest.raises(ValueError, match="limit"):
        enumerate_segmentations(text, m, limit=0)
    with pytest.raises(ValueError, match="cannot be segmented"):
        enumerate_segmentations(b"abz", m)
    assert enumerate_segmentations(b"", m) == [()]


def test_segmentation_score_validates_pieces():
    m = UnigramModel({b"a": -1.0, b"b": -2.0})
    assert segmentation_score([b"a", b"b"], m, text=b"ab") == -3.0
    with pytest.raises(ValueError, match="not in the model"):
        segmentation_score([b"ab"], m)
    with pytest.raises(ValueError, match="concatenate"):
        segmentation_score([b"a"], m, text=b"ab")
    with pytest.raises(TypeError):
        segmentation_score(b"ab", m)


# ----------------------------------------------------------------------------- the two selection rules (D5 / D2)


def test_duel_chain_with_equal_weights_gives_powers_of_one_half():
    for n in range(2, 8):
        h = duel_chain_probs([Fraction(1)] * n)
        expect = [Fraction(1, 2 ** (n - 1))] + [Fraction(1, 2 ** (n - i + 1)) for i in range(2, n + 1)]
        assert h == expect and sum(h) == 1
    assert duel_chain_probs([Fraction(1, 3)] * 3) == [Fraction(1, 4), Fraction(1, 4), Fraction(1, 2)]
    with pytest.raises(ValueError):
        duel_chain_probs([])


def test_reservoir_rule_selects_proportionally_to_weight():
    rng = np.random.default_rng(0)
    for n in range(1, 7):
        w = [Fraction(int(k)) for k in rng.integers(1, 20, size=n)]
        assert reservoir_select_probs(w) == [x / sum(w) for x in w]
    assert reservoir_select_probs([Fraction(1, 3)] * 3) == [Fraction(1, 3)] * 3
    with pytest.raises(ValueError):
        reservoir_select_probs([])


# ----------------------------------------------------------------------------- exact distributions


def test_segmentation_distribution_is_the_normalised_target():
    m = random_model(5)
    text = random_text(5, 8)
    for alpha in (0.0, 0.7, 3.0):
        d = segmentation_distribution(text, m, alpha)
        assert math.isclose(math.fsum(d.values()), 1.0, abs_tol=1e-12)
        w = {g: math.exp(alpha * score(g, m)) for g in brute_segmentations(text, m)}
        tot = sum(w.values())
        assert max(abs(d[g] - w[g] / tot) for g in w) < 1e-12
    with pytest.raises(ValueError, match="more than limit"):
        segmentation_distribution(text, m, 1.0, limit=2)


def test_legacy_sampler_distorts_the_card_counter_example():
    exact = {1.0: (0.2803, 0.2353, 0.4844), 0.1: (0.2530, 0.2485, 0.4985), 5.0: (0.4136, 0.1784, 0.4080)}
    for alpha, expect in exact.items():
        d = legacy_exact_distribution(b"watching", WATCHING, alpha)
        got = tuple(d[k] for k in [(b"w", b"atching"), (b"wat", b"ching"), (b"watch", b"ing")])
        assert got == pytest.approx(expect, abs=5e-5)
    best = tuple(viterbi_decode(b"watching", WATCHING)[0])
    assert best == (b"w", b"atching")
    for alpha in (0.1, 1.0):  # the Viterbi path is not the most likely output of the legacy sampler
        d = legacy_exact_distribution(b"watching", WATCHING, alpha)
        assert max(d, key=d.get) == (b"watch", b"ing")
        target = segmentation_distribution(b"watching", WATCHING, alpha)
        assert max(target, key=target.get) == best
    assert segmentation_distribution(b"watching", WATCHING, 1.0)[best] == pytest.approx(0.36)


def test_legacy_equal_weights_give_quarter_quarter_half():
    m = UnigramModel({b"w": -1.0, b"wat": -1.0, b"watch": -1.0, b"atching": -1.0, b"ching": -1.0, b"ing": -1.0})
    d = legacy_exact_distribution(b"watching", m, 1.0)
    assert d[(b"watch", b"ing")] == pytest.approx(0.5) and d[(b"w", b"atching")] == pytest.approx(0.25)
    d2 = legacy_exact_distribution(b"watching", m, 1.0, order="shortest_first")
    assert d2[(b"w", b"atching")] == pytest.approx(0.5)  # the order decides who gains


def test_half_fix_is_still_biased_and_worse_than_legacy_on_abc():
    target = segmentation_distribution(b"abc", ABC, 1.0)
    assert [target[k] for k in sorted(target)] == pytest.approx([0.1071, 0.2679, 0.2679, 0.3571], abs=5e-5)
    assert total_variation(target, legacy_exact_distribution(b"abc", ABC, 1.0)) == pytest.approx(0.0618, abs=5e-5)
    assert total_variation(target, legacy_exact_distribution(b"abc", ABC, 1.0, rule="half")) == pytest.approx(
        0.1189, abs=5e-5
    )


def test_legacy_exact_distribution_validates():
    with pytest.raises(ValueError, match="rule"):
        legacy_exact_distribution(b"abc", ABC, 1.0, rule="perfect")
    with pytest.raises(ValueError, match="order"):
        legacy_exact_distribution(b"abc", ABC, 1.0, order="random")
    with pytest.raises(ValueError, match="max_states"):
        legacy_exact_distribution(b"abc", ABC, 1.0, max_states=0)
    with pytest.raises(ValueError, match="max_states=1 "):
        legacy_exact_distribution(random_text(0, 12), random_model(0), 1.0, max_states=1)
    with pytest.raises(ValueError, match="cannot be segmented"):
        legacy_exact_distribution(b"abz", ABC, 1.0)
    assert legacy_exact_distribution(b"", ABC, 1.0) == {(): 1.0}


def test_perfect_sampling_back_pointer_product_telescopes_to_the_target():
    """D8 by enumeration: prod_t Z(e_{t-1}) x / Z(e_t) (reservoir at each end) equals exp(alpha s)/Z."""
    for seed in range(5):
        m = random_model(seed)
        text = random_text(seed, 9)
        alpha = 0.8
        z = prefix_log_partition(text, m, alpha)
        for seg, p in segmentation_distribution(text, m, alpha).items():
            e, logp = 0, 0.0
            for piece in seg:
                logp += z[e] + alpha * m.logp(piece) - z[e + len(piece)]
                e += len(piece)
            assert math.exp(logp) == pytest.approx(p, rel=1e-10)


# ----------------------------------------------------------------------------- samplers: exactness by chi-square

N_DRAWS = 20_000


def _chi2_pvalue(text, model, alpha, method, seed, target_model=None, order="longest_first"):
    target = segmentation_distribution(text, target_model or model, alpha)
    counts = sample_many(text, model, alpha, N_DRAWS, rng=np.random.default_rng(seed), method=method, order=order)
    return chisquare_against(counts, target)[1]


@pytest.mark.parametrize("method", ["perfect", "ffbs"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_exact_samplers_pass_chi_square_against_enumeration(method, seed):
    m = random_model(seed)
    text = piece_text(m, seed, 7)
    assert count_segmentations(text, m) >= 8
    assert _chi2_pvalue(text, m, 1.0, method, seed) > 1e-3


@pytest.mark.parametrize("method", ["legacy", "half"])
def test_negative_control_biased_samplers_are_rejected(method):
    assert _chi2_pvalue(b"abc", ABC, 1.0, method, 0) < 1e-6
    m = random_model(2)
    assert _chi2_pvalue(piece_text(m, 2, 7), m, 1.0, method, 0) < 1e-6
    if method == "legacy":
        assert _chi2_pvalue(b"watching", WATCHING, 1.0, method, 0) < 1e-6
    else:  # every prefix of 'watching' has one segmentation, so held-path scores are prefix masses
        assert _chi2_pvalue(b"watching", WATCHING, 1.0, method, 0) > 1e-3


def test_negative_control_perfect_sampler_of_a_perturbed_model_is_rejected():
    m = random_model(4)
    text = piece_text(m, 4, 7)
    bumped = m.as_dict()
    piece = viterbi_decode(text, m)[0][0]
    bumped[piece] = bumped[piece] + 0.3  # one piece made e^0.3 ~ 1.35 times more likely
    assert _chi2_pvalue(text, UnigramModel(bumped), 1.0, "perfect", 0, target_model=m) < 1e-6


def test_legacy_exact_distribution_matches_the_legacy_sampler():
    for order in ("longest_first", "shortest_first"):
        for rule in ("legacy", "half"):
            m = random_model(9)
            text = piece_text(m, 9, 7)
            exact = legacy_exact_distribution(text, m, 1.0, order=order, rule=rule)
            counts = sample_many(text, m, 1.0, N_DRAWS, rng=np.random.default_rng(3), method=rule, order=order)
            assert chisquare_against(counts, exact)[1] > 1e-3


def test_alpha_zero_samples_uniformly_over_segmentations():
    m = random_model(6)
    text = piece_text(m, 6, 6)
    segs = enumerate_segmentations(text, m)
    uniform = {g: 1.0 / len(segs) for g in segs}
    counts = sample_many(text, m, 0.0, N_DRAWS, rng=np.random.default_rng(0), method="perfect")
    assert chisquare_against(counts, uniform)[1] > 1e-3


def test_large_alpha_recovers_viterbi_for_every_method():
    unique_cases = 0
    for case in range(6):
        m = random_model(30 + case)
        text = random_text(30 + case, 25)
        best, best_score = viterbi_decode(text, m)
        (_, s1), (_, s2) = nbest(text, m, 2)
        for method in METHODS:
            for seed in range(2):
                got = sample_segmentation(text, m, 1e6, rng=np.random.default_rng(seed), method=method)
                assert segmentation_score(got, m, text=text) == pytest.approx(best_score, abs=1e-9)
                if s1 - s2 > 1e-3:  # a unique maximiser (permuted pieces tie exactly)
                    assert got == best
        unique_cases += s1 - s2 > 1e-3
    assert unique_cases >= 2


def test_sampler_is_deterministic_given_the_seed_and_covers_long_texts():
    m = UnigramModel.from_counts({b"a": 5, b"b": 3, b"ab": 4, b"ba": 2, b"aba": 1})
    text = b"ab" * 30_000
    for method in ("perfect", "ffbs"):
        a = sample_segmentation(text, m, 0.5, rng=np.random.default_rng(1), method=method)
        b = sample_segmentation(text, m, 0.5, rng=np.random.default_rng(1), method=method)
        assert a == b and b"".join(a) == text
    assert sample_segmentation(text[:50], m, 0.5, rng=7) == sample_segmentation(
        text[:50], m, 0.5, rng=np.random.default_rng(7)
    )


def test_sampler_validates_arguments():
    m = UnigramModel({b"a": -1.0, b"b": -1.0})
    rng = np.random.default_rng(0)
    assert sample_segmentation(b"", m, 1.0, rng=rng) == []
    with pytest.raises(ValueError, match="method"):
        sample_segmentation(b"ab", m, 1.0, rng=rng, method="best")
    with pytest.raises(ValueError, match="order"):
        sample_segmentation(b"ab", m, 1.0, rng=rng, order="any")
    with pytest.raises(TypeError, match="Generator"):
        sample_segmentation(b"ab", m, 1.0, rng=np.random.RandomState(0))
    with pytest.raises(TypeError):
        sample_segmentation("ab", m, 1.0, rng=rng)
    for bad in (float("nan"), -1.0, float("inf")):
        with pytest.raises(ValueError, match="alpha"):
            sample_segmentation(b"ab", m, bad, rng=rng)
    for method in METHODS:
        with pytest.raises(ValueError, match="cannot be segmented"):
            sample_segmentation(b"abc", m, 1.0, rng=rng, method=method)
    with pytest.raises(ValueError, match="non-negative"):
        sample_many(b"ab", m, 1.0, -1, rng=rng)
    assert sum(sample_many(b"ab", m, 1.0, 10, rng=rng).values()) == 10


# ----------------------------------------------------------------------------- n-best, SR, entropy, helpers


def test_nbest_equals_sorted_enumeration():
    m = random_model(12)
    text = random_text(12, 8)
    segs = sorted(brute_segmentations(text, m), key=lambda g: (-score(g, m), g))
    for n in (1, 3, len(segs), len(segs) + 5):
        got = nbest(text, m, n)
        assert [g for g, _ in got] == segs[:n]
        assert [s for _, s in got] == pytest.approx([score(g, m) for g in segs[:n]], abs=1e-12)
    assert nbest(b"", m, 2) == [((), 0.0)]
    with pytest.raises(ValueError, match="positive integer"):
        nbest(text, m, 0)
    with pytest.raises(ValueError, match="cannot be segmented"):
        nbest(b"abz", m, 2)


def test_subword_regularisation_with_unrestricted_list_matches_the_target():
    m = random_model(13)
    text = piece_text(m, 13, 6)
    n_all = count_segmentations(text, m)
    rng = np.random.default_rng(0)
    counts = Counter(tuple(subword_regularization_sample(text, m, 1.0, n_all, rng=rng)) for _ in range(N_DRAWS))
    assert chisquare_against(counts, segmentation_distribution(text, m, 1.0))[1] > 1e-3
    # with n = 2 only the two best segmentations can appear
    two = {g for g, _ in nbest(text, m, 2)}
    assert {tuple(subword_regularization_sample(text, m, 1.0, 2, rng=rng)) for _ in range(200)} <= two


def test_sampling_entropy_and_logprob_match_enumeration():
    m = random_model(14)
    text = random_text(14, 9)
    for alpha in (0.0, 0.5, 2.0):
        d = segmentation_distribution(text, m, alpha)
        h = -sum(p * math.log(p) for p in d.values())
        assert sampling_entropy(text, m, alpha) == pytest.approx(h, abs=1e-10)
        for g, p in list(d.items())[:5]:
            assert segmentation_logprob(g, m, alpha) == pytest.approx(math.log(p), abs=1e-10)
            assert segmentation_logprob(list(g), m, alpha, text=text) == pytest.approx(math.log(p), abs=1e-10)
    with pytest.raises(ValueError, match="cannot be segmented"):
        sampling_entropy(b"abz", m, 1.0)
    with pytest.raises(TypeError):
        segmentation_logprob(b"ab", m, 1.0)


def test_total_variation_and_chisquare_helpers():
    assert total_variation({"a": 0.5, "b": 0.5}, {"a": 1.0}) == 0.5
    probs = {"a": 0.5, "b": 0.3, "c": 0.1999, "d": 0.0001}
    stat, p, dof = chisquare_against({"a": 500, "b": 300, "c": 200}, probs)
    assert dof == 2 and p > 0.99  # d pooled into the smallest bin
    assert chisquare_against({"a": 1, "z": 1}, {"a": 0.5, "b": 0.5}, min_expected=0.5)[:2] == (math.inf, 0.0)
    with pytest.raises(ValueError, match="at least one"):
        chisquare_against({}, probs)
    with pytest.raises(ValueError, match="sum to 1"):
        chisquare_against({"a": 1}, {"a": 0.5})
    with pytest.raises(ValueError, match="non-negative"):
        chisquare_against({"a": 1}, {"a": 1.5, "b": -0.5})
    with pytest.raises(ValueError, match="two bins"):
        chisquare_against({"a": 3}, {"a": 1.0})


def test_random_model_and_piece_text_are_seeded_and_validated():
    from kexue_lab.tokenization import random_model as make_model
    from kexue_lab.tokenization import random_piece_text

    a = make_model(np.random.default_rng(5), n_extra=6)
    b = make_model(np.random.default_rng(5), n_extra=6)
    assert a == b and len(a) == 3 + 6 and a.max_len <= 3
    assert all(-math.log(1 / 0.01) - 1e-12 <= v <= math.log(0.5) + 1e-12 for _, v in a.items())
    text = random_piece_text(a, np.random.default_rng(1), 12)
    assert len(text) == 12 and count_segmentations(text, a) >= 2
    assert random_piece_text(UnigramModel({b"a": -1.0}), np.random.default_rng(0), 3) == b"aaa"
    with pytest.raises(TypeError):
        make_model(5)
    with pytest.raises(ValueError, match="alphabet"):
        make_model(np.random.default_rng(0), alphabet=b"")
    with pytest.raises(ValueError, match="max_len"):
        make_model(np.random.default_rng(0), max_len=0)
    with pytest.raises(ValueError, match="n_extra"):
        make_model(np.random.default_rng(0), n_extra=-1)
    with pytest.raises(ValueError, match="only 4 pieces"):
        make_model(np.random.default_rng(0), alphabet=b"ab", max_len=2, n_extra=5)
    with pytest.raises(ValueError, match="p_range"):
        make_model(np.random.default_rng(0), p_range=(0.0, 0.5))
    with pytest.raises(TypeError):
        random_piece_text(a, 3, 5)
    with pytest.raises(ValueError, match="length"):
        random_piece_text(a, np.random.default_rng(0), -1)


# ----------------------------------------------------------------------------- format_segmentation


def test_format_segmentation_joins_utf8_pieces_and_shows_broken_bytes_in_hex():
    from kexue_lab.tokenization.sampling import format_segmentation

    zh = "今天".encode()
    assert format_segmentation([b"w", b"atching"]) == "w|atching"
    assert format_segmentation((zh, zh[:2], zh[2:])) == "今天|<e4 bb>|<8a e5 a4 a9>"
    assert format_segmentation([]) == ""


def test_format_segmentation_rejects_non_bytes():
    from kexue_lab.tokenization.sampling import format_segmentation

    with pytest.raises(TypeError, match="sequence of bytes"):
        format_segmentation(b"abc")
    with pytest.raises(TypeError, match="must be bytes"):
        format_segmentation(["a", "b"])
