"""The nightly batch: every candidate's suggestions against one snapshot of the open places.

Work is partitioned by candidate. :func:`process_partition` takes a
:class:`PlaceSnapshot` (read-only, shared by all partitions) and a list of
:class:`CandidateTask`; it needs no database and no other partition, so a
driver can run partitions in a process pool, or on Dask or Ray (see
``docs/scaling.md``), and resume a run by skipping finished partitions.

Per candidate the result is a :class:`CandidatePool`: the ranked list
(constraints, scoring, diversity, explanations, as ``Matcher.suggest`` builds
it), followed by ``reserve`` next-best places that the allocation step
(:mod:`matching.batch.allocation`) may swap in when a place is contested. The
batch scores every feasible place within reach with the same ranker as the live
list, so its list is the exact best by the full score; below
``live_exact_below`` open places the live list does the same and the two are
identical.

Speed comes from geography: a place beyond ``max_travel_km`` is never
suggested, so each candidate is compared only with the places in a box around
home, instead of with every place in the country. The snapshot is sorted by
bands of latitude (``_CELL_DEGREES`` high) and by longitude within a band, so
the box is one contiguous run of rows per band, found by binary search. Within
the box, a bound that needs no cosine rules out most places before any vector
is read (:func:`matching.batch.scoring._shortlist`).

Incremental runs. A pool keeps ``known``: the best ``BatchParams.depth``
places it scored, with their scores (twice as deep as a pick can come from;
diversity looks at most four times the list length ahead), and a ``floor``:
every feasible place not in ``known`` scores at most that (None: ``known``
holds them all). Scores of unchanged places do not move while the candidate and
the settings stay the same, so a later run needs only the changed places:
touched places leave ``known``, new and changed places are scored against this
one candidate and merged in when they beat the floor. The merged list is exact
as deep as its entries stay above the floor; while that covers the picks'
``window``, the picks are taken from it (and explained again only if they
changed); otherwise the candidate is computed anew. A run without
``changes`` computes everyone.

The merged pool is the pool a full run would give; the tests check this night
after night of changes. ``spoormatch rematch --full`` recomputes everyone anyway.
"""

from __future__ import annotations

import logging
import time
from typing import Callable, Hashable, Sequence

from matching.batch.merge import _merge, _Outcome
from matching.batch.pools import BatchParams, CandidateTask, ChangeSet, PartitionResult
from matching.batch.scoring import _match_one, _Prepared
from matching.batch.snapshot import PlaceSnapshot, geo_key
from matching.constraints.engine import Profile
from matching.ranking import CandidateVectors, Ranker
from matching.settings import Settings, get_settings

log = logging.getLogger(__name__)


