"""The HTML dossier of ``sayso export --format html``: one self-contained file that works offline.

No CDN, no external file, no script: CSS is inline, the timeline is inline SVG drawn here, who
cites whom a table, and a Content-Security-Policy forbids scripts and remote loads. Every piece of document text
(sentences, names, titles) is hostile input: the Jinja2 template escapes all of it (autoescape), and
the SVG drawn here escapes each text it writes.

It leads with the events the figures belong to (``Ledger.events``): each event's estimates over
time by origin (``sayso.present.event_chart``) and, per estimate, when it was first stated, its
origins, who confirmed and who disputed it.

Per group (figures sharing ``group_id``; each figure on its own where the ledger holds no group):
the quantity, its values with their documents and sources, the number of independent sources
(its distinct origins, ``sayso.link.origins.parties``: confirmers and disputers are not counted),
and the evidence
sentences with the number marked. Groups with more than one value come first.
"""
from __future__ import annotations

import datetime as _dt
import math
from collections import defaultdict
from html import escape
from pathlib import Path
from typing import Sequence

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from sayso.link.origins import parties
from sayso.present.event_chart import event_chart_svg, origin_colours
from sayso.present.render import value_text
from sayso.store import queries

TEMPLATES = Path(__file__).parent / "templates"
PALETTE = {"killed": "#c0392b", "executed": "#8e44ad", "sentenced": "#9b59b6", "arrested": "#d68910",
           "imprisoned": "#b7950b", "injured": "#e74c3c", "tortured": "#922b21", "disappeared": "#17a589",
           "displaced": "#2e86c1", "protest": "#229954"}
OTHER = "#7f8c8d"


def write_html(ledger, rows: Sequence[dict], path: Path | str, title: str = "sayso dossier",
               as_extracted: bool = False) -> int:
    """Write the dossier of ``rows`` (``Ledger.figures`` rows, of the reviewed ledger unless
    ``as_extracted``) to ``path`` (``-``: standard output), led by the events of those rows;
    returns the figures in it."""
    with ledger.engine.connect() as conn:
        titles = {d["id"]: d["title"] for d in queries.document_rows(conn, (r["document_id"] for r in rows))}
    rows = [{**r, "title": r.get("title") or titles.get(r["document_id"])} for r in rows]
    events = ledger.conflict_numbers()
    rows = [{**r, "event_conflict": events.get(r["figure_id"])} for r in rows]
    wanted = {r["event_id"] for r in rows if r.get("event_id")}
    html = render_html(rows, title=title,
                       events=[e for e in ledger.events(as_extracted) if e["id"] in wanted] if wanted else [])
    if str(path) == "-":                           # standard output
        import sys
        sys.stdout.write(html)
    else:
        Path(path).write_text(html, encoding="utf-8")
    return len(rows)


