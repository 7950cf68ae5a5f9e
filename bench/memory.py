"""Peak memory of `sayso extract --no-group` and `sayso ingest` against the number of documents.

Generates news-like documents (bench/newslike.py) as JSONL, runs each command as a subprocess on
N and on --factor × N of them, and follows the command's process and its extraction worker
(``sayso.budget``) in /proc while it runs: the peak resident memory of each (VmHWM) is printed
with the ratio of the larger run's peak to the smaller's. Memory is flat in document count when
the ratio is close to 1.00: the commands stream documents (32 at a time through the worker; one
at a time into the ledger), so only what is per document, or fixed, should be held. `sayso
extract` with grouping (its default) holds every record until the end by design and is not
measured here. `sayso ingest` regroups the whole ledger at the end of its run, which holds every
figure (bench/ingest.py times it apart): its command's peak includes that; "reading" is the
command's peak when its worker ended, once every document was read, extracted and stored.

    .venv/bin/python bench/memory.py                  # 500 and 2,000 documents (a few minutes on 2 cores)
    .venv/bin/python bench/memory.py --docs 200 --factor 3
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from newslike import corpus  # noqa: E402

SAYSO = Path(sys.executable).parent / "sayso"


def _hwm_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return None


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(p) for p in fh.read().split()]
    except OSError:
        return []


def run(args: list[str]) -> tuple[float, dict[str, float]]:
    """Seconds and peak RSS in MB of the command (at the end, and when its worker ended) and of its worker."""
    started = time.perf_counter()
    proc = subprocess.Popen([str(SAYSO), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peaks = {"command": 0, "reading": 0, "worker": 0}
    seen = False
    while proc.poll() is None:
        peaks["command"] = max(peaks["command"], _hwm_kb(proc.pid) or 0)
        children = _children(proc.pid)
        for child in children:
            peaks["worker"] = max(peaks["worker"], _hwm_kb(child) or 0)
        if children:
            seen = True
        elif seen and not peaks["reading"]:     # the worker ended with the documents: before any regrouping
            peaks["reading"] = peaks["command"]
        time.sleep(0.2)
    peaks["reading"] = peaks["reading"] or peaks["command"]
    stderr = proc.stderr.read().decode(errors="replace")
    if proc.returncode:
        sys.exit(f"sayso {' '.join(args)} failed ({proc.returncode}): {stderr[-500:]}")
    return time.perf_counter() - started, {k: v / 1024 for k, v in peaks.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--factor", type=int, default=4)
    args = parser.parse_args()
    sizes = (args.docs, args.docs * args.factor)
    print(f"cores: {os.cpu_count()}  documents: {sizes[0]:,} and {sizes[1]:,}  python {sys.version.split()[0]}")
    print(f"{'command':<22} {'documents':>9} {'seconds':>8} {'command MB':>11} {'reading MB':>11} {'worker MB':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        docs = corpus(sizes[1])
        results: dict[str, list[dict]] = {}
        for n in sizes:
            path = Path(tmp) / f"docs-{n}.jsonl"
            path.write_text("".join(json.dumps(d) + "\n" for d in docs[:n]), encoding="utf-8")
            for name, command in (("extract --no-group", ["extract", str(path), "--no-group", "-o",
                                                          str(Path(tmp) / "out.jsonl")]),
                                  ("ingest", ["ingest", str(path), "--db", str(Path(tmp) / f"ledger-{n}.db")])):
                seconds, peaks = run(command)
                results.setdefault(name, []).append(peaks)
                print(f"{name:<22} {n:>9,} {seconds:>8.1f} {peaks['command']:>11.0f} {peaks['reading']:>11.0f} "
                      f"{peaks['worker']:>10.0f}", flush=True)
        for name, (small, large) in results.items():
            ratios = ", ".join(f"{k} {large[k] / small[k]:.2f}" for k in ("command", "reading", "worker") if small[k])
            print(f"{name}: peak at {sizes[1]:,} / at {sizes[0]:,}: {ratios} (1.00 = flat)")


if __name__ == "__main__":
    main()
