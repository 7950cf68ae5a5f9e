"""Reviewers correct the linking: merge or split groups and events, merge two names of one party.

- :func:`merge` makes the groups (or events) named one; :func:`split` takes figures out of their
  group (or event) into one of their own. Each records, in one transaction, an entry in the
  append-only ``link_review_log`` (who, when, what was named, what it made) and the must-link and
  cannot-link pairs of figures that keep the correction (``link_constraints``,
  ``sayso.link.constraints``), then applies them to the ledger's groups and events at once.
  ``Ledger.regroup`` applies them again after every relinking: they name figures, never group or
  event ids, which a relinking renumbers.
- :func:`merge_names` says two names are one party: the first is shown as the second everywhere
  the reviewed ledger is read (sources, a figure's relays, a document's publisher: the lists of
  sources, a group's or event's origins and independent counts, the linking itself), read at
  each reading, so neither a relinking nor a re-attribution of publishers undoes it.

A group or event is named by its id (``g3``, ``e2``) as the ledger shows it now, or by a figure
(``12``, ``figure 12``, ``DOC/f3``): the group or event that figure is in (the figure itself
where it is in none).
"""
from __future__ import annotations

import datetime as _dt
import json

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection

from sayso.link.constraints import (EVENT, GROUP, LEVELS, Constraint, correct, merge_constraints,
                                    split_constraints)
from sayso.store.layers import REVIEWED
from sayso.store.review import ReviewError, _iso, figure_id
from sayso.store.schema import (documents, figure_conflicts, figures, link_constraints, link_review_log,
                                name_merges)

ACTIONS = {("merge", GROUP): "merge-groups", ("split", GROUP): "split-group",
           ("merge", EVENT): "merge-events", ("split", EVENT): "split-event"}
MERGE_NAMES = "merge-names"
_COLUMN = {GROUP: "group_id", EVENT: "event_id"}


# --- reading -------------------------------------------------------------------------------------

def constraints(conn: Connection) -> list[Constraint]:
    """Every constraint reviewers left, oldest first."""
    c = link_constraints.c
    return [Constraint(r.log_id, r.level, r.kind, r.figure_a, r.figure_b)
            for r in conn.execute(select(c.log_id, c.level, c.kind, c.figure_a, c.figure_b).order_by(c.id))]


def name_map(conn: Connection) -> dict[str, str]:
    """``name -> the name it is shown as`` for every name a reviewer merged into another."""
    return dict(conn.execute(select(name_merges.c.name, name_merges.c.canonical)).all())


def log_entries(conn: Connection, limit: int = 100, offset: int = 0) -> list[dict]:
    """The corrections of groups, events and names, newest first."""
    rows = conn.execute(select(link_review_log).order_by(link_review_log.c.id.desc()).limit(limit).offset(offset))
    return [_entry(r.id, r.action, r.reviewer, r.at, json.loads(r.detail), r.note) for r in rows]


def partition(conn: Connection) -> tuple[dict[int, str | None], dict[int, str | None]]:
    """The reviewed figures' groups and events as the ledger holds them, in reading order."""
    f = REVIEWED.figures
    rows = conn.execute(select(f.c.id, f.c.group_id, f.c.event_id).order_by(f.c.document_id, f.c.id)).all()
    return {r.id: r.group_id for r in rows}, {r.id: r.event_id for r in rows}


def unit_figures(conn: Connection, level: str, ref: str) -> tuple[str, list[int]]:
    """The group or event ``ref`` names (see the module's docstring): its id (``figure N`` for a
    figure in none) and its figures' row ids. Raises :class:`ReviewError` where it names none."""
    if level not in LEVELS:
        raise ReviewError(f"unknown level {level!r}: group or event")
    f = REVIEWED.figures
    column = f.c[_COLUMN[level]]
    ref = str(ref).strip()
    lone = ref[len("figure "):] if ref.startswith("figure ") else ref
    fid = figure_id(conn, lone) if lone and (lone.isdigit() or "/" in lone) else None
    if fid is not None:
        label = conn.execute(select(column).where(f.c.id == fid)).first()
        if label is None:
            raise ReviewError(f"figure {fid} was rejected: it is in no {level}")
        if label[0] is None:
            return f"figure {fid}", [fid]
        ref = label[0]
    ids = conn.execute(select(f.c.id).where(column == ref).order_by(f.c.document_id, f.c.id)).scalars().all()
    if not ids:
        raise ReviewError(f"no {level} {ref!r} in the ledger (an id as the ledger shows it, or a figure: 12, DOC/f3)")
    return ref, list(ids)


