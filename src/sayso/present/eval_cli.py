"""``sayso gold`` and ``sayso eval``: the reviewed ledger as a gold set, and sayso measured against it.

``sayso gold OUT_DIR`` writes the reviewed documents in the format of ``../shared/eval/GUIDELINES.md``
(:func:`sayso.store.review.write_gold`). ``sayso eval GOLD_DIR`` runs sayso on the gold set's
``docs.jsonl`` (or reads ``--predicted`` records), groups the figures, and prints the referee's
metrics (:mod:`sayso.scoring`); with ``--db`` it first writes the ledger's reviews to GOLD_DIR.
``cli.py`` registers both.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from sayso.present.ledger_cli import DbOption, _fail, _open, err
from sayso.present.terminal import plain
from sayso.scoring import read_gold, read_jsonl, report_lines, score
from sayso.store.review import write_gold

PartialOption = typer.Option(False, "--partial", help="also documents only partly reviewed (their unreviewed "
                                                     "figures as sayso stated them)")


def gold_command(
    out_dir: Path = typer.Argument(..., help="the gold set folder to write"),
    db: str = DbOption,
    partial: bool = PartialOption,
) -> None:
    """Write the reviewed figures as a gold set (docs.jsonl, gold.jsonl, aliases.json, groups.json)."""
    with _open(db) as ledger:
        counts = write_gold(ledger, out_dir, partial=partial)
    err.print(plain(f"{counts['documents']} documents, {counts['figures']} figures written to {out_dir}"))
    if not counts["documents"]:
        err.print("[yellow]note:[/] no document is wholly reviewed" + (
            "" if partial else ": review every figure of a document (`sayso review --next`), or add --partial "
                               "to keep the unreviewed figures as sayso stated them"))


def extract_gold_docs(gold_dir: Path, model: str | None = None) -> list[dict]:
    """sayso's records for a gold set's ``docs.jsonl``, grouped across them as ``sayso extract`` does."""
    from sayso.ingest.readers import ReadError, read_paths
    from sayso.link.corpus import link_records
    from sayso.pipeline import Extractor, Options

    extractor = Extractor(Options(model=model) if model else Options())
    records, texts = [], []
    for item in read_paths([str(gold_dir / "docs.jsonl")]):
        if isinstance(item, ReadError):
            raise ValueError(str(item))
        records.append(extractor(item))
        texts.append(item.text)
    link_records(records, texts)
    return records


def eval_command(
    gold_dir: Path = typer.Argument(..., help="a gold set folder (GUIDELINES.md format)"),
    db: Optional[str] = typer.Option(None, "--db", help="first write this ledger's reviews to GOLD_DIR "
                                                         "(an SQLAlchemy URL or an SQLite file path)"),
    partial: bool = PartialOption,
    predicted: Optional[Path] = typer.Option(None, "--predicted", help="score these records (JSON Lines) "
                                                                       "instead of running sayso"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="also write sayso's records here"),
    model: Optional[str] = typer.Option(None, help="an installed spaCy pipeline"),
    as_json: bool = typer.Option(False, "--json", help="print the metrics as JSON"),
) -> None:
    """Measure sayso against a gold set (your own reviews) with the referee's metrics."""
    if db is not None:
        with _open(db) as ledger:
            counts = write_gold(ledger, gold_dir, partial=partial)
        err.print(plain(f"{counts['documents']} reviewed documents, {counts['figures']} figures written to {gold_dir}"))
    if not (gold_dir / "gold.jsonl").is_file() or not (gold_dir / "aliases.json").is_file():
        _fail(f"{gold_dir} is no gold set (it needs gold.jsonl and aliases.json)")
    gold, aliases, groups, events = read_gold(gold_dir)
    if predicted is not None:
        records = read_jsonl(predicted)
    else:
        try:
            records = extract_gold_docs(gold_dir, model)
        except (OSError, ValueError) as exc:
            _fail(exc)
        if output is not None:
            output.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    out = score(gold, records, aliases, groups, events)
    sys.stdout.write(json.dumps(out, indent=2) + "\n" if as_json else "\n".join(report_lines(out)) + "\n")
