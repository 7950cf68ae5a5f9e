"""The ``sayso`` command line: a thin layer over the library."""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)

from sayso.present.batch_cli import batch_command
from sayso.ingest.readers import Limits, ReadError, count_documents, read_paths
from sayso.link.corpus import link_records
from sayso.budget import BudgetedExtractor, failure
from sayso.present.eval_cli import eval_command, gold_command
from sayso.present.export import export_command
from sayso.present.help_types import install as install_help_types
from sayso.present.publishers_cli import publishers_command
from sayso.present.terminal import error, plain
from sayso.present.review_cli import review_command
from sayso.present.ledger_cli import (AliasesOption, MaxMemoryOption, MaxRatioOption, MaxSizeOption, ModelOption,
                                      PublishedOption, PublishersOption, TimeoutOption, budget_of, extraction_options,
                                      limits_of)
from sayso.present.ledger_cli import (event_command, events_command, figures_command, groups_command, ingest_command,
                                      plural, show_command, sources_command)
from sayso.present.web.cli import serve_command

install_help_types()
app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="On whose say-so? Sourced, normalised figures from human-rights reporting.")
err = Console(stderr=True, soft_wrap=True)   # one error, one line, however long its path
BATCH = 32   # documents whose chosen sentences go through spaCy together (the same records, less time)


def _version(value: bool) -> None:
    if value:
        from sayso import __version__
        typer.echo(f"sayso {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="print sayso's version and exit")) -> None:
    """sayso turns reports into a sourced ledger of figures."""


@app.command()
def extract(
    paths: List[str] = typer.Argument(..., help=".txt, .jsonl, .html, .pdf, .warc(.gz) files, directories, or - for stdin"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="write JSON Lines here instead of stdout"),
    published: Optional[str] = PublishedOption,
    aliases: List[Path] = AliasesOption,
    publishers: Optional[Path] = PublishersOption,
    model: str = ModelOption,
    group: bool = typer.Option(True, "--group/--no-group",
                               help="link figures across the inputs: those that state the same quantity (sets each "
                                    "figure's `group`) and every estimate of one event (its `event`); records are written once all are read). --no-group "
                                    "streams the records as they are made (32 documents at a time), for "
                                    "corpora too large to hold"),
    max_size: float = MaxSizeOption,
    max_ratio: int = MaxRatioOption,
    timeout: float = TimeoutOption,
    max_memory: float = MaxMemoryOption,
) -> None:
    """Extract figures, their sources and quotes: one sayso.document/1 record per document."""
    options = extraction_options(published, aliases, publishers, model)
    try:
        extractor = BudgetedExtractor(options, budget_of(timeout, max_memory))
        extractor.start()
    except ValueError as exc:
        err.print(error(str(exc)))
        raise typer.Exit(2)
    limits = limits_of(max_size, max_ratio)
    out, part = None, None
    try:
        if output:
            out, part = _temporary_beside(output)
        errors = _extract_to(out or sys.stdout, paths, published, group, extractor, limits, output)
        if output:
            out.close()
            os.replace(part, output)   # only a finished run replaces the output
    except OSError as exc:             # a full disk, a folder that is not writable
        err.print(error(f"{output or 'stdout'}: cannot write: {exc.strerror or exc}"))
        raise typer.Exit(1)
    finally:
        extractor.close()
        if part is not None and os.path.exists(part):
            try:
                out.close()
            except OSError:
                pass
            os.unlink(part)
    if errors:
        raise typer.Exit(1)


def _temporary_beside(output: Path):
    """``(file, its name)``: a new hidden file in ``output``'s folder, renamed over it once the
    run has finished; readable as a file the user made would be."""
    fd, name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".part", dir=output.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)
    return os.fdopen(fd, "w", encoding="utf-8"), name


def _extract_to(out, paths: list[str], published: str | None, group: bool, extractor: BudgetedExtractor,
                limits: Limits, output: Path | None) -> int:
    """Read, extract and write the records to ``out``; prints the errors and a summary, returns
    how many errors there were."""
    counts = {"documents": 0, "figures": 0, "quotes": 0, "errors": 0}
    held: list[tuple[dict, str]] = []   # with --group: (record, its text) until all are read
    started = time.perf_counter()
    total = count_documents(paths) if err.is_terminal else None
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("docs"),
                  TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(), console=err,
                  disable=not err.is_terminal, transient=True) as bar, _interrupted(counts, group, output):
        task = bar.add_task("extracting", total=total)

        def extract_chunk(items: list) -> None:
            """Documents (and read errors, in their place) of a chunk: parsed in one spaCy batch."""
            results = iter(extractor.extract_each([i for i in items if not isinstance(i, ReadError)]))
            for item in items:
                if isinstance(item, ReadError):
                    counts["errors"] += 1
                    err.print(error(str(item)), highlight=False)
                    continue
                record = next(results)
                if isinstance(record, Exception):   # one bad document must not stop the batch
                    counts["errors"] += 1
                    err.print(error(f"{item.source or item.id}: {failure(record)}"), highlight=False)
                    continue
                if group:
                    held.append((record, item.text))
                else:
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
                counts["documents"] += 1
                counts["figures"] += len(record["figures"])
                counts["quotes"] += len(record["quotes"])
                bar.advance(task)

        chunk: list = []
        for item in read_paths(paths, published=published, skip=[str(output)] if output else [], limits=limits):
            chunk.append(item)
            if len(chunk) >= BATCH:
                extract_chunk(chunk)
                chunk = []
        extract_chunk(chunk)
    if group:
        records = [r for r, _ in held]
        with err.status(f"linking the figures of {len(records):,} documents…"), _interrupted(counts, group, output):
            try:
                link_records(records, [t for _, t in held])
            except Exception as exc:   # the records are written unlinked rather than lost
                counts["errors"] += 1
                for record in records:
                    for figure in record["figures"]:
                        figure.pop("group", None)
                        figure.pop("event", None)
                err.print(error(f"linking failed, records written without groups or events: "
                                f"{type(exc).__name__}: {exc}"), highlight=False)
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()
    seconds = time.perf_counter() - started
    err.print(plain(f"{counts['documents']} documents, {counts['figures']} figures, {counts['quotes']} quotes, "
                    f"{plural(counts['errors'], 'error')}, {seconds:.1f} s"), highlight=False)
    return counts["errors"]


@contextmanager
def _interrupted(counts: dict, group: bool, output: Path | None):
    """Ctrl-C ends the run with one line saying what was written."""
    try:
        yield
    except KeyboardInterrupt:
        if output:    # the output is a temporary file until the run ends: an interrupted run leaves none
            kept = f"nothing written to {output}"
        elif group:
            kept = "nothing written (with grouping, records are written once all are read; --no-group streams them)"
        else:
            kept = f"{plural(counts['documents'], 'record')} written"
        err.print(f"\ninterrupted after {plural(counts['documents'], 'document')}: {kept}", highlight=False)
        raise typer.Exit(130)


# the ledger commands
app.command("ingest")(ingest_command)
app.command("figures")(figures_command)
app.command("groups")(groups_command)
app.command("events")(events_command)
app.command("event")(event_command)
app.command("sources")(sources_command)
app.command("show")(show_command)
app.command("export")(export_command)
app.command("publishers")(publishers_command)
app.command("batch")(batch_command)
app.command("gold")(gold_command)
app.command("eval")(eval_command)
app.command("serve")(serve_command)
app.command("review")(review_command)


def main() -> None:
    app()
