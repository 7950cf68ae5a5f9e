"""Value F1 of sayso and of CQE on general-news sentences, side by side, per kind and per domain.

The set, bench/gold/news-values/sentences.jsonl: 486 one-sentence news items written for this
benchmark in the style of financial, sports, science, politics and human-rights reporting (domains
`finance`, `sports`, `science`, `politics`, `rights`), each with the gold values of the kinds
sayso's spec covers (count, percent, money; OUTPUT.md): `{"id", "domain", "text", "values":
[{"text", "kind", "low", "high"}], "ignore": [...]}`. `low`/`high` follow OUTPUT.md (`null` on an
open side: "more than 300" is low 300, high null). `ignore` lists quantities of other kinds
(lengths, masses, index points, durations, ranks): a prediction overlapping one is not scored; the
`on ignored` line counts the counts, percentages and sums predicted there (OUTPUT.md has no kind
for a measurement; sayso reports "12.5 tonnes" as a count, a benchmark of counts may not).
The sentences carry the classes general news is hard on: money and scales ("EUR42m", "$6.8b",
"₹15,000 crore", "$2 to $3 billion"), minus signs, ranges, verbal qualifiers, numbers that are no
figures (names, addresses, ZIP codes, times of day, ages, ordinals, document sizes),
parenthesised figures, and short headlines (language detection).

What it measures: each sentence is one document. sayso runs in process (`sayso.extract(text)`,
loaded and warmed up first); CQE runs in its own virtualenv through bench/cqe_runner.py (a
subprocess; see bench/README.md for the install). A prediction matches a gold value of the same
sentence when its value is equal: a single number (low == high, or the one side that is set)
equal to the gold's, a range when both ends are equal (relative tolerance 1e-6); each gold value
is matched once. Kind does not have to agree for a match (the held-out benchmark's rule); the
`value+kind F1` row asks for it too. Predictions of kinds outside count/percent/money (CQE's
lengths, masses, durations and ages; sayso's ranks) are left out unless they match a gold value. Per-kind rows count a true
positive and a false negative under the gold's kind, a false positive under the predicted kind.

Speed: wall and CPU seconds of the extraction calls only (model loading and warm-up excluded) on
the whole set, for each system; the ratio is CQE's time over sayso's.

Usage (from a worktree, PYTHONPATH=src so that its sayso is the one measured):
    .venv/bin/python bench/values.py [--gold FILE] [--cqe-python PATH] [--show-errors] [--json]
--cqe-python (or the environment variable SAYSO_CQE_PYTHON; default /tmp/cqe-venv/bin/python)
is the Python of CQE's virtualenv; when it is missing or fails, the CQE column shows n/a and the
reason is printed. --show-errors lists each system's misses and false positives per sentence.
Always exits 0: it reports, it does not assert.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_GOLD = HERE / "gold" / "news-values" / "sentences.jsonl"
DEFAULT_CQE = "/tmp/cqe-venv/bin/python"
KINDS = ("count", "percent", "money")
DOMAINS = ("finance", "sports", "science", "politics", "rights")


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def ignore_spans(row: dict) -> list[tuple[int, int]]:
    spans = []
    for surface in row.get("ignore", []):
        i = row["text"].find(surface)
        if i >= 0:
            spans.append((i, i + len(surface)))
    return spans


def value_key(low, high):
    """A single number, or a (low, high) pair for a range."""
    if low is None or high is None or math.isclose(low, high, rel_tol=1e-9):
        return high if low is None else low
    return (low, high)


def _equal(a, b) -> bool:
    if isinstance(a, tuple) != isinstance(b, tuple) or a is None or b is None:
        return False
    if isinstance(a, tuple):
        return all(math.isclose(x, y, rel_tol=1e-6) for x, y in zip(a, b))
    return math.isclose(a, b, rel_tol=1e-6)


def run_sayso(rows: list[dict]) -> tuple[list[list[dict]], dict]:
    import sayso                 # the installed package, or the one PYTHONPATH puts first (PYTHONPATH=src)

    sayso.extract("Warm-up: 3 people were killed and 4.5% of $2m was lost, the group said.")
    out = []
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for row in rows:
        rec = sayso.extract(row["text"])
        out.append([{"low": f["value"]["low"], "high": f["value"]["high"], "kind": f["kind"],
                     "start": f["start"], "end": f["end"], "text": f["text"]} for f in rec.get("figures", [])])
    return out, {"wall_s": time.perf_counter() - wall0, "cpu_s": time.process_time() - cpu0}


def run_cqe(python: str, gold: Path) -> tuple[list[list[dict]] | None, dict]:
    if not Path(python).exists():
        return None, {"error": f"no CQE virtualenv at {python} (see bench/README.md, values.py)"}
    try:
        proc = subprocess.run([python, str(HERE / "cqe_runner.py"), str(gold)], capture_output=True,
                              text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, {"error": f"CQE runner failed: {e}"}
    if proc.returncode != 0:
        return None, {"error": "CQE runner failed: " + proc.stderr.strip()[-800:]}
    data = json.loads(proc.stdout)
    return data["quantities"], {"wall_s": data["parse_s"], "cpu_s": data["parse_cpu_s"],
                                "load_s": data["load_s"], "errors": data["errors"]}


def _on(p: dict, spans: list[tuple[int, int]]) -> bool:
    return p.get("start") is not None and any(p["start"] < e and s < p["end"] for s, e in spans)


def on_ignored(row: dict, preds: list[dict]) -> int:
    """Predictions of a count, percentage or sum on a quantity of another kind (a measurement)."""
    return sum(p["kind"] in KINDS and _on(p, ignore_spans(row)) for p in preds)


def match(row: dict, preds: list[dict]) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """(matched gold/prediction pairs, missed gold values, false positives) of one sentence."""
    ignore = ignore_spans(row)
    gold = list(row["values"])
    free = [p for p in preds if not _on(p, ignore)]
    pairs, missed = [], []
    for g in gold:
        gk = value_key(g["low"], g["high"])
        hit = next((p for p in free if _equal(gk, value_key(p["low"], p["high"]))), None)
        if hit is None:
            missed.append(g)
        else:
            free.remove(hit)
            pairs.append((g, hit))
    false = [p for p in free if p["kind"] in KINDS or p["kind"] == "rank"]   # a rank outside `ignore` is wrong too
    return pairs, missed, false


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "tp": tp, "fp": fp, "fn": fn}


def score(rows: list[dict], preds: list[list[dict]]) -> dict:
    from collections import Counter
    tp, fp, fn, tp_kind = Counter(), Counter(), Counter(), 0
    errors = []
    for row, ps in zip(rows, preds):
        pairs, missed, false = match(row, ps)
        for g, p in pairs:
            for key in ("all", "k:" + g["kind"], "d:" + row["domain"]):
                tp[key] += 1
            tp_kind += g["kind"] == p["kind"]
        for g in missed:
            for key in ("all", "k:" + g["kind"], "d:" + row["domain"]):
                fn[key] += 1
        for p in false:
            for key in ("all", "k:" + p["kind"], "d:" + row["domain"]):
                fp[key] += 1
        if missed or false:
            errors.append({"id": row["id"], "text": row["text"],
                           "missed": [g["text"] for g in missed],
                           "false": [(p.get("text") or p.get("unit"), value_key(p["low"], p["high"]), p["kind"]) for p in false]})
    keys = ["all"] + [f"k:{k}" for k in KINDS] + [f"d:{d}" for d in DOMAINS]
    out = {k: prf(tp[k], fp[k], fn[k]) for k in keys}
    n_pred = tp["all"] + fp["all"]
    out["value+kind"] = prf(tp_kind, n_pred - tp_kind, tp["all"] + fn["all"] - tp_kind)
    out["on_ignored"] = sum(on_ignored(row, ps) for row, ps in zip(rows, preds))
    out["errors"] = errors
    return out


def _cell(m: dict | None, field: str = "f1") -> str:
    return "n/a" if m is None else f"{m[field]:.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--cqe-python", default=os.environ.get("SAYSO_CQE_PYTHON", DEFAULT_CQE))
    ap.add_argument("--skip-cqe", action="store_true")
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    rows = load(args.gold)

    s_preds, s_time = run_sayso(rows)
    s_score = score(rows, s_preds)
    c_score, c_time = None, {"error": "skipped (--skip-cqe)"}
    if not args.skip_cqe:
        c_preds, c_time = run_cqe(args.cqe_python, args.gold)
        if c_preds is not None:
            c_score = score(rows, c_preds)

    if args.json:
        json.dump({"sentences": len(rows), "values": sum(len(r["values"]) for r in rows),
                   "sayso": {"score": s_score, "time": s_time},
                   "cqe": {"score": c_score, "time": c_time}}, sys.stdout, indent=1)
        print()
        return 0

    print(f"{args.gold}: {len(rows)} sentences, {sum(len(r['values']) for r in rows)} gold values")
    print(f"{'row':<22} {'sayso P':>8} {'R':>6} {'F1':>6}   {'CQE P':>7} {'R':>6} {'F1':>6}   gold n")
    labels = [("all", "value F1 (all)"), ("value+kind", "value+kind F1")] + \
        [(f"k:{k}", f"kind {k}") for k in KINDS] + [(f"d:{d}", f"domain {d}") for d in DOMAINS]
    for key, label in labels:
        s, c = s_score[key], (c_score or {}).get(key)
        print(f"{label:<22} {_cell(s, 'p'):>8} {_cell(s, 'r'):>6} {_cell(s):>6}   "
              f"{_cell(c, 'p'):>7} {_cell(c, 'r'):>6} {_cell(c):>6}   {s['tp'] + s['fn']:>6}")
    n_ign = sum(len(r.get("ignore", [])) for r in rows)
    print(f"{'on ignored':<22} {s_score['on_ignored']:>22}   {(c_score or {}).get('on_ignored', 'n/a'):>21}   {n_ign:>6}"
          "   (count/percent/money predicted on a measurement, index level, rank or duration)")
    print(f"\nsayso: {s_time['wall_s']:.2f} s wall, {s_time['cpu_s']:.2f} s CPU (in process, load excluded)")
    if "error" in c_time:
        print(f"CQE: n/a — {c_time['error']}")
    else:
        print(f"CQE:   {c_time['wall_s']:.2f} s wall, {c_time['cpu_s']:.2f} s CPU (load {c_time['load_s']:.1f} s "
              f"excluded; {c_time['errors']} sentences raised)")
        print(f"speed: sayso is {c_time['wall_s'] / s_time['wall_s']:.1f}x CQE's words/s by wall clock, "
              f"{c_time['cpu_s'] / s_time['cpu_s']:.1f}x by CPU")
    if args.show_errors:
        for name, sc in (("sayso", s_score), ("CQE", c_score)):
            if sc is None:
                continue
            print(f"\n--- {name}: sentences with misses or false positives ({len(sc['errors'])})")
            for e in sc["errors"]:
                print(f"{e['id']}: {e['text']}\n    missed {e['missed']}  false {e['false']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
