"""People's corrections of the linking, kept as must-link and cannot-link constraints between
figures, and the partition they make of the machine's.

A reviewer's action on groups or events is kept as pairs of figures (their ledger row ids), never
as group or event ids, which change at every relinking:

- merging groups (or events): every figure of them must-links the first (``merge_constraints``);
- splitting figures off their group (or event): each figure that leaves cannot-links each figure
  that stays (``a`` leaves, ``b`` stays), and those that leave must-link one another: they leave
  together (``split_constraints``).

``correct(groups, events, constraints)`` takes the machine's partition (figure -> group id,
figure -> event id, None for a figure alone) and returns the corrected one:

1. Levels. A group lies inside one event: a must-link between groups holds for their events too
   (merging two groups merges their events), a cannot-link between events for groups too
   (splitting an event splits the groups across it).
2. Order. Where constraints disagree (a must-link between figures that a cannot-link keeps
   apart, directly or through other must-links), the later action wins: constraints are taken
   newest first, and one that contradicts those already taken is dropped.
3. Merge. The machine's clusters joined by a must-link become one.
4. Split. A cluster holding two figures that cannot-link is split. Its units (figures; at the
   event level the corrected groups) are joined by their must-links; each unit that leaves (it
   holds the leaving end of a cannot-link inside the cluster) becomes a part of its own, and the
   rest (those that stay, and the figures no constraint names) stay together: the figures that
   left stay out, and a figure a new document brings stays with the machine's cluster. Cannot-links
   win over the machine's evidence.
5. Ids. A cluster the correction leaves as the machine made it keeps its id; another takes the id
   most of its figures had (largest clusters first) where no other took it, else a new one
   (``g`` or ``e`` and the next number); a cluster of one figure has none.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

GROUP, EVENT = "group", "event"
LEVELS = (GROUP, EVENT)
MUST, CANNOT = "must", "cannot"
PREFIX = {GROUP: "g", EVENT: "e"}


@dataclass(frozen=True)
class Constraint:
    order: int     # the reviewer action's number: a later one wins over an earlier one it contradicts
    level: str     # group | event
    kind: str      # must | cannot
    a: int         # figure row id (for a cannot-link: the figure that leaves)
    b: int         # figure row id (for a cannot-link: the figure that stays)


def merge_constraints(units: Iterable[Iterable[int]], level: str, order: int) -> list[Constraint]:
    """The must-links that make these units (each its figures) one group or event."""
    figures = list(dict.fromkeys(f for unit in units for f in unit))
    return [Constraint(order, level, MUST, figures[0], f) for f in figures[1:]]


def split_constraints(leaving: Sequence[int], staying: Sequence[int], level: str, order: int) -> list[Constraint]:
    """The constraints that take ``leaving`` out of the group or event they share with ``staying``,
    into one of their own."""
    leaving = list(dict.fromkeys(leaving))
    out = [Constraint(order, level, CANNOT, a, b) for a in leaving for b in dict.fromkeys(staying) if a != b]
    return out + [Constraint(order, level, MUST, leaving[0], a) for a in leaving[1:]]


class _Union:
    """Union-find over figure ids."""

    def __init__(self):
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        root = self.parent.setdefault(x, x)
        while root != self.parent[root]:
            root = self.parent[root]
        while x != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra
        return ra


def _holds_at(c: Constraint, level: str) -> bool:
    if c.level == level:
        return True
    return (c.kind == MUST) if level == EVENT else (c.kind == CANNOT)


def resolve(constraints: Iterable[Constraint], level: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The must-links and cannot-links (``(a, b)`` pairs) that hold at ``level`` once the later of
    two contradicting actions has won; must-links newest first."""
    wanted = sorted((c for c in constraints if _holds_at(c, level)), key=lambda c: -c.order)
    links = _Union()
    apart: dict[int, set[int]] = {}     # root -> the roots it may not join
    musts, cannots = [], []
    for c in wanted:
        ra, rb = links.find(c.a), links.find(c.b)
        if c.kind == MUST:
            if ra != rb:
                if rb in apart.get(ra, ()):
                    continue
                root = links.union(ra, rb)
                other = rb if root == ra else ra
                merged = apart.pop(ra, set()) | apart.pop(rb, set())
                for r in merged:
                    apart[r].discard(other)
                    apart[r].add(root)
                apart[root] = merged
            musts.append((c.a, c.b))
        else:
            if ra == rb:
                continue
            apart.setdefault(ra, set()).add(rb)
            apart.setdefault(rb, set()).add(ra)
            cannots.append((c.a, c.b))
    return musts, cannots


