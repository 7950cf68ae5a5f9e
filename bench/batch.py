"""Throughput of `sayso batch` with 1 and 2 workers, its parallel efficiency, and each worker's
peak memory at 1,000 and 10,000 documents.

What it measures, in one run, on one local Ray (``ray.init(num_cpus=2)``), over a generated
corpus (``bench/newslike.py``, the one bench/speed.py uses; deterministic) written as JSONL shards
of --shard-docs documents (words = ``len(text.split())`` summed over documents):

  * 1 worker, --docs documents     documents/s and words/s
  * 2 workers, the same documents  documents/s and words/s;
                                   parallel efficiency = (2-worker docs/s) / (2 x 1-worker docs/s)
  * 2 workers, --large documents   peak RSS per worker, next to the 2-worker run on --docs

Each run also sums the workers' CPU time (``time.process_time()`` per shard): documents per CPU
second with 2 workers against 1 shows what running in parallel costs in work, a ratio that other
load on the machine barely moves, where the wall-clock efficiency moves with it.

Throughput is taken over the processing phase: from the first shard a worker starts to the last
one it finishes (start times from each shard's done marker), so Ray's start-up and each actor's
model load (a fixed cost per worker, reported apart as "start-up") are left out; the wall clock
of each run, everything included, is printed beside it. Peak RSS is each worker process's
``ru_maxrss`` after its last shard (one actor per worker lives through the whole run, so a
worker that handled 5,000 documents reports its peak over all 5,000). Flat memory means the
10,000-document peaks are within about 10% of the 1,000-document ones.

It prints os.cpu_count() and the load average before and after, and, as a control, the machine's
own efficiency at that moment: two CPU-bound Python processes side by side against one alone.
Other processes on the machine take CPU from the workers; the efficiency is only meaningful on an
otherwise idle machine with at least two cores, which the control (taken before and after the
runs) shows. Compare numbers only between runs on the same machine.

Usage:
    .venv/bin/python bench/batch.py [--docs 1000] [--large 10000] [--shard-docs 25] [--json]
                                    [--skip-large]
Always exits 0; a part that fails shows "n/a" and its error.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 5
sys.path.insert(0, str(HERE))
import newslike  # noqa: E402  (the generated news-like corpus of bench/speed.py)


def write_shards(folder: Path, n: int, per_shard: int) -> dict:
    """n generated documents as JSONL shards of ``per_shard`` each; returns their counts."""
    folder.mkdir(parents=True, exist_ok=True)
    words = shards = 0
    out = None
    rng = random.Random(SEED)
    for i in range(n):
        doc = newslike.document(i, rng)
        if i % per_shard == 0:
            if out:
                out.close()
            out = open(folder / f"shard-{i // per_shard:05d}.jsonl", "w", encoding="utf-8")
            shards += 1
        out.write(json.dumps(doc, ensure_ascii=False) + "\n")
        words += len(doc["text"].split())
    if out:
        out.close()
    return {"documents": n, "words": words, "shards": shards}


def measure(shards: Path, out: Path, workers: int) -> dict:
    from sayso.batch.output import OutputDir
    from sayso.batch.runner import run_batch

    started = time.perf_counter()
    summary = run_batch([str(shards)], str(out), workers=workers)
    wall = time.perf_counter() - started
    markers = list(OutputDir(str(out)).finished().values())
    first = min(m["started"] for m in markers)
    phase = max(m["started"] + m["seconds"] for m in markers) - first
    per_worker = sorted(summary["per_worker"].values(), key=lambda w: -w["documents"])
    cpu = sum(m["cpu_seconds"] for m in markers)
    return {"workers": summary["workers"], "documents": summary["documents"], "words": summary["words"],
            "errors": len(summary["errors"]), "wall_seconds": round(wall, 2), "seconds": round(phase, 2),
            "startup_seconds": round(wall - phase, 2),
            "documents_per_s": round(summary["documents"] / phase, 2) if phase else None,
            "words_per_s": round(summary["words"] / phase, 1) if phase else None,
            "cpu_seconds": round(cpu, 2), "documents_per_cpu_s": round(summary["documents"] / cpu, 2) if cpu else None,
            "per_worker": per_worker, "peak_rss_mb": [w["peak_rss_mb"] for w in per_worker]}


def _burn(n: int) -> float:
    started = time.perf_counter()
    x = 0
    for i in range(n):
        x += i * i
    return time.perf_counter() - started


def machine_efficiency(n: int = 20_000_000) -> float:
    """What this machine allows: two CPU-bound Python processes side by side against one alone
    (1.0 = two idle cores; about 0.5 = the second process finds no free core)."""
    import multiprocessing

    with multiprocessing.Pool(2) as pool:
        alone = pool.apply(_burn, (n,))
        together = max(pool.map(_burn, [n, n]))
    return round(alone / together, 3)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1000, help="documents for the 1- and 2-worker runs")
    ap.add_argument("--large", type=int, default=10_000, help="documents for the memory run (2 workers)")
    ap.add_argument("--shard-docs", type=int, default=25, help="documents per JSONL shard")
    ap.add_argument("--skip-large", action="store_true")
    ap.add_argument("--json", action="store_true", help="print machine-readable JSON instead of the table")
    args = ap.parse_args(argv)

    import ray

    res = {"cpu_count": os.cpu_count(), "ray": ray.__version__, "load_before": os.getloadavg()[0],
           "machine_efficiency": [machine_efficiency()], "runs": {}, "errors": {}}
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    try:
        with tempfile.TemporaryDirectory(prefix="sayso-batch-bench-") as tmp:
            tmp = Path(tmp)
            res["corpus"] = write_shards(tmp / "small", args.docs, args.shard_docs)
            plan = [("1 worker", "small", 1), ("2 workers", "small", 2)]
            if not args.skip_large:
                res["large_corpus"] = write_shards(tmp / "large", args.large, args.shard_docs)
                plan.append(("2 workers, large", "large", 2))
            for name, corpus, workers in plan:
                try:
                    res["runs"][name] = measure(tmp / corpus, tmp / f"out-{corpus}-{workers}", workers)
                except Exception as exc:   # a benchmark reports, it does not fail
                    res["errors"][name] = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"
    finally:
        ray.shutdown()
    res["load_after"] = os.getloadavg()[0]
    res["machine_efficiency"].append(machine_efficiency())
    one, two = res["runs"].get("1 worker"), res["runs"].get("2 workers")
    res["parallel_efficiency"] = (round(two["documents_per_s"] / (2 * one["documents_per_s"]), 3)
                                  if one and two and one["documents_per_s"] and two["documents_per_s"] else None)
    res["cpu_efficiency"] = (round(two["documents_per_cpu_s"] / one["documents_per_cpu_s"], 3)
                             if one and two and one["documents_per_cpu_s"] and two["documents_per_cpu_s"] else None)
    large = res["runs"].get("2 workers, large")
    res["rss_growth"] = (round(max(large["peak_rss_mb"]) / max(two["peak_rss_mb"]), 3) if large and two else None)

    if args.json:
        print(json.dumps(res, indent=2))
        return 0
    c = res["corpus"]
    print(f"corpus: {c['documents']:,} documents in {c['shards']} shards, {c['words']:,} words (bench/newslike.py); "
          f"os.cpu_count() = {res['cpu_count']}; Ray {res['ray']}; "
          f"load average {res['load_before']:.2f} before, {res['load_after']:.2f} after")
    header = ("run", "documents", "seconds", "docs/s", "words/s", "docs/CPU s", "start-up s", "wall s",
              "peak RSS MiB per worker")
    rows = []
    for name, r in res["runs"].items():
        rows.append((name, f"{r['documents']:,}", f"{r['seconds']:.1f}", f"{r['documents_per_s']:.1f}",
                     f"{r['words_per_s']:,.0f}", f"{r['documents_per_cpu_s']:.1f}", f"{r['startup_seconds']:.1f}",
                     f"{r['wall_seconds']:.1f}", " / ".join(f"{m:.0f}" for m in r["peak_rss_mb"])))
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(x.ljust(w) if i in (0, 8) else x.rjust(w) for i, (x, w) in enumerate(zip(row, widths))))
    eff = res["parallel_efficiency"]
    print(f"parallel efficiency (2 workers vs 1): {'n/a' if eff is None else f'{eff:.3f}'}  (goal >= 0.8)")
    before, after = res["machine_efficiency"]
    print(f"  the machine's own, two CPU-bound processes against one: {before:.3f} before, {after:.3f} after  "
          "(about the most any program could get here then)")
    cpu_eff = res["cpu_efficiency"]
    print(f"  per CPU second (docs/CPU s, 2 workers vs 1): {'n/a' if cpu_eff is None else f'{cpu_eff:.3f}'}  "
          "(what parallel running costs in work, whatever else loads the machine)")
    if res["rss_growth"] is not None:
        print(f"peak RSS per worker, {res['large_corpus']['documents']:,} vs {c['documents']:,} documents: "
              f"x{res['rss_growth']:.3f}  (flat: about 1)")
    for name, e in res["errors"].items():
        print(f"ERROR ({name}): {e}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # a benchmark reports, it does not fail
        print(f"batch.py: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(0)
