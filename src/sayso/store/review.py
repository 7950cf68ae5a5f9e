"""Reviewing the ledger: a person accepts, corrects or rejects a figure, and every verdict is logged.

- :func:`review` records one verdict in one transaction: the figure's current state
  (``figure_reviews``, its fields also as columns, its sources in ``review_sources``) and an entry
  in the append-only ``review_log`` (who, when, the action, the state before and after).
  ``accept`` says the figure is right as sayso stated it; ``correct`` applies a reviewer's changes
  to any of its fields (on top of an earlier correction); ``reject`` says it is no figure at all.
- :func:`add_figure` records a figure sayso missed (state ``added``), logged the same way.
- :func:`review_quote` accepts, rejects or corrects the speaker of a quote (``quote_reviews``,
  the append-only ``quote_review_log``).
- :func:`next_unreviewed` is the review queue's head; :func:`figure_id` reads ``12`` or ``DOC/f3``.
- :func:`apply_changes` is the pure part of a correction: a figure (``sayso.document/1`` shape) and
  the fields to change, checked against the document's text and the spec's closed lists.
- :func:`gold_set` and :func:`write_gold` turn reviewed documents into a gold set in the format of
  ``../shared/eval/GUIDELINES.md`` (``docs.jsonl``, ``gold.jsonl``, ``aliases.json``, ``groups.json``).

The reviewed figure is kept beside the figure sayso stored, never over it: the ledger keeps what
the machine said, the review says what a person holds true, and the two can be compared. Every
reader sees the reviewed layer by default (``sayso.store.layers``).
"""
from __future__ import annotations

import datetime as _dt
import json
from decimal import Decimal, InvalidOperation
import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Iterable

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from sayso.ingest.readers import valid_date
from sayso.store import queries
from sayso.store.layers import ADDED_ORIGIN, EXTRACTED, REVIEWED
from sayso.store.rows import figure_columns, figure_row
from sayso.store.schema import (documents, figure_reviews, figures, quote_review_log, quote_reviews,
                                quotes, review_log, review_sources)

ADDED = "added"


