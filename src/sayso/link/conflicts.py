"""Conflicts (``conflicts(records)``, pair test ``disagree(a, b)``): figures about the same event —
the same category (not ``other``), the same place, alike times, counted nouns that agree without
a generic wildcard (both generic, or the same specific head), stated by different voices, and
``conflict_threshold`` evidence points, the value itself earning none — whose values are not
compatible: 738 against 248 killed. Figures of one group count as one; groups in conflict with
one another make one conflict. Each conflict lists
every figure of the groups involved, with its value and its sources, parallel lists::

    {"event": {"category": "killed", "counted": "people", "place": "Myanmar", "time": null},
     "figures": ["dev01/f1", "dev03/f1", "dev01/f4", "dev03/f3"],
     "groups":  ["g1", "g1", "g2", "g2"],
     "values":  ["at least 738", "738", "248", "248"],
     "sources": [["Assistance Association for Political Prisoners"], [...], ["Myanmar military"], [...]]}

How the ledger shows them: one line per event, the competing values side by side, each with
who states it and where (figure ids), e.g.
``killed · people · Myanmar: at least 738 (AAPP; dev01/f1, dev03/f1)  vs  248 (Myanmar military;
dev01/f4, dev03/f3)``. A conflict is a disagreement to show, never resolved: both values stay in
the ledger, each in its own group.
"""
from __future__ import annotations

from sayso.link.aspects import Verdict, interval, story_points, strict_counted
from sayso.link.blocking import conflict_pairs
from sayso.link.context import FigureContext, contexts
from sayso.link.groups import assign_contexts
from sayso.link.lexicon import lexicon, vocabulary
from sayso.link.values import values_compatible


def disagree(a: FigureContext | dict, b: FigureContext | dict, explain: bool = True) -> Verdict:
    """Whether two figures give different values for the same event (a conflict), and why.

    The same event: the same kind and category (not ``other``), counted nouns that agree
    without a generic wildcard, the same place (a figure that names none is about its document's
    main country; a city against its country is a part against its whole, not a conflict), times
    alike (both unknown, or intervals that overlap by half of their union), in different
    sentences, stated by different voices (no source or confirmer in common; within one
    document both must name their source), neither vague, with ``conflict_threshold`` evidence
    points (the value earning none). Different values: ``values_compatible`` fails."""
    a = a if isinstance(a, FigureContext) else FigureContext.of(a, doc="a")
    b = b if isinstance(b, FigureContext) else FigureContext.of(b, doc="b")
    lex = lexicon()
    fa, fb = a.figure, b.figure
    cat = fa.get("category")
    if fa.get("kind") != fb.get("kind") or cat in (None, lex.fallback) or cat != fb.get("category"):
        return Verdict(False, ["not the same kind and category"])
    if "vague" in (fa.get("qualifier"), fb.get("qualifier")):
        return Verdict(False, ["a vague quantity does not conflict"])
    if a.doc == b.doc and fa.get("sentence") and fa.get("sentence") == fb.get("sentence"):
        return Verdict(False, ["one sentence states different parts"])
    sa, sb = a.voices, b.voices
    if sa & sb:
        return Verdict(False, [f"the same voice ({', '.join(sorted(sa & sb))})"])
    if a.doc == b.doc and not (sa and sb):
        return Verdict(False, ["within one document, only two named sources can disagree"])
    if not strict_counted(a, b, lex):
        return Verdict(False, [f"counted nouns do not name the same thing ({a.head}, {b.head})"])
    pa = (fa.get("place") or "").lower() or a.doc_country
    pb = (fb.get("place") or "").lower() or b.doc_country
    if (pa or pb) and pa != pb:
        return Verdict(False, [f"not the same place ({pa or '-'}, {pb or '-'}): maybe a part and its whole"])
    same_place = bool(fa.get("place") and fb.get("place"))
    ia, ib = interval(fa), interval(fb)
    if bool(ia) != bool(ib):
        return Verdict(False, ["one is dated, the other not: maybe a day against the whole"])
    if ia and ib:
        lo, hi = max(ia[0], ib[0]), min(ia[1], ib[1])
        union = (max(ia[1], ib[1]) - min(ia[0], ib[0])).days + 1
        if hi < lo or ((hi - lo).days + 1) * 2 < union:
            return Verdict(False, ["different periods"])
    vok, vwhy = values_compatible(fa, fb)
    if vok:
        return Verdict(False, [vwhy])
    points, evidence = story_points(a, b, same_place, bool(ia and ib), lex, with_value=False, explain=explain)
    need = vocabulary()["evidence"]["conflict_threshold"]
    if not explain:
        return Verdict(points >= need, [], points=points)
    reasons = [vwhy, f"same event: {cat}, {a.head or '-'} / {b.head or '-'}",
               f"evidence {points} ({'; '.join(evidence) or 'none'})"]
    if points < need:
        reasons.append(f"below the conflict threshold ({need})")
    return Verdict(points >= need, reasons, points=points)


def conflicts(records: list[dict], texts=None) -> list[dict]:
    """Figures about the same event that state different values, for the ledger to show side by
    side (see the module docstring). Groups are those of ``figure["group"]`` where the records
    carry them, else computed here."""
    ms = contexts(records, texts)
    if not any(m.figure.get("group") for m in ms):
        assign_contexts(ms)
    return find_conflicts(ms)


def find_conflicts(ms: list[FigureContext], joined=None) -> list[dict]:
    """The conflicts among ``ms`` (groups set), as ``conflicts`` gives them; ``joined(i, j)``, where
    given, is called on every pair found to disagree."""
    unit = {m.index: (m.figure.get("group") or f"_{m.key}") for m in ms}
    links: dict[str, set[str]] = {}
    for a, b in conflict_pairs(ms):
        if unit[a.index] == unit[b.index] or unit[b.index] in links.get(unit[a.index], ()):
            continue
        if disagree(a, b, explain=False):
            if joined is not None:
                joined(a.index, b.index)
            links.setdefault(unit[a.index], set()).add(unit[b.index])
            links.setdefault(unit[b.index], set()).add(unit[a.index])
    members: dict[str, list[FigureContext]] = {}
    for m in ms:
        members.setdefault(unit[m.index], []).append(m)
    out, done = [], set()
    for m in ms:
        start = unit[m.index]
        if start in done or start not in links:
            continue
        component, todo = [], [start]
        while todo:
            u = todo.pop()
            if u in done:
                continue
            done.add(u)
            component.append(u)
            todo.extend(links.get(u, ()))
        figs = sorted((x for u in component for x in members[u]), key=lambda x: x.index)
        figs.sort(key=lambda x: component.index(unit[x.index]))
        first = figs[0].figure
        out.append({
            "event": {"category": first.get("category"), "counted": first.get("counted"),
                      "place": next((x.figure.get("place") for x in figs if x.figure.get("place")), None),
                      "time": next(((x.figure.get("time") or {}).get("text") for x in figs
                                    if (x.figure.get("time") or {}).get("text")), None)},
            "figures": [x.key for x in figs],
            "groups": [x.figure.get("group") for x in figs],
            "values": [x.figure.get("text") for x in figs],
            "sources": [[s.get("name") for s in x.figure.get("sources") or []] for x in figs],
        })
    return out
