"""The Arrow schemas of the ledger's tables as Parquet files: documents, figures and sources.

``sayso export --format parquet`` writes them (:func:`sayso.present.export.write_parquet`), and
``sayso batch`` builds its own tables on them (:mod:`sayso.batch.records`), so both outputs read
alike. pyarrow is imported only when a schema is asked for.
"""
from __future__ import annotations

from decimal import Decimal


def exact(value) -> str | None:
    """A figure's value written out exactly, for the ``low_exact``/``high_exact`` columns beside
    the float64 ``low``/``high`` (a double rounds a count past 2**53: 999,999,999,999,999,999)."""
    if value is None:
        return None
    if isinstance(value, float):
        value = Decimal(repr(value))
    text = format(Decimal(value), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def parquet_schemas():
    """The Arrow schemas of the exported tables: documents, figures, sources. A figure's ``low``
    and ``high`` are doubles for arithmetic, and ``low_exact``/``high_exact`` the same values as
    exact decimal text."""
    import pyarrow as pa
    documents = pa.schema([
        ("id", pa.int64()), ("key", pa.string()), ("sha256", pa.string()), ("source", pa.string()),
        ("url", pa.string()), ("title", pa.string()), ("published", pa.string()), ("site", pa.string()),
        ("publisher", pa.string()), ("language", pa.string()), ("ingested_at", pa.string()),
        ("previous_version_id", pa.int64()), ("text", pa.string()),
    ])
    figures = pa.schema([
        ("id", pa.int64()), ("document_id", pa.int64()), ("fig", pa.string()), ("start", pa.int64()),
        ("end", pa.int64()), ("text", pa.string()), ("kind", pa.string()), ("low", pa.float64()),
        ("high", pa.float64()), ("qualifier", pa.string()), ("counted", pa.string()), ("category", pa.string()),
        ("time_text", pa.string()), ("time_start", pa.string()), ("time_end", pa.string()),
        ("place", pa.string()), ("sentence_start", pa.int64()), ("sentence_end", pa.int64()),
        ("sentence", pa.string()), ("group_id", pa.string()), ("review_state", pa.string()),
        ("low_exact", pa.string()), ("high_exact", pa.string()),
    ])
    sources = pa.schema([
        ("figure_id", pa.int64()), ("position", pa.int64()), ("name", pa.string()), ("text", pa.string()),
        ("role", pa.string()), ("date", pa.string()),
    ])
    return documents, figures, sources
