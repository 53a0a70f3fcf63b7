"""What the nightly run's workers receive: a ranker that pickles, scores as the
driver's does, and leaves the driver's embedding cache and loaded engines behind."""

from __future__ import annotations

import pickle

import numpy as np

import matching.batch as batch
from matching.contract.models import Candidate, Placement
from matching.ranking import build_ranker
from matching.settings import Settings
from matching.text import EmbeddingCache
from matching.text.neural import UseEncoder
from tests.conftest import HashingEncoder, candidate_json, placement_json


def test_a_ranker_arrives_in_a_worker_whole_and_scores_the_same(tmp_path):
    settings = Settings(state_dir=tmp_path)
    ranker = build_ranker(settings, encoder=HashingEncoder(), cache=EmbeddingCache(tmp_path / "cache.sqlite"))
    places = [Placement.model_validate(placement_json(id=f"p-{i}", title=t)) for i, t in enumerate(
        ["Receptiemedewerker", "Kok", "Telefonist", "Heftruckchauffeur"])]
    vectors = ranker.embed_places(places)
    snapshot = batch.PlaceSnapshot.build(places, vectors, ["v1"] * len(places), ranker=ranker)
    tasks = [batch.CandidateTask(key=1, candidate=Candidate.model_validate(candidate_json()))]
    ranker.embed_candidate(tasks[0].candidate)  # the driver's memos are warm, the worker's are not

    copy = pickle.loads(pickle.dumps(ranker))
    assert copy.cache is None, "the embedding cache is the driver's file"
    assert copy.fingerprint_text == ranker.fingerprint_text
    assert np.array_equal(copy.embed_places(places), vectors)
    here = batch.process_partition(snapshot, tasks, batch.BatchParams(3, 1), settings, ranker)
    there = batch.process_partition(pickle.loads(pickle.dumps(snapshot)), tasks, batch.BatchParams(3, 1),
                                    settings, copy)
    assert here.pools[1].entries and here.pools[1] == there.pools[1]


def test_an_engine_is_loaded_again_by_the_worker_not_shipped():
    encoder = UseEncoder()
    encoder._model = object()  # stands for hundreds of MB of weights
    copy = pickle.loads(pickle.dumps(encoder))
    assert copy._model is None and copy.model_id == encoder.model_id
    with copy._lock:  # a fresh lock, not the driver's
        pass
