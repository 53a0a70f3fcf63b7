"""The static Dutch encoder as the product loads it: the packaged models/static-nl."""

import pickle

import numpy as np
import pytest

from matching.text import StaticEncoder, get_encoder, packaged_static_path
from matching.text.calibration import measured

TEXTS = ["Vakkenvuller supermarkt", "Medewerker vulploeg in de supermarkt; schappen aanvullen",
         "Boekhouder. De boekhouding en de financiële administratie van een bedrijf bijhouden", "", "   ",
         "Administratief medewerker crediteuren en debiteuren", "Ζωγράφος 🎨 日本語"]


@pytest.fixture(scope="module")
def static():
    return StaticEncoder()


def test_the_packaged_model_gives_unit_rows_and_zero_rows_for_blank_texts(static):
    out = static.encode(TEXTS)
    assert out.shape == (len(TEXTS), static.dim) and out.dtype == np.float32
    norms = np.linalg.norm(out, axis=1)
    assert norms[3] == 0 and norms[4] == 0
    assert np.allclose(norms[[0, 1, 2, 5, 6]], 1.0, atol=1e-5)
    assert static.encode([]).shape == (0, static.dim)


def test_related_work_lies_closer_than_unrelated_work(static):
    shelf, fill_team, bookkeeper, _, _, admin, _ = static.encode(TEXTS)
    assert shelf @ fill_team > shelf @ bookkeeper
    assert bookkeeper @ admin > bookkeeper @ shelf


def test_a_text_gets_the_same_bits_in_any_batch(static):
    assert static.batch_invariant
    together = static.encode(TEXTS)
    alone = np.vstack([static.encode([t]) for t in TEXTS])
    reversed_ = static.encode(TEXTS[::-1])[::-1]
    assert np.array_equal(together, alone) and np.array_equal(together, reversed_)


def test_it_reads_the_folder_as_sentence_transformers_does(static):
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(packaged_static_path()), device="cpu", local_files_only=True).float()
    texts = [t for t in TEXTS if t.strip()]
    expected = model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    assert np.allclose(static.encode(texts), expected, atol=1e-5)


def test_it_travels_to_a_worker_without_its_weights(static):
    static.encode(["laden"])
    copy = pickle.loads(pickle.dumps(static))
    assert copy._weights is None and copy.model_id == static.model_id
    assert np.array_equal(copy.encode(TEXTS), static.encode(TEXTS))


def test_a_missing_model_names_the_command_that_builds_it(tmp_path):
    with pytest.raises(RuntimeError, match="make model"):
        StaticEncoder(tmp_path)


def test_the_shipped_calibration_belongs_to_the_shipped_model():
    # Retraining changes the files, so the model id, so the calibration key: the
    # ranker must never read a cosine of a new model with an old model's scale.
    default = get_encoder("default")
    assert measured(get_encoder("static").calibration_key) is not None
    assert measured(default.calibration_key) is not None
    assert default.calibration.source == "measured"
