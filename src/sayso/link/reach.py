"""Reach: which figures of a block a figure may link with, read from a few numbers kept per figure.

A ledger keeps, beside each figure's block, its linked set (``corpus.link_block``: the figures
joined to it by any group, event or conflict link) and its *reach* (``reach(m)``): the dates and
values the pair tests read first. When documents are added, a new figure is compared with the
stored figures of its block it can reach (``reachable``), and only their linked sets are relinked
with it: adding a document to a ledger of ten years costs what its own month costs, not its
block's whole archive.

``reachable`` is a necessary condition of every link, never a sufficient one: a pair it refuses
can pass none of the tests (``blocking.group_pairs`` with ``groups.same_quantity``,
``blocking.event_pairs`` with ``events.same_event``, ``blocking.conflict_pairs`` with
``conflicts.disagree``). A pair of one document is always compared (a ledger relinks a new or
reviewed document's figures together), so the reach need not hold what only the same document
tests (a sum restated in another currency, ``aspects.conversion``).

The reach of a figure, a list (``FIELDS``; the ledger's ``figures.reach_*`` columns)::

    [published, event_start, event_end, time_start, time_end, low, high, conflict]

``published``: its document's publication date (a day number; None unknown); ``event_*``: the
period the figure is about as events read it (``events.event_interval``, day numbers; None
unknown); ``time_*``: its time as groups and conflicts read it (``aspects.interval``); ``low``,
``high``: the values a figure of its group may have (``values.value_window``; None: no value);
``conflict``: the category it may conflict over (None where it cannot conflict: no category,
the fallback one, or a vague quantity).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Sequence

import numpy

from sayso.link.aspects import interval
from sayso.link.context import FigureContext
from sayso.link.events import event_interval
from sayso.link.lexicon import lexicon, vocabulary
from sayso.link.values import value_window

FIELDS = ("published", "event_start", "event_end", "time_start", "time_end", "low", "high", "conflict")


def reach(f: dict, published: str | None = None, sentence: str = "") -> list:
    """The reach of figure ``f`` (see the module) of a document ``published`` on that date, in
    ``sentence``."""
    period = event_interval(f, published, sentence)
    time = interval(f)
    window = value_window(FigureContext(key="", doc="", index=0, figure=f))
    category = f.get("category")
    conflict = None if (not category or category == lexicon().fallback or f.get("qualifier") == "vague") else category
    return [_ordinal(published), *(_days(period) if period else (None, None)), *(_days(time) if time else (None, None)),
            *(window if window else (None, None)), conflict]


def reaches(record: dict, text: str | None) -> list[list]:
    """The reach of every figure of a record, its document's ``text`` giving the sentences."""
    published = (record.get("document") or {}).get("published")
    out = []
    for f in record.get("figures") or []:
        span = f.get("sentence") or {}
        if text and span.get("start") is not None and span.get("end") is not None:
            sentence = text[span["start"]:span["end"]]
        else:
            sentence = f.get("sentence_text") or ""
        out.append(reach(f, published, sentence))
    return out


