"""Linking a corpus: the jobs of ``sayso.link`` in their order over one batch of records.

``link_records(records, texts)`` reads each figure's context once (``context.contexts``), groups
the figures that state the same quantity (``groups``), gathers every estimate of one event
(``events``) and returns the conflicts between estimates (``conflicts``); it sets
``figure["group"]`` and ``figure["event"]`` on every figure of the records."""
from __future__ import annotations

from sayso.link.conflicts import find_conflicts
from sayso.link.context import contexts
from sayso.link.events import assign_events
from sayso.link.groups import assign_contexts


def link_records(records: list[dict], texts=None) -> list[dict]:
    """Set every figure's ``group`` and ``event``; return the conflicts (``conflicts.conflicts``).
    ``texts``: the documents' texts, as for ``contexts``."""
    ms = contexts(records, texts)
    assign_contexts(ms)
    assign_events(ms)
    return find_conflicts(ms)
