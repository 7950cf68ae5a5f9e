"""Ledger ingest at scale: documents per second and peak memory at 1,000 and at N documents.

Generates N news-like documents (bench/newslike.py, as speed.py and batch.py do) as JSONL shards of 500 in a temporary folder,
then ingests them in process exactly as `sayso ingest` does (`ingest_paths` into an SQLite ledger,
one transaction per document, the language model loaded once), and prints at each checkpoint:
documents ingested, docs/s since the start, resident memory now and at its peak (ru_maxrss). The
grouping pass (`Ledger.regroup`, which `sayso ingest` runs once at the end of a run) is timed apart
over the ledger as it stands at the first checkpoint, and at the end with --regroup-all: it compares
candidate pairs over the whole ledger, so it grows faster than linearly. Memory is flat when the
peak at N documents is close to the peak at 1,000 (the ratio is printed); ingest streams document
by document, so nothing grows with the corpus but the database file.

    .venv/bin/python bench/ingest.py                 # 10,000 documents (about ten minutes on 2 cores)
    .venv/bin/python bench/ingest.py --docs 2000 --checkpoint 500
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from newslike import corpus  # noqa: E402

from sayso.pipeline import Extractor  # noqa: E402
from sayso.store.ingest import ADDED, LazyExtractor, ingest_paths  # noqa: E402
from sayso.store.ledger import Ledger  # noqa: E402

SHARD = 500


def rss_mb() -> float:
    """Resident set size now, from /proc (Linux)."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # KiB on Linux


def write_shards(folder: Path, n: int) -> list[str]:
    paths, out = [], None
    for i, doc in enumerate(corpus(n)):
        if i % SHARD == 0:
            if out:
                out.close()
            paths.append(str(folder / f"shard-{i // SHARD:05d}.jsonl"))
            out = open(paths[-1], "w", encoding="utf-8")
        out.write(json.dumps(doc) + "\n")
    if out:
        out.close()
    return paths


def regroup(ledger: Ledger, done: int) -> None:
    t0 = time.perf_counter()
    grouped = ledger.regroup()
    regroup.seconds = time.perf_counter() - t0
    print(f"regroup at {done:,} documents: {grouped['figures']:,} figures, {grouped['groups']:,} groups, "
          f"{grouped['conflicts']:,} conflicts in {regroup.seconds:.1f} s; peak now {peak_mb():.0f} MB", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--checkpoint", type=int, default=1_000, help="the first checkpoint (default 1,000)")
    parser.add_argument("--regroup-all", action="store_true", help="also time regroup over all N documents")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}  documents: {args.docs:,}  python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shards = write_shards(folder, args.docs)
        ledger = Ledger(str(folder / "bench.db"))
        extractor = LazyExtractor(Extractor)
        print(f"{'documents':>10} {'docs/s':>8} {'rss MB':>8} {'peak MB':>8}")
        started, done, rows = time.perf_counter(), 0, {}
        for outcome in ingest_paths(shards, ledger, extractor):
            if outcome.status != ADDED:
                print(f"not added: {outcome}", file=sys.stderr)
                continue
            done += 1
            if done in (args.checkpoint, args.docs):
                rows[done] = (done / (time.perf_counter() - started), rss_mb(), peak_mb())
                print(f"{done:>10,} {rows[done][0]:>8.1f} {rows[done][1]:>8.0f} {rows[done][2]:>8.0f}", flush=True)
            if done == args.checkpoint or (done == args.docs and args.regroup_all):
                regroup(ledger, done)
                started += regroup.seconds          # docs/s counts ingest only
        if args.checkpoint in rows and args.docs in rows and args.docs != args.checkpoint:
            first, last = rows[args.checkpoint], rows[args.docs]
            print(f"peak RSS at {args.docs:,} / at {args.checkpoint:,}: {last[2] / first[2]:.2f} "
                  f"(1.00 = flat); docs/s at {args.docs:,} / at {args.checkpoint:,}: {last[0] / first[0]:.2f}")
        print(f"ledger file: {os.path.getsize(folder / 'bench.db') / 2**20:.0f} MB")
        ledger.close()


if __name__ == "__main__":
    main()
