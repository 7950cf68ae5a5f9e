"""A 50 MB text file goes into the ledger whole, once, with every figure in it (the issue's fault
test). It takes a couple of minutes: the file is half a million sentences."""
from __future__ import annotations

import hashlib
import random
import sqlite3

from conftest import run_cli

PROSE = ["Witnesses described scenes of chaos as crowds gathered outside the main square.",
         "The government has not responded to repeated requests for comment.",
         "Relatives said they had received no information about those taken away.",
         "Rights groups have called for an independent investigation into the events."]
FIGURE = " At least {n} protesters were arrested in Tehran, Amnesty International said."


def big_text(megabytes: int, every: int = 50) -> tuple[str, list[int]]:
    """Prose paragraphs; every ``every``-th one ends with an arrest figure. Returns the text and
    the figures' values in order."""
    rng = random.Random(3)
    parts, values, size = [], [], 0
    while size < megabytes * 2**20:
        paragraph = " ".join(rng.choice(PROSE) for _ in range(6))
        if len(parts) % every == 0:
            values.append(rng.randint(2, 900))
            paragraph += FIGURE.format(n=values[-1])
        parts.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(parts), values


def test_a_50_mb_text_file_is_stored_whole_and_once(tmp_path):
    text, values = big_text(50)
    path = tmp_path / "dump.txt"
    path.write_text(text, encoding="utf-8")
    db = tmp_path / "l.db"
    # over the 10 MB default size, and past the 120 s default budget on a busy machine
    first = run_cli("ingest", str(path), "--db", str(db), "--max-size", "60", "--timeout", "0")
    assert first.returncode == 0, first.stderr
    assert "1 documents added" in first.stderr
    again = run_cli("ingest", str(path), "--db", str(db), "--max-size", "60")
    assert again.returncode == 0 and "0 documents added, 1 skipped" in again.stderr
    conn = sqlite3.connect(db)
    [(n_docs, sha, raw_len)] = conn.execute("SELECT count(*), sha256, length(raw_bytes) FROM documents").fetchall()
    assert (n_docs, raw_len) == (1, path.stat().st_size)
    assert sha == hashlib.sha256(path.read_bytes()).hexdigest()
    stored = [int(v) for (v,) in conn.execute("SELECT low FROM figures ORDER BY start")]
    assert stored == values
    sources = {name for (name,) in conn.execute("SELECT DISTINCT name FROM sources")}
    assert sources == {"Amnesty International"}
