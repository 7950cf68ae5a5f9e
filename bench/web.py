#!/usr/bin/env python3
"""How fast the workbench answers on a large ledger.

    .venv/bin/python bench/web.py [--figures 100000] [--db PATH] [--requests 30]

Seeds a ledger with synthetic documents (10 figures each, one to three sources, groups of figures
stating one quantity, a few conflicts and reviews), stored through ``Ledger.add`` one document a
transaction as ``sayso ingest`` does; conflicts are written straight to ``figure_conflicts``
(grouping a synthetic ledger would measure the grouper, not the workbench). Then starts
``sayso serve`` on it and prints p50/p95 latencies of each page and API endpoint over
``--requests`` requests, with p95 against the goal of 300 ms, after one cold request (its time
printed too: whole-ledger aggregates, such as the sources and groups lists, are computed then and
kept until documents are added). A ``--db`` that exists is reused.
No assertion: numbers to read.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from sayso.model import SCHEMA, InputDocument
from sayso.store import review
from sayso.store.ledger import Ledger
from sayso.store.schema import figure_conflicts

GOAL_MS = 300
PER_DOC = 10
SOURCES = ["Amnesty International", "Human Rights Watch", "Reuters", "the Interior Ministry", "OVD-Info",
           "the United Nations", "Iran Human Rights", "HRANA", "the Red Cross", "Al Jazeera"] + \
          [f"Local Monitor {i}" for i in range(190)]
ROLES = ["source", "source", "source", "confirms", "disputes"]
PLACES = ["Iran", "Tehran", "Syria", "Aleppo", "Myanmar", "Yangon", "Belarus", "Minsk", "Sudan", "Darfur"] + \
         [f"Province {i}" for i in range(90)]
CATEGORIES = [("killed", "were killed", "protesters"), ("executed", "were executed", "prisoners"),
              ("arrested", "were arrested", "students"), ("imprisoned", "are held", "activists"),
              ("injured", "were injured", "people"), ("displaced", "fled their homes", "villagers"),
              ("protest", "took part in protests", "workers"), ("other", "signed the letter", "lawmakers")]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def synthetic_document(n: int, rng: random.Random) -> tuple[InputDocument, bytes, dict]:
    """Document ``n``: ten sentences, one figure each, with offsets, sources, time, place, group."""
    year = rng.randint(2015, 2024)
    published = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    parts, figures = [], []
    at = 0
    for i in range(PER_DOC):
        category, verb, counted = rng.choice(CATEGORIES)
        value = rng.choice([rng.randint(2, 99), rng.randint(100, 5000), rng.randint(5000, 200000)])
        place = rng.choice(PLACES)
        month = rng.randint(1, 12)
        cited = rng.sample(SOURCES, rng.randint(1, 3))
        number = f"{value:,}"
        head = f"{cited[0]} said that "
        sentence = (f"{head}{number} {counted} {verb} in {place} in {MONTHS[month - 1]} {year}"
                    + "".join(f", {s} {'confirmed' if k % 2 else 'disputed'}" for k, s in enumerate(cited[1:], 1))
                    + ". ")
        start = at + len(head)
        fig = {"id": f"f{i + 1}", "start": start, "end": start + len(number), "text": number, "kind": "count",
               "value": {"low": value, "high": value}, "qualifier": "exact", "counted": counted,
               "category": category,
               "time": {"text": f"in {MONTHS[month - 1]} {year}", "start": f"{year}-{month:02d}-01",
                        "end": f"{year}-{month:02d}-28"},
               "place": place,
               "sources": [{"name": s, "text": s, "role": "source" if k == 0 else rng.choice(ROLES[3:]),
                            "date": None} for k, s in enumerate(cited)],
               "sentence": {"start": at, "end": at + len(sentence) - 1}}
        if rng.random() < 0.3:
            fig["group"] = f"g{rng.randint(1, 5000)}"
        figures.append(fig)
        parts.append(sentence)
        at += len(sentence)
    text = "".join(parts)
    raw = text.encode("utf-8")
    digest = hashlib.sha256(raw).hexdigest()
    doc = InputDocument(id=f"bench-{n}", text=text, sha256=digest, source=f"bench/{n}.txt",
                        url=f"https://example.org/{n}", title=f"Report {n}", published=published)
    record = {"schema": SCHEMA, "document": {"id": doc.id, "source": doc.source, "sha256": digest, "title": doc.title,
                                             "published": published, "site": f"site{n % 50}.example",
                                             "publisher": None, "language": "en"},
              "figures": figures, "quotes": []}
    return doc, raw, record


def seed(path: Path, n_figures: int) -> float:
    """Fill a new ledger at ``path``; return the seconds it took."""
    rng = random.Random(4)
    started = time.perf_counter()
    with Ledger(str(path)) as ledger:
        for n in range(n_figures // PER_DOC):
            doc, raw, record = synthetic_document(n, rng)
            ledger.add(doc, raw, record)
        with ledger.writing() as conn:   # conflicts: pairs of groups, one event each
            rows = [{"conflict": k, "figure_id": fid, "group_id": gid}
                    for k in range(1, 201)
                    for gid in (f"g{2 * k}", f"g{2 * k + 1}")
                    for (fid,) in conn.exec_driver_sql("SELECT id FROM figures WHERE group_id = ?", (gid,))]
            if rows:
                conn.execute(figure_conflicts.insert(), rows)
        for fid in rng.sample(range(1, n_figures + 1), 300):
            action = rng.choice(["accept", "reject", "correct"])
            review.review(ledger, fid, action, "bench", {"counted": "people"} if action == "correct" else None)
    return time.perf_counter() - started


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def endpoints(client: httpx.Client) -> list[str]:
    first = client.get("/api/figures?per_page=1&review=unreviewed").json()["rows"][0]
    group = client.get("/api/groups?per_page=1").json()["rows"][0]["group_id"]
    source = client.get("/api/sources?per_page=1").json()["rows"][0]["name"]
    pages = ["/", "/figures", "/figures?category=killed&sort=value&desc=1", "/figures?q=protesters+Tehran",
             "/figures?place=Iran&since=2019-01-01&until=2019-12-31", "/figures?sort=source", "/figures?sort=review",
             "/figures?review=corrected", "/figures?page=1000", "/documents", f"/documents/{first['document_id']}",
             "/groups", f"/groups/{group}", "/sources", f"/sources/detail?name={source}", "/review",
             f"/review/{first['figure_id']}", "/audit"]
    api = ["/api/overview", "/api/figures", "/api/figures?category=arrested&min=1000&sort=time",
           "/api/figures?q=students", f"/api/figures/{first['figure_id']}", f"/api/documents/{first['document_id']}",
           "/api/groups", f"/api/groups/{group}", "/api/sources", "/api/sources/graph",
           f"/api/sources/detail?name={source}", "/api/review/log"]
    return pages + api


def measure(client: httpx.Client, path: str, n: int) -> tuple[float, list[float]]:
    """The first request's milliseconds (cold: whole-ledger aggregates computed), then ``n`` more."""
    t = time.perf_counter()
    assert client.get(path).status_code == 200, path
    cold = (time.perf_counter() - t) * 1000
    out = []
    for _ in range(n):
        t = time.perf_counter()
        response = client.get(path)
        out.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return cold, out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--figures", type=int, default=100_000)
    ap.add_argument("--db", type=Path, default=Path("bench/results/web-ledger.db"))
    ap.add_argument("--requests", type=int, default=30)
    args = ap.parse_args(argv)
    if not args.db.exists():
        args.db.parent.mkdir(parents=True, exist_ok=True)
        seconds = seed(args.db, args.figures)
        print(f"seeded {args.figures:,} figures in {args.figures // PER_DOC:,} documents: {seconds:.1f} s "
              f"({args.figures / seconds:,.0f} figures/s through Ledger.add)")
    with Ledger(str(args.db)) as ledger:
        print("ledger:", ", ".join(f"{v:,} {k}" for k, v in ledger.counts().items()))
    port = _port()
    sayso = Path(sys.executable).parent / "sayso"
    server = subprocess.Popen([str(sayso), "serve", "--db", str(args.db), "--port", str(port)])
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            for _ in range(100):
                try:
                    client.get("/api/csrf")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            print(f"\n{'endpoint':62} {'cold ms':>8} {'p50 ms':>8} {'p95 ms':>8} {'p95/goal':>9}")
            worst = 0.0
            for path in endpoints(client):
                cold, ms = measure(client, path, args.requests)
                ms.sort()
                p50, p95 = statistics.median(ms), ms[max(0, round(0.95 * len(ms)) - 1)]
                worst = max(worst, p95)
                print(f"{path[:62]:62} {cold:8.1f} {p50:8.1f} {p95:8.1f} {p95 / GOAL_MS:9.2f}")
            print(f"\nworst p95 {worst:.1f} ms: {worst / GOAL_MS:.2f} of the {GOAL_MS} ms goal "
                  f"({'met' if worst < GOAL_MS else 'NOT met'})")
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
