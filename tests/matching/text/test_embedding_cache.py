import hashlib

import numpy as np
import pytest

from matching.text import CharTfidfEncoder, EmbeddingCache, HybridEncoder, l2_normalise


class CountingEncoder:
    """Cheap deterministic encoder that records every text it is asked to embed."""

    def __init__(self, model_id="fake-1", dim=8):
        self.model_id = model_id
        self.dim = dim
        self.seen: list[str] = []

    def encode(self, texts, batch_size=64):
        self.seen.extend(texts)
        rows = [np.frombuffer(hashlib.sha256(t.encode()).digest()[: self.dim], dtype=np.uint8)
                for t in texts]
        return l2_normalise(np.array(rows, dtype=np.float32).reshape(len(texts), self.dim) + 1)


def test_unchanged_text_hits_and_changed_text_misses():
    enc = CountingEncoder()
    cache = EmbeddingCache()
    first = cache.encode(enc, ["Gastvrouw vakantiepark", "Receptiemedewerker"])
    assert (cache.hits, cache.misses) == (0, 2)

    again = cache.encode(enc, ["Gastvrouw vakantiepark", "Receptiemedewerker hotel"])
    assert (cache.hits, cache.misses) == (1, 3)
    assert enc.seen == ["Gastvrouw vakantiepark", "Receptiemedewerker", "Receptiemedewerker hotel"]
    np.testing.assert_array_equal(again[0], first[0])
    np.testing.assert_array_equal(again[1], enc.encode(["Receptiemedewerker hotel"])[0])


def test_rows_follow_input_order_and_duplicates_are_embedded_once():
    enc = CountingEncoder()
    cache = EmbeddingCache()
    texts = ["b", "a", "b", "c", "a"]
    out = cache.encode(enc, texts)
    assert out.shape == (5, enc.dim) and out.dtype == np.float32
    assert sorted(enc.seen) == ["a", "b", "c"]
    np.testing.assert_array_equal(out, CountingEncoder().encode(texts))


def test_persists_across_instances(tmp_path):
    path = tmp_path / "sub" / "emb.sqlite"
    enc = CountingEncoder()
    with EmbeddingCache(path) as cache:
        stored = cache.encode(enc, ["kok", "kapper"])
    enc.seen.clear()
    with EmbeddingCache(path) as cache:
        loaded = cache.encode(enc, ["kapper", "kok"])
        assert (cache.hits, cache.misses) == (2, 0)
        assert cache.count(enc.model_id) == 2
    assert enc.seen == []
    np.testing.assert_array_equal(loaded, stored[::-1])


def test_models_do_not_share_vectors():
    cache = EmbeddingCache()
    a, b = CountingEncoder("model-a"), CountingEncoder("model-b")
    cache.encode(a, ["kok"])
    cache.encode(b, ["kok"])
    assert b.seen == ["kok"] and cache.misses == 2
    assert cache.drop_model("model-a") == 1
    assert cache.count() == 1


def test_all_hits_do_not_load_the_model():
    class LazyDim(CountingEncoder):
        loads = 0

        @property
        def dim(self):
            LazyDim.loads += 1
            return 8

        @dim.setter
        def dim(self, value):
            pass

    cache = EmbeddingCache()
    cache.encode(LazyDim(), ["a", "b"])
    before = LazyDim.loads
    cache.encode(LazyDim(), ["b", "a"])
    assert LazyDim.loads == before


def test_many_texts_are_looked_up_in_batches():
    # More distinct texts than SQLite allows parameters in one statement.
    enc = CountingEncoder()
    cache = EmbeddingCache(write_batch=700)
    texts = [f"tekst {i}" for i in range(2500)]
    first = cache.encode(enc, texts)
    second = cache.encode(enc, texts[::-1])
    assert cache.hits == 2500 and cache.misses == 2500
    np.testing.assert_array_equal(second, first[::-1])


def test_empty_input():
    out = EmbeddingCache().encode(CountingEncoder(), [])
    assert out.shape == (0, 8)


def test_hybrid_is_cached_per_part():
    a, b = CountingEncoder("part-a", 4), CountingEncoder("part-b", 6)
    cache = EmbeddingCache()
    h1 = cache.encode(HybridEncoder([(a, 0.3), (b, 0.7)]), ["kok", "kapper"])
    h2 = cache.encode(HybridEncoder([(a, 0.5), (b, 0.5)]), ["kok", "kapper"])
    assert a.seen == ["kok", "kapper"] and b.seen == ["kok", "kapper"]
    np.testing.assert_allclose(h2, HybridEncoder([(a, 0.5), (b, 0.5)]).encode(["kok", "kapper"]), atol=1e-6)
    assert not np.allclose(h1, h2)


def test_real_encoder_round_trip(tmp_path):
    enc = CharTfidfEncoder(["kok in een restaurant", "kapper in een salon", "medewerker receptie"],
                           dim=16)
    with EmbeddingCache(tmp_path / "e.sqlite") as cache:
        cached = cache.encode(enc, ["kok", "receptie"])
        cached_again = cache.encode(enc, ["kok", "receptie"])
    np.testing.assert_array_equal(cached, enc.encode(["kok", "receptie"]))
    np.testing.assert_array_equal(cached_again, cached)


def test_single_string_is_refused():
    with pytest.raises(TypeError):
        EmbeddingCache().encode(CountingEncoder(), "kok")


class Uncached(CountingEncoder):
    cache_vectors = False


def test_an_encoder_faster_than_the_cache_is_never_stored():
    cache = EmbeddingCache()
    enc = Uncached("quick")
    first = cache.encode(enc, ["kok", "kapper", "kok"])
    again = cache.encode(enc, ["kok"])
    assert cache.count() == 0 and enc.seen == ["kok", "kapper", "kok", "kok"]
    np.testing.assert_array_equal(again[0], first[0])
    assert cache.misses == 3  # each call's distinct texts were computed


def test_a_hybrid_text_counts_once_and_only_its_slow_part_is_stored():
    cache = EmbeddingCache()
    slow, quick = CountingEncoder("slow"), Uncached("quick")
    hybrid = HybridEncoder([(quick, 0.6), (slow, 0.4)])
    out = cache.encode(hybrid, ["kok", "kapper"])
    assert cache.misses == 2 and cache.count("slow") == 2 and cache.count("quick") == 0
    np.testing.assert_array_equal(out, hybrid.encode(["kok", "kapper"]))
    slow.seen.clear()
    cache.encode(hybrid, ["kapper"])
    assert slow.seen == [] and cache.hits == 1


def test_the_tfidf_encoder_is_not_cached():
    assert CharTfidfEncoder(["een korte tekst", "nog een"]).cache_vectors is False


def test_a_cache_of_an_earlier_version_keeps_its_vectors(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite"
    enc = CountingEncoder()
    [vector] = enc.encode(["kok"])
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE embeddings (model_id TEXT NOT NULL, text_sha256 BLOB NOT NULL, "
                 "vector BLOB NOT NULL, PRIMARY KEY (model_id, text_sha256)) WITHOUT ROWID")
    conn.execute("INSERT INTO embeddings VALUES (?, ?, ?)",
                 (enc.model_id, hashlib.sha256(b"kok").digest(), vector.tobytes()))
    conn.commit()
    conn.close()
    enc.seen.clear()
    with EmbeddingCache(path) as cache:
        np.testing.assert_array_equal(cache.encode(enc, ["kok"])[0], vector)
        assert enc.seen == [] and cache.hits == 1
    tables = {name for (name,) in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"vectors"}
