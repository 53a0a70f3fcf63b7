"""Build ``data/esco/occupation_vectors.npz``: sentence vectors of every ESCO occupation.

    python scripts/build_occupation_vectors.py [--data-dir data] [--encoder use]

Two vectors per occupation, for the transfer score (``matching/occupations/transfer.py``):
``text``, its Dutch label and description; ``skills``, the mean of its skills' English
labels weighted by how specific each skill is (essential twice optional). Stored as
int8 (each row scaled to +-127; cosines move by under 0.002), about 3 MB, so a fresh
machine never embeds 16,000 texts before its first suggestion. Deterministic for a
given encoder version; rerun after the ESCO files or the encoder change.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from sklearn.preprocessing import normalize  # noqa: E402

from matching.occupations import load_esco, load_skills  # noqa: E402
from matching.occupations.transfer import VECTORS_FILE, quantise  # noqa: E402
from matching.text import get_encoder  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=REPO / "data")
    ap.add_argument("--encoder", default="use", help="a sentence encoder name (default: use, multilingual)")
    args = ap.parse_args(argv)
    esco = load_esco(args.data_dir)
    skills = load_skills(args.data_dir)
    encoder = get_encoder(args.encoder)
    t0 = time.perf_counter()
    texts = [f"{esco.labels[i]}. {esco.descriptions[i]}" for i in range(len(esco))]
    text_vectors = encoder.encode(texts)
    skill_vectors = encoder.encode(list(skills.label_en))
    weights = normalize(skills.relations.multiply(skills.idf[None, :]).tocsr(), norm="l1")
    occupation_skills = np.asarray(weights @ skill_vectors, np.float32)
    out = args.data_dir / "esco" / VECTORS_FILE
    np.savez_compressed(out, uris=np.array(esco.uris), encoder=np.array(encoder.model_id),
                        text=quantise(text_vectors), skills=quantise(occupation_skills))
    print(f"{out}: {len(texts)} occupations, {len(skills.label_en)} skill labels embedded with "
          f"{encoder.model_id} in {time.perf_counter() - t0:.0f} s; {out.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
