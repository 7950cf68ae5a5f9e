"""Linking at scale: block by block gives the partition of linking everything at once (on the
public gold sets, the seeds and a generated archive); a ledger relinks only the linked sets new
figures can reach and ends as a ledger linked at once would; reposts found through stored MinHash
bands are those found over all texts; Ray gives the ledger's partition."""
from __future__ import annotations

import copy
import hashlib
import json
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, update

from conftest import ROOT, run_cli
from sayso.link.blocking import UNPLACED, block_key, block_keys
from sayso.link.conflicts import find_conflicts
from sayso.link.context import FigureContext, contexts
from sayso.link.corpus import link_records
from sayso.link.events import assign_events
from sayso.link.groups import assign_contexts
from sayso.link.reposts import find_reposts
from sayso.model import InputDocument
from sayso.store.ledger import Ledger
from sayso.store.schema import figures, ledger_info

sys.path.insert(0, str(ROOT / "bench"))
import linking as archive  # noqa: E402  (bench/linking.py: the generated archive)


def _linked_at_once(records: list[dict], texts: list[str]) -> tuple[list, list]:
    """Groups, events and conflicts as the jobs give them over all figures at once, no blocks."""
    ms = contexts(records, texts)
    assign_contexts(ms)
    assign_events(ms)
    found = find_conflicts(ms)
    return [(m.figure.get("group"), m.figure.get("event")) for m in ms], found


def _conflict_sets(found: list[dict]) -> list:
    """Conflicts in their order, each as its event and the set of its (figure, group, value, sources)
    (the order of figures within a conflict follows a walk over a set)."""
    return [(c["event"], sorted(zip(c["figures"], c["groups"], c["values"], map(tuple, c["sources"])),
                                key=lambda t: t[0])) for c in found]


def _extracted(tmp_path: Path, *args: str) -> list[dict]:
    out = tmp_path / "records.jsonl"
    done = run_cli("extract", *args, "--no-group", "-o", str(out))
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def _gold_set(shared: Path, name: str, tmp_path: Path) -> tuple[list[dict], list[str]]:
    docs = shared / "eval" / name / "docs.jsonl"
    texts = {d["id"]: d["text"] for d in map(json.loads, docs.read_text(encoding="utf-8").splitlines())}
    records = _extracted(tmp_path, str(docs))
    return records, [texts[r["document"]["id"]] for r in records]


def _seeds(shared: Path, tmp_path: Path) -> tuple[list[dict], list[str]]:
    records = _extracted(tmp_path, str(shared / "seeds"), "--published", "2020-12-01")
    return records, [Path(r["document"]["source"]).read_text(encoding="utf-8") for r in records]


@pytest.mark.parametrize("corpus", ["dev", "real-dev", "seeds", "generated"])
def test_linking_block_by_block_gives_the_partition_of_linking_at_once(corpus, shared, tmp_path):
    if corpus == "generated":
        records, texts = map(list, zip(*((r, t) for t, r in archive.generate(0, 400))))
    elif corpus == "seeds":
        records, texts = _seeds(shared, tmp_path)
    else:
        records, texts = _gold_set(shared, corpus, tmp_path)
    at_once, conflicts = _linked_at_once(copy.deepcopy(records), texts)
    found = link_records(records, texts)
    assert [(f.get("group"), f.get("event")) for r in records for f in r["figures"]] == at_once
    assert _conflict_sets(found) == _conflict_sets(conflicts)
    assert any(g for g, _ in at_once)           # something was linked: the comparison says something
    if corpus == "generated":
        assert len({block_key(m) for m in contexts(records, texts)}) > 20


def _doc(name: str, text: str) -> FigureContext:
    fig = {"id": "f1", "kind": "count", "value": {"low": 5, "high": 5}, "qualifier": "exact", "category": "killed",
           "sentence": {"start": 0, "end": len(text)}, "place": None}
    return fig, {"document": {"id": name}, "figures": [fig], "quotes": []}