# --- writing -------------------------------------------------------------------------------------

def merge(ledger, level: str, refs: list[str], reviewer: str, note: str | None = None,
          now: _dt.datetime | None = None) -> dict:
    """Make the groups (``level`` ``group``) or events named by ``refs`` one; return the log entry,
    whose ``detail["result"]`` is the id of what they became."""
    reviewer = _reviewer(reviewer)
    with ledger.writing() as conn:
        units = _units(conn, level, refs)
        if len(units) < 2:
            raise ReviewError(f"name two {level}s or more to merge: {', '.join(refs) or 'none'} "
                              f"{'is' if len(units) == 1 else 'are'} one {level}")
        keys = _keys(conn, [f for ids in units.values() for f in ids])
        detail = {"level": level, "units": [{"unit": u, "figures": [keys[f] for f in ids]} for u, ids in units.items()]}
        entry = _record(conn, ACTIONS["merge", level], reviewer, note, now, detail,
                        lambda order: merge_constraints(units.values(), level, order))
        first = next(iter(units.values()))[0]
        entry["detail"]["result"] = _label_of(conn, level, first)
        return entry


def split(ledger, level: str, ref: str, figure_refs: list[str], reviewer: str, note: str | None = None,
          now: _dt.datetime | None = None) -> dict:
    """Take the figures ``figure_refs`` out of the group (or event) ``ref`` into one of their own;
    return the log entry, whose ``detail["result"]`` names both parts."""
    reviewer = _reviewer(reviewer)
    with ledger.writing() as conn:
        unit, ids = unit_figures(conn, level, ref)
        leaving = []
        for r in figure_refs:
            fid = figure_id(conn, str(r).strip().removeprefix("figure "))
            if fid is None or fid not in ids:
                raise ReviewError(f"figure {r!r} is not in {level} {unit}", "figures")
            leaving.append(fid)
        leaving = list(dict.fromkeys(leaving))
        staying = [f for f in ids if f not in leaving]
        if not leaving or not staying:
            raise ReviewError(f"name some of the figures of {level} {unit} to split off, not "
                              f"{'none' if not leaving else 'all'} of them", "figures")
        keys = _keys(conn, ids)
        detail = {"level": level, "unit": unit, "leaving": [keys[f] for f in leaving],
                  "staying": [keys[f] for f in staying]}
        entry = _record(conn, ACTIONS["split", level], reviewer, note, now, detail,
                        lambda order: split_constraints(leaving, staying, level, order))
        entry["detail"]["result"] = [_label_of(conn, level, leaving[0]), _label_of(conn, level, staying[0])]
        return entry


def merge_names(ledger, name: str, into: str, reviewer: str, note: str | None = None,
                now: _dt.datetime | None = None) -> dict:
    """Say ``name`` and ``into`` are one party, shown as ``into`` (with every name merged into
    either before); return the log entry."""
    reviewer = _reviewer(reviewer)
    name, into = (name or "").strip(), (into or "").strip()
    if not name or not into:
        raise ReviewError("name the two names of one party", "name")
    with ledger.writing() as conn:
        merged = name_map(conn)
        shown = lambda n: merged.get(n, n)   # noqa: E731
        if name == into or shown(name) == into:
            raise ReviewError(f"{name!r} is already shown as {into!r}", "name")
        party = sorted({n for n, c in merged.items() if c in (shown(name), shown(into))}
                       | {name, shown(name), shown(into)} - {into}, key=str.lower)
        at = now or _dt.datetime.now(_dt.timezone.utc)
        detail = {"name": name, "into": into, "names": party}
        log_id = conn.execute(insert(link_review_log).values(
            action=MERGE_NAMES, reviewer=reviewer, at=at, detail=_json(detail), note=note or None)
        ).inserted_primary_key[0]
        conn.execute(delete(name_merges).where(name_merges.c.name.in_(party + [into])))
        conn.execute(insert(name_merges), [{"name": n, "canonical": into, "log_id": log_id} for n in party])
    return _entry(log_id, MERGE_NAMES, reviewer, at, detail, note)


