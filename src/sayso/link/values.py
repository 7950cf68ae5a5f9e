"""Values: when two figures' numbers can state one quantity (rounding, bounds, ranges, vague
quantities), how precisely a figure is stated, and the window of values a matching figure may have."""
from __future__ import annotations

import math
from decimal import Decimal

from sayso.link.lexicon import HEDGED, vocabulary


def precision(x: float) -> float:
    """The place of the last significant digit: 7000 -> 1000, 6700 -> 100, 80.1 -> 0.1."""
    if x == 0 or not math.isfinite(x):
        return 1.0
    if x != int(x):   # the exponent of its shortest decimal form: 0.00001 is 1e-05, not "0.00001"
        return 10.0 ** Decimal(repr(float(x))).normalize().as_tuple().exponent
    n, p = int(abs(x)), 1
    while n % (p * 10) == 0:
        p *= 10
    return float(p)


def _round_to(x: float, step: float) -> float:
    return math.floor(x / step + 0.5) * step


def _decimals(x: float) -> int:
    p = precision(x)
    return max(0, -int(round(math.log10(p)))) if p < 1 else 0


def anchor(f: dict) -> float | None:
    v = f.get("value") or {}
    q = f.get("qualifier")
    if q == "at_most":
        return v.get("high")
    return v.get("low") if v.get("low") is not None else v.get("high")


def values_compatible(a: dict, b: dict) -> tuple[bool, str]:
    """Whether the values of two figures can state one quantity, with the reason."""
    ok, why, _ = value_match(a, b)
    return ok, why


def value_match(a: dict, b: dict) -> tuple[bool, str, int]:
    """(compatible, reason, looseness): looseness 0 where the numbers are equal (or equal once
    rounded to decimals), 1 where a hedged number rounds to the other, a range holds the other
    (hedged: a range and an unhedged number inside it are a span and one case of it) or two vague
    quantities are the same word, 2 where a vague quantity covers a number."""
    tol = vocabulary()["values"]["max_relative_difference"]
    span = vocabulary()["values"]["vague_span"]
    qa, qb = a.get("qualifier") or "exact", b.get("qualifier") or "exact"
    va, vb = a.get("value") or {}, b.get("value") or {}
    if qb == "vague" and qa != "vague" or qb == "range" and qa not in ("range", "vague"):
        (a, qa, va), (b, qb, vb) = (b, qb, vb), (a, qa, va)
    if qa == "vague":
        lo = va.get("low")
        if lo is None:
            return False, "vague value without a low", 0
        if qb == "vague":
            ok = vb.get("low") == lo
            return ok, "the same vague quantity" if ok else "different vague quantities", 1
        hi = lo * span
        if qb == "range":
            ok = vb.get("low") is not None and vb.get("high") is not None and vb["low"] < hi and vb["high"] >= lo
            return ok, "a range within the vague quantity" if ok else "a range outside the vague quantity", 2
        x = anchor(b)
        if x is None:
            return False, "no value", 0
        ok = lo <= x < hi       # an upper bound too: "at most 1,600" is no "dozens"
        return ok, f"{x:g} {'within' if ok else 'outside'} the vague [{lo:g}, {hi:g})", 2
    if qa == "range":
        lo, hi = va.get("low"), va.get("high")
        if lo is None or hi is None:
            return False, "open range", 0
        if qb == "range":
            ok = vb.get("low") == lo and vb.get("high") == hi
            return ok, "the same range" if ok else "different ranges", 0
        if qb not in HEDGED:
            # "between 1,000 and 2,500 per person" and "paid 1,800": one case within the span,
            # not the span restated
            return False, "a range and an unhedged number", 0
        x = anchor(b)
        ok = x is not None and lo <= x <= hi
        return ok, f"{x} {'inside' if ok else 'outside'} the range {lo:g}-{hi:g}", 1
    x, y = anchor(a), anchor(b)
    if x is None or y is None:
        return False, "no value", 0
    if {qa, qb} == {"at_least", "at_most"}:
        if x == y:     # "at least 1,400" and "up to 1,400": two hedges on one number
            return True, f"a lower and an upper bound on one number ({x:g})", 1
        return False, "a lower bound and an upper bound", 0
    for q, bound, other, qo in ((qa, x, y, qb), (qb, y, x, qa)):
        if q == "at_least" and qo == "exact" and other < bound:
            return False, f"{other:g} is below 'at least {bound:g}'", 0
        if q == "at_most" and qo == "exact" and other > bound:
            return False, f"{other:g} is above 'at most {bound:g}'", 0
    if qa not in HEDGED and qb not in HEDGED or x == y:
        d = min(_decimals(x), _decimals(y))
        ok = round(x, d) == round(y, d)
        return ok, f"equal values ({x:g}, {y:g})" if ok else f"different values ({x:g}, {y:g})", 0
    # the rounder number stands for the finer one rounded at its precision: down for a lower
    # bound ("more than 112,000" holds 112,713), up for an upper bound, to the nearest otherwise
    (r, qr), (f, _) = sorted(((x, qa), (y, qb)), key=lambda t: -precision(t[0]))
    step = precision(r)
    rounded = {"at_least": math.floor(f / step) * step,
               "at_most": math.ceil(f / step) * step}.get(qr, _round_to(f, step))
    if rounded != r:
        return False, f"{f:g} does not round to {r:g} at the precision {step:g}", 0
    big = max(abs(x), abs(y))
    if big and abs(x - y) / big > tol:
        return False, f"{x:g} and {y:g} are more than {tol:.0%} apart", 0
    return True, f"{f:g} rounds to {r:g} at the precision {step:g}", 1


def significant_digits(f: dict) -> int:
    """How precisely a figure is stated: 738 -> 3, 6,700 -> 2, 100 -> 1; vague and ranges 0."""
    x = anchor(f)
    if x is None or f.get("qualifier") in ("vague", "range"):
        return 0
    return len(str(int(round(abs(x) / precision(x))))) if x else 1


def value_window(m) -> tuple[float, float] | None:
    """Values a compatible figure may have: used to compare only figures that can match."""
    f = m.figure
    v = f.get("value") or {}
    q = f.get("qualifier")
    tol = vocabulary()["values"]["max_relative_difference"]
    span = vocabulary()["values"]["vague_span"]
    if q == "vague" and v.get("low") is not None:
        return v["low"], v["low"] * span
    if q == "range" and v.get("low") is not None and v.get("high") is not None:
        return v["low"], v["high"]
    x = anchor(f)
    if x is None:
        return None
    x = abs(x)
    if q not in HEDGED:
        # two unhedged numbers match only when equal once rounded (80 and 80.4); a hedged one
        # reaches them through its own, wider window
        return x - 1, x + 1
    return x * (1 - tol) - 1e-9, x / (1 - tol) + 1e-9