@pytest.mark.parametrize("text, place, key", [
    ("Five people were killed in Lyon, France, and France mourned.", "Lyon", "count+percent|france"),
    # a place abroad from the document's main country stands for that country
    ("Five people were killed in Chile, Chile's police said, and the UN in Geneva spoke.", "Geneva", "count+percent|chile"),
    # no main country: the country the figures' places lie in
    ("Five people were killed in Peru, a lawyer in Spain said.", "Peru", "count+percent|peru"),
    # no figure placed, two countries named as often: the first named as a country, not a city
    ("From Lisbon: five people were killed in Angola, and Portugal and Angola spoke.", None, "count+percent|angola"),
    ("Five people were killed, the report said.", None, f"count+percent|{UNPLACED}"),
])
def test_a_figure_is_linked_in_the_block_of_the_country_it_is_about(text, place, key):
    fig, record = _doc("a", text)
    fig["place"] = place
    assert block_key(contexts([record], [text])[0]) == key
    assert block_keys(record, text) == [key]           # the same, reading the places alone


LOCAL = ("Forensic report gives toll of the dispersal\n\nThe forensic department said on Thursday that 412 people "
         "were killed at Liberty Square on 14 August, when police cleared the sit-in outside the Old Mosque.")
NATIONAL = ("Morocco's forensic department says 412 killed in Rabat dispersal\n\nIn Rabat, Morocco, the forensic "
            "department said 412 people were killed at Liberty Square on 14 August, when police cleared the "
            "sit-in outside the Old Mosque. Morocco's government has not commented.")
SOMEWHERE_ELSE = ("Chile's forensic office counts 412 dead\n\nIn Santiago, Chile, the forensic office said 412 people "
                  "were killed in a prison fire on 2 March.")


def _local_and_national() -> list[tuple[str, dict]]:
    """A local outlet naming only its squares, the national report of the same toll, and the same
    number elsewhere: records as extraction gives them."""
    out = []
    for name, text, published in (("local", LOCAL, "2030-08-16"), ("national", NATIONAL, "2030-08-17"),
                                  ("chile", SOMEWHERE_ELSE, "2030-03-04")):
        at = text.index("412")
        sentence = (text.rfind("\n", 0, at) + 1, text.index(".", at) + 1)
        day = "2030-03-02" if name == "chile" else "2030-08-14"
        fig = {"id": "f1", "start": at, "end": at + 3, "text": "412", "kind": "count",
               "value": {"low": 412, "high": 412}, "qualifier": "exact", "counted": "people", "category": "killed",
               "time": {"text": "on 14 August", "start": day, "end": day},
               "place": {"local": "Liberty Square", "national": "Liberty Square", "chile": None}[name],
               "sources": [{"name": "forensic department", "text": "the forensic department", "role": "source",
                            "date": None}], "sentence": {"start": sentence[0], "end": sentence[1]}}
        out.append((text, {"schema": "sayso.document/1", "document": {"id": name, "source": f"{name}.txt",
                    "sha256": hashlib.sha256(text.encode()).hexdigest(), "published": published}, "figures": [fig], "quotes": []}))
    return out


def test_a_local_report_naming_no_country_links_with_the_national_report_of_its_toll():
    items = _local_and_national()
    texts, records = [t for t, _ in items], [r for _, r in items]
    keys = [block_key(m) for m in contexts(records, texts)]
    assert keys == [f"count+percent|{UNPLACED}", "count+percent|morocco", "count+percent|chile"]
    link_records(records, texts)
    local, national, chile = (r["figures"][0] for r in records)
    assert local["group"] is not None and local["group"] == national["group"]
    assert chile["group"] is None


