"""The ``sayso`` command line: a thin layer over the library."""
from __future__ import annotations

import json
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)

from sayso.batch.command import batch_command
from sayso.ingest.readers import ReadError, count_documents, read_paths, valid_date
from sayso.link.groups import assign_groups
from sayso.pipeline import Extractor, Options, extract_each, load_publishers
from sayso.present.eval_cli import eval_command, gold_command
from sayso.present.export import export_command
from sayso.present.help_types import install as install_help_types
from sayso.present.publishers_cli import publishers_command
from sayso.present.review_cli import review_command
from sayso.present.ledger_cli import (figures_command, groups_command, ingest_command, plural, show_command,
                                      sources_command)
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
    published: Optional[str] = typer.Option(None, help="publication date (YYYY-MM-DD) for inputs that carry none"),
    aliases: List[Path] = typer.Option([], "--aliases", help="extra alias file(s): {\"Canonical\": [\"alias\", ...]}"),
    publishers: Optional[Path] = typer.Option(None, "--publishers", help="site -> publisher mapping (JSON)"),
    model: str = typer.Option(Options.model, help="an installed spaCy pipeline"),
    group: bool = typer.Option(True, "--group/--no-group",
                               help="group figures that state the same quantity across the inputs (sets each "
                                    "figure's `group`; records are written once all are read). --no-group "
                                    "streams the records as they are made (32 documents at a time), for "
                                    "corpora too large to hold"),
) -> None:
    """Extract figures, their sources and quotes: one sayso.document/1 record per document."""
    if published is not None and not valid_date(published):
        err.print(f"[red]error:[/] --published {published!r} is not a YYYY-MM-DD date")
        raise typer.Exit(2)
    try:
        options = Options(model=model, aliases=tuple(str(a) for a in aliases),
                          publishers=load_publishers(publishers) if publishers else {})
        extractor = Extractor(options)
    except ValueError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2)
    out = output.open("w", encoding="utf-8") if output else sys.stdout
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
            results = iter(extract_each([i for i in items if not isinstance(i, ReadError)], extractor))
            for item in items:
                if isinstance(item, ReadError):
                    counts["errors"] += 1
                    err.print(f"[red]error:[/] {item}", markup=True, highlight=False)
                    continue
                record = next(results)
                if isinstance(record, Exception):   # one bad document must not stop the batch
                    counts["errors"] += 1
                    err.print(f"[red]error:[/] {item.source or item.id}: extraction failed: "
                              f"{type(record).__name__}: {record}", highlight=False)
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
        for item in read_paths(paths, published=published, skip=[str(output)] if output else []):
            chunk.append(item)
            if len(chunk) >= BATCH:
                extract_chunk(chunk)
                chunk = []
        extract_chunk(chunk)
    if group:
        records = [r for r, _ in held]
        with err.status(f"grouping the figures of {len(records):,} documents…"), _interrupted(counts, group, output):
            assign_groups(records, [t for _, t in held])
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    if output:
        out.close()
    seconds = time.perf_counter() - started
    err.print(f"{counts['documents']} documents, {counts['figures']} figures, {counts['quotes']} quotes, "
              f"{plural(counts['errors'], 'error')}, {seconds:.1f} s", highlight=False)
    if counts["errors"]:
        raise typer.Exit(1)


@contextmanager
def _interrupted(counts: dict, group: bool, output: Path | None):
    """Ctrl-C ends the run with one line saying what was written."""
    try:
        yield
    except KeyboardInterrupt:
        where = f" to {output}" if output else ""
        kept = (f"nothing written{where} (with grouping, records are written once all are read; --no-group "
                "streams them)" if group else f"{plural(counts['documents'], 'record')} written{where}")
        err.print(f"\ninterrupted after {plural(counts['documents'], 'document')}: {kept}", highlight=False)
        raise typer.Exit(130)


# the ledger commands
app.command("ingest")(ingest_command)
app.command("figures")(figures_command)
app.command("groups")(groups_command)
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
