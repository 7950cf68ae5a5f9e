"""``sayso review``: accept, correct or reject a figure from a terminal or a script, with the same
audit log as the workbench (``sayso.store.review``); ``--next`` walks the queue of unreviewed
figures. ``sayso review merge-groups|split-group|merge-events|split-event|merge-names ...``
corrects the linking (``sayso.store.links``), logged the same way."""
from __future__ import annotations

import json
import sys
from enum import Enum
from typing import List, Optional

import typer
from rich.markup import escape

from sayso.present.ledger_cli import DbOption, _fail, _open, _stdout, err
from sayso.present.render import sources_text, value_text
from sayso.store import browse, links, review


class Verdict(str, Enum):
    accepted = "accepted"
    corrected = "corrected"
    rejected = "rejected"


ACTIONS = {Verdict.accepted: "accept", Verdict.corrected: "correct", Verdict.rejected: "reject"}


def changes_from(category: str | None = None, qualifier: str | None = None, counted: str | None = None,
                 place: str | None = None, low: str | None = None, high: str | None = None,
                 sources: list[str] | None = None) -> dict:
    """The fields a command line changes (``review.apply_changes`` keys); ``sources`` as
    ``"Name:role"`` strings. Raises ``review.ReviewError`` for a malformed source."""
    out = {k: v for k, v in (("category", category), ("qualifier", qualifier), ("counted", counted),
                             ("place", place), ("low", low), ("high", high)) if v is not None}
    if sources:
        out["sources"] = [review.parse_source(s) for s in sources]
    return out


LINK_ACTIONS = {
    "merge-groups": "merge-groups G1 G2 ...: make these groups one (a group id, or a figure: 12, DOC/f3)",
    "split-group": "split-group G --figures F1 F2 ...: take these figures out of group G into one of their own",
    "merge-events": "merge-events E1 E2 ...: make these events one",
    "split-event": "split-event E --figures F1 F2 ...: take these figures out of event E into one of their own",
    "merge-names": "merge-names NAME SHOWN: two names of one party, shown as SHOWN everywhere",
}


