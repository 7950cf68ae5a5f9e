"""The ledger commands: ``sayso ingest``, ``figures``, ``groups``, ``events``, ``event``, ``sources`` and ``show``.

Each parses its arguments, calls the library (``sayso.store``) and prints; ``cli.py`` registers
them on the ``sayso`` app. They print the ledger as reviewed; ``--as-extracted`` prints what sayso
extracted, before any review.
"""
from __future__ import annotations

import functools
import inspect
import os
import sys
import time
from collections import Counter
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.text import Text
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)
from sqlalchemy.exc import DBAPIError

from sayso.budget import Budget, BudgetedExtractor
from sayso.ingest.readers import Limits, count_documents, valid_date
from sayso.link.publishers import load_publishers
from sayso.model import Options
from sayso.present import render
from sayso.present.terminal import error, note, plain, visible
from sayso.store.ingest import (ADDED, ERROR, FAILED_BEFORE, SKIPPED, ExtractorUnavailable, LazyExtractor,
                                ingest_paths, ingest_records)
from sayso.store.ledger import DEFAULT_URL, Ledger, LedgerError, ledger_url

err = Console(stderr=True, soft_wrap=True, highlight=False)

DB_HELP = "the ledger: an SQLAlchemy URL (sqlite:///..., postgresql://...) or an SQLite file path"
DbOption = typer.Option(DEFAULT_URL, "--db", help=DB_HELP, envvar="SAYSO_DB")
# The filters shared by `sayso figures` and `sayso export`.
CategoryOption = typer.Option(None, help="killed, executed, arrested, ... (sayso's categories)")
SiteOption = typer.Option(None, help="the site the document comes from (example.org)")
AsExtractedOption = typer.Option(False, "--as-extracted",
                                 help="what sayso extracted, before any review (default: the ledger as reviewed: "
                                      "corrections applied, rejected figures left out, added ones in)")
PlaceOption = typer.Option(None, help="the place a figure is about")
SourceOption = typer.Option(None, help="part of a source's (or own-voice publisher's) name")
SinceOption = typer.Option(None, help="figures about this date (YYYY-MM-DD) or later")
UntilOption = typer.Option(None, help="figures about this date (YYYY-MM-DD) or earlier")
MinOption = typer.Option(None, "--min", help="smallest value")
MaxOption = typer.Option(None, "--max", help="largest value")
SearchOption = typer.Option(None, "--search", "-s", help="words in the figure, what it counts or its sentence")
LimitOption = typer.Option(None, help="at most this many figures")
# name -> (type, option) of each filter, in the order `--help` lists them
FIGURE_FILTERS = {
    "category": (Optional[str], CategoryOption), "place": (Optional[str], PlaceOption),
    "source": (Optional[str], SourceOption), "since": (Optional[str], SinceOption),
    "until": (Optional[str], UntilOption), "min_value": (Optional[float], MinOption),
    "max_value": (Optional[float], MaxOption), "search": (Optional[str], SearchOption),
    "site": (Optional[str], SiteOption), "limit": (Optional[int], LimitOption),
}
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

TimeoutOption = typer.Option(Budget.timeout, "--timeout", metavar="SECONDS", min=0,
                             help="most seconds of work a document may take; a document that takes longer is "
                                  "stopped and reported in one line, and the run goes on (0: no bound)")
MaxMemoryOption = typer.Option(Budget.max_memory / MB, "--max-memory", metavar="MB", min=0,
                               help="most memory, in MB, extraction may take beyond the loaded language model; "
                                    "a document that needs more is reported in one line (0: no bound)")


def budget_of(timeout: float, max_memory: float) -> Budget:
    """The per-document budget from ``--timeout`` (seconds) and ``--max-memory`` (MB)."""
    return Budget(timeout=timeout, max_memory=int(max_memory * MB))


