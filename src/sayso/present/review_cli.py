"""``sayso review``: accept, correct or reject a figure from a terminal or a script, with the same
audit log as the workbench (``sayso.store.review``); ``--next`` walks the queue of unreviewed
figures."""
from __future__ import annotations

import json
import sys
from enum import Enum
from typing import List, Optional

import typer
from rich.markup import escape

from sayso.present.ledger_cli import DbOption, _fail, _open, _stdout, err
from sayso.present.render import sources_text, value_text
from sayso.store import browse, review


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


def review_command(
    figure: Optional[str] = typer.Argument(None, help="the figure: its number (as `sayso figures` and the "
                                                       "workbench show it) or DOC/f3"),
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
    by: Optional[str] = typer.Option(None, "--by", envvar="SAYSO_REVIEWER", help="the reviewer's name"),
    note: Optional[str] = typer.Option(None, help="why (kept in the audit log)"),
    next_: bool = typer.Option(False, "--next", help="the next figure nobody reviewed: show it, or with --verdict "
                                                     "review it"),
    as_json: bool = typer.Option(False, "--json", help="print the figure or the log entry as JSON"),
    db: str = DbOption,
) -> None:
    """Review a figure (accept, correct, reject), or show the next one to review."""
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