def review_command(
    figure: Optional[List[str]] = typer.Argument(
        None, metavar="[FIGURE | ACTION ARGS...]",
        help="the figure: its number (as `sayso figures` and the workbench show it) or DOC/f3; or a correction "
             "of the linking: " + "; ".join(LINK_ACTIONS.values())),
    figures: List[str] = typer.Option([], "--figures", metavar="F1,F2",
                                      help="the figures a split takes out (numbers or DOC/f3; repeatable, or "
                                           "separated by commas)"),
    verdict: Optional[Verdict] = typer.Option(None, "--verdict", help="accepted, corrected or rejected"),
    category: Optional[str] = typer.Option(None, help="the right category (a correction)"),
    qualifier: Optional[str] = typer.Option(None, help="the right qualifier (a correction)"),
    counted: Optional[str] = typer.Option(None, help="what it counts (a correction)"),
    place: Optional[str] = typer.Option(None, help="the place it is about (a correction)"),
    low: Optional[str] = typer.Option(None, help="its low value (a correction)"),
    high: Optional[str] = typer.Option(None, help="its high value (a correction)"),
    source: List[str] = typer.Option([], "--source", metavar="NAME:ROLE",
                                     help="who says so, repeatable: \"Name:role\", role source, confirms or disputes "
                                          "(replaces the figure's sources)"),
    by: Optional[str] = typer.Option(None, "--by", "--reviewer", envvar="SAYSO_REVIEWER", help="the reviewer's name"),
    note: Optional[str] = typer.Option(None, help="why (kept in the audit log)"),
    next_: bool = typer.Option(False, "--next", help="the next figure nobody reviewed: show it, or with --verdict "
                                                     "review it"),
    as_json: bool = typer.Option(False, "--json", help="print the figure or the log entry as JSON"),
    db: str = DbOption,
) -> None:
    """Review a figure (accept, correct, reject), or show the next one to review; or merge or split
    groups and events, or merge two names of one party."""
    if figure and figure[0] in LINK_ACTIONS:
        _link_review(figure[0], figure[1:], figures, by, note, as_json, db)
        return
    if figure and len(figure) > 1:
        _fail(f"one FIGURE, not {len(figure)}; or an action: {', '.join(LINK_ACTIONS)}", code=2)
    figure = figure[0] if figure else None
    if bool(figure) == next_:
        _fail("give a FIGURE, or --next for the next unreviewed one", code=2)
    try:
        changes = changes_from(category, qualifier, counted, place, low, high, source)
    except review.ReviewError as exc:
        _fail(exc, code=2)
    if changes and verdict is None:
        verdict = Verdict.corrected
    if changes and verdict is not Verdict.corrected:
        _fail(f"changed fields make a correction: --verdict corrected, not {verdict.value}", code=2)
    if verdict is Verdict.corrected and not changes:
        _fail("a correction needs a changed field: --category, --qualifier, --counted, --place, --low, --high "
              "or --source", code=2)
    with _open(db) as ledger:
        with ledger.engine.connect() as conn:
            figure_id = review.next_unreviewed(conn) if next_ else review.figure_id(conn, figure)
            if figure_id is None:
                if next_:
                    err.print("every figure is reviewed")
                    return
                _fail(f"no figure {figure!r} in the ledger (a number, or DOC/f3)", code=1)
            row = browse.figure(conn, figure_id)
        if verdict is None:
            _show(row, as_json)
            return
        if not (by or "").strip():
            _fail("name the reviewer: --by NAME or $SAYSO_REVIEWER", code=2)
        try:
            entry = review.review(ledger, figure_id, ACTIONS[verdict], by, changes or None, note)
        except review.ReviewError as exc:
            _fail(exc, code=2)
    if as_json:
        json.dump(entry, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        _stdout().print(f"figure {figure_id} ({escape(row['document_key'])}/{row['fig']}): "
                        f"{entry['after']['state']} by {escape(entry['reviewer'])}")


def _show(row: dict, as_json: bool) -> None:
    """A figure as a reviewer needs it: its sentence with the number marked, its fields, its state."""
    if as_json:
        json.dump(row, sys.stdout, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
        return
    out = _stdout()
    s0, a, b = row["sentence_start"], row["start"], row["end"]
    sentence = row["sentence"]
    out.print(f"figure {row['figure_id']} · {escape(row['document_key'])}/{row['fig']} · "
              f"{row['review_state'] or 'unreviewed'}")
    out.print(escape(sentence[:a - s0]) + "[reverse]" + escape(sentence[a - s0:b - s0]) + "[/reverse]"
              + escape(sentence[b - s0:]))
    time = row["time_text"] or ""
    for label, value in (("value", value_text(row)), ("qualifier", row["qualifier"]), ("category", row["category"]),
                         ("counted", row["counted"]), ("time", time), ("place", row["place"]),
                         ("sources", sources_text(row["sources"]) or "own voice")):
        out.print(f"  {label:<10} {escape(str(value or ''))}")
    out.print(f"review: sayso review {row['figure_id']} --verdict accepted|corrected|rejected [--category C] "
              f"[--source \"Name:role\"] --by NAME", markup=False)


def _link_review(action: str, args: list[str], figures: list[str], by: str | None, note: str | None,
                 as_json: bool, db: str) -> None:
    """``sayso review merge-groups|split-group|merge-events|split-event|merge-names``."""
    level = links.EVENT if action.endswith(("event", "events")) else links.GROUP
    splitting = action.startswith("split")
    if splitting:
        leaving = [x for f in figures + args[1:] for x in f.replace(",", " ").split()]
        if not args or not leaving:
            _fail(f"usage: sayso review {LINK_ACTIONS[action]}", code=2)
    elif len(args) < 2 or (action == "merge-names" and len(args) != 2):
        _fail(f"usage: sayso review {LINK_ACTIONS[action]}", code=2)
    if not (by or "").strip():
        _fail("name the reviewer: --by NAME or $SAYSO_REVIEWER", code=2)
    with _open(db) as ledger:
        try:
            if action == "merge-names":
                entry = links.merge_names(ledger, args[0], args[1], by, note)
            elif splitting:
                entry = links.split(ledger, level, args[0], leaving, by, note)
            else:
                entry = links.merge(ledger, level, args, by, note)
        except review.ReviewError as exc:
            _fail(exc, code=1 if str(exc).startswith("no ") else 2)
    if as_json:
        json.dump(entry, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    d = entry["detail"]
    if action == "merge-names":
        said = f"{', '.join(d['names'])} shown as {d['into']}"
    elif splitting:
        said = f"{len(d['leaving'])} figure(s) of {d['unit']} now in {d['result'][0]}, the rest in {d['result'][1]}"
    else:
        said = f"{', '.join(u['unit'] for u in d['units'])} merged into {d['result']}"
    _stdout().print(f"{action}: {escape(said)} by {escape(entry['reviewer'])}")