def test_a_ledger_links_a_local_report_with_the_national_one_whichever_comes_first(tmp_path, monkeypatch):
    for order in ([0, 1, 2], [1, 2, 0], [2, 0, 1]):
        items = _local_and_national()
        ledger = Ledger(str(tmp_path / f"l{order[0]}.db"))
        for i in order:
            _store(ledger, [items[i]])
            ledger.regroup()
        groups = {f["document_key"]: f["group_id"] for f in ledger.figures()}
        assert groups["local"] is not None and groups["local"] == groups["national"] and groups["chile"] is None
        ledger.close()
    # all at once, a block a chunk: a first regroup links every block, then the unplaced across them
    monkeypatch.setattr("sayso.store.ledger._FIGURES_AT_ONCE", 1)
    ledger = Ledger(str(tmp_path / "all.db"))
    _store(ledger, _local_and_national())
    ledger.regroup()
    groups = {f["document_key"]: f["group_id"] for f in ledger.figures()}
    assert groups["local"] is not None and groups["local"] == groups["national"] and groups["chile"] is None
    ledger.close()


def _store(ledger: Ledger, items) -> None:
    archive.store(ledger, items)


def _state(ledger: Ledger) -> tuple:
    """The partition into groups and events, and the conflicts, whatever the ids."""
    groups, events = archive.ledger_partition(ledger)
    by_figure = {f["figure_id"]: f"{f['document_key']}/{f['fig']}" for f in ledger.figures()}
    numbers: dict[int, set] = {}
    for fid, n in ledger.conflict_numbers().items():
        numbers.setdefault(n, set()).add(by_figure[fid])
    return groups, events, {frozenset(v) for v in numbers.values()}


def test_a_ledger_linked_as_documents_arrive_ends_as_one_linked_at_once(tmp_path):
    items = archive.generate(0, 300)
    step = Ledger(str(tmp_path / "step.db"))
    _store(step, items[:200])
    step.regroup()
    before = {f["figure_id"]: f["group_id"] for f in step.figures()}
    _store(step, items[200:])
    step.regroup()
    once = Ledger(str(tmp_path / "once.db"))
    _store(once, items)
    once.regroup()
    assert _state(step) == _state(once)
    groups, events, conflicts = _state(once)
    assert groups and events and conflicts
    records, texts = [r for _, r in items], [t for t, _ in items]
    link_records(records, texts)
    assert (groups, events) == archive.partition((f"{r['document']['id']}/{f['id']}", (f.get("group"), f.get("event")))
                                                 for r in records for f in r["figures"])
    # ids are unique across blocks, and a group new documents did not join keeps its id
    after = step.figures()
    ids = {}
    for f in after:
        if f["group_id"]:
            ids.setdefault(f["group_id"], set()).add(f"{f['document_key']}/{f['fig']}")
    assert {frozenset(v) for v in ids.values()} == groups
    kept = [f for f in after if f["figure_id"] in before and before[f["figure_id"]]
            and {g["figure_id"] for g in after if g["group_id"] == f["group_id"]} <= set(before)]
    assert kept and all(f["group_id"] == before[f["figure_id"]] for f in kept)
    step.close()
    once.close()


def _report(doc_id: str, country: str, value: int, month: str, published: str, category: str = "killed",
            counted: str = "protesters") -> tuple[str, dict]:
    """A document giving one toll for ``country`` in ``month`` ("March 1990"), as the archive words it."""
    import datetime as dt

    first = dt.datetime.strptime(month, "%B %Y").date()
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    number = f"{value:,}"
    verb = dict(archive.CATEGORIES)[category]
    text = (f"Residents of {country} described tense scenes. {number} {counted} {verb} in {country} in "
            f"{month}, Reuters said. The government of {country} did not respond.")
    at = text.index(". ") + 2
    fig = {"id": "f1", "start": at, "end": at + len(number), "text": number, "kind": "count",
           "value": {"low": value, "high": value}, "qualifier": "exact", "counted": counted,
           "category": category, "time": {"text": month, "start": first.isoformat(), "end": last.isoformat()},
           "place": country, "sources": [{"name": "Reuters", "text": "Reuters", "role": "source", "date": None}],
           "sentence": {"start": at, "end": text.index("said.") + 5}}
    import hashlib
    record = {"schema": "sayso.document/1", "document": {"id": doc_id, "source": f"{doc_id}.txt",
              "sha256": hashlib.sha256(text.encode()).hexdigest(), "published": published},
              "figures": [fig], "quotes": []}
    return text, record


