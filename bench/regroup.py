"""Grouping at scale: `Ledger.regroup` time and peak memory as the ledger grows.

`sayso ingest` ends each run with `Ledger.regroup`: every stored figure is compared with the
figures it could state the same quantity as (candidate pairs, blocked by kind, value window,
country, category and time), linked pairs are merged into groups, and conflicts are found. This
script times that step alone on ledgers of growing size, so its growth (linear would double the
time with the documents) can be read off one run.

Input: the output directory of a `sayso batch` run (its Parquet records, extracted once), e.g.

    .venv/bin/python bench/newslike.py -n 10000 -o /tmp/news/all.jsonl
    (cd /tmp/news && split -l 500 -d --additional-suffix=.jsonl all.jsonl shard- && rm all.jsonl)
    .venv/bin/sayso batch /tmp/news --out /tmp/news-out --workers 2
    .venv/bin/python bench/regroup.py /tmp/news-out --sizes 1000 2000 5000 10000

For each size N it stores the first N documents in a fresh SQLite ledger (`sayso ingest
--from-parquet`'s path, no extraction), then runs `Ledger.regroup` in a child process of its own
and prints the figures, groups and conflicts found, the seconds taken and the
child's peak RSS (`ru_maxrss`); then time and peak at each size over those at the first.
Always exits 0. --json prints the rows as JSON.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def build(out_dir: str, db: Path, n: int) -> int:
    """A ledger of the first ``n`` documents of a batch output; how many were stored."""
    from sayso.present.ledger_cli import _batch_output
    from sayso.store.ingest import ingest_records
    from sayso.store.ledger import Ledger

    ledger = Ledger(str(db))
    try:
        return sum(1 for _ in ingest_records(itertools.islice(_batch_output(out_dir).documents(), n), ledger))
    finally:
        ledger.close()


def regroup_child(db: str) -> None:
    """Run in a child: regroup ``db`` and print one JSON line (counts, seconds, peak MB)."""
    from sayso.store.ledger import Ledger

    ledger = Ledger(db)
    started = time.perf_counter()
    counts = ledger.regroup()
    seconds = time.perf_counter() - started
    ledger.close()
    print(json.dumps({**counts, "seconds": round(seconds, 1),
                      "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("batch_output", nargs="?", help="a `sayso batch --out` directory")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 5000, 10000])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        regroup_child(args.child)
        return
    if not args.batch_output:
        parser.error("give the output directory of a `sayso batch` run (see --help)")
    print(f"cores: {os.cpu_count()}  load average: {os.getloadavg()[0]:.1f}  python {sys.version.split()[0]}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            db = Path(tmp) / f"ledger-{n}.db"
            docs = build(args.batch_output, db, n)
            child = subprocess.run([sys.executable, __file__, "--child", str(db)], capture_output=True, text=True)
            if child.returncode:
                print(f"{n:,} documents: regroup failed: {child.stderr.strip().splitlines()[-1:]}")
                continue
            row = {"documents": docs, **json.loads(child.stdout.strip().splitlines()[-1])}
            rows.append(row)
            db.unlink()
            if not args.json:
                print(f"{docs:>7,} documents {row['figures']:>8,} figures {row['groups']:>7,} groups "
                      f"{row['conflicts']:>6,} conflicts {row['seconds']:>8.1f} s {row['peak_mb']:>6,} MB peak",
                      flush=True)
    if args.json:
        print(json.dumps(rows, indent=1))
    elif len(rows) > 1:
        first = rows[0]
        for row in rows[1:]:
            print(f"at {row['documents']:,} / at {first['documents']:,} documents: "
                  f"time x{row['seconds'] / max(first['seconds'], 0.1):.1f}, peak RSS x{row['peak_mb'] / first['peak_mb']:.2f} "
                  f"(documents x{row['documents'] / first['documents']:.0f})")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
