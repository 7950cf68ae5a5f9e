"""``sayso.document/1`` records as rows of three Arrow tables: documents, figures and quotes.

The tables follow ``sayso export --format parquet`` (``sayso.store.parquet.parquet_schemas``)
where they overlap, without the ledger's row ids: a figure or quote points to its document by the
document's ``sha256``. A document row also keeps the record itself (``record``, JSON, exactly as
``sayso extract`` writes it) and its original bytes (``raw_bytes``), so that
``sayso ingest --from-parquet`` stores what ``sayso ingest`` would have stored.
"""
from __future__ import annotations

import json
from functools import lru_cache

from sayso.model import InputDocument
from sayso.store.rows import figure_row
from sayso.store.parquet import exact, parquet_schemas

TABLES = ("documents", "figures", "quotes")
_LEDGER_ONLY = {"id", "document_id", "ingested_at", "previous_version_id", "figure_id", "position", "group_id"}
QUOTE_FIELDS = ("start", "end", "text", "speaker", "speaker_text", "cue")


@lru_cache(maxsize=1)
def schemas() -> dict:
    """table name -> pyarrow schema of the batch output."""
    import pyarrow as pa

    documents, figures, sources = (_without_ids(s) for s in parquet_schemas())
    crawled = [] if any(f.name == "crawled" for f in documents) else [("crawled", pa.string())]
    sha = pa.field("sha256", pa.string())
    return {
        "documents": pa.schema([("shard", pa.string()), ("position", pa.int64()), *documents, *crawled,
                                ("raw_bytes", pa.binary()), ("record", pa.string())]),
        "figures": pa.schema([sha, *figures, ("sources", pa.list_(pa.struct(list(sources))))]),
        "quotes": pa.schema([sha, ("start", pa.int64()), ("end", pa.int64()),
                             *((name, pa.string()) for name in QUOTE_FIELDS[2:])]),
    }


def _without_ids(schema) -> list:
    return [field for field in schema if field.name not in _LEDGER_ONLY]


def document_rows(shard: str, position: int, doc: InputDocument, raw: bytes, record: dict) -> dict[str, list[dict]]:
    """table name -> the rows of one document and its record."""
    meta = record["document"]
    values = {**meta, "shard": shard, "position": position, "key": str(meta.get("id") or doc.id),
              "sha256": doc.sha256, "source": doc.source, "url": doc.url, "text": doc.text, "raw_bytes": raw,
              "record": json.dumps(record, ensure_ascii=False)}
    document = {name: values.get(name) for name in schemas()["documents"].names}
    figures = []
    for fig in record["figures"]:
        row = figure_row(None, doc.text, fig)
        del row["document_id"]
        row["sha256"] = doc.sha256
        row["low_exact"], row["high_exact"] = exact(row["low"]), exact(row["high"])
        row["sources"] = [{"name": s["name"], "text": s["text"], "role": s["role"], "date": s.get("date")}
                          for s in fig["sources"]]
        figures.append(row)
    quotes = [{"sha256": doc.sha256, **{k: q.get(k) for k in QUOTE_FIELDS}} for q in record["quotes"]]
    return {"documents": [document], "figures": figures, "quotes": quotes}


def stored_document(row: dict) -> tuple[InputDocument, bytes, dict]:
    """A documents-table row back as what ``Ledger.add`` takes: (document, raw bytes, record)."""
    record = json.loads(row["record"])
    meta = record["document"]
    doc = InputDocument(id=row["key"], text=row["text"], sha256=row["sha256"], source=row["source"],
                        published=meta.get("published"), url=row["url"], title=row["title"],
                        crawled=meta.get("crawled"), raw=row["raw_bytes"])
    return doc, row["raw_bytes"], record
