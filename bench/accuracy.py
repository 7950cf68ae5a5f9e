"""Accuracy of `sayso extract` against a gold set, next to quantulum3 as a baseline, vs the bars.

What it measures: it runs
  1. `sayso extract --group GOLD_DIR/docs.jsonl -o TMP/sayso.jsonl` (the console script next to
     this Python, i.e. the real CLI end to end; --group, the default, sets each figure's `group` over the whole
     gold set, which the groups metric scores), and
  2. bench/quantulum_adapter.py on the same docs.jsonl (quantulum3's quantities as sayso records),
then scores both with the referee, ../shared/eval/score.py GOLD_DIR PRED --json, and prints one
table: a row per metric, columns sayso | quantulum3 | bar | verdict.

How to read it:
  * figures P/R/F1  a predicted figure is right when its span overlaps a gold figure's span AND
                    its value (low, high) is equal. This is the headline metric.
  * detect F1       overlap only (was the number found at all, whatever its value).
  * sources F1      (figure, canonical source name, role) triples; sources_any_role ignores role.
  * quotes F1       quotation span overlaps and the speaker's canonical name is equal.
  * qualifier ... place  accuracy over the value-matched figures only (cell shows `acc n=N`,
                    N = number of value-matched figures it is computed on; `time` only where the
                    gold time resolves to dates). An accuracy on few matches says little.
  * groups F1       pairs of gold figures that the prediction puts in the same `group`
                    (only when GOLD_DIR has groups.json; quantulum3 has no groups: 0).
  * bar / verdict   the acceptance bars for sayso; verdict says whether the sayso value meets it.
                    quantulum3 is not held to the bars: it finds numbers, it does not attribute
                    them, so its sources/quotes/time are 0 by construction, its qualifier is
                    always "exact" and its category always "other" (those accuracies just measure
                    how often the gold happens to be exact/other).
If the sayso CLI fails, its column shows "n/a" and the error is printed below the table.

Usage:
    .venv/bin/python bench/accuracy.py [GOLD_DIR] [--json] [--keep DIR] [--timeout SECONDS] [--sayso EXE]
GOLD_DIR defaults to ../shared/eval/dev. `--keep DIR` keeps both prediction files there.
Always exits 0: benchmarks report, they do not assert (use score.py --min for gating).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"   # ../shared beside the checkout
SCORER = SHARED / "eval/score.py"
DEFAULT_GOLD = SHARED / "eval/dev"
SAYSO = Path(sys.executable).parent / "sayso"

BARS = {
    "figures.f1": 0.93,
    "sources.f1": 0.80,
    "quotes.f1": 0.85,
    "qualifier.acc": 0.90,
    "category.acc": 0.90,
    "counted_partial.acc": 0.85,
    "time.acc": 0.85,
    "groups.f1": 0.85,
}

# (label, metric key, field)
ROWS = [
    ("figures P", "figures", "p"),
    ("figures R", "figures", "r"),
    ("figures F1", "figures", "f1"),
    ("detect F1", "detect", "f1"),
    ("sources F1", "sources", "f1"),
    ("sources_any_role F1", "sources_any_role", "f1"),
    ("quotes F1", "quotes", "f1"),
    ("qualifier acc", "qualifier", "acc"),
    ("category acc", "category", "acc"),
    ("kind acc", "kind", "acc"),
    ("counted_full acc", "counted_full", "acc"),
    ("counted_partial acc", "counted_partial", "acc"),
    ("time acc", "time", "acc"),
    ("place acc", "place", "acc"),
    ("groups F1", "groups", "f1"),
]


def run(cmd, timeout):
    t0 = time.perf_counter()
    try:
        p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, time.perf_counter() - t0, f"timed out after {timeout}s: {' '.join(map(str, cmd))}"
    except OSError as e:
        return None, time.perf_counter() - t0, f"{type(e).__name__}: {e}"
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        tail = "\n".join((p.stderr or p.stdout).strip().splitlines()[-8:])
        return p, dt, f"exit {p.returncode}: {tail}"
    return p, dt, None


def score(gold_dir: Path, pred: Path, timeout):
    if not pred.exists() or pred.stat().st_size == 0:
        return None, f"no predictions written to {pred}"
    p, _, err = run([sys.executable, SCORER, gold_dir, pred, "--json"], timeout)
    if err:
        return None, f"scorer failed: {err}"
    try:
        return json.loads(p.stdout), None
    except json.JSONDecodeError as e:
        return None, f"scorer output is not JSON: {e}"


def system(name, cmd, gold_dir, pred, timeout):
    out = {"name": name, "command": " ".join(map(str, cmd)), "seconds": None, "error": None, "scores": None}
    _, dt, err = run(cmd, timeout)
    out["seconds"] = round(dt, 2)
    if err:
        out["error"] = err
        return out
    out["scores"], out["error"] = score(gold_dir, pred, timeout)
    return out


def get(scores, key, field):
    if not scores or key not in scores:
        return None
    return scores[key].get(field)


def cell(scores, key, field):
    v = get(scores, key, field)
    if v is None:
        return "n/a" if not scores or key not in scores else "n/a (n=0)"
    s = f"{v:.3f}"
    if field == "acc":
        s += f" n={scores[key].get('n', 0)}"
    return s


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold_dir", nargs="?", default=str(DEFAULT_GOLD))
    ap.add_argument("--json", action="store_true", help="print machine-readable JSON instead of the table")
    ap.add_argument("--keep", metavar="DIR", help="keep the prediction files in DIR")
    ap.add_argument("--timeout", type=float, default=1800, help="per-command timeout in seconds")
    ap.add_argument("--sayso", default=str(SAYSO), metavar="EXE",
                    help="the sayso console script to run (default: the one next to this Python)")
    args = ap.parse_args(argv)

    gold_dir = Path(args.gold_dir)
    docs = gold_dir / "docs.jsonl"
    tmp = tempfile.TemporaryDirectory(prefix="sayso-accuracy-")
    outdir = Path(args.keep) if args.keep else Path(tmp.name)
    outdir.mkdir(parents=True, exist_ok=True)

    sayso_pred = outdir / "sayso.jsonl"
    quant_pred = outdir / "quantulum3.jsonl"
    for f in (sayso_pred, quant_pred):
        if f.exists():
            f.unlink()
    systems = {
        "sayso": system("sayso", [args.sayso, "extract", "--group", docs, "-o", sayso_pred], gold_dir, sayso_pred,
                        args.timeout),
        "quantulum3": system("quantulum3", [sys.executable, HERE / "quantulum_adapter.py", docs, "-o", quant_pred],
                             gold_dir, quant_pred, args.timeout),
    }

    verdict = {}
    for metric, bar in BARS.items():
        key, field = metric.split(".")
        v = get(systems["sayso"]["scores"], key, field)
        verdict[metric] = None if v is None else v >= bar

    if args.json:
        print(json.dumps({"gold_dir": str(gold_dir), "bars": BARS, "sayso_meets_bar": verdict,
                          "systems": systems, "predictions": str(outdir) if args.keep else None}, indent=2))
        tmp.cleanup()
        return 0

    header = ("metric", "sayso", "quantulum3", "bar", "sayso vs bar")
    table = []
    for label, key, field in ROWS:
        if key == "groups" and not (gold_dir / "groups.json").exists():
            continue
        metric = f"{key}.{field}"
        bar = BARS.get(metric)
        v = verdict.get(metric)
        mark = "" if bar is None else ("n/a" if v is None else ("meets" if v else "MISSES"))
        table.append((label, cell(systems["sayso"]["scores"], key, field),
                      cell(systems["quantulum3"]["scores"], key, field),
                      "" if bar is None else f"{bar:.2f}", mark))
    widths = [max(len(r[i]) for r in [header, *table]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    print(f"gold set: {gold_dir}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    print(line)
    for r in table:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))
    print(line)
    for name, s in systems.items():
        d = (s["scores"] or {}).get("documents")
        docs_s = f"documents gold {d['gold']} missing {d['missing']} offset_errors {d['offset_errors']}" if d else ""
        print(f"{name:11} {s['seconds']:>7.2f}s  {docs_s}")
        if s["error"]:
            print(f"  ERROR ({name}): {s['error']}")
    met = [m for m, v in verdict.items() if v]
    missed = [m for m, v in verdict.items() if v is False]
    if any(v is not None for v in verdict.values()):
        scored = sum(v is not None for v in verdict.values())   # groups.f1 only where groups.json is
        print(f"sayso meets {len(met)}/{scored} bars" + (f"; misses: {', '.join(missed)}" if missed else ""))
    if args.keep:
        print(f"predictions kept in {outdir}")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # a benchmark reports, it does not fail
        print(f"accuracy.py: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(0)
