"""``sayso publishers``: the ledger's site -> publisher mapping, shown and edited.

A figure stated in a document's own voice is its publisher's, so who publishes a site decides whom
``sayso sources`` and ``sayso groups`` credit. The ledger starts from sayso's bundled vocabulary
(``data/publishers.json``); the user's entries are kept in the ledger's ``publishers`` table, and
every change re-attributes the documents already stored.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.table import Table

from sayso.link.publishers import load_publishers
from sayso.present.ledger_cli import DbOption, Format, _fail, _open, _print_rows

SITE_COLUMNS = ("site", "documents", "publisher", "entry")


def publishers_command(
    db: str = DbOption,
    set_: List[str] = typer.Option([], "--set", metavar="SITE=NAME", help="SITE is published by NAME (repeatable)"),
    remove: List[str] = typer.Option([], "--remove", metavar="SITE", help="drop your entry for SITE"),
    load: Optional[Path] = typer.Option(None, "--load", help="a JSON object of site -> publisher to keep"),
    fmt: Format = typer.Option(Format.table, "--format", help="table, json or csv"),
) -> None:
    """The sites stored documents come from, who publishes each, and your entries; edit them."""
    entries = dict(_assignment(a) for a in set_)
    if load is not None:
        try:
            entries = {**load_publishers(load), **entries}
        except ValueError as exc:
            _fail(exc)
    with _open(db, create=bool(entries)) as ledger:
        changed = ledger.set_publishers(entries) if entries else 0
        for site in remove:
            changed += ledger.remove_publisher(site)
        rows = site_rows(ledger.sites(), ledger.publisher_entries())
    if entries or remove:
        print(f"{len(entries)} entries set, {len(remove)} removed, {changed} documents re-attributed",
              file=sys.stderr)
    _print_rows(rows, fmt, SITE_COLUMNS, _table)


def site_rows(sites: list[dict], entries: dict[str, str]) -> list[dict]:
    """One row per site with documents, then each of the user's entries no document uses yet.
    ``entry`` says where the publisher comes from: ``yours`` (an entry of the ledger, for the site
    or a parent domain), ``sayso`` (the bundled vocabulary) or empty (no publisher known)."""
    rows = [{**s, "entry": _origin(s["site"], s["publisher"], entries)} for s in sites]
    def used(entry: str) -> bool:
        return any(s["site"] == entry or s["site"].endswith("." + entry) for s in sites)
    rows += [{"site": site, "documents": 0, "publisher": name, "entry": "yours"}
             for site, name in sorted(entries.items()) if not used(site)]
    return rows


def _origin(site: str, publisher: str | None, entries: dict[str, str]) -> str:
    if publisher is None:
        return ""
    labels = site.split(".")
    mine = any(entries.get(".".join(labels[i:])) == publisher for i in range(len(labels) - 1))
    return "yours" if mine else "sayso"


def _assignment(value: str) -> tuple[str, str]:
    site, sep, name = value.partition("=")
    if not sep or not site.strip() or not name.strip():
        _fail(f"--set {value!r}: expected SITE=NAME, such as example.org=Example Rights Group")
    return site.strip(), name.strip()


def _table(rows: list[dict]) -> Table:
    table = Table(header_style="bold")
    for name in SITE_COLUMNS:
        table.add_column(name, justify="right" if name == "documents" else "left", overflow="fold")
    for r in rows:
        table.add_row(r["site"], str(r["documents"]), r["publisher"] or "", r["entry"])
    return table