def test_a_new_document_relinks_only_the_linked_sets_it_can_reach(tmp_path):
    items = archive.generate(0, 200)
    ledger = Ledger(str(tmp_path / "l.db"))
    _store(ledger, items)
    assert ledger.regroup()["relinked"] == sum(len(r["figures"]) for _, r in items)     # a new ledger: all
    # the country whose block holds the most figures, and its first toll
    by_place: dict[str, list[dict]] = {}
    for _, r in items:
        for f in r["figures"]:
            by_place.setdefault(f["place"], []).append(f)
    country, figs = max(by_place.items(), key=lambda kv: len(kv[1]))
    assert len(figs) >= 3
    # years later: its block is touched, but nothing there can be its toll
    later = [_report(f"later{y}", country, 77, f"March {y}", f"{y}-03-20") for y in (1995, 1997, 1999)]
    _store(ledger, later[:1])
    assert ledger.regroup()["relinked"] == 1
    assert ledger.regroup()["relinked"] == 0              # nothing new: nothing relinked
    _store(ledger, later[1:])
    assert ledger.regroup()["relinked"] == 2              # two reports two years apart: each alone
    # the month of the stored tolls (one event, one linked set): that set is relinked with it, not
    # the reports of later years in its block
    toll = figs[0]
    again = _report("again", country, toll["value"]["low"], toll["time"]["text"], "1990-01-20", toll["category"],
                    toll["counted"])
    _store(ledger, [again])
    assert ledger.regroup()["relinked"] == len(figs) + 1
    once = Ledger(str(tmp_path / "once.db"))
    _store(once, items + later + [again])
    once.regroup()
    assert _state(ledger) == _state(once)
    new = next(f for f in ledger.figures() if f["document_key"] == "again")
    assert new["event_id"] is not None                    # it joined the stored tolls' event
    ledger.close()
    once.close()


def _document(doc_id: str, published: str, *sentences) -> tuple[str, dict]:
    """A stored document: each sentence is (its text, the figure's text, kind, value, counted)."""
    text, figs = "", []
    for n, (sentence, number, kind, value, counted) in enumerate(sentences, start=1):
        start = len(text)
        text += sentence + " "
        at = start + sentence.index(number)
        figs.append({"id": f"f{n}", "start": at, "end": at + len(number), "text": number, "kind": kind,
                     "value": {"low": value, "high": value}, "qualifier": "exact", "counted": counted,
                     "category": "killed", "time": None, "place": "Chad",
                     "sources": [{"name": "Reuters", "text": "Reuters", "role": "source", "date": None}],
                     "sentence": {"start": start, "end": start + len(sentence)}})
    record = {"schema": "sayso.document/1", "document": {"id": doc_id, "source": f"{doc_id}.txt",
              "sha256": hashlib.sha256(text.encode()).hexdigest(), "published": published},
              "figures": figs, "quotes": []}
    return text, record


def test_a_ledger_links_a_share_with_the_count_of_another_document_whichever_comes_first(tmp_path):
    count = _document("count", "2024-03-01",
                      ("Reuters said 5,000 people were killed in Chad this year.", "5,000", "count", 5000, "people"),
                      ("Among them were 1,500 children, Reuters said.", "1,500", "count", 1500, "children"))
    share = _document("share", "2024-03-04",
                      ("Thirty percent of those killed in Chad were children, Reuters said.", "Thirty percent",
                       "percent", 30, "those killed"))
    records = copy.deepcopy([count[1], share[1]])
    link_records(records, [count[0], share[0]])
    want = archive.partition((f"{r['document']['id']}/{f['id']}", (f.get("group"), f.get("event")))
                             for r in records for f in r["figures"])
    assert frozenset({"count/f2", "share/f1"}) in want[1]
    for order in ([count, share], [share, count]):
        ledger = Ledger(str(tmp_path / f"{order[0][1]['document']['id']}.db"))
        for item in order:
            _store(ledger, [item])
            ledger.regroup()
        assert archive.ledger_partition(ledger) == want
        ledger.close()