def figure_filters(*names: str):
    """A command's parameter ``filters: dict`` as the options of the figure filters ``names`` (all
    of :data:`FIGURE_FILTERS` when none are named), listed where ``filters`` stands; the command
    is called with ``filters`` the dict of their values."""
    names = names or tuple(FIGURE_FILTERS)

    def declare(command):
        params = []
        for param in inspect.signature(command, eval_str=True).parameters.values():
            if param.name == "filters":
                params += [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, default=FIGURE_FILTERS[n][1],
                                             annotation=FIGURE_FILTERS[n][0]) for n in names]
            else:
                params.append(param.replace(kind=inspect.Parameter.KEYWORD_ONLY))

        @functools.wraps(command)
        def run(**values):
            return command(**{k: v for k, v in values.items() if k not in names},
                           filters={n: values[n] for n in names})

        del run.__wrapped__                 # typer reads the signature below, not the command's
        run.__signature__ = inspect.Signature(params)
        run.__annotations__ = {}
        return run
    return declare


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
    timeout: float = TimeoutOption,
    max_memory: float = MaxMemoryOption,
    retry_failed: bool = typer.Option(False, "--retry-failed",
                                      help="try again the documents that ran out of their time or memory budget in "
                                           "an earlier run (skipped otherwise); give a larger --timeout or "
                                           "--max-memory with it"),
) -> None:
    """Read documents, extract their figures and store them in the ledger (new documents only).
    A document that runs out of its time or memory budget is reported and noted in the ledger, and
    later runs skip it: --retry-failed tries it again."""
    options = extraction_options(published, aliases, publishers, model)
    if bool(paths) == bool(from_parquet):
        _fail("give the paths to read, or --from-parquet DIR (not both)")
    batch_output = _batch_output(from_parquet) if from_parquet else None
    new_file = _new_sqlite_file(db)
    try:
        ledger = _open(db, create=True)
    except typer.Exit:
        if new_file:
            _remove_sqlite_file(new_file)
        raise
    counts: Counter[str] = Counter()
    started = time.perf_counter()
    extractor = LazyExtractor(lambda: _started(BudgetedExtractor(options, budget_of(timeout, max_memory))))
    try:
        if options.publishers:             # a --publishers file's entries are kept in the ledger
            ledger.set_publishers(options.publishers)
        options = replace(options, publishers=ledger.publisher_entries())
        total = None if batch_output or not err.is_terminal else count_documents(paths)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("docs"),
                      TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(), console=err,
                      disable=not err.is_terminal, transient=True) as bar:
            task = bar.add_task("extracting", total=total)
            if batch_output:
                outcomes = ingest_records(batch_output.documents(), ledger)
            else:
                outcomes = ingest_paths(paths, ledger, extractor, published, limits=limits_of(max_size, max_ratio),
                                        retry_failed=retry_failed)
            for outcome in outcomes:
                counts[outcome.status] += 1
                counts["figures"] += outcome.figures
                if outcome.status == ERROR:
                    err.print(error(f"{outcome.name}: {outcome.message}"))
                elif outcome.status == FAILED_BEFORE:
                    err.print(note(f"{outcome.name}: skipped: it {outcome.message} in an earlier run "
                                   "(--retry-failed tries it again)"))
                bar.advance(task)
            extractor.close()
        if batch_output and counts[ADDED]:
            ledger.reattribute()     # publishers by this ledger's entries, as for documents extracted here
        grouped = None
        if ledger.groups_stale():   # documents added (now or by a run killed before it got here)
            with err.status(f"linking the figures of {ledger.counts()['documents']:,} documents…"):
                try:
                    grouped = ledger.regroup()
                except DBAPIError:
                    raise
                except Exception as exc:   # the documents stay stored; the links wait for a fixed sayso
                    counts[ERROR] += 1
                    err.print(error(f"linking failed, the documents are stored but groups and events are stale: "
                                    f"{type(exc).__name__}: {exc}"))
    except KeyboardInterrupt:
        err.print(f"\ninterrupted: {plural(counts[ADDED], 'document')} stored whole before it "
                  f"({counts['figures']} figures), nothing half-written; run the same command again to go on "
                  "(stored documents are skipped, groups are recomputed)")
        raise typer.Exit(130)
    except (ValueError, ExtractorUnavailable) as exc:   # a model that will not load
        _fail(exc)
    except DBAPIError as exc:                             # the database went away, a full disk
        _fail(f"ledger: {str(exc.orig).splitlines()[0]}")
    finally:
        extractor.close()
        # a run that made the file and stored nothing leaves no empty ledger behind; one that
        # another ingest stored documents in (at the same time) is kept
        empty = bool(new_file) and not counts[ADDED] and _holds_no_document(ledger)
        ledger.close()
        if empty:
            _remove_sqlite_file(new_file)
    failed = f"{counts[FAILED_BEFORE]} skipped as out of budget before, " if counts[FAILED_BEFORE] else ""
    err.print(plain(f"{counts[ADDED]} documents added, {counts[SKIPPED]} skipped as already stored, {failed}"
                    f"{plural(counts[ERROR], 'error')}, {counts['figures']} figures, {time.perf_counter() - started:.1f} s"))
    if grouped is not None:
        err.print(f"{grouped['groups']} groups ({grouped['grouped_figures']} of {grouped['figures']} figures), "
                  f"{grouped['events']} events, {grouped['conflicts']} conflicts, {grouped['reposts']} reposts")
    if counts[ERROR]:
        raise typer.Exit(1)


