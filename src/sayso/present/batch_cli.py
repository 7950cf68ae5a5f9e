"""``sayso batch``: the command line over ``sayso.batch.runner.run_batch``; ``cli.py`` registers it."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from sayso.present.terminal import error
from sayso.present.ledger_cli import (AliasesOption, MaxMemoryOption, MaxRatioOption, MaxSizeOption, ModelOption,
                                      PublishedOption, PublishersOption, TimeoutOption, _fail, budget_of, err,
                                      extraction_options, limits_of)


def batch_command(
    inputs: List[str] = typer.Argument(..., help="WARC, JSONL, text, HTML or PDF files, directories, or URIs "
                                                 "pyarrow reads (s3://bucket/crawl/, file:///data/...): one shard "
                                                 "a file"),
    out: str = typer.Option(..., "--out", help="output directory (a path or a URI): Parquet parts and summary.json"),
    address: Optional[str] = typer.Option(None, envvar="RAY_ADDRESS",
                                          help="join this Ray cluster (auto, head:6379, ray://head:10001); "
                                               "default: a local Ray of its own"),
    workers: Optional[int] = typer.Option(None, min=1, help="extraction workers (default: one per CPU)"),
    published: Optional[str] = PublishedOption,
    aliases: List[Path] = AliasesOption,
    publishers: Optional[Path] = PublishersOption,
    model: str = ModelOption,
    max_size: float = MaxSizeOption,
    max_ratio: int = MaxRatioOption,
    timeout: float = TimeoutOption,
    max_memory: float = MaxMemoryOption,
) -> None:
    """Extract many shards on Ray Data, as `sayso extract --no-group` would, into Parquet; a rerun
    skips the shards already finished."""
    from sayso.batch.runner import BatchError, run_batch

    options = extraction_options(published, aliases, publishers, model)
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed} shards"),
                  TimeElapsedColumn(), console=err, disable=not err.is_terminal, transient=True) as bar:
        task = bar.add_task("extracting", total=None)

        def report(info: dict) -> None:
            if not info.get("fatal"):
                for message in info["errors"]:
                    err.print(error(message))
            bar.advance(task)

        try:
            summary = run_batch(inputs, out, address=address, workers=workers, published=published,
                                options=options, report=report, budget=budget_of(timeout, max_memory),
                                limits=limits_of(max_size, max_ratio))
        except BatchError as exc:
            _fail(exc)
    if summary["fatal"]:
        _fail(summary["fatal"])
    shards = summary["shards"]
    err.print(f"{shards['done']} shards done, {shards['skipped']} skipped as finished before, {shards['failed']} failed; "
              f"{summary['documents']} documents, {summary['figures']} figures, {summary['quotes']} quotes in the "
              f"output; {len(summary['errors'])} error{'' if len(summary['errors']) == 1 else 's'}, {summary['seconds']:.1f} s, {summary['workers']} workers; "
              f"summary in {escape(summary['path'])}")
    if summary["errors"]:
        raise typer.Exit(1)
