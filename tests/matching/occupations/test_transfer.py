"""The transfer score between ESCO occupations: its data, its range, what it prefers."""

from __future__ import annotations

import json

import numpy as np
import pytest

from matching.occupations import get_transfer_model, load_esco
from matching.occupations.transfer import MODEL_FILE, TransferWeights, design_names
from matching.settings import ScoreWeights, get_settings


def uri(label: str) -> str:
    esco = load_esco()
    return esco.uris[esco.labels.index(label)]


@pytest.fixture(scope="module")
def model():
    return get_transfer_model()


def test_a_row_scores_every_occupation_between_0_and_1(model):
    row = model.row(uri("receptionist"))
    assert row.shape == (len(load_esco()) + 1,)
    assert np.all((row >= 0) & (row <= 1))
    assert row[-1] == 0.0, "code -1 (no occupation) must gather 0"
    assert model.score(uri("receptionist"), uri("receptionist")) == 1.0
    assert model.row("") .sum() == 0.0


def test_related_work_scores_above_unrelated_work(model):
    host = uri("gastheer/gastvrouw")
    assert model.score(host, uri("receptionist")) > 0.5
    for far in ("vrachtwagenchauffeur", "software tester", "metselaar"):
        assert model.score(host, uri(far)) < model.score(host, uri("receptionist")) / 2, far


def test_what_carries_over_is_said_in_dutch_and_is_specific(model):
    words = model.shared_skills(uri("gastheer/gastvrouw"), uri("receptionist"))
    assert words, "a host and a receptionist share skills ESCO names"
    space = model.space
    for w in words:
        j = [space.skills.label(k) for k in range(len(space.skills.keys))].index(w)
        assert space.skills.has_dutch(j)


def test_the_packaged_vectors_belong_to_the_packaged_esco():
    data = np.load(get_settings().data_dir / "esco" / "occupation_vectors.npz")
    assert list(data["uris"]) == list(load_esco().uris)
    assert data["text"].dtype == np.int8 and data["skills"].dtype == np.int8


def test_a_model_file_for_other_inputs_is_refused_naming_the_file(tmp_path):
    stored = json.loads((get_settings().models_dir / MODEL_FILE).read_text())
    stored["inputs"] = stored["inputs"][:-1]
    path = tmp_path / MODEL_FILE
    path.write_text(json.dumps(stored))
    with pytest.raises(ValueError, match=str(path)):
        TransferWeights.load(path)
    with pytest.raises(FileNotFoundError, match="fit_transfer"):
        TransferWeights.load(tmp_path / "absent.json")


def test_the_default_weights_are_the_fitted_ones():
    """The ranking weights ship in settings; they must be the ones the fit chose."""
    stored = json.loads((get_settings().models_dir / MODEL_FILE).read_text())
    assert stored["inputs"] == design_names()
    fitted = stored["ranking_weights"]
    defaults = ScoreWeights()
    assert defaults.occupation == pytest.approx(fitted["occupation"])
    assert defaults.semantic == pytest.approx(fitted["semantic"])
    assert "transfer_dev" in stored["fitted_on"]
