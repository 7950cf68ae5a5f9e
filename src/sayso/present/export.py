"""``sayso export``: the ledger's figures written out as CSV, JSON Lines, Parquet or an HTML dossier.

The library functions take a :class:`~sayso.store.ledger.Ledger` and the same filters as
``Ledger.figures`` (``sayso figures``):

- :func:`write_csv`: one row per figure (:data:`CSV_COLUMNS`);
- :func:`write_jsonl`: the stored ``sayso.document/1`` records, one a line (with filters, the
  records of the documents that hold a matching figure, whole);
- :func:`write_parquet`: a directory of ``documents.parquet``, ``figures.parquet`` and
  ``sources.parquet`` (schemas: :func:`sayso.store.parquet.parquet_schemas`);
- :func:`sayso.present.dossier.write_html`: a self-contained HTML dossier.

``export_command`` is the command line; ``cli.py`` registers it.
"""
from __future__ import annotations

import csv
import json
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Any, Iterable

import typer

from sayso.present.ledger_cli import AsExtractedOption, DbOption, _fail, _open, check_filters, err, figure_filters
from sayso.present.terminal import plain
from sayso.store import queries
from sayso.store.ledger import Ledger
from sayso.store.parquet import exact, parquet_schemas

FILTERS = ("category", "place", "source", "since", "until", "min_value", "max_value", "search", "site", "limit",
           "as_extracted")

CSV_COLUMNS = ("document_id", "document_key", "site", "published", "fig", "text", "kind", "low", "high",
               "qualifier", "counted", "category", "time_start", "time_end", "place", "sources", "group_id",
               "review_state", "sentence")
STDOUT = "-"


def figure_rows(ledger: Ledger, **filters: Any) -> list[dict]:
    """The figures to export: ``Ledger.figures`` with the filters given (None ones ignored)."""
    unknown = set(filters) - set(FILTERS)
    if unknown:
        raise TypeError(f"unknown filter(s): {', '.join(sorted(unknown))}")
    return ledger.figures(**{k: v for k, v in filters.items() if v is not None})


def has_filters(filters: dict) -> bool:
    return any(v is not None for k, v in filters.items() if k != "as_extracted")


@contextmanager
def _opened(path: Path | str):
    """The file at ``path`` to write text to, or standard output for ``-``."""
    if str(path) == STDOUT:
        yield sys.stdout
        sys.stdout.flush()
    else:
        with open(path, "w", encoding="utf-8", newline="") as out:
            yield out


def sources_cell(sources: Iterable[dict]) -> str:
    """``"Amnesty International (source); Reuters (confirms)"``."""
    return "; ".join(f"{s['name']} ({s['role']})" for s in sources)


# --- CSV -----------------------------------------------------------------------------------------

def write_csv(rows: list[dict], path: Path | str) -> int:
    """One row per figure, columns :data:`CSV_COLUMNS` (to standard output for ``-``); returns how
    many rows were written."""
    with _opened(path) as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for r in rows:
            writer.writerow([sources_cell(r["sources"]) if c == "sources" else "" if r.get(c) is None else r[c]
                             for c in CSV_COLUMNS])
    return len(rows)


# --- JSON Lines ----------------------------------------------------------------------------------

def write_jsonl(ledger: Ledger, path: Path | str, document_ids: set[int] | None = None,
                as_extracted: bool = False) -> int:
    """The stored records (as reviewed, or ``as_extracted``), one a line, in the order they were
    added; only the documents in ``document_ids`` when it is given (standard output for ``-``).
    Returns how many were written."""
    n = 0
    with _opened(path) as out:
        if document_ids is None:
            records: Iterable[dict] = ledger.records(as_extracted)
        else:
            records = (ledger.record(i, as_extracted) for i in sorted(document_ids))
        for record in records:
            if record is None:
                continue
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    return n


# --- Parquet -------------------------------------------------------------------------------------

def write_parquet(ledger: Ledger, rows: list[dict], out_dir: Path | str) -> dict[str, int]:
    """``documents.parquet``, ``figures.parquet`` and ``sources.parquet`` in ``out_dir`` (created),
    for the figures in ``rows``, their documents and their sources. Returns the row counts."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    documents_schema, figures_schema, sources_schema = parquet_schemas()
    with ledger.engine.connect() as conn:
        docs = queries.document_rows(conn, (r["document_id"] for r in rows))
    figure_table = [{
        "id": r["figure_id"], "document_id": r["document_id"], "fig": r["fig"], "start": r["start"],
        "end": r["end"], "text": r["text"], "kind": r["kind"],
        "low": None if r["low"] is None else float(r["low"]), "high": None if r["high"] is None else float(r["high"]),
        "qualifier": r["qualifier"], "counted": r["counted"], "category": r["category"],
        "time_text": r["time_text"], "time_start": r["time_start"], "time_end": r["time_end"], "place": r["place"],
        "sentence_start": r["sentence_start"], "sentence_end": r["sentence_end"], "sentence": r["sentence"],
        "group_id": r["group_id"], "review_state": r.get("review_state"),
        "low_exact": exact(r["low"]), "high_exact": exact(r["high"]),
    } for r in rows]
    source_table = [{"figure_id": r["figure_id"], "position": i, "name": s["name"], "text": s["text"],
                     "role": s["role"], "date": s.get("date")}
                    for r in rows for i, s in enumerate(r["sources"])]
    tables = {"documents": ([{k: d.get(k) for k in documents_schema.names} for d in docs], documents_schema),
              "figures": (figure_table, figures_schema), "sources": (source_table, sources_schema)}
    counts = {}
    for name, (data, schema) in tables.items():
        pq.write_table(pa.Table.from_pylist(data, schema=schema), out / f"{name}.parquet")
        counts[name] = len(data)
    return counts


# --- the command ---------------------------------------------------------------------------------

class ExportFormat(str, Enum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"
    html = "html"


@figure_filters()
def export_command(
    fmt: ExportFormat = typer.Option(..., "--format", help="csv, jsonl, parquet (a directory) or html"),
    output: Path = typer.Option(..., "-o", "--output",
                                help="the file to write (a directory for parquet; - for standard output)"),
    db: str = DbOption,
    filters: dict = None,
    as_extracted: bool = AsExtractedOption,
    title: str = typer.Option("sayso dossier", help="the HTML dossier's title"),
) -> None:
    """Export the ledger's figures (filtered as `sayso figures`), as reviewed: CSV, JSON Lines,
    Parquet or an offline HTML dossier."""
    check_filters(since=filters["since"], until=filters["until"], category=filters["category"])
    if str(output) == STDOUT and fmt is ExportFormat.parquet:
        _fail("parquet is a directory of files: give -o DIR", code=2)
    filters = {**filters, "as_extracted": as_extracted or None}
    try:
        with _open(db) as ledger:
            if fmt is ExportFormat.jsonl:
                ids = {r["document_id"] for r in figure_rows(ledger, **filters)} if has_filters(filters) else None
                n = write_jsonl(ledger, output, ids, as_extracted)
                summary = f"{n} records"
            else:
                rows = figure_rows(ledger, **filters)
                if fmt is ExportFormat.csv:
                    summary = f"{write_csv(rows, output)} figures"
                elif fmt is ExportFormat.parquet:
                    counts = write_parquet(ledger, rows, output)
                    summary = ", ".join(f"{n} {name}" for name, n in counts.items())
                else:
                    from sayso.present.dossier import write_html
                    summary = f"{write_html(ledger, rows, output, title=title, as_extracted=as_extracted)} figures"
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}")
    err.print(plain(f"{summary} written to {'standard output' if str(output) == STDOUT else output}"))
