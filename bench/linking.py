"""Linking at scale: adding documents to a growing ledger, and the same linking on Ray.

`Ledger.regroup` relinks, in the blocks (a figure's kind and country, `sayso.link.blocking`) new
documents touch, only the linked sets their figures can reach (`sayso.link.reach`). This script builds ledgers of generated documents (default 1,000, 10,000 and
100,000), then adds 1,000 more to each and times what the addition costs: storing the documents
(`Ledger.add`, the path of `sayso ingest --from-parquet`) and the incremental `Ledger.regroup`,
in a child process of its own, whose peak RSS (`VmHWM`: the interpreter's and the addition's;
not `ru_maxrss`, which on Linux keeps the peak of the parent forked from, the 100,000-document
builder) is printed. Each addition is timed
``--repeat`` times (3) on a fresh copy of its ledger, the sizes in turn, and the median shown. It
prints the seconds and peak MB at each size, and each size's cost over the first's. With `--ray N` it also links the
first N documents on a local Ray (`sayso.batch.linking`, a group-by on the block) and checks that
the partition into groups and events is the ledger's.

The documents are generated with their records (no extraction: 100,000 documents through spaCy
would take hours): a news archive that grows over time, 20 documents a day, each reporting
on one event (a country and a month: what happened, to whom, where) with 1-3 estimates
of its toll from named sources, in sentences with the figure's evidence offsets; a document
names its country twice. Countries are drawn from the place registry (about 200), so a
block grows with the archive: the 100,000-document ledger has about 500 documents in a block.

    .venv/bin/python bench/linking.py                       # 1,000 / 10,000 / 100,000, Ray on 10,000
    .venv/bin/python bench/linking.py --sizes 1000 10000 --ray 2000
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import sys
import tempfile
import resource
import shutil
import subprocess
import time
from pathlib import Path

CATEGORIES = [("killed", "were killed"), ("arrested", "were arrested"), ("injured", "were injured"),
              ("disappeared", "remain missing"), ("displaced", "were displaced")]
COUNTED = ["protesters", "people", "civilians", "students", "demonstrators"]
SOURCES = ["Amnesty International", "Human Rights Watch", "the United Nations", "Reuters",
           "the interior ministry", "a local monitoring group", "the Red Cross", "the health ministry"]
FILLER = ["Residents of {country} described tense scenes as the security forces moved through the streets.",
          "Diplomats said talks on the crisis in {country} would continue, although few expected progress.",
          "The government of {country} did not respond to a request for comment.",
          "Rights groups have long criticised the authorities in {country} for the crackdown."]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
PER_DAY = 20
START = dt.date(1990, 1, 1)


def countries() -> list[str]:
    """Country names as the place registry finds them in a text (title case)."""
    from sayso.extract.aliases import default_places
    from sayso.link.lexicon import lexicon

    out = []
    for c in sorted(lexicon().countries):
        name = " ".join(w.capitalize() if w not in ("and", "of", "the") else w for w in c.split())
        found = default_places().find(f"They went to {name} today.")
        if found and found[0][2].lower() == c:
            out.append(name)
    return out


def document(i: int, rng: random.Random, names: list[str]) -> tuple[str, dict]:
    """The ``i``th document of the archive: its text and record."""
    day = START + dt.timedelta(days=i // PER_DAY)
    country = rng.choice(names)
    month = day.replace(day=1)
    end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    # the event: a country, a month and what happened; its toll as the sources estimate it
    event_rng = random.Random(f"{country}/{month}")
    category, verb = event_rng.choice(CATEGORIES)
    counted = event_rng.choice(COUNTED)
    toll = event_rng.choice([12, 23, 38, 54, 106, 208, 304, 738, 1500, 6700])
    parts, figures = [rng.choice(FILLER).format(country=country) + " "], []
    for k in range(rng.randint(1, 3)):
        value = toll if rng.random() < 0.6 else int(toll * rng.choice([0.5, 0.8, 1.2, 2]))
        number = f"{value:,}"
        hedge = rng.choice(["", "at least "])
        who = rng.choice(SOURCES)
        when = f"{MONTHS[month.month - 1]} {month.year}"
        sentence = f"{hedge.capitalize()}{number} {counted} {verb} in {country} in {when}, {who} said."
        at = sum(len(p) for p in parts)
        start = at + len(hedge)
        figures.append({
            "id": f"f{k + 1}", "start": start, "end": start + len(number), "text": number, "kind": "count",
            "value": {"low": value, "high": value}, "qualifier": "at_least" if hedge else "exact",
            "counted": counted, "category": category,
            "time": {"text": when, "start": month.isoformat(), "end": end.isoformat()},
            "place": country, "sources": [{"name": who, "text": who, "role": "source", "date": None}],
            "sentence": {"start": at, "end": at + len(sentence)}})
        parts.append(sentence + " ")
    parts.append(rng.choice(FILLER).format(country=country))
    text = "".join(parts)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    record = {"schema": "sayso.document/1",
              "document": {"id": f"gen{i}", "source": f"gen{i}.txt", "sha256": sha, "title": None,
                           "published": day.isoformat(), "site": f"site{i % 50}.example", "publisher": None,
                           "language": "en"},
              "figures": figures, "quotes": []}
    return text, record


def generate(start: int, n: int, seed: int = 7) -> list[tuple[str, dict]]:
    """Documents ``start`` to ``start + n`` of the archive (the same every run)."""
    names = countries()
    return [document(i, random.Random(f"{seed}/{i}"), names) for i in range(start, start + n)]


def store(ledger, items) -> None:
    """Store generated documents as ``sayso ingest --from-parquet`` does (no extraction)."""
    from sayso.model import InputDocument

    for text, record in items:
        raw = text.encode("utf-8")
        meta = record["document"]
        ledger.add(InputDocument(id=meta["id"], text=text, sha256=meta["sha256"], source=meta["source"],
                                 published=meta["published"]), raw, record)


def partition(pairs) -> tuple[set, set]:
    """Groups and events as sets of figure keys, whatever their ids."""
    out = ({}, {})
    for key, ids in pairs:
        for part, i in zip(out, ids):
            if i is not None:
                part.setdefault(i, set()).add(key)
    return tuple({frozenset(v) for v in part.values()} for part in out)


def ledger_partition(ledger) -> tuple[set, set]:
    return partition((f"{r['document']['id']}/{f['id']}", (f.get("group"), f.get("event")))
                     for r in ledger.records() for f in r["figures"])


def build(size: int, db: Path) -> float:
    """A ledger of the first ``size`` documents of the archive, linked; the seconds it took."""
    from sayso.store.ledger import Ledger

    started = time.perf_counter()
    with Ledger(str(db)) as ledger:
        for at in range(0, size, 5000):
            store(ledger, generate(at, min(5000, size - at)))
        ledger.regroup()
    return time.perf_counter() - started


def add_child(db: str, size: int, add: int) -> None:
    """Run in a child: add documents ``size`` to ``size + add`` to ``db`` and link them; print one
    JSON line (seconds storing and in all, peak RSS, the ledger's counts, the figures relinked)."""
    from sayso.store.ledger import Ledger

    new = generate(size, add)
    with Ledger(db) as ledger:
        started = time.perf_counter()
        store(ledger, new)
        stored = time.perf_counter() - started
        counts = ledger.regroup()
        seconds = time.perf_counter() - started
    print(json.dumps({"store_seconds": round(stored, 1), "seconds": round(seconds, 1),
                      "link_seconds": round(seconds - stored, 1), "peak_mb": round(peak_mb()), **counts}))


def peak_mb() -> float:
    """This process's peak resident memory since it was started (``VmHWM``, reset by exec; where
    /proc is missing, ``ru_maxrss``, which may hold the peak of the parent it was forked from)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def add_once(db: Path, size: int, add: int, tmp: Path) -> dict:
    """Time adding ``add`` documents to a fresh copy of the ledger ``db`` of ``size``, in a child."""
    copy = tmp / f"copy-{size}.db"
    shutil.copyfile(db, copy)
    child = subprocess.run([sys.executable, __file__, "--child", str(copy), str(size), str(add)],
                           capture_output=True, text=True)
    copy.unlink()
    if child.returncode:
        raise SystemExit(f"adding to {size:,} documents failed: {child.stderr.strip().splitlines()[-1:]}")
    return json.loads(child.stdout.strip().splitlines()[-1])


def measure(sizes: list[int], add: int, tmp: Path, repeat: int = 3) -> list[dict]:
    """Build a ledger of each size, then time adding ``add`` more documents to each, ``repeat``
    rounds over all sizes in turn (so that a busy spell of the machine falls on every size
    alike); per size, the run of median seconds."""
    built = {size: build(size, tmp / f"ledger-{size}.db") for size in sizes}
    runs: dict[int, list[dict]] = {size: [] for size in sizes}
    for _ in range(repeat):
        for size in sizes:
            runs[size].append(add_once(tmp / f"ledger-{size}.db", size, add, tmp))
    rows = []
    for size in sizes:
        ordered = sorted(runs[size], key=lambda r: r["seconds"])
        rows.append({"documents": size, "added": add, "build_seconds": round(built[size], 1),
                     "runs": [r["seconds"] for r in runs[size]], **ordered[len(ordered) // 2]})
    return rows


def check_ray(n: int, tmp: Path) -> dict:
    """Link ``n`` documents in a ledger and on Ray; whether the partitions are the same."""
    import ray

    from sayso.batch.linking import link_documents
    from sayso.store.ledger import Ledger

    seen: set[str] = set()              # the ledger stores the same bytes once: so does Ray's input
    items = [(t, r) for t, r in generate(0, n)
             if not (r["document"]["sha256"] in seen or seen.add(r["document"]["sha256"]))]
    ledger = Ledger(str(tmp / "ray.db"))
    store(ledger, items)
    ledger.regroup()
    mine = ledger_partition(ledger)
    ledger.close()
    ray.init(num_cpus=os.cpu_count(), include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    started = time.perf_counter()
    try:
        found = link_documents(items)
    finally:
        ray.shutdown()
    theirs = partition(found.items())
    return {"documents": n, "ray_seconds": round(time.perf_counter() - started, 1),
            "groups": len(mine[0]), "events": len(mine[1]), "same_partition": mine == theirs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--add", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="additions timed per size (the median is shown)")
    parser.add_argument("--ray", type=int, default=10000, metavar="N", help="documents linked on Ray (0: none)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        add_child(args.child[0], int(args.child[1]), int(args.child[2]))
        return
    print(f"cores: {os.cpu_count()}  load average: {os.getloadavg()[0]:.1f}  python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        rows = measure(args.sizes, args.add, Path(tmp), args.repeat)
        if not args.json:
            for size, row in zip(args.sizes, rows):
                print(f"{size:>7,} documents + {args.add:,}: {row['seconds']:>6.1f} s, median of "
                      f"{' / '.join(map(str, row['runs']))} (store {row['store_seconds']:.1f}, "
                      f"link {row['link_seconds']:.1f}), peak RSS {row['peak_mb']:>5,} MB; ledger built in "
                      f"{row['build_seconds']:.0f} s; {row['figures']:,} figures, {row['groups']:,} groups, "
                      f"{row['events']:,} events; {row['relinked']:,} figures relinked", flush=True)
        ray_row = check_ray(args.ray, Path(tmp)) if args.ray else None
    if args.json:
        print(json.dumps({"sizes": rows, "ray": ray_row}, indent=1))
        return
    for row in rows[1:]:
        print(f"at {row['documents']:,} / at {rows[0]['documents']:,}: time x{row['seconds'] / rows[0]['seconds']:.2f}, "
              f"peak x{row['peak_mb'] / rows[0]['peak_mb']:.2f}")
    if ray_row:
        print(f"Ray on {ray_row['documents']:,} documents: {ray_row['ray_seconds']} s, {ray_row['groups']:,} groups, "
              f"{ray_row['events']:,} events, the ledger's partition: {ray_row['same_partition']}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