def render_html(rows: Sequence[dict], title: str = "sayso dossier", events: Sequence[dict] = ()) -> str:
    """The dossier's HTML: ``events`` (``Ledger.events`` rows) first, each with its chart."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True,
                      default_for_string=True, enabled_extensions=("html", "j2")))
    units = build_units(rows)
    names = {s["name"] for r in rows for s in r["sources"]}
    categories = sorted({r["category"] for r in rows})
    try:
        from importlib.metadata import version
        sayso_version = version("sayso")
    except Exception:  # not installed as a distribution
        sayso_version = ""
    return env.get_template("dossier.html.j2").render(
        title=title, version=sayso_version, units=units, grouped=any(r["group_id"] for r in rows),
        generated=_dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        counts={"figures": len(rows), "documents": len({r["document_id"] for r in rows}), "units": len(units),
                "conflicts": sum(1 for u in units if u["conflict"] or u["conflicts_with"]), "sources": len(names)},
        timeline=timeline_svg(rows), citations=citation_rows(graph_edges(rows)),
        legend=[(c, PALETTE.get(c, OTHER)) for c in categories],
        events=[{**e, "chart": event_chart_svg(e["estimates"]), "colours": origin_colours(e["estimates"])}
                for e in events],
    )


# --- groups --------------------------------------------------------------------------------------

def _voice(r: dict) -> str:
    return r.get("publisher") or r.get("site") or "(unknown publisher)"


def _doc_label(r: dict) -> str:
    return str(r["document_key"] or r["document_id"])


def _time(r: dict) -> str:
    t = r["time_text"] or ""
    if r["time_start"]:
        span = r["time_start"] if r["time_end"] in (None, r["time_start"]) else f"{r['time_start']} – {r['time_end']}"
        t = f"{t} ({span})" if t else span
    return t


def evidence(r: dict) -> dict:
    """The figure's sentence cut around its number: ``before``, ``number``, ``after`` (plain text,
    escaped by the template)."""
    sentence, s0 = r["sentence"] or "", r["sentence_start"]
    a, b = r["start"] - s0, r["end"] - s0
    if 0 <= a <= b <= len(sentence) and sentence[a:b] == r["text"]:
        before, number, after = sentence[:a], sentence[a:b], sentence[b:]
    else:   # offsets that do not fall in the sentence: the sentence, then the figure
        before, number, after = sentence + " ", r["text"], ""
    return {"before": before, "number": number, "after": after, "fig": r["fig"], "document": _doc_label(r),
            "title": r.get("title"), "published": r["published"], "site": r.get("site")}


def build_units(rows: Sequence[dict]) -> list[dict]:
    """One entry per group (or per figure without one), conflicts first, then the most stated:
    ``conflict`` where its own figures state different values, ``conflicts_with`` the other
    entries estimating the same event differently (rows' ``event_conflict``, the ledger's
    conflicts)."""
    by_unit: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_unit[f"g:{r['group_id']}" if r["group_id"] else f"f:{r['figure_id']}"].append(r)
    units = []
    for key, figs in by_unit.items():
        values: dict[str, dict] = {}
        for r in figs:
            v = values.setdefault(value_text(r) or r["text"], {"value": value_text(r) or r["text"],
                                                               "sort": r["low"] if r["low"] is not None else r["high"] or 0,
                                                               "documents": [], "sources": [], "_seen": set()})
            if _doc_label(r) not in v["documents"]:
                v["documents"].append(_doc_label(r))
            cited = r["sources"] or [{"name": _voice(r), "role": "own_voice", "date": None}]
            for s in cited:
                if (s["name"], s["role"]) not in v["_seen"]:
                    v["_seen"].add((s["name"], s["role"]))
                    v["sources"].append({"name": s["name"], "role": s["role"], "date": s.get("date")})
        first = figs[0]
        label = first["counted"] or first["category"]
        ordered = sorted(values.values(), key=lambda v: v["sort"])
        for v in ordered:
            del v["_seen"], v["sort"]
        units.append({
            "anchor": key.replace(":", "-"), "group_id": first["group_id"], "label": label,
            "category": first["category"], "place": first["place"], "time": _time(first),
            "figures": figs, "n_documents": len({r["document_id"] for r in figs}),
            "n_independent": len(parties(((r["document_id"], r["sources"], _voice(r)) for r in figs),
                                         anonymous={r["document_id"] for r in figs
                                                    if not (r.get("publisher") or r.get("site"))})["origins"]), "stated": ordered, "conflict": len(values) > 1,
            "evidence": [evidence(r) for r in figs],
        })
    by_event: dict[int, list[dict]] = defaultdict(list)
    events_of: dict[str, set[int]] = {}
    for u in units:
        events_of[u["anchor"]] = {r["event_conflict"] for r in u["figures"] if r.get("event_conflict")}
        for n in sorted(events_of[u["anchor"]]):
            by_event[n].append(u)
    for u in units:
        others = {o["anchor"]: o for n in sorted(events_of[u["anchor"]]) for o in by_event[n]
                  if o["anchor"] != u["anchor"]}
        u["conflicts_with"] = [{"anchor": o["anchor"], "label": o["label"],
                                "stated": [v["value"] for v in o["stated"]]} for o in others.values()]
    units.sort(key=lambda u: (not (u["conflict"] or u["conflicts_with"]), -len(u["figures"])))
    return units


# --- the timeline --------------------------------------------------------------------------------

def _date(r: dict) -> _dt.date | None:
    for value in (r["time_start"], r["time_end"], r["published"]):
        if value:
            try:
                return _dt.date.fromisoformat(value[:10])
            except ValueError:
                continue
    return None


def timeline_svg(rows: Sequence[dict], width: int = 1000, height: int = 320) -> Markup:
    """Figures as dots: x their date, y log10 of their value, coloured by category."""
    points = []
    for r in rows:
        d = _date(r)
        value = r["low"] if r["low"] is not None else r["high"]
        if d is not None and value is not None and value > 0:
            points.append((d, float(value), r))
    right, top, bottom = 20, 20, 40
    if not points:
        return Markup(f'<svg viewBox="0 0 {width} 60" width="{width}" height="60" role="img" aria-label="timeline">'
                      f'<text x="20" y="35">No dated figure with a value.</text></svg>')
    d0 = min(p[0] for p in points).toordinal()
    d1 = max(p[0] for p in points).toordinal()
    if d1 == d0:
        d0, d1 = d0 - 15, d1 + 15
    e0 = math.floor(math.log10(min(p[1] for p in points)))
    e1 = math.ceil(math.log10(max(p[1] for p in points)))
    if e1 == e0:
        e1 += 1
    left = 14 + 7 * len(f"{10 ** e1:,}")          # room for the longest value label
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(d: _dt.date) -> float:
        return left + (d.toordinal() - d0) / (d1 - d0) * plot_w

    def y(v: float) -> float:
        return top + plot_h - (math.log10(v) - e0) / (e1 - e0) * plot_h

    out = [f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
           f'aria-label="timeline of figures by date">',
           f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#999"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#999"/>']
    for e in range(e0, e1 + 1):
        yy = y(10 ** e)
        out.append(f'<line x1="{left}" y1="{yy:.1f}" x2="{left + plot_w}" y2="{yy:.1f}" stroke="#eee"/>'
                   f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end">{10 ** e:,}</text>')
    ticks = 6
    for i in range(ticks + 1):
        d = _dt.date.fromordinal(round(d0 + (d1 - d0) * i / ticks))
        xx = x(d)
        anchor = "start" if i == 0 else "end" if i == ticks else "middle"     # the end labels stay inside
        out.append(f'<line x1="{xx:.1f}" y1="{top + plot_h}" x2="{xx:.1f}" y2="{top + plot_h + 5}" stroke="#999"/>'
                   f'<text x="{xx:.1f}" y="{top + plot_h + 18}" text-anchor="{anchor}">{d.isoformat()}</text>')
    for d, v, r in sorted(points, key=lambda p: -p[1]):
        label = (f"{r['text']} ({value_text(r)}) — {r['counted'] or r['category']}, {d.isoformat()}, "
                 f"{_doc_label(r)}; {'; '.join(s['name'] for s in r['sources']) or _voice(r)}")
        out.append(f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="5" fill="{PALETTE.get(r["category"], OTHER)}" '
                   f'fill-opacity="0.75" stroke="#fff"><title>{escape(label)}</title></circle>')
    out.append("</svg>")
    return Markup("".join(out))


# --- the graph -----------------------------------------------------------------------------------

def graph_edges(rows: Sequence[dict]) -> dict[tuple[str, str, str], int]:
    """``(a, b, role) -> figures``: on one figure, b confirms or disputes a (a stated it as source);
    and ``(publisher, a, "cites")`` where a document's publisher cites a as its source."""
    edges: dict[tuple[str, str, str], int] = defaultdict(int)
    for r in rows:
        originals = [s["name"] for s in r["sources"] if s["role"] == "source"]
        for s in r["sources"]:
            if s["role"] in ("confirms", "disputes"):
                for a in originals:
                    if a != s["name"]:
                        edges[(a, s["name"], s["role"])] += 1
        voice = r.get("publisher") or r.get("site")
        if voice:
            for a in originals:
                if a != voice:
                    edges[(voice, a, "cites")] += 1
    return dict(edges)


def citation_rows(edges: dict[tuple[str, str, str], int]) -> list[dict]:
    """Who cites whom as a table, one row per source: ``name``, and who ``confirmed_by``,
    ``disputed_by`` and ``cited_by`` (publishers citing it), each ``[(name, figures)]`` most first;
    ``figures`` the sum. Most cited first."""
    rows: dict[str, dict] = {}
    keys = {"confirms": "confirmed_by", "disputes": "disputed_by", "cites": "cited_by"}
    for (a, b, role), n in edges.items():
        name, other = (b, a) if role == "cites" else (a, b)
        row = rows.setdefault(name, {"name": name, "confirmed_by": [], "disputed_by": [], "cited_by": [], "figures": 0})
        row[keys[role]].append((other, n))
        row["figures"] += n
    for row in rows.values():
        for key in keys.values():
            row[key].sort(key=lambda x: (-x[1], x[0]))
    return sorted(rows.values(), key=lambda r: (-r["figures"], r["name"]))
