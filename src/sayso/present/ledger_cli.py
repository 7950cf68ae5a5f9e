"""The ledger commands: ``sayso ingest``, ``figures``, ``groups``, ``sources`` and ``show``.

Each parses its arguments, calls the library (``sayso.store``) and prints; ``cli.py`` registers
them on the ``sayso`` app.
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.text import Text
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.exc import DBAPIError

from sayso.ingest.readers import Limits, valid_date
from sayso.pipeline import Extractor, Options, load_publishers
from sayso.present import render
from sayso.present.terminal import error, note, plain, visible
from sayso.store.ingest import (ADDED, ERROR, SKIPPED, ExtractorUnavailable, LazyExtractor, ingest_paths,
                                ingest_records)
from sayso.store.ledger import DEFAULT_URL, Ledger, LedgerError

err = Console(stderr=True, soft_wrap=True, highlight=False)

DB_HELP = "the ledger: an SQLAlchemy URL (sqlite:///..., postgresql://...) or an SQLite file path"
DbOption = typer.Option(DEFAULT_URL, "--db", help=DB_HELP, envvar="SAYSO_DB")
# The filters shared by `sayso figures` and `sayso export`.
CategoryOption = typer.Option(None, help="killed, executed, arrested, ...")
PlaceOption = typer.Option(None, help="the place a figure is about")
SourceOption = typer.Option(None, help="part of a source's (or own-voice publisher's) name")
SinceOption = typer.Option(None, help="figures about this date (YYYY-MM-DD) or later")
UntilOption = typer.Option(None, help="figures about this date (YYYY-MM-DD) or earlier")
MinOption = typer.Option(None, "--min", help="smallest value")
MaxOption = typer.Option(None, "--max", help="largest value")
SearchOption = typer.Option(None, "--search", "-s", help="words in the figure, what it counts or its sentence")
LimitOption = typer.Option(None, help="at most this many figures")
# The extraction settings shared by `sayso ingest` and `sayso batch`.
PublishedOption = typer.Option(None, help="publication date (YYYY-MM-DD) for inputs that carry none")
AliasesOption = typer.Option([], "--aliases", help="extra alias file(s): {\"Canonical\": [\"alias\", ...]}")
PublishersOption = typer.Option(None, "--publishers", help="site -> publisher mapping (JSON)")
ModelOption = typer.Option(Options.model, help="an installed spaCy pipeline")
MB = 1_000_000
MaxSizeOption = typer.Option(Limits.max_bytes / MB, "--max-size", metavar="MB", min=0.001,
                             help="largest document read, in MB (a file, a JSONL line, a WARC record; "
                                  "a PDF file may be ten times larger); a larger one is an error line")
MaxRatioOption = typer.Option(Limits.max_ratio, "--max-ratio", min=1,
                              help="how many times its size a compressed archive may inflate to")


def limits_of(max_size: float, max_ratio: int) -> Limits:
    """The reading limits from ``--max-size`` (MB) and ``--max-ratio``."""
    return Limits(max_bytes=int(max_size * MB), max_ratio=max_ratio)


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def ingest_command(
    paths: Optional[List[str]] = typer.Argument(None, help=".txt, .jsonl, .html, .pdf, .warc(.gz) files, directories, or - for stdin"),
    db: str = DbOption,
    published: Optional[str] = PublishedOption,
    aliases: List[Path] = AliasesOption,
    publishers: Optional[Path] = PublishersOption,
    model: str = ModelOption,
    from_parquet: Optional[str] = typer.Option(None, "--from-parquet", metavar="DIR",
                                               help="store the documents a `sayso batch` run wrote to DIR instead"),
    max_size: float = MaxSizeOption,
    max_ratio: int = MaxRatioOption,
) -> None:
    """Read documents, extract their figures and store them in the ledger (new documents only)."""
    options = extraction_options(published, aliases, publishers, model)
    if bool(paths) == bool(from_parquet):
        _fail("give the paths to read, or --from-parquet DIR (not both)")
    batch_output = _batch_output(from_parquet) if from_parquet else None
    ledger = _open(db, create=True)
    counts: Counter[str] = Counter()
    started = time.perf_counter()
    try:
        if options.publishers:             # a --publishers file's entries are kept in the ledger
            ledger.set_publishers(options.publishers)
        options = replace(options, publishers=ledger.publisher_entries())
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed} docs"),
                      TimeElapsedColumn(), console=err, disable=not err.is_terminal, transient=True) as bar:
            task = bar.add_task("ingesting", total=None)
            if batch_output:
                outcomes = ingest_records(batch_output.documents(), ledger)
            else:
                outcomes = ingest_paths(paths, ledger, LazyExtractor(lambda: Extractor(options)), published,
                                        limits=limits_of(max_size, max_ratio))
            for outcome in outcomes:
                counts[outcome.status] += 1
                counts["figures"] += outcome.figures
                if outcome.status == ERROR:
                    err.print(error(f"{outcome.name}: {outcome.message}"))
                bar.advance(task)
        if batch_output and counts[ADDED]:
            ledger.reattribute()     # publishers by this ledger's entries, as for documents extracted here
        grouped = None
        if ledger.groups_stale():   # documents added (now or by a run killed before it got here)
            try:
                grouped = ledger.regroup()
            except DBAPIError:
                raise
            except Exception as exc:   # the documents stay stored; the groups wait for a fixed sayso
                counts[ERROR] += 1
                err.print(error(f"grouping failed, the documents are stored but the groups are stale: "
                                f"{type(exc).__name__}: {exc}"))
    except (ValueError, ExtractorUnavailable) as exc:   # a model that will not load
        _fail(exc)
    except DBAPIError as exc:                             # the database went away, a full disk
        _fail(f"ledger: {str(exc.orig).splitlines()[0]}")
    finally:
        ledger.close()
    err.print(plain(f"{counts[ADDED]} documents added, {counts[SKIPPED]} skipped as already stored, "
                    f"{counts[ERROR]} errors, {counts['figures']} figures, {time.perf_counter() - started:.1f} s"))
    if grouped is not None:
        err.print(f"{grouped['groups']} groups ({grouped['grouped_figures']} of {grouped['figures']} figures), "
                  f"{grouped['conflicts']} conflicts")
    if counts[ERROR]:
        raise typer.Exit(1)


def figures_command(
    db: str = DbOption,
    category: Optional[str] = CategoryOption,
    place: Optional[str] = PlaceOption,
    source: Optional[str] = SourceOption,
    since: Optional[str] = SinceOption,
    until: Optional[str] = UntilOption,
    min_value: Optional[float] = MinOption,
    max_value: Optional[float] = MaxOption,
    search: Optional[str] = SearchOption,
    limit: Optional[int] = LimitOption,
    fmt: Format = typer.Option(Format.table, "--format", help="table, json or csv"),
) -> None:
    """List the ledger's figures, filtered."""
    for name, value in (("--since", since), ("--until", until)):
        if value is not None and not valid_date(value):
            _fail(f"{name} {value!r} is not a YYYY-MM-DD date", code=2)
    with _open(db) as ledger:
        rows = ledger.figures(category=category, place=place, source=source, since=since, until=until,
                              min_value=min_value, max_value=max_value, search=search, limit=limit)
    _print_rows(rows, fmt, render.FIGURE_COLUMNS, render.figures_table)


