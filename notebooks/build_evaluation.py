"""Build and execute notebooks/evaluation.ipynb (kept small: plots as PNG, no data).

Run: .venv/bin/pip install nbformat nbclient ipykernel matplotlib
     .venv/bin/python notebooks/build_evaluation.py
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent

CELLS = [
    ("md", """# spoormatch: evaluation

What the engine does on Dutch data, offline: occupation linking against the
published MELO results, the spread of scores, how much of the market each
typical limitation pattern leaves, and the five demo stories' top suggestions.
Rebuild with `.venv/bin/python notebooks/build_evaluation.py`."""),
    ("code", """import os, sys, json, subprocess, time
os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, os.path.abspath(".."))
import numpy as np, pandas as pd
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matching.demo import generate_placements, generate_candidates, story_candidates
from matching.contract.models import Candidate, Placement
from matching.live.matcher import Matcher
from matching.text import EmbeddingCache
from matching.settings import get_settings
state = get_settings().state_dir; state.mkdir(parents=True, exist_ok=True)
cache = EmbeddingCache(state / "embeddings.sqlite")"""),
    ("md", """## 1. Occupation linking on the MELO Dutch dev half

`benchmarks/melo.py` links every dev title to ESCO and scores accuracy@1 and
MRR@10; the titles are used for this measurement only."""),
    ("code", """MELO_JSON = state / "melo_result.json"
if not MELO_JSON.exists():
    subprocess.run([sys.executable, "../benchmarks/melo.py", "--json", str(MELO_JSON)], check=True,
                   stdout=subprocess.DEVNULL)
ours = json.loads(MELO_JSON.read_text())
ours = ours[0] if isinstance(ours, list) else ours  # one row per encoder configuration; the first is the default
published = pd.DataFrame([
    ("OpenAI text-embedding-3-large", 0.494, 0.572), ("e5-mistral-7b", 0.488, 0.565),
    ("multilingual-e5-large", 0.428, 0.506), ("bge-m3", 0.430, 0.505),
    ("char TF-IDF", 0.421, 0.486), ("BM25", 0.394, 0.443)], columns=["model", "acc@1", "MRR@10"])
table = pd.concat([pd.DataFrame([("spoormatch (dev half)", ours["acc@1"], ours["mrr@10"])],
                                columns=published.columns), published]).reset_index(drop=True)
ax = table.set_index("model")[["acc@1", "MRR@10"]].plot.barh(figsize=(7, 3.5))
ax.invert_yaxis(); ax.set_xlim(0, 0.8); ax.set_title("MELO Dutch: ours vs published zero-shot")
plt.tight_layout(); plt.show()
table"""),
    ("md", """## 2. How much work each limitation pattern leaves

20,000 generated places; per candidate pattern the share that is feasible (no
limit exceeded, open, within travel distance) and the share flagged."""),
    ("code", """from matching.constraints.engine import Columns, PlacementTable, Profile, evaluate
from matching.reference.fml import load_catalogue
places = [Placement.model_validate(p) for p in generate_placements(20000, seed=11)]
cols = Columns.from_catalogue(load_catalogue())
table = PlacementTable.from_placements(places, cols)
patterns = {
    "geen beperkingen": {},
    "rug": {"IV.13": 2, "IV.14": 2, "IV.9": 1, "IV.10": 2},
    "knie": {"IV.16": 2, "IV.17": 2, "IV.18": 2, "IV.20": 3},
    "burn-out": {"VI.2": 3, "VI.3": 3, "I.8": [1, 3, 4], "III.6": 1},
    "geen nachtwerk": {"VI.1": [2]},
    "schouder": {"V.7": 2, "IV.7": 1, "IV.12": 1},
}
rows = []
for name, cap in patterns.items():
    c = Candidate.model_validate({"id": "x", "home": {"postcode": "3511"}, "max_travel_km": 300,
                                  "capacity": cap, "education": {"level": "mbo-3"}})
    ev = evaluate(table, Profile.from_candidate(c, cols))
    feas = ev.feasible
    rows.append((name, feas.mean(), (feas & (ev.n_signals > 0)).mean()))
limits = pd.DataFrame(rows, columns=["patroon", "haalbaar", "haalbaar met signaal"])
ax = limits.set_index("patroon").plot.bar(figsize=(7, 3.5), rot=20)
ax.set_ylabel("aandeel van 20.000 plekken"); ax.set_title("Wat elk beperkingenpatroon overlaat")
plt.tight_layout(); plt.show()
limits.round(3)"""),
    ("md", """## 3. Score distributions

200 generated candidates against 3,000 generated places with the default encoder:
the score and each component of the top-10 suggestions."""),
    ("code", """places = [Placement.model_validate(p) for p in generate_placements(3000, seed=7)]
matcher = Matcher(cache=cache).fit(places)
cands = [Candidate.model_validate(c) for c in generate_candidates(200, seed=5)]
t0 = time.perf_counter()
results = [matcher.suggest(c, top=10) for c in cands]
print(f"{len(cands)} candidates in {time.perf_counter() - t0:.1f} s")
recs = [{"rank": s.rank, "score": s.score, **s.components} for r in results for s in r.suggestions]
df = pd.DataFrame(recs)
fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
df["score"].plot.hist(bins=30, ax=axes[0], title="score van top-10 suggesties")
df.drop(columns=["rank", "score"]).plot.box(ax=axes[1], rot=30, title="componenten")
plt.tight_layout(); plt.show()
df.describe().round(3)"""),
    ("md", """## 4. The five demo stories

The top five suggestions for each story candidate, with the explanation a coach reads."""),
    ("code", """by_id = {p.id: p for p in places}
rows = []
for c in (Candidate.model_validate(s) for s in story_candidates()):
    for s in matcher.suggest(c, top=5).suggestions:
        p = by_id[s.placement_id]
        rows.append((c.id, s.rank, p.title, p.kind, s.score, s.verdict, s.explanation))
pd.set_option("display.max_colwidth", 200)
pd.DataFrame(rows, columns=["kandidaat", "rang", "plek", "vorm", "score", "oordeel", "uitleg"])"""),
]


def main() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(src) if kind == "md" else nbformat.v4.new_code_cell(src)
                for kind, src in CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=1800, kernel_name="python3", resources={"metadata": {"path": str(HERE)}}).execute()
    nbformat.write(nb, HERE / "evaluation.ipynb")
    print(f"wrote {HERE / 'evaluation.ipynb'}")


if __name__ == "__main__":
    main()