class ReviewError(ValueError):
    """A verdict that cannot be recorded (unknown figure, action or field value); one line, and the
    ``field`` it is about where it is about one (a form shows the message next to it)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    """The closed lists a reviewer picks from: kinds, qualifiers, roles, categories, states."""
    data = json.loads((files("sayso") / "data" / "vocabulary.json").read_text(encoding="utf-8"))
    categories = json.loads((files("sayso") / "data" / "categories.json").read_text(encoding="utf-8"))
    data["categories"] = [c for c in categories if not c.startswith("_")]
    return data


# --- reading -------------------------------------------------------------------------------------

def stored_figure(conn: Connection, figure_id: int) -> dict | None:
    """The figure as sayso stored it (``sayso.document/1`` shape, its group included), or None
    (no such figure, or one a reviewer added)."""
    query = queries.figure_query(layer=EXTRACTED).where(EXTRACTED.figures.c.id == figure_id)
    rows = queries.figure_rows(conn, query, EXTRACTED)
    return queries._record_figure(rows[0]) if rows else None


def current(conn: Connection, figure_id: int) -> dict:
    """``{"state", "figure", "reviewer", "reviewed_at"}``: the figure's review, or state None and
    the stored figure where nobody reviewed it yet."""
    row = conn.execute(select(figure_reviews).where(figure_reviews.c.figure_id == figure_id)).first()
    if row is None:
        return {"state": None, "figure": stored_figure(conn, figure_id), "reviewer": None, "reviewed_at": None}
    return {"state": row.state, "figure": json.loads(row.figure), "reviewer": row.reviewer,
            "reviewed_at": _iso(row.reviewed_at)}


def states(conn: Connection, figure_ids: Iterable[int]) -> dict[int, str]:
    """``figure id -> review state`` for those of ``figure_ids`` that were reviewed."""
    ids = list(figure_ids)
    out: dict[int, str] = {}
    for i in range(0, len(ids), 500):
        out.update(conn.execute(select(figure_reviews.c.figure_id, figure_reviews.c.state)
                                .where(figure_reviews.c.figure_id.in_(ids[i:i + 500]))).all())
    return out


def log_entries(conn: Connection, figure_id: int | None = None, limit: int = 100, offset: int = 0) -> list[dict]:
    """Review log entries, newest first (one figure's where ``figure_id`` is given)."""
    query = (select(review_log, figures.c.document_id, figures.c.fig)
             .join(figures, figures.c.id == review_log.c.figure_id)
             .order_by(review_log.c.id.desc()).limit(limit).offset(offset))
    if figure_id is not None:
        query = query.where(review_log.c.figure_id == figure_id)
    return [{"id": r.id, "figure_id": r.figure_id, "document_id": r.document_id, "fig": r.fig,
             "action": r.action, "reviewer": r.reviewer, "at": _iso(r.at), "before": json.loads(r.before),
             "after": json.loads(r.after), "note": r.note} for r in conn.execute(query)]


def counts(conn: Connection) -> dict[str, int]:
    """How many figures are in each review state, and how many log entries there are."""
    found = dict(conn.execute(select(figure_reviews.c.state, func.count()).group_by(figure_reviews.c.state))
                 .all())
    out = {s: found.get(s, 0) for s in vocabulary()["review_states"]}
    out["log"] = conn.execute(select(func.count()).select_from(review_log)).scalar_one()
    return out


# --- writing -------------------------------------------------------------------------------------

def review(ledger, figure_id: int, action: str, reviewer: str, changes: dict | None = None,
           note: str | None = None, now: _dt.datetime | None = None) -> dict:
    """Record a verdict on a figure (``accept``, ``correct`` with ``changes``, ``reject``) in one
    transaction; return the new log entry. Raises :class:`ReviewError` for an unknown figure or
    action, a missing reviewer, or a change the figure cannot take."""
    states_of = vocabulary()["review_actions"]
    if action not in states_of:
        raise ReviewError(f"unknown action {action!r}: one of {', '.join(states_of)}")
    reviewer = (reviewer or "").strip()
    if not reviewer:
        raise ReviewError("a review needs the reviewer's name", "reviewer")
    if action == "correct" and not changes:
        raise ReviewError("a correction needs at least one changed field")
    at = now or _dt.datetime.now(_dt.timezone.utc)
    with ledger.writing() as conn:
        before = current(conn, figure_id)
        if before["figure"] is None:
            raise ReviewError(f"no figure {figure_id} in the ledger")
        if action == "accept":
            figure = stored_figure(conn, figure_id) or before["figure"]   # an added figure: as added
        elif action == "correct":
            figure = apply_changes(before["figure"], changes, _document_text(conn, figure_id))
        else:
            figure = before["figure"]
        figure = _plain(figure)
        after = {"state": states_of[action], "figure": figure}
        log_id = _write(conn, figure_id, action, reviewer, at, note, before, after, _document_text(conn, figure_id))
    return {"id": log_id, "figure_id": figure_id, "action": action, "reviewer": reviewer, "at": _iso(at),
            "before": {"state": before["state"], "figure": before["figure"]}, "after": after, "note": note or None}


def _plain(figure: dict) -> dict:
    """A figure without what the ledger computes (its group, its review state)."""
    return {k: v for k, v in figure.items() if k not in ("group", "review")}


def _write(conn: Connection, figure_id: int, action: str, reviewer: str, at, note, before: dict, after: dict,
           text: str) -> int:
    """The log entry, the figure's review row (with its fields as columns) and its reviewed sources."""
    log_id = conn.execute(insert(review_log).values(
        figure_id=figure_id, action=action, reviewer=reviewer, at=at, note=note or None,
        before=_json({"state": before["state"], "figure": before["figure"]}), after=_json(after),
    )).inserted_primary_key[0]
    figure = after["figure"]
    values = dict(state=after["state"], figure=_json(figure), reviewer=reviewer, reviewed_at=at, log_id=log_id,
                  **figure_columns(figure, text))
    if before["state"] is None:
        conn.execute(insert(figure_reviews).values(figure_id=figure_id, **values))
    else:
        conn.execute(update(figure_reviews).where(figure_reviews.c.figure_id == figure_id).values(**values))
    _write_sources(conn, figure_id, [] if after["state"] == "rejected" else figure.get("sources") or [])
    return log_id


def _write_sources(conn: Connection, figure_id: int, found: list[dict]) -> None:
    conn.execute(delete(review_sources).where(review_sources.c.figure_id == figure_id))
    if found:
        conn.execute(insert(review_sources), [
            {"figure_id": figure_id, "position": i, "name": s["name"], "text": s.get("text") or s["name"],
             "role": s["role"], "date": s.get("date")} for i, s in enumerate(found)])


def fill_columns(ledger) -> int:
    """Give the review rows of a ledger made before reviews had columns their columns and
    sources (from their JSON); return how many were filled."""
    with ledger.engine.connect() as conn:
        empty = conn.execute(select(figure_reviews.c.figure_id).where(figure_reviews.c.kind.is_(None))
                             .limit(1)).first()
    if empty is None:
        return 0
    n = 0
    with ledger.writing() as conn:
        for row in conn.execute(select(figure_reviews.c.figure_id, figure_reviews.c.state, figure_reviews.c.figure)
                                .where(figure_reviews.c.kind.is_(None))).all():
            figure = json.loads(row.figure)
            conn.execute(update(figure_reviews).where(figure_reviews.c.figure_id == row.figure_id)
                         .values(**figure_columns(figure, _document_text(conn, row.figure_id))))
            _write_sources(conn, row.figure_id, [] if row.state == "rejected" else figure.get("sources") or [])
            n += 1
    return n


def add_figure(ledger, document_id: int, start: int, end: int, reviewer: str, fields: dict | None = None,
               note: str | None = None, now: _dt.datetime | None = None) -> dict:
    """Record a figure sayso missed: the text at ``start``..``end`` of a stored document, with
    ``fields`` as :func:`apply_changes` takes them (its sentence found around it where they give
    none; its value read from its text where they give none). Returns the log entry, whose
    ``figure_id`` is the new figure's."""
    reviewer = (reviewer or "").strip()
    if not reviewer:
        raise ReviewError("a review needs the reviewer's name")
    at = now or _dt.datetime.now(_dt.timezone.utc)
    fields = dict(fields or {})
    with ledger.writing() as conn:
        text = conn.execute(select(documents.c.text).where(documents.c.id == document_id)).scalar()
        if text is None:
            raise ReviewError(f"no document {document_id} in the ledger")
        start, end = _offset("start", start, text), _offset("end", end, text)
        if start >= end:
            raise ReviewError("start must come before end")
        s_start, s_end = sentence_around(text, start, end)
        taken = set(conn.execute(select(figures.c.fig).where(figures.c.document_id == document_id)).scalars())
        n = len(taken) + 1
        while f"f{n}" in taken:
            n += 1
        low = _value_of(text[start:end])
        base = {"id": f"f{n}", "start": start, "end": end, "text": text[start:end], "kind": "count",
                "value": {"low": low, "high": low}, "qualifier": "exact", "counted": None, "category": "other",
                "time": None, "place": None, "sources": [], "sentence": {"start": s_start, "end": s_end}}
        figure = apply_changes(base, fields, text) if fields else base
        row = {**figure_row(document_id, text, figure), "origin": ADDED_ORIGIN, "group_id": None}
        new_id = conn.execute(insert(figures).values(**row)).inserted_primary_key[0]
        before = {"state": None, "figure": None}
        after = {"state": ADDED, "figure": figure}
        log_id = _write(conn, new_id, "add", reviewer, at, note, before, after, text)
    return {"id": log_id, "figure_id": new_id, "action": "add", "reviewer": reviewer, "at": _iso(at),
            "before": before, "after": after, "note": note or None}


_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*(?=\s)|\n\s*\n")


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence holding ``text[start:end]``: from after the last sentence end
    (``.``, ``!`` or ``?`` before a space, or a blank line) before ``start`` to the first one at
    or after ``end``, leading and trailing space left out."""
    begin = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        begin = m.end()
    m = _SENTENCE_END.search(text, end)
    finish = m.start() + (1 if m.group().strip() else 0) if m else len(text)
    while begin < start and text[begin].isspace():
        begin += 1
    while finish > end and text[finish - 1].isspace():
        finish -= 1
    return begin, finish


def _value_of(found: str) -> int | float | None:
    from sayso.extract.numbers import parse_number
    for piece in [found] + found.split():
        x = parse_number(piece.strip(".,;:()"))
        if x is not None:
            return int(x) if float(x).is_integer() else x
    return None


def next_unreviewed(conn: Connection, after: int | None = None) -> int | None:
    """The row id of the next figure nobody reviewed (in document order, after the figure ``after``
    where given, else from the start; wrapping round), or None when all are reviewed."""
    f = REVIEWED.figures
    query = (select(f.c.id).where(f.c.review_state.is_(None))
             .order_by(f.c.document_id, f.c.start, f.c.id).limit(1))
    if after is not None:
        here = conn.execute(select(figures.c.document_id, figures.c.start).where(figures.c.id == after)).first()
        if here is not None:
            later = (f.c.document_id > here.document_id) | ((f.c.document_id == here.document_id) & (
                (f.c.start > here.start) | ((f.c.start == here.start) & (f.c.id > after))))
            found = conn.execute(query.where(later)).scalar()
            if found is not None:
                return found
    return conn.execute(query).scalar()


def figure_id(conn: Connection, ref: str) -> int | None:
    """A figure's row id from ``12`` (the row id) or ``DOC/f3`` (a document, as ``sayso show``
    takes it, and the figure's id in its record)."""
    ref = str(ref).strip()
    if ref.isdigit():
        return int(ref) if conn.execute(select(figures.c.id).where(figures.c.id == int(ref))).first() else None
    doc, _, fig = ref.rpartition("/")
    doc_id = queries.resolve_document(conn, doc) if doc else None
    if doc_id is None:
        return None
    return conn.execute(select(figures.c.id).where(figures.c.document_id == doc_id, figures.c.fig == fig)).scalar()


QUOTE_ACTIONS = {"accept": "accepted", "correct": "corrected", "reject": "rejected"}


def review_quote(ledger, quote_id: int, action: str, reviewer: str, speaker: str | None = None,
                 note: str | None = None, now: _dt.datetime | None = None) -> dict:
    """Record a verdict on a quote (``accept``; ``correct`` its ``speaker``, a name, or "" for an
    unknown speaker; ``reject``: no quote at all) in one transaction with its entry in the
    append-only ``quote_review_log``; return the entry."""
    if action not in QUOTE_ACTIONS:
        raise ReviewError(f"unknown action {action!r}: one of {', '.join(QUOTE_ACTIONS)}")
    reviewer = (reviewer or "").strip()
    if not reviewer:
        raise ReviewError("a review needs the reviewer's name", "reviewer")
    if action == "correct" and speaker is None:
        raise ReviewError("a correction of a quote gives its speaker", "speaker")
    at = now or _dt.datetime.now(_dt.timezone.utc)
    with ledger.writing() as conn:
        before = current_quote(conn, quote_id)
        if before["quote"] is None:
            raise ReviewError(f"no quote {quote_id} in the ledger")
        stored = stored_quote(conn, quote_id)
        quote = dict(before["quote"])
        if action == "accept":
            quote = stored
        elif action == "correct":
            name = speaker.strip() or None
            quote.update(speaker=name, speaker_text=name if name != stored["speaker"] else stored["speaker_text"])
        after = {"state": QUOTE_ACTIONS[action], "quote": quote}
        log_id = conn.execute(insert(quote_review_log).values(
            quote_id=quote_id, action=action, reviewer=reviewer, at=at, note=note or None,
            before=_json(before), after=_json(after))).inserted_primary_key[0]
        values = dict(state=after["state"], speaker=quote["speaker"], speaker_text=quote["speaker_text"],
                      reviewer=reviewer, reviewed_at=at, log_id=log_id)
        if before["state"] is None:
            conn.execute(insert(quote_reviews).values(quote_id=quote_id, **values))
        else:
            conn.execute(update(quote_reviews).where(quote_reviews.c.quote_id == quote_id).values(**values))
    return {"id": log_id, "quote_id": quote_id, "action": action, "reviewer": reviewer, "at": _iso(at),
            "before": before, "after": after, "note": note or None}


def stored_quote(conn: Connection, quote_id: int) -> dict | None:
    """A quote as sayso stored it (with its document's row id), or None."""
    q = conn.execute(select(quotes).where(quotes.c.id == quote_id)).first()
    if q is None:
        return None
    return {"document_id": q.document_id, "start": q.start, "end": q.end, "text": q.text, "speaker": q.speaker,
            "speaker_text": q.speaker_text, "cue": q.cue}


def current_quote(conn: Connection, quote_id: int) -> dict:
    """``{"state", "quote"}``: a quote as reviewed (state None: as sayso stored it; quote None: no such quote)."""
    stored = stored_quote(conn, quote_id)
    row = conn.execute(select(quote_reviews).where(quote_reviews.c.quote_id == quote_id)).first()
    if stored is None or row is None:
        return {"state": None, "quote": stored}
    return {"state": row.state, "quote": {**stored, "speaker": row.speaker, "speaker_text": row.speaker_text}}


def quote_log_entries(conn: Connection, quote_id: int | None = None, limit: int = 100) -> list[dict]:
    """Quote review log entries, newest first (one quote's where ``quote_id`` is given)."""
    query = select(quote_review_log).order_by(quote_review_log.c.id.desc()).limit(limit)
    if quote_id is not None:
        query = query.where(quote_review_log.c.quote_id == quote_id)
    return [{"id": r.id, "quote_id": r.quote_id, "action": r.action, "reviewer": r.reviewer, "at": _iso(r.at),
             "before": json.loads(r.before), "after": json.loads(r.after), "note": r.note} for r in conn.execute(query)]


def _document_text(conn: Connection, figure_id: int) -> str:
    return conn.execute(select(documents.c.text).join(figures, figures.c.document_id == documents.c.id)
                        .where(figures.c.id == figure_id)).scalar_one()


def parties(conn: Connection, document_id: int) -> list[str]:
    """Who a document names as a source or a speaker (as sayso found them and as reviewers gave
    them), for a reviewer to pick from; sorted."""
    names: set[str] = set()
    for layer in (REVIEWED, EXTRACTED):
        f, s = layer.figures, layer.sources
        names.update(conn.execute(select(s.c.name).join(f, f.c.id == s.c.figure_id)
                                  .where(f.c.document_id == document_id)).scalars())
    names.update(n for n in conn.execute(select(quotes.c.speaker).where(quotes.c.document_id == document_id)).scalars()
                 if n)
    return sorted(names, key=str.lower)


def context(text: str, start: int, end: int) -> dict:
    """What a reviewer reads around a figure: the paragraph before (``previous``) and the figure's
    own paragraph cut around it (``before``, ``number``, ``after``). Paragraphs end at a blank
    line, or at a line break in a text with no blank line."""
    breaks = re.compile(r"\n\s*\n") if re.search(r"\n\s*\n", text) else re.compile(r"\n")
    bounds, at = [], 0
    for m in breaks.finditer(text):
        bounds.append((at, m.start()))
        at = m.end()
    bounds.append((at, len(text)))
    here = next((i for i, (a, b) in enumerate(bounds) if a <= start <= b), len(bounds) - 1)
    p0, p1 = bounds[here]
    p1 = max(p1, end)
    previous = text[slice(*bounds[here - 1])].strip() if here > 0 else ""
    return {"previous": previous, "before": text[p0:start].lstrip(), "number": text[start:end],
            "after": text[end:p1].rstrip()}


# --- corrections (pure) --------------------------------------------------------------------------

EDITABLE = ("start", "end", "kind", "low", "high", "qualifier", "counted", "category", "time_text",
            "time_start", "time_end", "place", "sources", "sentence_start", "sentence_end")


def apply_changes(figure: dict, changes: dict, text: str) -> dict:
    """``figure`` with ``changes`` applied (keys from :data:`EDITABLE`; None or "" clears an
    optional field). Offsets must fall inside ``text``, and the figure's ``text`` follows them;
    kinds, qualifiers, categories and roles come from the spec's lists; dates are YYYY-MM-DD."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ReviewError(f"cannot change {', '.join(sorted(unknown))}: editable fields are {', '.join(EDITABLE)}")
    for key, value in changes.items():   # from JSON: anything at all
        if not (value is None or isinstance(value, (str, int, float)) or (key == "sources" and isinstance(value, list))):
            raise ReviewError(f"{key} must be text or a number")
    vocab = vocabulary()
    out = json.loads(json.dumps(figure))
    c = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()}
    for key, options in (("kind", vocab["kinds"]), ("qualifier", vocab["qualifiers"]),
                         ("category", vocab["categories"])):
        if key in c:
            if c[key] not in options:
                raise ReviewError(f"{key} {c[key]!r} is not one of {', '.join(options)}", key)
            out[key] = c[key]
    for key in ("low", "high"):
        if key in c:
            out["value"][key] = _number(key, c[key])
    for key in ("counted", "place"):
        if key in c:
            out[key] = c[key] or None
    if any(k in c for k in ("time_text", "time_start", "time_end")):
        out["time"] = _time(out.get("time"), c)
    if "sources" in c:
        out["sources"] = _sources(c["sources"])
    for a, b, holder in (("start", "end", None), ("sentence_start", "sentence_end", "sentence")):
        if a in c or b in c:
            box = out if holder is None else out[holder]
            box["start"] = _offset(a, c.get(a, box["start"]), text)
            box["end"] = _offset(b, c.get(b, box["end"]), text)
            if box["start"] >= box["end"]:
                raise ReviewError(f"{a} must come before {b}")
    out["text"] = text[out["start"]:out["end"]]
    return out


MAX_DIGITS = 30   # a value's digits before the decimal point, at most


def _number(key: str, value) -> int | float | None:
    if value is None or value == "":
        return None
    try:
        x = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ReviewError(f"{key} {value!r} is not a number", key) from None
    if not x.is_finite():   # NaN and infinity are no figure's value (and no JSON number)
        raise ReviewError(f"{key} {value!r} is not a finite number", key)
    if x.adjusted() > MAX_DIGITS:
        raise ReviewError(f"{key} {value!r} is too large", key)
    return int(x) if x == x.to_integral_value() else float(x)


def _offset(key: str, value, text: str) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise ReviewError(f"{key} {value!r} is not a character offset", key) from None
    if not 0 <= n <= len(text):
        raise ReviewError(f"{key} {n} is outside the document (0 to {len(text)})", key)
    return n


def _time(old: dict | None, c: dict) -> dict | None:
    time = dict(old or {"text": None, "start": None, "end": None})
    for key, field in (("time_text", "text"), ("time_start", "start"), ("time_end", "end")):
        if key in c:
            time[field] = c[key] or None
    for field in ("start", "end"):
        if time[field] is not None and not valid_date(time[field]):
            raise ReviewError(f"time {field} {time[field]!r} is not a YYYY-MM-DD date", f"time_{field}")
    if not time["text"]:
        if time["start"] or time["end"]:
            raise ReviewError("a time with dates needs its text (the expression in the sentence)", "time_text")
        return None
    return time


def _sources(value) -> list[dict]:
    """Sources as a list of dicts, or as lines ``Name | role | date | mention`` (role, date and
    mention optional: role ``source``, the mention the name)."""
    roles = vocabulary()["roles"]
    if isinstance(value, str):
        value = [_source_line(line) for line in value.splitlines() if line.strip()]
    out = []
    for s in value or []:
        if not isinstance(s, dict) or not all(isinstance(v, (str, type(None))) for v in s.values()):
            raise ReviewError("a source is a name, a role, a date and a mention, all text")
        name = (s.get("name") or "").strip()
        if not name:
            raise ReviewError("a source needs a name", "sources")
        role = s.get("role") or "source"
        if role not in roles:
            raise ReviewError(f"role {role!r} is not one of {', '.join(roles)}", "sources")
        date = s.get("date") or None
        if date is not None and not valid_date(date):
            raise ReviewError(f"source date {date!r} is not a YYYY-MM-DD date", "sources")
        out.append({"name": name, "text": (s.get("text") or name).strip(), "role": role, "date": date})
    return out


def parse_source(spec: str) -> dict:
    """``"Name:role"`` (or a bare ``"Name"``: role ``source``) as a source; refuses an empty name or
    a role not in the spec's list, naming the roles."""
    roles = vocabulary()["roles"]
    name, colon, role = spec.rpartition(":")
    if not colon:
        name, role = spec, "source"
    name, role = name.strip(), role.strip()
    if not name:
        raise ReviewError(f"source {spec!r} needs a name: \"Name:role\", role one of {', '.join(roles)}")
    if role not in roles:
        raise ReviewError(f"source {spec!r}: role {role!r} is not one of {', '.join(roles)} (write \"Name:role\")")
    return {"name": name, "text": name, "role": role, "date": None}


def _source_line(line: str) -> dict:
    parts = [p.strip() for p in line.split("|")] + ["", "", ""]
    return {"name": parts[0], "role": parts[1] or "source", "date": parts[2] or None, "text": parts[3] or None}


def sources_lines(sources: list[dict]) -> str:
    """A figure's sources as the lines :func:`apply_changes` reads back."""
    return "\n".join(" | ".join([s["name"], s["role"], s.get("date") or "", s.get("text") or ""]).rstrip(" |")
                     for s in sources)


# --- the gold set --------------------------------------------------------------------------------

def reviewed_documents(conn: Connection, partial: bool = False) -> list[int]:
    """Documents with a reviewed figure; unless ``partial``, only those whose every figure is reviewed."""
    reviewed = func.count(figure_reviews.c.figure_id)
    query = (select(figures.c.document_id)
             .outerjoin(figure_reviews, figure_reviews.c.figure_id == figures.c.id)
             .group_by(figures.c.document_id).having(reviewed > 0).order_by(figures.c.document_id))
    if not partial:
        query = query.having(reviewed == func.count(figures.c.id))
    return list(conn.execute(query).scalars())


def gold_set(ledger, partial: bool = False) -> dict:
    """The reviewed documents as a gold set: ``docs``, ``gold`` (records with their text),
    ``aliases`` and ``groups`` (see GUIDELINES.md): the reviewed layer. Accepted, corrected and
    added figures are gold as reviewed; rejected ones are left out; with ``partial``, a document's unreviewed figures stay as
    sayso stated them. Quotes go in as reviewed (rejected ones left out), else as stored."""
    docs, gold, aliases, members = [], [], {}, {}
    with ledger.engine.connect() as conn:
        seen: set[str] = set()
        for doc_id in reviewed_documents(conn, partial):
            record = queries.document_record(conn, doc_id, REVIEWED)
            row = queries.document_row(conn, doc_id)
            key = record["document"]["id"]
            if key in seen:                       # record ids may repeat across documents
                key = f"{key}~{doc_id}"
            seen.add(key)
            kept = [{k: v for k, v in fig.items() if k != "review"} for fig in record["figures"]]
            record["quotes"] = [{k: v for k, v in q.items() if k != "review"} for q in record["quotes"]]
            for fig in kept:
                if fig.get("group"):
                    members.setdefault(fig["group"], []).append(f"{key}/{fig['id']}")
            record["document"]["id"] = key
            record["figures"] = kept
            gold.append({**record, "text": row["text"]})
            docs.append({"id": key, "text": row["text"], "published": row["published"], "url": row["url"],
                         "title": row["title"]})
            _collect_aliases(aliases, record)
    return {"docs": docs, "gold": gold, "aliases": {k: sorted(v) for k, v in sorted(aliases.items())},
            "groups": [m for m in members.values() if len(m) > 1]}


def _collect_aliases(aliases: dict[str, set], record: dict) -> None:
    for f in record["figures"]:
        for s in f["sources"]:
            aliases.setdefault(s["name"], set()).update({s["text"]} - {s["name"]})
        if f.get("place"):
            aliases.setdefault(f["place"], set())
    for q in record["quotes"]:
        if q.get("speaker"):
            aliases.setdefault(q["speaker"], set()).update({q.get("speaker_text") or q["speaker"]} - {q["speaker"]})


def gold_files(found: dict) -> dict[str, str]:
    """A :func:`gold_set` as the files of a gold set folder: ``{file name: content}``."""
    lines = lambda rows: "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)  # noqa: E731
    return {"docs.jsonl": lines(found["docs"]), "gold.jsonl": lines(found["gold"]),
            "aliases.json": json.dumps(found["aliases"], ensure_ascii=False, indent=1) + "\n",
            "groups.json": json.dumps(found["groups"], ensure_ascii=False) + "\n"}


def write_gold(ledger, out_dir: Path | str, partial: bool = False) -> dict[str, int]:
    """Write :func:`gold_set` to ``out_dir`` (created); return how many documents and figures."""
    found = gold_set(ledger, partial)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, content in gold_files(found).items():
        (out / name).write_text(content, encoding="utf-8")
    return {"documents": len(found["docs"]), "figures": sum(len(r["figures"]) for r in found["gold"])}


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _iso(at: _dt.datetime | None) -> str | None:
    if at is None:
        return None
    if at.tzinfo is None:                      # SQLite hands back naive datetimes: they were UTC
        at = at.replace(tzinfo=_dt.timezone.utc)
    return at.isoformat()
