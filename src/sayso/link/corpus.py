"""Linking a corpus: the jobs of ``sayso.link`` in their order, block by block.

``link_records(records, texts)`` reads each figure's context once (``context.contexts``), puts
every figure in its block (``blocking.block_key``: its kind, counts and percentages together, and country) and links each block
apart (``link_block``): groups the figures that state the same quantity (``groups``), gathers
every estimate of one event (``events``) and finds the conflicts between estimates
(``conflicts``). It sets ``figure["group"]`` and ``figure["event"]`` on every figure of the
records (numbered in reading order over the whole corpus) and returns the conflicts. No figure
of one country's block links with one of another country's, so linking block by block (a ledger
relinking the blocks new documents touch, a cluster linking each block on its own worker) gives
the same partition as linking the corpus at once. A figure that nothing places (a local outlet
naming only its squares and districts: ``blocking.UNPLACED``) may be about any country: after
the blocks, each kind's unplaced figures are linked again with the linked sets of the other
blocks they can reach (``link_figures``)."""
from __future__ import annotations

from typing import Iterable

from sayso.link.blocking import UNPLACED, block_key, split_block
from sayso.link.conflicts import find_conflicts
from sayso.link.context import FigureContext, contexts
from sayso.link.events import assign_events
from sayso.link.groups import assign_contexts
from sayso.link.reach import reach, reachable


def link_records(records: list[dict], texts=None) -> list[dict]:
    """Set every figure's ``group`` and ``event``; return the conflicts (``conflicts.conflicts``).
    ``texts``: the documents' texts, as for ``contexts``."""
    ms = contexts(records, texts)
    found = link_figures(ms)
    renumber(ms, "group", "g")
    renumber(ms, "event", "e")
    group_of = {m.key: m.figure.get("group") for m in ms}
    for c in found:
        c["groups"] = [group_of[k] for k in c["figures"]]
    return [_public(c) for c in sorted(found, key=lambda c: c["_first"])]


def blocks(ms: Iterable[FigureContext]) -> dict[str, list[FigureContext]]:
    """The figures of each block, in reading order."""
    out: dict[str, list[FigureContext]] = {}
    for m in ms:
        out.setdefault(block_key(m), []).append(m)
    return out


def link_figures(ms: list[FigureContext]) -> list[dict]:
    """Link figures of any blocks (in reading order, each with a unique ``index``): each block
    alone (``link_block``), then, for each kind, its unplaced figures with the linked sets of
    that kind's other blocks they can reach (``reach.reachable``), together. Sets ``group`` and
    ``event`` (ids unique over ``ms``: pairs of a unit number and the unit's local id) and each
    figure's ``component``; returns the conflicts, each with ``"_first"``."""
    found: list[dict] = []
    units = 0

    def link(unit: list[FigureContext]) -> None:
        nonlocal units, found
        keys = {m.key for m in unit}
        found = [c for c in found if not keys.intersection(c["figures"])]
        found += link_block(unit)
        for m in unit:                    # local ids, made unique by their unit's number
            for field in ("group", "event"):
                if m.figure.get(field) is not None:
                    m.figure[field] = (units, m.figure[field])
        units += 1

    by_block = blocks(ms)
    for block in by_block.values():
        link(block)
    for key, unplaced in by_block.items():
        kind, country = split_block(key)
        if country != UNPLACED:
            continue
        others = [m for k, b in by_block.items() if k != key and split_block(k)[0] == kind for m in b]
        hit = reachable([reach(m.figure, m.published, m.sentence) for m in unplaced],
                        [reach(m.figure, m.published, m.sentence) for m in others])
        sets = {m.component for m, h in zip(others, hit) if h}
        if sets:
            link(sorted(unplaced + [m for m in others if m.component in sets], key=lambda m: m.index))
    return found


def link_block(ms: list[FigureContext]) -> list[dict]:
    """Link the figures of one block (in reading order): set ``figure["group"]`` and
    ``figure["event"]`` (ids local to the block: ``"g1"``, ``"e1"``, … in its reading order) and
    return its conflicts, each with ``"_first"``, the reading index of its first figure.

    Each figure's ``component`` is set to its linked set: the figures joined to it by a chain of
    linked pairs (a group's, an event's, or a conflict's; merged or not), named by the first one's
    reading index. Every test reads only the pair it compares and the units it merges, and those
    lie inside one linked set: linking any union of whole linked sets, with or without the
    rest of the block, gives them the partition linking the block gives them. So a ledger
    adding documents relinks only the linked sets new figures can join (``blocking.reachable``)."""
    order = [m.index for m in ms]
    parent = list(range(len(ms)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        ri, rj = root(i), root(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    for i, m in enumerate(ms):        # the jobs index their figures 0..n-1
        m.index = i
        m.category = m.figure.get("category")     # events read a group's category (set anew)
    try:
        assign_contexts(ms, join)
        assign_events(ms, join)
        found = find_conflicts(ms, join)
        for m in ms:
            m.component = order[root(m.index)]
    finally:
        for m, i in zip(ms, order):
            m.index = i
    by_key = {m.key: m.index for m in ms}
    for c in found:
        c["_first"] = min(by_key[k] for k in c["figures"])
    return found


def renumber(ms: list[FigureContext], field: str, prefix: str) -> None:
    """Ids ``prefix1``, ``prefix2``, … for ``figure[field]`` (any hashable id, unique over the
    figures) in reading order of each set's first figure."""
    new: dict = {}
    for m in sorted(ms, key=lambda m: m.index):
        local = m.figure.get(field)
        if local is not None:
            m.figure[field] = new.setdefault(local, f"{prefix}{len(new) + 1}")


def _public(conflict: dict) -> dict:
    return {k: v for k, v in conflict.items() if k != "_first"}
