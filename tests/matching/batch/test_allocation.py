"""Allocation: scarce places spread over candidates, lists stay full and good."""

from __future__ import annotations

import numpy as np

from matching.batch.allocation import allocate, contention_text, quota_for


def test_scarce_place_is_spread_and_total_score_drops_little():
    rng = np.random.default_rng(0)
    rankings, lengths = {}, {}
    for c in range(40):
        # Everyone's number one is the same werkervaringsplek; the rest differ per candidate.
        own = [(f"p-{c}-{j}", round(0.8 - 0.02 * j - 0.01 * rng.random(), 4)) for j in range(8)]
        rankings[c] = [("wep-1", 0.86)] + own
        lengths[c] = 5
    quota = {pid: quota_for(1, 3.0) for r in rankings.values() for pid, _ in r}
    result = allocate(rankings, lengths, quota)
    m = result.metrics()
    assert m["max_exposure_before"] == 40 and m["max_exposure_place_before"] == "wep-1"
    assert m["max_exposure_after"] == 3
    assert result.exposures_after["wep-1"] == 3
    assert all(len(result.picks[c]) == 5 for c in rankings)  # every list stays full
    assert 0 < m["total_score_drop_pct"] < 5
    assert m["method"] == "flow" and m["places_over_quota_after"] == 0
    # Who keeps the scarce place: those who lose least by giving it up are moved.
    for c, picks in result.picks.items():
        assert picks == [pid for pid, _ in rankings[c] if pid in picks]  # ranking order kept


def test_nothing_contested_keeps_every_list():
    rankings = {c: [(f"p-{c}-{j}", 0.9 - 0.1 * j) for j in range(4)] for c in range(5)}
    lengths = {c: 3 for c in rankings}
    quota = {pid: 1 for r in rankings.values() for pid, _ in r}
    result = allocate(rankings, lengths, quota)
    assert result.picks == result.before
    assert result.method == "none"


def test_quota_is_exceeded_only_when_a_pool_has_nothing_else():
    # Two candidates, one scarce place, no reserve for the second: they keep it.
    rankings = {"a": [("wep", 0.9), ("x", 0.5)], "b": [("wep", 0.9)]}
    result = allocate(rankings, {"a": 1, "b": 1}, {"wep": 1, "x": 1})
    assert result.picks == {"a": ["x"], "b": ["wep"]}
    rankings = {"a": [("wep", 0.9)], "b": [("wep", 0.8)]}
    result = allocate(rankings, {"a": 1, "b": 1}, {"wep": 1})
    assert result.picks == {"a": ["wep"], "b": ["wep"]}  # lists never shrink
    assert result.over_quota_after == 1


def test_quota_and_texts():
    assert quota_for(1, 3.0) == 3
    assert quota_for(0, 3.0) == 3  # a place without a stated number has at least one
    assert quota_for(2, 2.5) == 5
    assert contention_text(6, 1) == "1 plaats; ook voorgesteld bij nog 6 andere kandidaten"
    assert contention_text(1, 2) == "2 plaatsen; ook voorgesteld bij nog 1 andere kandidaat"
    assert contention_text(0, 1) == "1 plaats; bij geen andere kandidaat voorgesteld"


def test_the_programme_finds_the_best_lists_a_search_of_all_finds():
    """Small random populations: the total score equals the best of every choice of
    lists under the quotas (places in few pools leave the programme; nothing is lost)."""
    from itertools import combinations, product

    rng = np.random.default_rng(7)
    for trial in range(25):
        places = [f"p-{j}" for j in range(6)]
        rankings = {}
        for c in range(4):
            pool = rng.choice(places, size=4, replace=False)
            scores = np.sort(rng.uniform(0.3, 0.9, size=4))[::-1]
            rankings[c] = [(str(pid), round(float(s), 4)) for pid, s in zip(pool, scores)]
        lengths = {c: 2 for c in rankings}
        quota = {pid: int(rng.integers(1, 3)) for pid in places}
        result = allocate(rankings, lengths, quota)

        def total(choice):
            return sum(dict(rankings[c])[pid] for c, picks in choice.items() for pid in picks)

        best = None
        options = [list(combinations([pid for pid, _ in rankings[c]], 2)) for c in rankings]
        for combo in product(*options):
            used = {}
            for picks in combo:
                for pid in picks:
                    used[pid] = used.get(pid, 0) + 1
            if all(n <= quota[pid] for pid, n in used.items()):
                value = total(dict(zip(rankings, combo)))
                best = value if best is None else max(best, value)
        if best is None:
            continue  # no choice keeps every quota; covered by the test above
        assert result.over_quota_after == 0, trial
        # The programme values positions, not raw scores (see _position_values); with
        # sorted pools the two agree.
        assert abs(result.total_after - best) < 1e-3, trial