@figure_filters()
def figures_command(
    db: str = DbOption,
    filters: dict = None,
    as_extracted: bool = AsExtractedOption,
    fmt: Format = typer.Option(Format.table, "--format", help="table, json or csv"),
) -> None:
    """List the ledger's figures, filtered: as reviewed, each with its review state."""
    check_filters(since=filters["since"], until=filters["until"], category=filters["category"])
    with _open(db) as ledger:
        rows = ledger.figures(**filters, as_extracted=as_extracted)
    _print_rows(rows, fmt, render.FIGURE_COLUMNS, render.figures_table)


def check_filters(since: str | None = None, until: str | None = None, category: str | None = None,
                  role: str | None = None) -> None:
    """Fail (exit 2, one line naming what is allowed) on a bad date, an unknown category or role."""
    from sayso.store.review import vocabulary

    for name, value in (("--since", since), ("--until", until)):
        if value is not None and not valid_date(value):
            _fail(f"{name} {value!r} is not a YYYY-MM-DD date", code=2)
    categories = vocabulary()["categories"]
    if category is not None and category.lower() not in categories:
        _fail(f"--category {category!r} is not one of {', '.join(categories)}", code=2)
    roles = [*vocabulary()["roles"], "own_voice"]
    if role is not None and role not in roles:
        _fail(f"--role {role!r} is not one of {', '.join(roles)}", code=2)


