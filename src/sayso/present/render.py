"""How ledger rows look: rich tables for a terminal, CSV and JSON for programs, a document's text
with its figures marked."""
from __future__ import annotations

import csv
import json
from typing import IO, Iterable, Sequence

from rich.table import Table
from rich.text import Text

from sayso.present.terminal import visible

FIGURE_COLUMNS = ("figure_id", "document_id", "document_key", "fig", "published", "site", "text", "kind", "low",
                  "high", "qualifier", "counted", "category", "time_text", "time_start", "time_end", "place",
                  "sources", "group_id", "review_state", "start", "end", "sentence")
GROUP_COLUMNS = ("id", "conflict", "conflicts_with", "category", "counted", "place", "time_text", "time_start",
                 "time_end", "min", "max", "values", "figures", "documents", "independent_sources", "originals",
                 "corroborations", "disputes")
SOURCE_COLUMNS = ("name", "figures", "documents", "source", "confirms", "disputes", "own_voice")
CATEGORY_STYLES = {"killed": "bold red", "executed": "bold magenta", "sentenced": "magenta",
                   "arrested": "bold yellow", "imprisoned": "yellow", "injured": "red", "tortured": "bold red",
                   "disappeared": "cyan", "displaced": "cyan", "protest": "bold green"}


def sources_text(sources: Iterable[dict]) -> str:
    """"Reuters (confirms, 2019-12-23); PMOI (source)" — a figure's sources in one cell."""
    return "; ".join(f"{s['name']} ({s['role']}{', ' + s['date'] if s.get('date') else ''})" for s in sources)


def value_text(row: dict) -> str:
    low, high = row["low"], row["high"]
    if low is not None and high is not None:
        approx = "~" if row.get("qualifier") == "approx" else ""
        return f"{approx}{low:,}" if low == high else f"{low:,}–{high:,}"
    if low is not None:
        return f"≥ {low:,}"
    return f"≤ {high:,}" if high is not None else ""


def _cells(*values) -> list[Text]:
    """Table cells from a document's fields: text as it is (never console markup), control
    characters made visible."""
    out = []
    for v in values:
        cell = v.copy() if isinstance(v, Text) else Text(str(v))
        cell.plain = visible(cell.plain)   # one for one: the styled spans stay where they were
        out.append(cell)
    return out


def figures_table(rows: Sequence[dict], title: str | None = None) -> Table:
    table = Table(title=title, show_lines=False, header_style="bold")
    for name, options in (("doc", {"justify": "right"}), ("fig", {}), ("published", {"no_wrap": True}),
                          ("site", {"overflow": "fold"}), ("text", {"overflow": "fold"}),
                          ("value", {"justify": "right"}), ("category", {}), ("counted", {"overflow": "fold"}),
                          ("time", {}), ("place", {}), ("sources", {"overflow": "fold"}), ("review", {})):
        table.add_column(name, **options)
    for r in rows:
        time = r["time_text"] or ""
        if r["time_start"]:
            time += f" ({r['time_start']}…{r['time_end']})" if r["time_end"] != r["time_start"] else f" ({r['time_start']})"
        table.add_row(*_cells(str(r["document_id"]), r["fig"], r.get("published") or "", r.get("site") or "", r["text"],
                              value_text(r), Text(r["category"], style=CATEGORY_STYLES.get(r["category"], "")),
                              r["counted"] or "", time.strip(), r["place"] or "",
                              sources_text(r["sources"]) or Text("own voice", style="dim"),
                              review_text(r.get("review_state"))))
    return table


REVIEW_STYLES = {"accepted": "green", "corrected": "yellow", "rejected": "red", "added": "blue"}


def review_text(state: str | None) -> Text:
    """A figure's review state for a table: ``unreviewed`` dim."""
    return Text(state or "unreviewed", style=REVIEW_STYLES.get(state, "dim"))


def sources_table(rows: Sequence[dict]) -> Table:
    table = Table(header_style="bold")
    table.add_column("name", overflow="fold")
    for name in SOURCE_COLUMNS[1:]:
        table.add_column(name.replace("_", " "), justify="right")
    for r in rows:
        table.add_row(*_cells(r["name"], *(str(r[c]) if r[c] else "" for c in SOURCE_COLUMNS[1:])))
    return table


def quantity_text(row: dict) -> str:
    """"killed · protesters · Iran · November 2019": what a group counts, where and when."""
    time = row.get("time_text") or ""
    if row.get("time_start"):
        span = row["time_start"] if row["time_end"] in (None, row["time_start"]) else f"{row['time_start']}…{row['time_end']}"
        time = f"{time} ({span})" if time else span
    return " · ".join(x for x in (row["category"], row["counted"], row["place"], time.strip()) if x)


def group_values_text(row: dict) -> str:
    """One line per value stated: "1,500 (2 docs: PMOI, Reuters)"."""
    lines = []
    for v in row["values"]:
        docs = len(v["documents"])
        lines.append(f"{' / '.join(v['texts'])} ({docs} doc{'s' if docs != 1 else ''}: {', '.join(v['sources'])})")
    return "\n".join(lines)


def group_csv_rows(rows: Sequence[dict]) -> list[dict]:
    """Groups flattened for CSV: lists joined with "; ", documents as their ids."""
    out = []
    for r in rows:
        flat = dict(r)
        flat["values"] = "; ".join(" / ".join(v["texts"]) for v in r["values"])
        flat["documents"] = "; ".join(str(d["key"]) for d in r["documents"])
        for key in ("conflicts_with", "originals", "corroborations", "disputes"):
            flat[key] = "; ".join(r[key])
        out.append(flat)
    return out