def process_partition(
    snapshot: PlaceSnapshot,
    tasks: Sequence[CandidateTask],
    params: BatchParams = BatchParams(),
    settings: Settings | None = None,
    ranker: Ranker | None = None,
    changes: ChangeSet | None = None,
    on_candidate: Callable[[], None] | None = None,
) -> PartitionResult:
    """Pools for one partition of candidates; never raises for one bad candidate.

    ``ranker`` scores (built from ``settings`` when not given; it must be the
    configuration the snapshot was built with). Tasks without vectors are
    embedded by the ranker. A task
    with ``previous`` is kept, or ``changes`` merged into it, when that is exact
    (see the module docstring); without ``changes`` every candidate is computed. A candidate that fails is
    recorded in ``failures`` with the reason, and logged with its id.
    """
    settings = settings or get_settings()
    if ranker is None:
        from matching.ranking import build_ranker

        ranker = build_ranker(settings)
    started = time.perf_counter()
    result = PartitionResult()
    if snapshot.vectors is None:
        raise ValueError("snapshot: has no vectors attached (use with_vectors)")
    if snapshot.ranker_fingerprint != ranker.fingerprint_text:
        raise ValueError("ranker: the snapshot was built by another ranker configuration")
    columns = snapshot.table.columns

    missing = [t for t in tasks if t.vectors is None]
    if missing:
        vectors_of = _embed_isolated(ranker, missing, result)
        result.embedded.update(vectors_of)
    todo: list[tuple[CandidateTask, _Prepared]] = []
    for task in tasks:
        if task.key in result.failures:
            _tick(on_candidate)
            continue
        try:
            vectors = task.vectors or result.embedded[task.key]
            prep = _Prepared(task.candidate, Profile.from_candidate(task.candidate, columns, settings),
                             ranker.view(task.candidate, vectors))
            outcome, pool = _Outcome.RECOMPUTE, None
            if task.previous is not None and changes is not None:
                outcome, pool = _merge(snapshot, changes, prep, task.previous, params, settings, ranker)
            if outcome == _Outcome.RECOMPUTE:
                todo.append((task, prep))
                continue
            if outcome == _Outcome.SAME:
                result.reused.append(task.key)
            elif outcome == _Outcome.REFRESHED:
                result.refreshed[task.key] = pool
            else:
                result.pools[task.key] = pool
                result.merged.add(task.key)
            _tick(on_candidate)
        except Exception as exc:  # one candidate must never stop the run
            _fail(result, task, exc)
            _tick(on_candidate)

    todo.sort(key=lambda tp: float(geo_key(tp[1].profile.lat, tp[1].profile.lon)))
    for task, prep in todo:
        try:
            result.pools[task.key] = _match_one(snapshot, prep, params, settings, ranker)
        except Exception as exc:  # one candidate must never stop the run
            _fail(result, task, exc)
        _tick(on_candidate)
    result.seconds = time.perf_counter() - started
    return result


def _fail(result: PartitionResult, task: CandidateTask, exc: Exception) -> None:
    log.warning("rematch: candidate %s skipped: %s", _name(task), exc, exc_info=log.isEnabledFor(logging.DEBUG))
    result.failures[task.key] = f"{type(exc).__name__}: {exc}"


def _name(task: CandidateTask) -> str:
    return f"{task.candidate.id} ({task.key})" if str(task.key) != task.candidate.id else task.candidate.id


def _tick(callback: Callable[[], None] | None) -> None:
    if callback is not None:
        callback()


def _embed_isolated(ranker: Ranker, tasks: Sequence[CandidateTask],
                    result: PartitionResult) -> dict[Hashable, CandidateVectors]:
    """Embed in one go where the encoder allows; if that fails, one by one, so one bad
    text fails alone."""
    try:
        return dict(zip((t.key for t in tasks), ranker.embed_candidates([t.candidate for t in tasks])))
    except Exception:
        pass
    out = {}
    for t in tasks:
        try:
            out[t.key] = ranker.embed_candidate(t.candidate)
        except Exception as exc:
            log.warning("rematch: candidate %s skipped, text could not be embedded: %s", _name(t), exc)
            result.failures[t.key] = f"{type(exc).__name__}: {exc}"
    return out


def partitions(keys: Sequence[Hashable], size: int,
               homes: Sequence[tuple[float, float] | None] | None = None) -> list[list[Hashable]]:
    """Slices of ``size`` keys; with ``homes`` (lat, lon per key, None if unknown),
    keys are first put in the snapshot's geographic order.

    Neighbours in one partition share their places: the places read for their
    explanations stay in the worker's cache from one candidate to the next. The
    same keys and homes give the same partitions, so a resumed run finds them again.
    """
    if size < 1:
        raise ValueError(f"size: must be at least 1, got {size}")
    keys = list(keys)
    if homes is not None:
        if len(homes) != len(keys):
            raise ValueError(f"homes: {len(homes)} for {len(keys)} keys")
        order = sorted(range(len(keys)), key=lambda i: (
            (0, float(geo_key(*homes[i]))) if homes[i] is not None else (1, 0.0), i))
        keys = [keys[i] for i in order]
    return [keys[i:i + size] for i in range(0, len(keys), size)]