def apply(conn: Connection) -> int:
    """Apply every constraint to the groups and events the ledger holds now; return how many
    figures changed group or event. Without constraints it reads nothing more (a regroup calls it
    every time)."""
    rules = constraints(conn)
    if not rules:
        return 0
    groups, events = partition(conn)
    new_groups, new_events = correct(groups, events, rules)
    changed = [{"fid": f, "gid": new_groups[f], "eid": new_events[f]} for f in groups
               if (new_groups[f], new_events[f]) != (groups[f], events[f])]
    if changed:
        conn.execute(update(figures).where(figures.c.id == bindparam("fid"))
                     .values(group_id=bindparam("gid"), event_id=bindparam("eid")), changed)
        conn.execute(update(figure_conflicts).where(figure_conflicts.c.figure_id == bindparam("fid"))
                     .values(group_id=bindparam("gid")), [{"fid": c["fid"], "gid": c["gid"]} for c in changed])
        drop_settled_conflicts(conn)
    return len(changed)


def drop_settled_conflicts(conn: Connection) -> int:
    """Forget the conflicts whose figures a merge made one group (a conflict is between groups, or
    figures stated once); return how many."""
    c = figure_conflicts.c
    units: dict[int, set] = {}
    for n, fid, gid in conn.execute(select(c.conflict, c.figure_id, c.group_id)):
        units.setdefault(n, set()).add(gid or fid)
    settled = [n for n, found in units.items() if len(found) < 2]
    if settled:
        conn.execute(delete(figure_conflicts).where(c.conflict.in_(settled)))
    return len(settled)


# --- internals -----------------------------------------------------------------------------------

def _reviewer(reviewer: str | None) -> str:
    reviewer = (reviewer or "").strip()
    if not reviewer:
        raise ReviewError("a review needs the reviewer's name", "reviewer")
    return reviewer


def _units(conn: Connection, level: str, refs: list[str]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for ref in refs:
        unit, ids = unit_figures(conn, level, ref)
        out.setdefault(unit, ids)
    return out


def _keys(conn: Connection, ids: list[int]) -> dict[int, str]:
    """``row id -> "<document key>/<figure id>"``."""
    rows = conn.execute(select(figures.c.id, documents.c.key, figures.c.fig)
                        .join(documents, documents.c.id == figures.c.document_id).where(figures.c.id.in_(ids)))
    return {r.id: f"{r.key}/{r.fig}" for r in rows}


def _label_of(conn: Connection, level: str, fid: int) -> str:
    label = conn.execute(select(figures.c[_COLUMN[level]]).where(figures.c.id == fid)).scalar()
    return label or f"figure {fid}"


def _record(conn: Connection, action: str, reviewer: str, note, now, detail: dict, make) -> dict:
    at = now or _dt.datetime.now(_dt.timezone.utc)
    log_id = conn.execute(insert(link_review_log).values(
        action=action, reviewer=reviewer, at=at, detail=_json(detail), note=note or None)).inserted_primary_key[0]
    rows = [{"log_id": log_id, "level": c.level, "kind": c.kind, "figure_a": c.a, "figure_b": c.b}
            for c in make(log_id)]
    if rows:
        conn.execute(insert(link_constraints), rows)
    apply(conn)
    return _entry(log_id, action, reviewer, at, detail, note)


def _entry(log_id: int, action: str, reviewer: str, at, detail: dict, note) -> dict:
    return {"id": log_id, "action": action, "reviewer": reviewer, "at": _iso(at), "detail": detail,
            "note": note or None}


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
