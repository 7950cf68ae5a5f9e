"""The ``sayso`` command line: a thin layer over the library."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from sayso.ingest.readers import ReadError, read_paths
from sayso.pipeline import Extractor, Options, load_publishers

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="On whose say-so? Sourced, normalised figures from human-rights reporting.")
err = Console(stderr=True, soft_wrap=True)   # one error, one line, however long its path


@app.callback()
def _main() -> None:
    """sayso turns reports into a sourced ledger of figures."""


@app.command()
def extract(
    paths: List[str] = typer.Argument(..., help=".txt, .jsonl, .html files, directories, or - for stdin"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="write JSON Lines here instead of stdout"),
    published: Optional[str] = typer.Option(None, help="publication date (YYYY-MM-DD) for inputs that carry none"),
    aliases: List[Path] = typer.Option([], "--aliases", help="extra alias file(s): {\"Canonical\": [\"alias\", ...]}"),
    publishers: Optional[Path] = typer.Option(None, "--publishers", help="site -> publisher mapping (JSON)"),
    model: str = typer.Option(Options.model, help="an installed spaCy pipeline"),
) -> None:
    """Extract figures, their sources and quotes: one sayso.document/1 record per document."""
    if published is not None and not _is_date(published):
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
    started = time.perf_counter()
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed} docs"),
                  TimeElapsedColumn(), console=err, disable=not err.is_terminal, transient=True) as bar:
        task = bar.add_task("extracting", total=None)
        for item in read_paths(paths, published=published, skip=[str(output)] if output else []):
            if isinstance(item, ReadError):
                counts["errors"] += 1
                err.print(f"[red]error:[/] {item}", markup=True, highlight=False)
                continue
            try:
                record = extractor(item)
            except Exception as exc:  # one bad document must not stop the batch
                counts["errors"] += 1
                err.print(f"[red]error:[/] {item.source or item.id}: extraction failed: {type(exc).__name__}: {exc}",
                          highlight=False)
                continue
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            counts["documents"] += 1
            counts["figures"] += len(record["figures"])
            counts["quotes"] += len(record["quotes"])
            bar.advance(task)
    if output:
        out.close()
    seconds = time.perf_counter() - started
    err.print(f"{counts['documents']} documents, {counts['figures']} figures, {counts['quotes']} quotes, "
              f"{counts['errors']} errors, {seconds:.1f} s", highlight=False)
    if counts["errors"]:
        raise typer.Exit(1)


def _is_date(value: str) -> bool:
    from datetime import date
    try:
        date.fromisoformat(value)
        return len(value) == 10
    except ValueError:
        return False


def main() -> None:
    app()
