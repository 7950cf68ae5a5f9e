"""Who says so, on every public set side by side: sources and quotes F1 per gold set, and over the
seed texts (which have no public gold) the sources that name no one.

What it runs: `sayso extract GOLD_DIR/docs.jsonl -o TMP` (the console script next to this Python)
for each gold set, scored by the referee (../shared/eval/score.py --json); and the seeds
(../shared/seeds/*.txt) in process, counting source names that are a pronoun, a place or a
generic noun (sayso.link.entities.names_no_one and the places registry: the same check as
tests/test_attribution_quality.py).

Usage:
    .venv/bin/python bench/attribution.py [GOLD_DIR ...] [--json]
GOLD_DIR defaults to ../shared/eval/dev and ../shared/eval/real-dev. Always exits 0: benchmarks
report, they do not assert.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"   # ../shared beside the checkout
SCORER = SHARED / "eval/score.py"
SAYSO = Path(sys.executable).parent / "sayso"
METRICS = [("sources", "p"), ("sources", "r"), ("sources", "f1"), ("sources_any_role", "f1"),
           ("quotes", "p"), ("quotes", "r"), ("quotes", "f1")]


def score_set(gold: Path, tmp: Path) -> dict:
    out = tmp / f"{gold.name}.jsonl"
    subprocess.run([str(SAYSO), "extract", str(gold / "docs.jsonl"), "-o", str(out)],
                   check=True, capture_output=True, text=True)
    run = subprocess.run([sys.executable, str(SCORER), str(gold), str(out), "--json"],
                         check=True, capture_output=True, text=True)
    return json.loads(run.stdout)


def seed_junk(seeds: Path) -> dict:
    from sayso.api import extract
    from sayso.link.aliases import default_aliases, default_places
    from sayso.link.entities import names_no_one

    aliases, places = default_aliases(), default_places()
    named = bad = 0
    examples = []
    for path in sorted(seeds.glob("*.txt")):
        for fig in extract(path.read_text(encoding="utf-8"))["figures"]:
            for s in fig["sources"]:
                named += 1
                if names_no_one(s["name"]) or (places.canonical(s["name"]) and not aliases.canonical(s["name"])):
                    bad += 1
                    examples.append(f"{path.name}: {s['name']} ({s['text']})")
    return {"sources": named, "naming_no_one": bad, "examples": examples[:10]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold_dirs", nargs="*", default=[str(SHARED / "eval/dev"), str(SHARED / "eval/real-dev")])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    report = {}
    with tempfile.TemporaryDirectory() as tmp:
        for gold in map(Path, args.gold_dirs):
            try:
                report[gold.name] = score_set(gold, Path(tmp))
            except (subprocess.CalledProcessError, OSError) as exc:
                report[gold.name] = {"error": str(exc)}
    seeds = seed_junk(SHARED / "seeds") if (SHARED / "seeds").is_dir() else None
    if args.json:
        print(json.dumps({"sets": report, "seeds": seeds}, indent=2))
        return 0
    names = list(report)
    print(f"{'metric':22}" + "".join(f"{n:>12}" for n in names))
    for metric, field in METRICS:
        cells = []
        for n in names:
            v = report[n].get(metric, {}).get(field)
            cells.append(f"{v:>12.3f}" if isinstance(v, (int, float)) else f"{'n/a':>12}")
        print(f"{metric + ' ' + field.upper():22}" + "".join(cells))
    if seeds is not None:
        print(f"\nseeds: {seeds['sources']} named sources, {seeds['naming_no_one']} name no one")
        for line in seeds["examples"]:
            print("  ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
