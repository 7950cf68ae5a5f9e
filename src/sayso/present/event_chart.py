"""The estimates of one event over time, as inline SVG drawn here (no chart library, no script):
each estimate a point at the date it was first stated and its value, coloured by its origin, on a
logarithmic scale where the values span orders of magnitude. Used by the workbench's event page
and the HTML dossier; every label is escaped."""
from __future__ import annotations

import math
from collections import Counter
from datetime import date
from html import escape
from typing import Sequence

from markupsafe import Markup


ORIGIN_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
                  "#7f7f7f", "#bcbd22")
LOG_SPAN = 20     # values whose largest is this many times the smallest are drawn on a log scale


def origin_colours(estimates: Sequence[dict]) -> dict[str, str]:
    """A colour for each origin (an estimate's first origin), in the order they first stated."""
    names = list(dict.fromkeys(_origin(e) for e in estimates))
    return {n: ORIGIN_COLOURS[i % len(ORIGIN_COLOURS)] for i, n in enumerate(names)}


def _origin(e: dict) -> str:
    return (e.get("origins") or e.get("first_by") or ["(unknown)"])[0]


def _day(text: str | None) -> int | None:
    try:
        return date.fromisoformat((text or "")[:10]).toordinal()
    except ValueError:
        return None


def value_scale(values: Sequence[float], top: float, bottom: float) -> tuple:
    """(y of a value, tick values, whether logarithmic): log where the values span more than
    ``LOG_SPAN`` times (and are all above zero), else linear from zero."""
    lo, hi = min(values), max(values)
    log = lo > 0 and hi / lo >= LOG_SPAN
    if log:
        a, b = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
        b = b if b > a else a + 1
        ticks = [10 ** k for k in range(a, b + 1)]
        return (lambda v: bottom - (bottom - top) * (math.log10(max(v, 10 ** a)) - a) / (b - a)), ticks, True
    hi = hi or 1
    ticks = [hi * i / 4 for i in range(5)]
    return (lambda v: bottom - (bottom - top) * v / hi), ticks, False


def event_chart_svg(estimates: Sequence[dict], width: int = 960, height: int = 320) -> Markup:
    """An event's estimates over time: each a point at the date it was first stated (x) and its
    value (y; a bar from low to high for a range), coloured by its origin, on a log scale where
    the values span orders of magnitude. Estimates with no date, and those of another kind than most
    (a share restating a count of the event), are left out (the table lists them)."""
    kinds = Counter(e.get("kind") for e in estimates)
    main = kinds.most_common(1)[0][0] if kinds else None
    points = [(e, _day(e.get("first_stated"))) for e in estimates if e.get("kind") == main]
    points = [(e, d) for e, d in points if d is not None and (e.get("low") is not None or e.get("high") is not None)]
    label = "estimates of this event by the date first stated"
    if not points:
        return Markup(f'<svg viewBox="0 0 {width} 60" width="{width}" height="60" role="img" aria-label="{label}">'
                      f'<text x="20" y="35">No dated estimate.</text></svg>')
    left, right, head, foot = 80, 20, 16, 40
    values = [v for e, _ in points for v in (e.get("low"), e.get("high")) if v is not None]
    y_of, ticks, log = value_scale(values, head, height - foot)
    first, last = min(d for _, d in points), max(d for _, d in points)
    span = max(last - first, 1)
    pad = span * 0.05 if last > first else 1
    x_of = lambda d: left + (width - left - right) * (d - first + pad) / (span + 2 * pad)  # noqa: E731
    colours = origin_colours([e for e, _ in points])
    out = [f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{label}" '
           f'class="event-chart" data-scale="{"log" if log else "linear"}">',
           f'<line x1="{left}" y1="{height - foot}" x2="{width - right}" y2="{height - foot}" stroke="#999"/>']
    for v in ticks:
        y = y_of(v)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#eee"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_number(v)}</text>')
    days = sorted({d for _, d in points})
    every = max(1, len(days) // 8)
    for d in days[::every]:
        out.append(f'<text x="{x_of(d):.1f}" y="{height - foot + 16}" text-anchor="middle">'
                   f'{date.fromordinal(d).isoformat()}</text>')
    if log:
        out.append(f'<text x="{left}" y="{head - 4}" class="dim">log scale</text>')
    for e, d in points:
        x, c = x_of(d), colours[_origin(e)]
        low, high = e.get("low"), e.get("high")
        low, high = (low if low is not None else high), (high if high is not None else low)
        tip = escape(f"{e.get('text') or _number(low)} — {', '.join(e.get('origins') or [])} "
                     f"(first stated {e.get('first_stated')})")
        if high != low:
            out.append(f'<line x1="{x:.1f}" y1="{y_of(low):.1f}" x2="{x:.1f}" y2="{y_of(high):.1f}" stroke="{c}" '
                       f'stroke-width="3"/>')
        out.append(f'<circle cx="{x:.1f}" cy="{y_of(high):.1f}" r="6" fill="{c}" class="estimate">'
                   f'<title>{tip}</title></circle>')
    out.append("</svg>")
    return Markup("".join(out))


def _number(v: float) -> str:
    return f"{v:,.0f}" if v >= 10 or float(v).is_integer() else f"{v:,.2g}"
