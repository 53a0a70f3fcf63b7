"""The ``spoormatch`` command: a thin shell around the library."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from matching.contract.io import InputError, read_jsonl, write_jsonl
from matching.settings import get_settings

if TYPE_CHECKING:  # the models load lazily, so the command line starts fast
    from matching.contract.models import Candidate, ResolvedLocation

# Enough places that every story has work of her own kind within reach.
DEMO_PLACEMENTS = 6000
DEMO_SEED = 7


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _spoor(text: str) -> int:
    if text.strip() not in ("1", "2"):
        raise argparse.ArgumentTypeError(f"must be 1 (the own employer's places) or 2 (all others), got {text!r}")
    return int(text)


def _verdicts(text: str) -> list[str]:
    """One verdict or a comma list: ``--verdict pass,adjust``."""
    from matching.constraints.engine import SUGGESTION_VERDICTS

    chosen = [v.strip() for v in text.split(",") if v.strip()]
    unknown = [v for v in chosen if v not in SUGGESTION_VERDICTS]
    if not chosen or unknown:
        raise argparse.ArgumentTypeError(f"unknown verdict(s) {unknown or [text]}; choose from "
                                         f"{', '.join(SUGGESTION_VERDICTS)}")
    return chosen


def _matcher():
    """A matcher whose place embeddings persist under the state folder between runs."""
    from matching.live import Matcher
    from matching.ranking import build_ranker

    # The ranker every path builds from the settings, its place vectors kept in the state folder.
    return Matcher(build_ranker(get_settings(), persistent=True))


def _cmd_match(args: argparse.Namespace) -> int:
    from matching.contract.models import Candidate, Placement

    candidates = read_jsonl(args.candidates, Candidate)
    placements = read_jsonl(args.placements, Placement)
    matcher = _matcher().fit(placements)
    # --verdict is repeatable and takes comma lists; each verdict counts once.
    verdicts = list(dict.fromkeys(v for group in args.verdict or [] for v in group)) or None
    results = (
        matcher.suggest(c, top=args.top, explain_excluded=args.explain_excluded, spoor=args.spoor,
                        verdicts=verdicts) for c in candidates
    )
    n = write_jsonl(args.out, results)
    print(f"{n} candidates matched against {len(placements)} places -> {args.out}", file=sys.stderr)
    return 0


def _cmd_generate(args: argparse.Namespace) -> int:
    from matching.demo import generate_demo

    started = time.perf_counter()
    counts = generate_demo(Path(args.out_dir), args.placements, args.candidates, seed=args.seed,
                           include_stories=not args.no_stories)
    took = time.perf_counter() - started
    print(f"wrote {counts} to {args.out_dir} in {took:.1f} s", file=sys.stderr)
    return 0


def _cmd_link_title(args: argparse.Namespace) -> int:
    from matching.occupations import link_titles_file

    written, skipped = link_titles_file(args.input, args.out, args.top)
    print(f"{written} titles linked ({skipped} blank lines skipped) -> {args.out}", file=sys.stderr)
    return 0


def _cmd_train_encoder(args: argparse.Namespace) -> int:
    import logging

    from matching.training import DistillConfig, train_encoder

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    settings = get_settings()
    out = Path(args.out) if args.out else None
    try:
        config = DistillConfig(dim=args.dim, seed=args.seed, epochs=args.epochs)
    except ValueError as exc:
        print(f"spoormatch train-encoder: {exc}; nothing written", file=sys.stderr)
        return 2
    report = train_encoder(out, settings.data_dir, config)
    print(f"{report.texts} texts, {report.pieces} pieces, {report.dim} dims; held-out cosine to the "
          f"teacher {report.held_out_cosine:.3f} (epoch {report.best_epoch}); "
          f"{report.file_bytes / 1e6:.1f} MB; {sum(report.seconds.values()):.0f} s -> {report.folder}",
          file=sys.stderr)
    print("The encoder's calibration changed with its files: python -m matching.text.calibration "
          "--encoders static,default", file=sys.stderr)
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from datetime import date

    from matching.demo import as_of, demo_placements
    from matching.contract.models import Candidate, Placement

    settings = get_settings()
    # The stories' build-up prognosis lies a few months after the day the demo runs.
    candidates = [as_of(c, date.today()) for c in read_jsonl(settings.data_dir / "demo" / "candidates.jsonl",
                                                              Candidate)]
    # The generated world plus the places of the stories' own employers (their spoor 1).
    placements = [Placement.model_validate(p) for p in demo_placements(args.placements, seed=DEMO_SEED)]
    started = time.perf_counter()
    matcher = _matcher().fit(placements)
    results = [matcher.suggest(c, top=args.top) for c in candidates]
    took = time.perf_counter() - started
    out = settings.state_dir / "demo" / "suggestions.jsonl"
    write_jsonl(out, results)
    by_id = {p.id: p for p in placements}
    for cand, res in zip(candidates, results):
        print(f"\n== {cand.id}: {cand.experience[0].title if cand.experience else ''} ==")
        print(f"   {_home_line(res.home, cand)}")
        print(f"   {_fit_count(res.feasible, len(placements))}")
        for s in res.suggestions:
            _print_suggestion(s, by_id[s.placement_id])
        if res.excluded:
            print("   Net niet passend (de dichtstbijzijnde missers):")
            for e in res.excluded:
                p = by_id[e.placement_id]
                reasons = "; ".join(it.reason for it in e.items)
                print(f"    - {p.title} ({p.kind}, {e.distance_km:g} km): {reasons}")
    print(f"\n{len(candidates)} candidates, {len(placements)} places, matched in {took:.1f} s; written to {out}")
    return 0


_CONDITION_LABELS = {"aanpassing": "Aanpassing", "opbouw": "Opbouw"}


def _print_suggestion(s, p) -> None:
    """One demo suggestion: the place, its spoor and verdict, what it takes, what it earns, and why."""
    spoor = "spoor 1, eigen werkgever" if s.spoor == 1 else "spoor 2"
    print(f"{s.rank:>2}. {p.title} ({p.kind}, {p.hours_per_week:g} u/w) score {s.score:.2f} [{s.verdict}] {spoor}")
    for c in s.conditions:
        print(f"    {_CONDITION_LABELS.get(c.kind, c.kind)}: {c.reason}")
    if s.earnings is not None:
        print(f"    Loon: {s.earnings.text}")
    print(f"    {s.explanation}")


def _home_line(home: ResolvedLocation | None, candidate: Candidate) -> str:
    """Where the engine put the home: a wrong home would make every distance below wrong."""
    if home is None or home.problem:
        return f"Woonplaats niet te bepalen: {home.problem if home else 'onbekend'}"
    km = candidate.max_travel_km if candidate.max_travel_km is not None else get_settings().default_max_travel_km
    return f"Woont in {home.label}; reist tot {km:g} km."


def _fit_count(feasible: int | None, total: int) -> str:
    if not feasible:
        return f"Geen van de {total} plekken past binnen de belastbaarheid en de reisafstand."
    word = "plek past" if feasible == 1 else "plekken passen"
    return f"{feasible} van de {total} {word} binnen de belastbaarheid en de reisafstand."


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="spoormatch", description="Spoor-2 matching engine")
    sub = parser.add_subparsers(dest="command", required=True)

    m = sub.add_parser("match", help="rank places for candidates (JSON Lines in and out)")
    m.add_argument("--candidates", required=True, help="candidates, JSON Lines")
    m.add_argument("--placements", required=True, help="places, JSON Lines")
    m.add_argument("--top", type=_positive_int, default=10)
    m.add_argument("--out", required=True, help="suggestions, JSON Lines")
    m.add_argument("--explain-excluded", type=_positive_int, nargs="?", const=5, default=0, metavar="N",
                   help="add the N best places a limit excludes, with the items that exclude them (default 5)")
    m.add_argument("--spoor", type=_spoor, metavar="1|2",
                   help="only spoor 1 (the candidate's own employer's places) or only spoor 2 (all others)")
    m.add_argument("--verdict", type=_verdicts, action="append", metavar="VERDICT[,VERDICT]",
                   help="only places with these verdicts: pass, signal, adjust (repeatable, or a comma list)")
    m.set_defaults(func=_cmd_match)

    g = sub.add_parser("generate", help="write synthetic Dutch demo data")
    g.add_argument("--placements", type=_positive_int, default=2000)
    g.add_argument("--candidates", type=int, default=50)
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--out-dir", default="data/demo/generated")
    g.add_argument("--no-stories", action="store_true", help="leave out the five story candidates")
    g.set_defaults(func=_cmd_generate)

    lt = sub.add_parser("link-title", help="link Dutch job titles to ESCO occupations")
    lt.add_argument("--in", dest="input", required=True, help="one title per line")
    lt.add_argument("--top", type=_positive_int, default=10)
    lt.add_argument("--out", required=True)
    lt.set_defaults(func=_cmd_link_title)

    t = sub.add_parser("train-encoder", help="train the static Dutch encoder (models/static-nl) from data/")
    t.add_argument("--out", default="", help="the model folder (default: static-nl under the models folder)")
    t.add_argument("--dim", type=_positive_int, default=256, help="dimensions, at most the teacher's 512")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--epochs", type=_positive_int, default=12)
    t.set_defaults(func=_cmd_train_encoder)

    d = sub.add_parser("demo", help="match the demo candidates against generated places and print")
    d.add_argument("--placements", type=_positive_int, default=DEMO_PLACEMENTS)
    d.add_argument("--top", type=_positive_int, default=5)
    d.set_defaults(func=_cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None, parser: argparse.ArgumentParser | None = None) -> int:
    """Run a command; `parser` lets the service add its own commands to the library's."""
    args = (parser or build_parser()).parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print("spoormatch: input refused, nothing written:", file=sys.stderr)
        for line in exc.problems:
            print(f"  {line}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