def _clusters(partition: Mapping[int, str | None], musts, cannots,
              units: Sequence[Sequence[int]] = ()) -> list[list[int]]:
    """The clusters of ``partition`` (figures in its order), merged by ``musts`` and ``units``,
    split by ``cannots``."""
    order = {f: i for i, f in enumerate(partition)}
    links = _Union()
    first: dict[str, int] = {}
    for f, label in partition.items():
        links.find(f)
        if label is not None:
            links.union(first.setdefault(label, f), f)
    for unit in units:
        for f in unit[1:]:
            links.union(unit[0], f)
    for a, b in musts:
        if a in order and b in order:
            links.union(a, b)
    members: dict[int, list[int]] = {}
    for f in partition:
        members.setdefault(links.find(f), []).append(f)
    inside: dict[int, list[tuple[int, int]]] = {}
    for a, b in cannots:
        if a in order and b in order and links.find(a) == links.find(b):
            inside.setdefault(links.find(a), []).append((a, b))
    out = []
    for root, figs in members.items():
        out.extend(_split(figs, inside[root], musts, units, order) if root in inside else [figs])
    return out


def _split(figs: list[int], pairs: list[tuple[int, int]], musts, units, order: dict[int, int]) -> list[list[int]]:
    """One cluster cut where ``pairs`` (cannot-links inside it) say (step 4 of the module's docstring)."""
    here = set(figs)
    against: dict[int, set[int]] = {}
    for a, b in pairs:
        against.setdefault(a, set()).add(b)
        against.setdefault(b, set()).add(a)
    unit_of = {f: frozenset([f]) for f in figs}
    joins = [u for u in units if u[0] in here] + [(a, b) for a, b in musts if a in here and b in here]
    for join in joins:
        for f in join[1:]:
            ua, ub = unit_of[join[0]], unit_of[f]
            if ua is ub or any(against.get(x, set()) & ub for x in ua):
                continue
            merged = ua | ub
            for x in merged:
                unit_of[x] = merged
    leavers = {a for a, _ in pairs}
    distinct = sorted({id(u): u for u in unit_of.values()}.values(), key=lambda u: min(order[x] for x in u))
    rest = {x for u in distinct if not u & leavers for x in u}
    parts = ([rest] if rest else []) + [set(u) for u in distinct if u & leavers]
    return [sorted(p, key=order.__getitem__) for p in parts]


def _labels(clusters: list[list[int]], old: Mapping[int, str | None], prefix: str) -> dict[int, str | None]:
    """Ids for the corrected clusters (step 5 of the module's docstring)."""
    was: dict[str, set[int]] = {}
    for f, label in old.items():
        if label is not None:
            was.setdefault(label, set()).add(f)
    numbers = [int(label[len(prefix):]) for label in was if label.startswith(prefix) and label[len(prefix):].isdigit()]
    fresh = max(numbers, default=0) + 1
    out: dict[int, str | None] = {}
    taken: set[str] = set()
    rest = []
    for c in clusters:
        label = old.get(c[0])
        if label is not None and was[label] == set(c):
            taken.add(label)
            out.update((f, label) for f in c)
        else:
            rest.append(c)
    for c in sorted(rest, key=len, reverse=True):
        if len(c) == 1:
            out[c[0]] = None
            continue
        votes = Counter(old[f] for f in c if old.get(f) is not None)
        label = next((x for x, _ in votes.most_common() if x not in taken), None)
        if label is None:
            label, fresh = f"{prefix}{fresh}", fresh + 1
        taken.add(label)
        out.update((f, label) for f in c)
    return out


def correct(groups: Mapping[int, str | None], events: Mapping[int, str | None],
            constraints: Iterable[Constraint]) -> tuple[dict[int, str | None], dict[int, str | None]]:
    """The partition into groups and events once the reviewers' constraints are applied (see the
    module's docstring). ``groups`` and ``events`` map the same figures, in reading order;
    constraints naming a figure not among them (rejected, gone) are left out."""
    constraints = list(constraints)
    if not constraints:
        return dict(groups), dict(events)
    musts, cannots = resolve(constraints, GROUP)
    grouped = _clusters(groups, musts, cannots)
    new_groups = _labels(grouped, groups, PREFIX[GROUP])
    musts, cannots = resolve(constraints, EVENT)
    found = _clusters(events, musts, cannots, units=[g for g in grouped if len(g) > 1])
    return new_groups, _labels(found, events, PREFIX[EVENT])


def correct_pairs(linked: Mapping[int, tuple[str | None, str | None]],
                  constraints: Iterable[Constraint]) -> dict[int, tuple[str | None, str | None]]:
    """``correct`` over ``figure -> (group, event)``."""
    groups, events = correct({f: g for f, (g, _) in linked.items()}, {f: e for f, (_, e) in linked.items()},
                             constraints)
    return {f: (groups[f], events[f]) for f in linked}