def test_a_ledger_linked_by_an_older_sayso_is_linked_whole_once(tmp_path):
    items = archive.generate(0, 80)
    ledger = Ledger(str(tmp_path / "l.db"))
    _store(ledger, items)
    ledger.regroup()
    want = _state(ledger)
    with ledger.writing() as conn:           # as an older sayso left it: no blocks, another linking
        conn.execute(update(figures).values(block=None, group_id=None, event_id=None))
        conn.execute(update(ledger_info).where(ledger_info.c.key == "linking").values(value="groups+events/1"))
    assert ledger.groups_stale()
    ledger.regroup()
    assert _state(ledger) == want and not ledger.groups_stale()
    with ledger.engine.connect() as conn:
        assert None not in conn.execute(select(figures.c.block)).scalars().all()
    ledger.close()


STORY = ("The river rose overnight and flooded the lower town, where families carried what they could up "
         "the hill to the school, which the council opened as a shelter before dawn on Sunday.")


def test_reposts_found_as_documents_arrive_are_those_found_over_all_texts(tmp_path):
    texts = [STORY, "A market opened on the square with stalls of bread, cheese and apples from the valley farms.",
             STORY + " Reporting by our correspondent.", "Unrelated words about a football match that ended in a draw.",
             "Editor's note. " + STORY, STORY.replace("Sunday", "Monday")]
    keys = [f"r{i}" for i in range(len(texts))]
    want = find_reposts(zip(keys, texts))
    assert want == {"r2": "r0", "r4": "r0", "r5": "r0"}
    ledger = Ledger(str(tmp_path / "l.db"))
    for at in (0, 3):
        for key, text in zip(keys[at:at + 3], texts[at:at + 3]):
            record = {"schema": "sayso.document/1", "document": {"id": key}, "figures": [], "quotes": []}
            raw = text.encode("utf-8")
            import hashlib
            ledger.add(InputDocument(id=key, text=text, sha256=hashlib.sha256(raw).hexdigest()), raw, record)
        ledger.regroup()
    assert {r["document"]: r["repeats"] for r in ledger.repeats()} == want
    ledger.close()


def test_ray_links_batch_records_into_the_ledgers_partition(ray_local, tmp_path):
    from sayso.batch.linking import link_documents

    items = archive.generate(0, 150) + _local_and_national()     # a local report links across blocks
    ledger = Ledger(str(tmp_path / "l.db"))
    _store(ledger, items)
    ledger.regroup()
    groups, events = archive.ledger_partition(ledger)
    ledger.close()
    found = link_documents(items)
    assert archive.partition(found.items()) == (groups, events)
    assert groups and events
    assert found["local/f1"][0] is not None and found["local/f1"] == found["national/f1"]


def test_ray_links_a_batch_output_directory_into_the_ledgers_partition(ray_local, tmp_path):
    import hashlib

    from sayso.batch.linking import link_output
    from sayso.batch.output import OutputDir
    from sayso.store.ingest import ingest_records

    out = OutputDir(str(tmp_path / "out"))
    items = archive.generate(0, 120)
    for n, part in enumerate((items[:60], items[60:])):
        writer = out.writer(f"shard{n}.jsonl", f"s{n}")
        for text, record in part:
            raw = text.encode("utf-8")
            meta = record["document"]
            writer.add(InputDocument(id=meta["id"], text=text, sha256=hashlib.sha256(raw).hexdigest(),
                                     source=meta["source"], published=meta["published"]), raw, record)
        writer.commit({"shard": f"shard{n}.jsonl"})
    ledger = Ledger(str(tmp_path / "l.db"))
    list(ingest_records(out.documents(), ledger))
    ledger.regroup()
    groups, events = archive.ledger_partition(ledger)
    ledger.close()
    found = link_output(str(tmp_path / "out"))
    assert len(found) == sum(len(r["figures"]) for _, r in items)
    assert archive.partition((k.split("#", 1)[1], v) for k, v in found.items()) == (groups, events)
