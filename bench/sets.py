"""Every public gold set side by side: sources, quotes and the rest of the referee's metrics.

What it measures: for each gold set folder under ../shared/eval and bench/gold (each folder with a
gold.jsonl and a docs.jsonl: `dev`, written to look like news, `real-dev`, real published articles,
and our own `own`, `own2` and `own3`, written apart from the rules), it runs
`sayso extract GOLD/docs.jsonl -o TMP/SET.jsonl` (the console script next to this Python, grouping
on) and scores it with the referee (../shared/eval/score.py --json). One table: a row per metric, a
column per set, and the bar each issue sets for the real-text set. Attribution is read in the first
rows: sources F1 ((figure, canonical name, role) triples), sources_any_role, quotes F1 (span overlaps
and the speaker's canonical name is equal).

Usage:
    .venv/bin/python bench/sets.py [GOLD_DIR ...] [--json] [--keep DIR]
Always exits 0: it reports, it does not assert (gate with score.py --min instead).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from accuracy import SAYSO, SHARED, get, run, score  # noqa: E402

# (label, metric key, field, bar on real text: issues 12, 13 and 14)
ROWS = [
    ("sources F1", "sources", "f1", 0.85),
    ("sources_any_role F1", "sources_any_role", "f1", None),
    ("quotes F1", "quotes", "f1", 0.85),
    ("figures F1", "figures", "f1", 0.95),
    ("detect F1", "detect", "f1", None),
    ("qualifier acc", "qualifier", "acc", None),
    ("category acc", "category", "acc", 0.90),
    ("counted_partial acc", "counted_partial", "acc", 0.88),
    ("time acc", "time", "acc", 0.88),
    ("place acc", "place", "acc", 0.88),
    ("groups F1", "groups", "f1", 0.85),
    ("events F1", "events", "f1", 0.85),
]


def gold_sets(root: Path) -> list[Path]:
    return sorted(d for d in root.iterdir() if (d / "gold.jsonl").is_file() and (d / "docs.jsonl").is_file())


def measure(gold_dir: Path, outdir: Path, exe: str, timeout: float) -> dict:
    pred = outdir / f"{gold_dir.name}.jsonl"
    pred.unlink(missing_ok=True)
    _, seconds, err = run([exe, "extract", gold_dir / "docs.jsonl", "-o", pred], timeout)
    scores = None
    if pred.exists():            # exit 1 with some documents in error still leaves the rest scored
        scores, score_err = score(gold_dir, pred, timeout)
        err = err or score_err
    return {"set": gold_dir.name, "seconds": round(seconds, 2), "error": err, "scores": scores}


def cell(scores: dict | None, key: str, field: str) -> str:
    v = get(scores, key, field)
    return "n/a" if v is None else f"{v:.3f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold_dirs", nargs="*", type=Path, help="gold set folders (default: every one in ../shared/eval)")
    ap.add_argument("--json", action="store_true", help="print JSON instead of the table")
    ap.add_argument("--keep", metavar="DIR", help="keep the prediction files in DIR")
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--sayso", default=str(SAYSO), metavar="EXE")
    args = ap.parse_args(argv)

    dirs = args.gold_dirs or [*gold_sets(SHARED / "eval"), *gold_sets(HERE / "gold")]
    with tempfile.TemporaryDirectory(prefix="sayso-sets-") as tmp:
        outdir = Path(args.keep or tmp)
        outdir.mkdir(parents=True, exist_ok=True)
        results = [measure(d, outdir, args.sayso, args.timeout) for d in dirs]
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    header = ("metric", *(r["set"] for r in results), "bar (real)")
    table = [(label, *(cell(r["scores"], key, field) for r in results), "" if bar is None else f"{bar:.2f}")
             for label, key, field, bar in ROWS]
    widths = [max(len(row[i]) for row in [header, *table]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *table]:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)))
    for r in results:
        docs = (r["scores"] or {}).get("documents") or {}
        print(f"{r['set']}: {r['seconds']:.2f} s, documents {docs.get('gold', '?')}, missing {docs.get('missing', '?')}"
              + (f"  ERROR: {r['error']}" if r["error"] else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