def groups_command(
    db: str = DbOption,
    fmt: Format = typer.Option(Format.table, "--format", help="table, json or csv"),
) -> None:
    """Figures grouped by the quantity they state: values, documents, independent sources,
    corroborations; conflicting estimates first."""
    with _open(db) as ledger:
        if ledger.groups_stale():
            err.print(note("documents were added since groups were computed; run `sayso ingest` again to regroup"))
        rows = ledger.groups()
    if fmt is Format.csv:
        render.write_csv(render.group_csv_rows(rows), render.GROUP_COLUMNS, sys.stdout)
    else:
        _print_rows(rows, fmt, render.GROUP_COLUMNS, render.groups_table)


def sources_command(
    db: str = DbOption,
    fmt: Format = typer.Option(Format.table, "--format", help="table, json or csv"),
) -> None:
    """Who is cited, how often, in which role (source, confirms, disputes, own voice)."""
    with _open(db) as ledger:
        rows = ledger.sources()
    _print_rows(rows, fmt, render.SOURCE_COLUMNS, render.sources_table)


def show_command(
    doc: str = typer.Argument(..., help="the document: its number, its id, or a sha256 prefix"),
    db: str = DbOption,
    fmt: Format = typer.Option(Format.table, "--format", help="table (the marked text), json or csv (its figures)"),
) -> None:
    """One document's text with its figures marked, then its figures."""
    with _open(db) as ledger:
        found = ledger.document(doc)
    if found is None:
        _fail(f"no document {doc!r} in the ledger", code=1)
    if fmt is Format.json:
        render.write_json(found, sys.stdout)
    elif fmt is Format.csv:
        render.write_csv(found["figures"], render.FIGURE_COLUMNS, sys.stdout)
    else:
        out = _stdout()
        heading = visible(" · ".join(str(v) for v in (found["id"], found["title"], found["published"],
                                                      found["publisher"] or found["site"], found["source"]) if v), "")
        text = visible(found["text"])   # one for one: the figures' offsets still hold
        if out.is_terminal:
            out.rule(Text(heading))
            out.print(render.marked_text(text, found["figures"]))
            out.print(render.figures_table(found["figures"]))
        else:
            sys.stdout.write(heading + "\n\n" + render.marked_plain(text, found["figures"]) + "\n")


def _print_rows(rows: list[dict], fmt: Format, columns, table) -> None:
    if fmt is Format.json:
        render.write_json(rows, sys.stdout)
    elif fmt is Format.csv:
        render.write_csv(rows, columns, sys.stdout)
    else:
        _stdout().print(table(rows))


def _stdout() -> Console:
    """Rich output on stdout; piped, tables get room (160 columns) rather than rich's 80."""
    out = Console(highlight=False)
    return out if out.is_terminal else Console(highlight=False, width=160)


def _open(db: str, create: bool = False) -> Ledger:
    try:
        return Ledger(db, create=create)
    except LedgerError as exc:
        _fail(exc)


def _batch_output(path: str):
    from sayso.batch.output import OutputDir

    try:
        output = OutputDir(path)
        finished = output.finished()
    except (OSError, ValueError) as exc:
        _fail(f"{path}: {exc}")
    if not finished:
        _fail(f"{path}: no finished `sayso batch` shards here")
    return output


def extraction_options(published: str | None, aliases: List[Path], publishers: Path | None, model: str) -> Options:
    """The extractor's settings from the shared options; fails (exit 2) on a bad date or mapping."""
    if published is not None and not valid_date(published):
        _fail(f"--published {published!r} is not a YYYY-MM-DD date")
    try:
        return Options(model=model, aliases=tuple(str(a) for a in aliases),
                       publishers=load_publishers(publishers) if publishers else {})
    except ValueError as exc:
        _fail(exc)


def _fail(message, code: int = 2):
    err.print(error(str(message)))
    raise typer.Exit(code)


