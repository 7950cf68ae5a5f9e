"""A small ledger for the workbench's tests, built from hand-made records (no language model):
two documents that agree on a death toll and one that disputes it (one event, two estimates), an arrest count, and a hostile
document whose text, title, URL, names and counted nouns are full of script tags, event-handler
attributes and javascript: URLs."""
from __future__ import annotations

import hashlib

from sayso.model import SCHEMA, InputDocument
from sayso.store.ledger import Ledger
from sayso.store.schema import figure_conflicts

HOSTILE = ('<script>window.__pwned = "script"; alert(1)</script>'
           '<img src=x onerror="window.__pwned = \'onerror\'; alert(2)">'
           '<a href="javascript:window.__pwned=\'href\'">click</a>'
           '<svg onload="window.__pwned = \'svg\'"></svg>')
HOSTILE_NAME = 'Evil <img src=x onerror="window.__pwned=1"> Group'

TOLL_A = ("The Iran Human Rights Monitor said on 15 December 2019 that 1,500 protesters were killed in Iran. "
          "Reuters confirmed the toll. \"We counted every name,\" said Jane Roe.")
TOLL_B = "Amnesty International said 1,500 protesters were killed in Iran in November 2019."
DISPUTE = "The Interior Ministry said 230 people were killed in Iran in November 2019 and denied other tolls."
ARREST = "Police arrested 120 students in Tehran on 3 March 2021, the Campus Watch group said."
MULTI = ("Guards beat 14 inmates in Evin prison in 2020, a former inmate said. Doctors treated 9 of them. "
         "Another 3 were moved to solitary cells.")
EVIL = f"{HOSTILE} Officials said 42 {HOSTILE} detainees were tortured in Evin. {HOSTILE}"


def _figure(doc_text: str, number: str, fid: str, *, category: str, counted: str, place: str | None,
            sources=(), time=None, group=None, low=None, sentence=None, event=None) -> dict:
    start = doc_text.index(number)
    value = low if low is not None else int(number.replace(",", ""))
    s0, s1 = sentence or (0, len(doc_text))
    fig = {"id": fid, "start": start, "end": start + len(number), "text": number, "kind": "count",
           "value": {"low": value, "high": value}, "qualifier": "exact", "counted": counted, "category": category,
           "time": time, "place": place, "sources": [dict(s) for s in sources], "sentence": {"start": s0, "end": s1}}
    if group:
        fig["group"] = group
    if event:
        fig["event"] = event
    return fig


def _src(name, role="source", date=None, text=None):
    return {"name": name, "text": text or name, "role": role, "date": date}


NOV = {"text": "in November 2019", "start": "2019-11-01", "end": "2019-11-30"}


def documents() -> list[tuple[dict, str, list[dict], list[dict]]]:
    """(metadata, text, figures, quotes) of each test document."""
    first = TOLL_A.index("Reuters") - 1
    return [
        ({"id": "toll-a", "published": "2019-12-16", "title": "Toll A", "url": "https://example.org/a",
          "site": "example.org"}, TOLL_A,
         [_figure(TOLL_A, "1,500", "f1", category="killed", counted="protesters", place="Iran",
                  sources=[_src("Iran Human Rights Monitor", date="2019-12-15",
                                text="The Iran Human Rights Monitor"), _src("Reuters", "confirms")],
                  group="g1", sentence=(0, first), event="e1")],
         [{"start": TOLL_A.index("We counted"), "end": TOLL_A.index("name,") + 5, "text": "We counted every name,",
           "speaker": "Jane Roe", "speaker_text": "Jane Roe", "cue": "said"}]),
        ({"id": "toll-b", "published": "2019-12-20", "title": "Toll B", "url": "https://example.net/b",
          "site": "example.net"}, TOLL_B,
         [_figure(TOLL_B, "1,500", "f1", category="killed", counted="protesters", place="Iran", time=NOV,
                  sources=[_src("Amnesty International")], group="g1", event="e1")], []),
        ({"id": "dispute", "published": "2019-12-21", "title": "Ministry", "url": None, "site": "gov.example"},
         DISPUTE,
         [_figure(DISPUTE, "230", "f1", category="killed", counted="people", place="Iran", time=NOV,
                  sources=[_src("Interior Ministry", text="The Interior Ministry")], event="e1")], []),
        ({"id": "arrests", "published": "2021-03-04", "title": "Arrests", "url": "https://example.org/c",
          "site": "example.org"}, ARREST,
         [_figure(ARREST, "120", "f1", category="arrested", counted="students", place="Tehran",
                  time={"text": "on 3 March 2021", "start": "2021-03-03", "end": "2021-03-03"},
                  sources=[_src("Campus Watch", text="the Campus Watch group")])], []),
        ({"id": "multi", "published": "2021-01-05", "title": "Evin", "url": None, "site": "example.org"}, MULTI,
         [_figure(MULTI, "14", "f1", category="injured", counted="inmates", place="Evin",
                  time={"text": "in 2020", "start": "2020-01-01", "end": "2020-12-31"}),
          _figure(MULTI, "9", "f2", category="injured", counted="them", place=None),
          _figure(MULTI, "3", "f3", category="other", counted="others", place=None)], []),
        ({"id": "evil<script>x</script>", "published": "2022-01-01", "title": f"Title {HOSTILE}",
          "url": "javascript:window.__pwned='url'", "site": "evil.example"}, EVIL,
         [_figure(EVIL, "42", "f1", category="tortured", counted=f"{HOSTILE} detainees", place=f"Evin {HOSTILE}",
                  sources=[_src(HOSTILE_NAME, text=HOSTILE), _src("Reuters", "disputes")])],
         [{"start": 0, "end": 20, "text": EVIL[:20], "speaker": HOSTILE_NAME, "speaker_text": HOSTILE, "cue": "said"}]),
    ]


def build(url: str) -> dict[str, int]:
    """Store the test documents in the ledger at ``url`` (the dispute as a conflict with g1);
    return ``{document key: row id}``."""
    ids = {}
    with Ledger(url) as ledger:
        for meta, text, figs, quotes in documents():
            raw = text.encode("utf-8")
            digest = hashlib.sha256(raw).hexdigest()
            doc = InputDocument(id=meta["id"], text=text, sha256=digest, source=f"{meta['id']}.txt",
                                url=meta["url"], title=meta["title"], published=meta["published"])
            record = {"schema": SCHEMA, "document": {"id": meta["id"], "source": doc.source, "sha256": digest,
                                                     "title": meta["title"], "published": meta["published"],
                                                     "site": meta["site"], "publisher": None, "language": "en"},
                      "figures": figs, "quotes": quotes}
            ledger.add(doc, raw, record)
            ids[meta["id"]] = ledger.resolve(meta["id"])
        with ledger.writing() as conn:
            fig_ids = {r["document_key"]: r["figure_id"] for r in ledger.figures()}
            conn.execute(figure_conflicts.insert(), [
                {"conflict": 1, "figure_id": fig_ids["toll-a"], "group_id": "g1"},
                {"conflict": 1, "figure_id": fig_ids["toll-b"], "group_id": "g1"},
                {"conflict": 1, "figure_id": fig_ids["dispute"], "group_id": None}])
    return ids