def reachable(new: Sequence[Sequence], stored: Sequence[Sequence]) -> numpy.ndarray:
    """Which ``stored`` figures (their reaches) one of the ``new`` ones may link with: a boolean
    array parallel to ``stored``. A stored figure is reachable from a new one when (events) their
    documents were published within ``events.max_days_apart`` (or one date is unknown) and their
    periods may be one event's (either unknown; overlapping; starting within
    ``events.same_start_days``; or one a single day after the other ends); or (groups) their
    value windows overlap and their times overlap (or one is unknown); or (conflicts) they may
    conflict over one category, both dated with overlapping times or both undated."""
    out = numpy.zeros(len(stored), dtype=bool)
    if not len(stored) or not len(new):
        return out
    columns = list(zip(*stored))
    pub, es, ee, ts, te, lo, hi = (numpy.array(c, dtype=float) for c in columns[:7])   # None: NaN
    conflict = numpy.array([c or "" for c in columns[7]])
    settings = vocabulary()["events"]
    days, slack = settings["max_days_apart"], settings["same_start_days"]
    unknown_pub, unknown_period, unknown_time = numpy.isnan(pub), numpy.isnan(es), numpy.isnan(ts)
    for r in new:
        n_pub, n_es, n_ee, n_ts, n_te, n_lo, n_hi, n_conflict = r
        hit = numpy.ones(len(stored), dtype=bool)
        # events: published near enough, periods that may be one toll's
        if n_pub is not None:
            hit &= unknown_pub | (numpy.abs(pub - n_pub) <= days)
        if n_es is not None:
            periods = unknown_period | ((es <= n_ee) & (n_es <= ee)) | (numpy.abs(es - n_es) <= slack)
            if n_es == n_ee:                # a day after a period: a later report of its total
                periods |= (ee < n_es) & (es != ee)
            else:
                periods |= (es == ee) & (es > n_ee)
            hit &= periods
        # groups: value windows that overlap, times that overlap or one unknown
        times = (unknown_time | ((ts <= n_te) & (n_ts <= te))) if n_ts is not None else None
        if n_lo is not None:
            hit |= (lo <= n_hi) & (n_lo <= hi) & (True if times is None else times)
        # conflicts: one category, both undated or overlapping times
        if n_conflict:
            both = unknown_time if n_ts is None else ~unknown_time & (ts <= n_te) & (n_ts <= te)
            hit |= (conflict == n_conflict) & both
        out |= hit
    return out


@dataclass(frozen=True)
class Bounds:
    """Ranges that hold every stored figure some new figures can reach (``bounds``), for a
    database to select by before ``reachable`` reads them: a stored figure may be reachable only
    where its publication day is unknown or within ``published``, or its time is unknown or
    overlaps ``times``, or its value window overlaps ``values`` (a range None holds nothing)."""

    published: tuple[int, int] | None
    times: tuple[int, int] | None
    values: tuple[float, float] | None

    def admits(self, r: Sequence) -> bool:
        """Whether a stored figure's reach ``r`` lies within the bounds."""
        pub, _, _, ts, te, lo, hi, _ = r
        return (pub is None or ts is None
                or (self.published is not None and self.published[0] <= pub <= self.published[1])
                or (self.times is not None and ts <= self.times[1] and te >= self.times[0])
                or (self.values is not None and lo is not None and lo <= self.values[1] and hi >= self.values[0]))


def bounds(new: Sequence[Sequence]) -> Bounds | None:
    """The ``Bounds`` of what the ``new`` figures (their reaches) can reach; None where they may
    reach anything (a figure of an undated document pairs with every date). Every stored figure
    ``reachable`` finds lies within them: through events, its publication day lies within
    ``events.max_days_apart`` of a new one's (or is unknown); through groups, its time overlaps a
    new one's, or is unknown, or (a new figure's time unknown) its value window overlaps that
    figure's; through conflicts, its time overlaps a new one's or is unknown."""
    if not new or any(r[0] is None for r in new):
        return None
    days = vocabulary()["events"]["max_days_apart"]
    published = (min(r[0] for r in new) - days, max(r[0] for r in new) + days)
    dated = [r for r in new if r[3] is not None]
    times = (min(r[3] for r in dated), max(r[4] for r in dated)) if dated else None
    undated = [r for r in new if r[3] is None and r[5] is not None]
    values = (min(r[5] for r in undated), max(r[6] for r in undated)) if undated else None
    return Bounds(published, times, values)


def _days(span: tuple[date, date]) -> tuple[int, int]:
    return span[0].toordinal(), span[1].toordinal()


def _ordinal(published: str | None) -> int | None:
    try:
        return date.fromisoformat((published or "")[:10]).toordinal()
    except ValueError:
        return None
