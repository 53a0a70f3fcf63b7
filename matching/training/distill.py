"""Distil the multilingual USE into a static Dutch encoder, with sentence-transformers.

    spoormatch train-encoder [--out models/static-nl] [--dim 256] [--seed 0]

The student is a sentence-transformers model of one ``StaticEmbedding`` module: a
vector per SentencePiece piece, averaged over a text's pieces. Teacher: USE
(multilingual v3, 512 dims), the semantic half of the classic default.

1. The Dutch training texts (:mod:`matching.training.corpus`) and the pieces
   they use (:mod:`matching.training.tokenizer`).
2. The teacher embeds every text and every piece on its own.
3. A truncated SVD of the texts' teacher vectors gives a ``dim``-dimensional
   space that keeps the teacher's inner products; texts and pieces are
   projected into it.
4. Each piece starts at its own projected teacher vector (as Model2Vec does),
   then all pieces are fitted together so that the mean of a text's pieces
   points where the teacher's vector of the whole text points (cosine loss,
   Adam, a fixed seed). A twentieth of the texts is held out to pick the epoch.
5. The folder is written with float16 weights (a few MB), plus ``training.json``
   with what went in and how close the student came.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from matching.training.corpus import training_texts
from matching.training.tokenizer import SPACE, build_tokenizer, pruned_pieces, read_pieces

logger = logging.getLogger(__name__)


#: USE multilingual v3 gives 512 dimensions; the student keeps at most as many.
TEACHER_DIM = 512


@dataclass
class DistillConfig:
    dim: int = 256
    seed: int = 0
    epochs: int = 12
    batch_size: int = 128
    learning_rate: float = 0.003
    held_out: float = 0.05
    n_placements: int = 3000
    n_candidates: int = 1000

    def __post_init__(self) -> None:
        if not 8 <= self.dim <= TEACHER_DIM:
            raise ValueError(f"dim: must be between 8 and the teacher's {TEACHER_DIM}, got {self.dim}")
        if self.epochs < 1:
            raise ValueError(f"epochs: must be at least 1, got {self.epochs}")
        if not 0 < self.held_out < 0.5:
            raise ValueError(f"held_out: must be a share between 0 and 0.5, got {self.held_out}")


@dataclass
class DistillReport:
    config: dict
    teacher: str
    texts: int
    pieces: int
    dim: int
    best_epoch: int
    held_out_cosine_init: float
    held_out_cosine: float
    seconds: dict = field(default_factory=dict)
    file_bytes: int = 0
    folder: str = ""


def _piece_text(piece: str) -> str:
    # What the teacher sees of a piece: "▁zorg" is the start of a word, "zorg".
    return piece.replace(SPACE, " ").strip() or piece


def _cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    na = np.linalg.norm(a, axis=1)
    nb = np.linalg.norm(b, axis=1)
    return np.einsum("ij,ij->i", a, b) / np.maximum(na * nb, 1e-12)


def distill(out_dir: Path, data_dir: Path, config: DistillConfig | None = None, teacher=None) -> DistillReport:
    """Train the static encoder and write it to ``out_dir`` (replaced when it exists)."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import StaticEmbedding

    config = config or DistillConfig()
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    texts = training_texts(data_dir, n_placements=config.n_placements, n_candidates=config.n_candidates)
    pieces = pruned_pieces(read_pieces(), texts)
    tokenizer = build_tokenizer(pieces)
    seconds["corpus"] = time.perf_counter() - t0
    logger.info("%d texts, %d pieces", len(texts), len(pieces))

    if teacher is None:
        from matching.text.neural import UseEncoder

        teacher = UseEncoder()
    t0 = time.perf_counter()
    targets = teacher.encode(texts, batch_size=256)
    piece_vectors = teacher.encode([_piece_text(p) for p, _ in pieces], batch_size=256)
    seconds["teacher"] = time.perf_counter() - t0

    # Uncentred SVD: the top directions of the texts' second moments keep their inner
    # products (what a cosine reads), where a centred PCA would keep their spread.
    t0 = time.perf_counter()
    _, _, vt = np.linalg.svd(targets.astype(np.float64), full_matrices=False)
    basis = vt[: config.dim].T.astype(np.float32)
    targets = targets @ basis
    init = piece_vectors @ basis
    init[0] = 0.0  # the unknown piece says nothing

    rng = np.random.default_rng(config.seed)
    order = rng.permutation(len(texts))
    n_held = max(1, int(len(texts) * config.held_out))
    held, train = order[:n_held], order[n_held:]

    torch.manual_seed(config.seed)
    module = StaticEmbedding(tokenizer, embedding_weights=torch.from_numpy(init.copy()))
    model = SentenceTransformer(modules=[module], device="cpu")

    def embed(rows: np.ndarray) -> torch.Tensor:
        features = module.preprocess([texts[i] for i in rows])
        return module(features)["sentence_embedding"]

    def held_cosine() -> float:
        with torch.no_grad():
            return float(np.mean(_cosine(embed(held).numpy(), targets[held])))

    target_t = torch.from_numpy(targets)
    optimiser = torch.optim.Adam(module.parameters(), lr=config.learning_rate)
    best = (held_cosine(), 0, module.embedding.weight.detach().clone())
    init_cos = best[0]
    logger.info("held-out cosine to the teacher at the start: %.4f", init_cos)
    for epoch in range(1, config.epochs + 1):
        module.train()
        batches = rng.permutation(train)
        for start in range(0, len(batches), config.batch_size):
            rows = batches[start:start + config.batch_size]
            out = embed(rows)
            loss = 1.0 - torch.nn.functional.cosine_similarity(out, target_t[rows], dim=1).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            with torch.no_grad():
                module.embedding.weight[0].zero_()
        module.eval()
        score = held_cosine()
        logger.info("epoch %d: held-out cosine %.4f", epoch, score)
        if score > best[0]:
            best = (score, epoch, module.embedding.weight.detach().clone())
    seconds["fit"] = time.perf_counter() - t0

    with torch.no_grad():
        module.embedding.weight.copy_(best[2])
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    # float16 halves the file; the encoder widens the weights to float32 on load.
    model.half()
    model.save(str(out_dir))
    # The card is models/static-nl.md; sentence-transformers' generated one would
    # repeat it with less in it.
    (out_dir / "README.md").unlink(missing_ok=True)
    for path in out_dir.iterdir():
        path.chmod(0o644)  # safetensors writes 0600; the model is public and shipped
    report = DistillReport(config=asdict(config), teacher=getattr(teacher, "model_id", type(teacher).__name__),
                           texts=len(texts), pieces=len(pieces), dim=config.dim, best_epoch=best[1],
                           held_out_cosine_init=round(init_cos, 4), held_out_cosine=round(best[0], 4),
                           seconds={k: round(v, 1) for k, v in seconds.items()},
                           file_bytes=sum(p.stat().st_size for p in out_dir.rglob("*") if p.is_file()))
    (out_dir / "training.json").write_text(json.dumps(asdict(report), indent=1) + "\n", encoding="utf-8")
    return report


def train_encoder(out_dir: Path | None, data_dir: Path, config: DistillConfig | None = None,
                  teacher=None) -> DistillReport:
    """:func:`distill` into a fresh folder beside ``out_dir``, then swap it in.

    A failed or interrupted run leaves the old model as it was: readers never see
    half a folder.
    """
    import shutil
    import tempfile

    if out_dir is None:
        from matching.text.static import packaged_static_path

        out_dir = packaged_static_path()
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        report = distill(work / "model", data_dir, config, teacher)
        old = out_dir.with_name(f".{out_dir.name}.old")
        if out_dir.exists():
            shutil.rmtree(old, ignore_errors=True)
            out_dir.rename(old)
        (work / "model").rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report.folder = str(out_dir)
    return report