def groups_table(rows: Sequence[dict]) -> Table:
    table = Table(header_style="bold", show_lines=True)
    table.add_column("", no_wrap=True)
    table.add_column("group", no_wrap=True)
    table.add_column("quantity", overflow="fold")
    table.add_column("values", overflow="fold")
    table.add_column("docs", justify="right")
    table.add_column("independent sources", overflow="fold")
    table.add_column("corroborated by", overflow="fold")
    for r in rows:
        marker = Text(f"⚠ conflict {r['conflict']}", style="bold red") if r["conflict"] is not None else Text("")
        if r["conflicts_with"]:
            marker.append("\nvs " + ", ".join(r["conflicts_with"]), style="red")
        span = f"{r['min']:,}" if r["min"] == r["max"] else f"{r['min']:,}–{r['max']:,}" if r["min"] is not None else ""
        values = Text(span, style="bold")
        values.append("\n" + group_values_text(r))
        table.add_row(marker, *_cells(r["id"], Text(quantity_text(r), style=CATEGORY_STYLES.get(r["category"], "")),
                                      values, str(len(r["documents"])),
                                      f"{r['independent_sources']}: " + "; ".join(r["originals"]),
                                      "; ".join(r["corroborations"])))
    return table


EVENT_COLUMNS = ("event", "category", "counted", "place", "time_start", "time_end", "documents", "group", "low",
                 "high", "qualifier", "text", "first_stated", "first_by", "origins", "independent", "repeated_by",
                 "confirmed_by", "disputed_by", "figures")


def event_csv_rows(events: Sequence[dict]) -> list[dict]:
    """One row per estimate of each event, lists joined with "; "."""
    out = []
    for e in events:
        for est in e["estimates"]:
            row = {"event": e["id"], "category": e["category"], "counted": e["counted"], "place": e["place"],
                   "time_start": e["time"]["start"], "time_end": e["time"]["end"], "documents": e["documents"]}
            row.update({k: "; ".join(v) if isinstance(v, list) else v for k, v in est.items()})
            out.append(row)
    return out


def estimate_text(est: dict) -> str:
    """"at least 1,500 (first stated 2019-12-15)": an estimate's value and date."""
    return f"{est['text']} ({est['first_stated'] or 'undated'})"


def events_table(events: Sequence[dict]) -> Table:
    table = Table(header_style="bold", show_lines=True)
    table.add_column("event", no_wrap=True)
    table.add_column("quantity", overflow="fold")
    table.add_column("docs", justify="right")
    table.add_column("estimates, first stated first", overflow="fold")
    for e in events:
        lines = Text()
        for i, est in enumerate(e["estimates"]):
            if i:
                lines.append("\n")
            lines.append(estimate_text(est), style="bold")
            lines.append(f" {est['independent']}: " + "; ".join(est["origins"]))
            if est["confirmed_by"]:
                lines.append(" · confirmed by " + "; ".join(est["confirmed_by"]), style="green")
            if est["disputed_by"]:
                lines.append(" · disputed by " + "; ".join(est["disputed_by"]), style="red")
        quantity = quantity_text({"category": e["category"], "counted": e["counted"], "place": e["place"],
                                  "time_text": None, "time_start": e["time"]["start"], "time_end": e["time"]["end"]})
        table.add_row(e["id"], Text(quantity, style=CATEGORY_STYLES.get(e["category"], "")), str(e["documents"]), lines)
    return table


def estimates_table(event: dict) -> Table:
    """One event's estimates in the order they were stated, with who stated, repeated, confirmed
    and disputed each."""
    table = Table(header_style="bold", show_lines=True)
    for name in ("first stated", "value", "first by", "origins", "repeated by", "confirmed by", "disputed by", "figures"):
        table.add_column(name, overflow="fold")
    for est in event["estimates"]:
        table.add_row(est["first_stated"] or "", Text(est["text"], style="bold"), "; ".join(est["first_by"]),
                      f"{est['independent']}: " + "; ".join(est["origins"]), str(est["repeated_by"]),
                      "; ".join(est["confirmed_by"]), "; ".join(est["disputed_by"]), ", ".join(est["figures"]))
    return table


def write_json(rows: Sequence[dict] | dict, out: IO[str]) -> None:
    """A JSON array, one row a line (or one object): valid JSON that greps well."""
    if isinstance(rows, dict):
        out.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    out.write("[" + ",\n ".join(json.dumps(r, ensure_ascii=False) for r in rows) + "]\n")


def write_csv(rows: Sequence[dict], columns: Sequence[str], out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow(["" if r.get(c) is None else sources_text(r[c]) if c == "sources" else r[c]
                         for c in columns])


def marked_text(text: str, figures: Sequence[dict]) -> Text:
    """The document's text, each figure highlighted by category and labelled with its id."""
    out = Text()
    at = 0
    for f in _in_order(figures):
        out.append(text[at:f["start"]])
        out.append(text[f["start"]:f["end"]], style="reverse " + CATEGORY_STYLES.get(f["category"], "bold"))
        out.append(f"[{f['fig']}]", style="dim")
        at = f["end"]
    out.append(text[at:])
    return out


def marked_plain(text: str, figures: Sequence[dict]) -> str:
    """The document's text with each figure written ``[more than 1,500]{f3}``."""
    parts, at = [], 0
    for f in _in_order(figures):
        parts += [text[at:f["start"]], "[", text[f["start"]:f["end"]], "]{", f["fig"], "}"]
        at = f["end"]
    parts.append(text[at:])
    return "".join(parts)


def _in_order(figures: Sequence[dict]) -> list[dict]:
    """Figures by position, overlapping ones dropped (the first one wins)."""
    kept, end = [], -1
    for f in sorted(figures, key=lambda f: (f["start"], -f["end"])):
        if f["start"] >= end:
            kept.append(f)
            end = f["end"]
    return kept
