"""The transfer benchmark's nDCG@k and P@k on small hand-made lists."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

# Appended, not prepended: benchmarks/ holds modules (index, constraints) whose names must not
# shadow anything else on the path.
BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.append(str(BENCHMARKS))

from transfer import ndcg_at_k, precision_at_k  # noqa: E402

RELEVANT = {"a": 3, "b": 1, "c": 2}


def test_perfect_ranking_scores_one():
    assert ndcg_at_k(["a", "c", "b"], RELEVANT, k=3) == pytest.approx(1.0)
    assert precision_at_k(["a", "c", "b"], RELEVANT, k=3) == pytest.approx(1.0)


def test_no_hits_score_zero():
    assert ndcg_at_k(["x", "y", "z"], RELEVANT, k=3) == 0.0
    assert precision_at_k(["x", "y", "z"], RELEVANT, k=3) == 0.0


def test_known_value():
    # DCG = 3/log2(2) + 0 + 1/log2(4) = 3.5; ideal = 3 + 2/log2(3) + 1/log2(4).
    ideal = 3 + 2 / math.log2(3) + 0.5
    assert ndcg_at_k(["a", "x", "b"], RELEVANT, k=3) == pytest.approx(3.5 / ideal)
    assert precision_at_k(["a", "x", "b"], RELEVANT, k=3) == pytest.approx(2 / 3)


def test_only_the_first_k_count_and_the_ideal_is_cut_at_k():
    # With k = 1 the ideal is the single best gain: "c" (2) against "a" (3).
    assert ndcg_at_k(["c", "a"], RELEVANT, k=1) == pytest.approx(2 / 3)
    assert precision_at_k(["x", "a"], RELEVANT, k=1) == 0.0


def test_a_short_list_counts_its_gaps_as_misses():
    assert precision_at_k(["a"], RELEVANT, k=10) == pytest.approx(0.1)
    assert ndcg_at_k(["a", "c", "b"], RELEVANT, k=10) == pytest.approx(1.0)


def test_nothing_relevant_scores_zero():
    assert ndcg_at_k(["a"], {}, k=10) == 0.0