def plural(n: int, word: str) -> str:
    """``1 error``, ``2 errors``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def groups_command(
    db: str = DbOption,
    category: Optional[str] = typer.Option(None, help="the group's category"),
    place: Optional[str] = typer.Option(None, help="the place the group is about"),
    source: Optional[str] = typer.Option(None, help="part of the name of one of its sources"),
    conflicts: bool = typer.Option(False, "--conflicts", help="only groups whose estimates conflict"),
    min_documents: Optional[int] = typer.Option(None, "--min-documents", help="only groups stated in this many documents"),
    as_extracted: bool = AsExtractedOption,
    fmt: Format = typer.Option(Format.table, "--format", help="table, json or csv"),
) -> None:
    """Figures grouped by the quantity they state: values, documents, independent sources,
    corroborations; conflicting estimates first."""
    check_filters(category=category)
    with _open(db) as ledger:
        if ledger.groups_stale():
            err.print(note("documents were added since groups were computed; run `sayso ingest` again to regroup"))
        rows = ledger.groups(as_extracted, category=category, place=place, source=source,
                             conflicts_only=conflicts, min_documents=min_documents)
    if fmt is Format.csv:
        render.write_csv(render.group_csv_rows(rows), render.GROUP_COLUMNS, sys.stdout)
    else:
        _print_rows(rows, fmt, render.GROUP_COLUMNS, render.groups_table)


@figure_filters("category", "place", "source", "since", "until", "min_value", "max_value", "search")
def events_command(
    db: str = DbOption,
    filters: dict = None,
    as_extracted: bool = AsExtractedOption,
    fmt: Format = typer.Option(Format.table, "--format", help="table, json or csv (one row per estimate)"),
) -> None:
    """Events: every estimate of the same quantity of one event, whatever its value, with who
    stated each first, its independent origins, who confirmed and who disputed it. An event is
    listed where one of its figures matches the filters (those of `sayso figures`)."""
    check_filters(since=filters["since"], until=filters["until"], category=filters["category"])
    with _open(db) as ledger:
        _note_stale(ledger)
        rows = ledger.events(as_extracted, **filters)
    if fmt is Format.csv:
        render.write_csv(render.event_csv_rows(rows), render.EVENT_COLUMNS, sys.stdout)
    else:
        _print_rows(rows, fmt, render.EVENT_COLUMNS, render.events_table)


def event_command(
    event_id: str = typer.Argument(..., help="the event's id, as `sayso events` lists it (e1, e2, ...)"),
    db: str = DbOption,
    as_extracted: bool = AsExtractedOption,
    fmt: Format = typer.Option(Format.table, "--format", help="table, json or csv (one row per estimate)"),
) -> None:
    """One event's estimates in the order they were stated: value, date first stated, who stated
    it first, its independent origins, how many documents repeated it, who confirmed or disputed it."""
    with _open(db) as ledger:
        _note_stale(ledger)
        found = ledger.event(event_id, as_extracted)
    if found is None:
        _fail(f"no event {event_id!r} in the ledger", code=1)
    if fmt is Format.json:
        render.write_json(found, sys.stdout)
    elif fmt is Format.csv:
        render.write_csv(render.event_csv_rows([found]), render.EVENT_COLUMNS, sys.stdout)
    else:
        out = _stdout()
        out.print(render.quantity_text(
            {"category": found["category"], "counted": found["counted"], "place": found["place"], "time_text": None,
             "time_start": found["time"]["start"], "time_end": found["time"]["end"]}) + f" · {found['documents']} documents")
        out.print(render.estimates_table(found))


def _note_stale(ledger: Ledger) -> None:
    if ledger.groups_stale():
        err.print("[yellow]note:[/] documents were added since figures were linked; "
                  "run `sayso ingest` again to relink")


def sources_command(
    db: str = DbOption,
    name: Optional[str] = typer.Option(None, help="part of the name"),
    role: Optional[str] = typer.Option(None, help="only names cited in this role: source, confirms, disputes, own_voice"),
    min_figures: Optional[int] = typer.Option(None, "--min-figures", help="only names cited for this many figures"),
    as_extracted: bool = AsExtractedOption,
    fmt: Format = typer.Option(Format.table, "--format", help="table, json or csv"),
) -> None:
    """Who is cited, how often, in which role (source, confirms, disputes, own voice)."""
    check_filters(role=role)
    with _open(db) as ledger:
        rows = ledger.sources(as_extracted, name=name, role=role, min_figures=min_figures)
    _print_rows(rows, fmt, render.SOURCE_COLUMNS, render.sources_table)


def show_command(
    doc: str = typer.Argument(..., help="the document: its number, its id, or a sha256 prefix"),
    db: str = DbOption,
    as_extracted: bool = AsExtractedOption,
    fmt: Format = typer.Option(Format.table, "--format", help="table (the marked text), json or csv (its figures)"),
) -> None:
    """One document's text with its figures marked, then its figures."""
    with _open(db) as ledger:
        found = ledger.document(doc, as_extracted=as_extracted)
    if found is None:
        _fail(f"no document {doc!r} in the ledger", code=1)
    if fmt is Format.json:
        render.write_json(found, sys.stdout)
    elif fmt is Format.csv:
        render.write_csv(found["figures"], render.FIGURE_COLUMNS, sys.stdout)
    else:
        out = _stdout()
        heading = visible(" · ".join(str(v) for v in (found["id"], found["label"], found["published"],
                                                      found["publisher"] or found["site"], found["source"]) if v), "")
        text = visible(found["text"])   # one for one: the figures' offsets still hold
        if out.is_terminal:
            out.rule(Text(heading))
            out.print(render.marked_text(text, found["figures"]))
            out.print(render.figures_table(found["figures"]))
        else:
            sys.stdout.write(heading + "\n\n" + render.marked_plain(text, found["figures"]) + "\n\n")
            out.print(render.figures_table(found["figures"]))


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


def _new_sqlite_file(db: str) -> str | None:
    """The path of the SQLite file ``db`` names where it does not exist yet (ingest makes it); else None."""
    from sqlalchemy.engine import make_url

    try:
        url = make_url(ledger_url(db))
    except Exception:   # a URL SQLAlchemy cannot read: _open says so
        return None
    path = url.database if url.get_backend_name() == "sqlite" else None
    if not path or path == ":memory:" or Path(path).exists():
        return None
    try:                    # claimed at once: of two ingests starting together, one made the file
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
    except FileExistsError:
        return None
    except OSError:         # a folder that does not exist, no permission: _open says so
        return None
    return path


def _holds_no_document(ledger: Ledger) -> bool:
    """Whether nothing is stored in ``ledger`` (by this run or by another one writing to it)."""
    try:
        return ledger.counts()["documents"] == 0
    except Exception:       # cannot tell: keep the file
        return False


def _remove_sqlite_file(path: str) -> None:
    for name in (path, f"{path}-wal", f"{path}-shm"):
        Path(name).unlink(missing_ok=True)


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


def _started(extractor: BudgetedExtractor) -> BudgetedExtractor:
    """``extractor`` with its language model loaded (a model that will not load fails here)."""
    extractor.start()
    return extractor


def _fail(message, code: int = 2):
    err.print(error(str(message)))
    raise typer.Exit(code)


