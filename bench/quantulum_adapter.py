"""quantulum3 as a baseline peer: its quantities rewritten as `sayso.document/1` records.

What it measures: nothing by itself. It runs quantulum3's `parser.parse(text)` (the rule-based
quantity extractor; its optional scikit-learn classifier is not used, so this works offline)
on each input document and maps every quantity to a sayso figure, so the referee scorer
(../shared/eval/score.py) can score quantulum3 exactly as it scores `sayso extract`.
`bench/accuracy.py` uses it for the "quantulum3" column.

Mapping, deliberately faithful (no sayso-specific filtering or heuristics added):
  * span      quantity.span, checked against the text (`text[start:end] == quantity.surface`);
              where quantulum's span is off (it parses a cleaned copy of the text), the surface
              is searched for near the reported offsets, and the quantity is dropped if absent.
  * value     low = high = quantity.value
  * kind      "percent" for the unit `percentage`, "money" when the unit's entity is
              `currency`, else "count"
  * qualifier "exact";  category "other";  time null;  place null;  sources []
  * counted   the unit's name, or null for quantulum's `dimensionless`
  * sentence  the span itself (quantulum has no sentence segmentation)
  * dropped   quantities whose unit is a time unit (entity `time`: second, minute, hour, day,
              week, month, year, decade, century, ...). Nothing else is dropped.

Usage:
    .venv/bin/python bench/quantulum_adapter.py DOCS.jsonl|FILE.txt|DIR ... -o OUT.jsonl
    .venv/bin/python bench/quantulum_adapter.py ../shared/eval/dev/docs.jsonl --stats

A JSONL input holds records like `{"id", "text", "published", "url", "title"}` (the gold-set
docs.jsonl format); a .txt file is one document (id = file stem). Without `-o` the records go
to stdout. `--stats` prints a small table (documents, quantities seen, dropped, figures kept,
span fix-ups) to stderr; `--json` prints the same stats as JSON to stderr.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import warnings
from pathlib import Path

TIME_ENTITY = "time"
TIME_UNITS = {"second", "minute", "hour", "day", "week", "month", "year", "decade", "century"}

_parser = None


def _quantulum():
    """Import quantulum3's parser once, silencing its 'classifier not installed' warning."""
    global _parser
    if _parser is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from quantulum3 import parser as qparser
        _parser = qparser
    return _parser


def is_time_unit(unit) -> bool:
    name = (getattr(unit, "name", "") or "").lower()
    entity = getattr(getattr(unit, "entity", None), "name", "") or ""
    return entity == TIME_ENTITY or name in TIME_UNITS or name.rstrip("s") in TIME_UNITS


def _fix_span(text: str, span, surface: str):
    """Return (start, end) such that text[start:end] == surface, or None.

    quantulum computes spans on a cleaned copy of the text and shifts them back; usually this
    is exact, but where it is not we look for the surface closest to the reported start.
    """
    start, end = span
    if 0 <= start <= end <= len(text) and text[start:end] == surface:
        return start, end, False
    if not surface:
        return None
    best = None
    i = text.find(surface)
    while i != -1:
        if best is None or abs(i - start) < abs(best - start):
            best = i
        i = text.find(surface, i + 1)
    if best is None:
        return None
    return best, best + len(surface), True


def _num(x):
    x = float(x)
    return int(x) if x.is_integer() and abs(x) < 2**53 else x


def figures_from_text(text: str, stats: dict | None = None) -> list[dict]:
    """quantulum3 quantities in `text` as sayso figure dicts (see module docstring)."""
    stats = stats if stats is not None else {}
    parser = _quantulum()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        quantities = parser.parse(text)
    figures = []
    for q in quantities:
        stats["quantities"] = stats.get("quantities", 0) + 1
        unit = q.unit
        if is_time_unit(unit):
            stats["dropped_time_unit"] = stats.get("dropped_time_unit", 0) + 1
            continue
        try:
            value = float(q.value)
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value):
            stats["dropped_bad_value"] = stats.get("dropped_bad_value", 0) + 1
            continue
        fixed = _fix_span(text, q.span, q.surface)
        if fixed is None:
            stats["dropped_bad_span"] = stats.get("dropped_bad_span", 0) + 1
            continue
        start, end, moved = fixed
        if moved:
            stats["span_fixups"] = stats.get("span_fixups", 0) + 1
        unit_name = getattr(unit, "name", None)
        entity = getattr(getattr(unit, "entity", None), "name", None)
        if unit_name == "percentage":
            kind = "percent"
        elif entity == "currency":
            kind = "money"
        else:
            kind = "count"
        counted = None if unit_name in (None, "", "dimensionless") else unit_name
        v = _num(value)
        figures.append({
            "id": f"f{len(figures) + 1}",
            "start": start,
            "end": end,
            "text": text[start:end],
            "kind": kind,
            "value": {"low": v, "high": v},
            "qualifier": "exact",
            "counted": counted,
            "category": "other",
            "time": None,
            "place": None,
            "sources": [],
            "sentence": {"start": start, "end": end},
        })
    stats["figures"] = stats.get("figures", 0) + len(figures)
    return figures


def record(text: str, doc_id: str, source=None, title=None, published=None,
           stats: dict | None = None) -> dict:
    """A full `sayso.document/1` record for one document."""
    return {
        "schema": "sayso.document/1",
        "document": {
            "id": doc_id,
            "source": source,
            "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "title": title,
            "published": published,
            "site": None,
            "publisher": None,
            "language": "en",
        },
        "figures": figures_from_text(text, stats),
        "quotes": [],
    }


def iter_inputs(paths):
    """Yield (text, id, source, title, published) for .jsonl / .txt files and directories."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from iter_inputs(sorted(x for x in p.rglob("*") if x.suffix in (".txt", ".jsonl")))
        elif p.suffix == ".jsonl":
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                r = json.loads(line)
                text = r["text"]
                doc_id = r.get("id") or hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
                yield text, str(doc_id), r.get("url") or f"{p}:{n}", r.get("title"), r.get("published")
        else:
            text = p.read_text(encoding="utf-8")
            yield text, p.stem, str(p), None, None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+", help=".jsonl, .txt files or directories")
    ap.add_argument("-o", "--output", help="output JSONL (default stdout)")
    ap.add_argument("--stats", action="store_true", help="print a stats table to stderr")
    ap.add_argument("--json", action="store_true", help="print the stats as JSON to stderr")
    args = ap.parse_args(argv)

    stats = {"documents": 0, "quantities": 0, "dropped_time_unit": 0, "dropped_bad_value": 0,
             "dropped_bad_span": 0, "span_fixups": 0, "figures": 0}
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        for text, doc_id, source, title, published in iter_inputs(args.paths):
            stats["documents"] += 1
            rec = record(text, doc_id, source, title, published, stats)
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    if args.json:
        print(json.dumps(stats, indent=2), file=sys.stderr)
    elif args.stats:
        for k, v in stats.items():
            print(f"{k:20} {v:>7}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
