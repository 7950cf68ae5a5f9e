"""Inline SVG charts of the workbench, drawn on the server (no chart library, no script). Every
label is escaped. The timeline and the source graph are the dossier's (``sayso.present.dossier``)."""
from __future__ import annotations

from collections import defaultdict
from html import escape
from typing import Sequence

from markupsafe import Markup

from sayso.present.dossier import OTHER, PALETTE

MAX_MONTHS = 48   # beyond this many months, bars are years


def colour(category: str) -> str:
    return PALETTE.get(category, OTHER)


def bucket(month: str, by_year: bool) -> str:
    return month[:4] if by_year else month


def category_chart_svg(rows: Sequence[dict], width: int = 960, height: int = 300) -> Markup:
    """Stacked bars: how many figures of each category are about each month (each year when the
    span is longer than :data:`MAX_MONTHS` months). ``rows``: ``{"category", "month", "figures"}``."""
    if not rows:
        return Markup(f'<svg viewBox="0 0 {width} 60" width="{width}" height="60" role="img" '
                      f'aria-label="figures by category over time"><text x="20" y="35">No dated figure yet.</text></svg>')
    months = sorted({r["month"] for r in rows})
    by_year = _month_span(months[0], months[-1]) > MAX_MONTHS
    stacks: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        stacks[bucket(r["month"], by_year)][r["category"]] += r["figures"]
    keys = _all_buckets(months[0], months[-1], by_year)
    categories = sorted({r["category"] for r in rows})
    top = max(sum(s.values()) for s in stacks.values()) or 1
    left, right, head, foot = 60, 10, 10, 40
    plot_w, plot_h = width - left - right, height - head - foot
    step = plot_w / len(keys)
    out = [f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
           f'aria-label="figures by category over time">',
           f'<line x1="{left}" y1="{head + plot_h}" x2="{left + plot_w}" y2="{head + plot_h}" stroke="#999"/>']
    for i in range(5):
        v = top * i / 4
        y = head + plot_h - plot_h * i / 4
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#eee"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{round(v):,}</text>')
    label_every = max(1, len(keys) // 12)
    for i, key in enumerate(keys):
        x = left + i * step
        y = head + plot_h
        for cat in categories:
            n = stacks.get(key, {}).get(cat, 0)
            if not n:
                continue
            h = plot_h * n / top
            y -= h
            out.append(f'<rect x="{x + step * 0.1:.1f}" y="{y:.1f}" width="{max(step * 0.8, 1):.1f}" height="{h:.1f}" '
                       f'fill="{colour(cat)}"><title>{escape(key)} · {escape(cat)}: {n:,} figures</title></rect>')
        if i % label_every == 0:
            out.append(f'<text x="{x + step / 2:.1f}" y="{head + plot_h + 16}" text-anchor="middle">{escape(key)}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def _month_span(a: str, b: str) -> int:
    """Months from ``a`` to ``b`` (``YYYY-MM``), both counted; 0 where one is a bare year."""
    if len(a) < 7 or len(b) < 7:
        return 0
    return (int(b[:4]) - int(a[:4])) * 12 + int(b[5:7]) - int(a[5:7]) + 1


def _all_buckets(first: str, last: str, by_year: bool) -> list[str]:
    """Every month (or year) from ``first`` to ``last``, gaps included."""
    if by_year or len(first) < 7 or len(last) < 7:
        return [str(y) for y in range(int(first[:4]), int(last[:4]) + 1)]
    out, y, m = [], int(first[:4]), int(first[5:7])
    while (y, m) <= (int(last[:4]), int(last[5:7])):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out

