"""A document's text cut into runs for the Document page: each run with the figures, quotes and
source mentions that cover it, so a template can highlight them (the text itself stays plain and
is escaped when rendered)."""
from __future__ import annotations

from typing import Sequence


def annotations(text: str, figures: Sequence[dict], quotes: Sequence[dict]) -> list[dict]:
    """``{"start", "end", "kind", ...}`` for every figure, quote and source mention found in its
    figure's sentence (the mention is stored as written, not its offsets: its first occurrence
    in the sentence is marked)."""
    out = [{"start": f["start"], "end": f["end"], "kind": "fig", "figure_id": f["figure_id"],
            "category": f["category"]} for f in figures]
    out += [{"start": q["start"], "end": q["end"], "kind": "quote", "speaker": q.get("speaker")} for q in quotes]
    for f in figures:
        for s in f["sources"]:
            mention = s.get("text") or s["name"]
            at = text.find(mention, f["sentence_start"], f["sentence_end"]) if mention else -1
            if at >= 0:
                out.append({"start": at, "end": at + len(mention), "kind": "source", "role": s["role"],
                            "name": s["name"]})
    return [a for a in out if 0 <= a["start"] < a["end"] <= len(text)]


def runs(text: str, figures: Sequence[dict], quotes: Sequence[dict]) -> list[dict]:
    """The text in consecutive runs ``{"text", "classes", "figure_id", "first", "title"}``:
    ``classes`` names what covers the run (``fig cat-killed``, ``quote``, ``src role-source``),
    ``figure_id`` the figure in it (the innermost), ``first`` whether the run opens that figure."""
    marks = annotations(text, figures, quotes)
    cuts = sorted({0, len(text), *(a["start"] for a in marks), *(a["end"] for a in marks)})
    out: list[dict] = []
    opened: set[int] = set()
    for a, b in zip(cuts, cuts[1:]):
        over = [m for m in marks if m["start"] <= a and b <= m["end"]]
        classes, titles, fig = [], [], None
        for m in sorted(over, key=lambda m: -(m["end"] - m["start"])):
            if m["kind"] == "fig":
                classes += ["fig", f"cat-{m['category']}"]
                fig = m["figure_id"]
            elif m["kind"] == "quote":
                classes.append("quote")
                titles.append(f"quote: {m['speaker'] or 'unknown speaker'}")
            else:
                classes += ["src", f"role-{m['role']}"]
                titles.append(f"{m['role']}: {m['name']}")
        key = " ".join(dict.fromkeys(classes))
        first = fig is not None and fig not in opened
        if fig is not None:
            opened.add(fig)
        if out and out[-1]["classes"] == key and out[-1]["figure_id"] == fig and not first:
            out[-1]["text"] += text[a:b]
        else:
            out.append({"text": text[a:b], "classes": key, "figure_id": fig, "first": first,
                        "title": "; ".join(titles)})
    return out
