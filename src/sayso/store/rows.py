"""A record's figure as the columns the ledger stores it in.

:func:`figure_columns` gives the columns a figure and its review share (:data:`REVIEWED_COLUMNS`);
:func:`figure_row` the whole row of the ``figures`` table. The ledger stores extracted figures with
it, a review stores corrected and added ones, and ``sayso batch`` writes its Parquet rows with it.
"""
from __future__ import annotations

from sayso.store.schema import REVIEWED_COLUMNS


def figure_columns(figure: dict, text: str) -> dict:
    """A figure (``sayso.document/1`` shape) as the review row's columns (:data:`REVIEWED_COLUMNS`)."""
    time = figure.get("time") or {}
    sentence = figure["sentence"]
    row = {"start": figure["start"], "end": figure["end"], "text": figure["text"], "kind": figure["kind"],
           "low": figure["value"]["low"], "high": figure["value"]["high"], "qualifier": figure["qualifier"],
           "counted": figure.get("counted"), "category": figure["category"], "time_text": time.get("text"),
           "time_start": time.get("start"), "time_end": time.get("end"), "place": figure.get("place"),
           "sentence_start": sentence["start"], "sentence_end": sentence["end"],
           "sentence": text[sentence["start"]:sentence["end"]]}
    assert set(row) == set(REVIEWED_COLUMNS)
    return row


def figure_row(doc_id: int | None, text: str, fig: dict) -> dict:
    """A record's figure as a row of the ``figures`` table (its sources apart), with its sentence's text."""
    return {"document_id": doc_id, "fig": fig["id"], **figure_columns(fig, text), "group_id": fig.get("group"),
            "event_id": fig.get("event")}
