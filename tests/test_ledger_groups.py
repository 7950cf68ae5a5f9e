"""Groups in the ledger: figures stating the same quantity across stored documents share a group id,
each group counts its independent sources and corroborations, and conflicting estimates are listed
first by `sayso groups`. Small made-up documents and records (no language model needed)."""
from __future__ import annotations

import json

import pytest

from conftest import run_cli
from pg_server import fresh_database, postgres_server
from sayso.model import SCHEMA, InputDocument
from sayso.store.ingest import ADDED, ingest_paths
from sayso.store.ledger import Ledger

NOV_2019 = {"text": "November 2019", "start": "2019-11-01", "end": "2019-11-30"}
ARRESTS = {"category": "arrested", "counted": "students", "place": "Tehran"}


def source(name: str, role: str = "source") -> dict:
    return {"name": name, "text": name, "role": role, "date": None}


def figure(doc_text: str, number: str, sources=(), fid: str = "f1", **fields) -> dict:
    start = doc_text.index(number)
    value = int(number.replace(",", ""))
    return {"id": fid, "start": start, "end": start + len(number), "text": number, "kind": "count",
            "value": {"low": value, "high": value}, "qualifier": "exact", "counted": "protesters",
            "category": "killed", "time": dict(NOV_2019), "place": "Iran", "sources": [dict(s) for s in sources],
            "sentence": {"start": 0, "end": len(doc_text.rstrip())}, **fields}


class Corpus:
    """Text files in a folder, each with the record a (fake) extractor returns for it."""

    def __init__(self, folder):
        self.folder = folder
        self.records: dict[str, tuple[str | None, list]] = {}

    def add(self, name: str, text: str, site: str | None, *figures: tuple[str, tuple]) -> None:
        (self.folder / f"{name}.txt").write_text(text, encoding="utf-8")
        self.records[text] = (site, [figure(text, f[0], f[1], fid=f"f{i}", **(f[2] if len(f) > 2 else {}))
                                        for i, f in enumerate(figures, 1)])

    def extract(self, doc: InputDocument) -> dict:
        site, figures = self.records[doc.text]
        return {"schema": SCHEMA,
                "document": {"id": doc.id, "source": doc.source, "sha256": doc.sha256, "title": None,
                             "published": "2019-12-01", "site": site, "publisher": site, "language": "en"},
                "figures": json.loads(json.dumps(figures)), "quotes": []}

    def ingest(self, db) -> Ledger:
        ledger = Ledger(str(db))
        outcomes = list(ingest_paths([str(self.folder)], ledger, self.extract))
        assert all(o.status == ADDED for o in outcomes), outcomes
        ledger.regroup()
        return ledger


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    return Corpus(folder)


@pytest.fixture(scope="module")
def postgres():
    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    """An SQLite file, or a fresh PostgreSQL database (where one can be had)."""
    if request.param == "sqlite":
        return str(tmp_path / "l.db")
    return fresh_database(request.getfixturevalue("postgres"))


def only_group(ledger: Ledger) -> dict:
    groups = ledger.groups()
    assert len(groups) == 1, groups
    return groups[0]


def test_same_toll_on_two_sites_is_one_group_with_two_independent_sources(corpus, tmp_path):
    corpus.add("a", "Security forces killed 1,500 protesters in Iran in November 2019 during the fuel protests.\n",
               "iranwatch.example", ("1,500", ()))
    corpus.add("b", "In November 2019, 1,500 protesters were killed in Iran as the fuel protests were crushed.\n",
               "rightsdaily.example", ("1,500", ()))
    with corpus.ingest(tmp_path / "l.db") as ledger:
        g = only_group(ledger)
        assert g["figures"] == 2 and len(g["documents"]) == 2
        assert g["independent_sources"] == 2
        assert sorted(g["originals"]) == ["iranwatch.example", "rightsdaily.example"]
        assert g["corroborations"] == [] and g["conflict"] is None
        assert (g["category"], g["counted"], g["place"], g["time_start"]) == ("killed", "protesters", "Iran",
                                                                              "2019-11-01")
        assert (g["min"], g["max"]) == (1500, 1500)
        assert g["values"][0]["documents"] and g["values"][0]["figures"] == 2
        # the group id is on the figures and in the records read back
        assert {f["group_id"] for f in ledger.figures()} == {g["id"]}
        assert all(f.get("group") == g["id"] for r in ledger.records() for f in r["figures"])


def test_a_publisher_repeating_itself_is_one_source(corpus, tmp_path):
    corpus.add("a", "Security forces killed 1,500 protesters in Iran in November 2019 during the fuel protests.\n",
               "iranwatch.example", ("1,500", ()))
    corpus.add("b", "In November 2019, 1,500 protesters were killed in Iran as the fuel protests were crushed.\n",
               "iranwatch.example", ("1,500", ()))
    with corpus.ingest(tmp_path / "l.db") as ledger:
        g = only_group(ledger)
        assert len(g["documents"]) == 2
        assert g["independent_sources"] == 1 and g["originals"] == ["iranwatch.example"]


def test_a_confirmation_corroborates_rather_than_adds_an_original(corpus, tmp_path):
    corpus.add("a", "Amnesty International said 1,500 protesters were killed in Iran in November 2019.\n",
               "iranwatch.example", ("1,500", (source("Amnesty International"),)))
    corpus.add("b", "Reuters confirmed that 1,500 protesters were killed in Iran in November 2019, as "
                    "Amnesty International had said.\n",
               "rightsdaily.example", ("1,500", (source("Amnesty International"), source("Reuters", "confirms"))))
    with corpus.ingest(tmp_path / "l.db") as ledger:
        g = only_group(ledger)
        assert g["independent_sources"] == 1 and g["originals"] == ["Amnesty International"]
        assert g["corroborations"] == ["Reuters"]


def test_a_group_counts_its_origins_not_its_relays_disputers_or_reposts(corpus, tmp_path):
    wire = ("A news agency, citing three ministry officials, said 1,500 protesters were killed in Iran in "
            "November 2019; the spokesman called the figure a fabrication.\n")
    relay = dict(source("News Agency"), cites=["ministry officials"])
    told = ("1,500", (relay, source("Spokesman", "disputes")))
    corpus.add("a", wire, "agency.example", told)
    corpus.add("b", wire.replace("\n", " Reporting by the agency.\n"), "mirror.example", told)
    corpus.add("c", "Exiles said 1,500 protesters were killed in Iran in November 2019, and the spokesman "
                    "denied it.\n", "exiles.example", ("1,500", (source("Exile Group"), source("Spokesman", "disputes"))))
    with corpus.ingest(tmp_path / "l.db") as ledger:
        g = only_group(ledger)
        assert len(g["documents"]) == 3
        assert sorted(g["originals"]) == ["Exile Group", "ministry officials"]
        assert g["independent_sources"] == 2 and g["disputes"] == ["Spokesman"]


def test_a_repost_in_its_own_voice_counts_once(corpus, tmp_path):
    story = ("Security forces killed 1,500 protesters in Iran in November 2019 as the fuel protests spread "
             "from the southern towns to the capital within days.\n")
    corpus.add("a", story, "wire.example", ("1,500", ()))
    corpus.add("b", story.replace("\n", " More to follow.\n"), "portal.example", ("1,500", ()))
    with corpus.ingest(tmp_path / "l.db") as ledger:
        g = only_group(ledger)
        assert len(g["documents"]) == 2
        assert g["originals"] == ["wire.example"] and g["independent_sources"] == 1


def test_different_estimates_of_one_toll_are_conflicting_groups_listed_first(corpus, db):
    # an unrelated quantity stated in three documents: more documents than either estimate
    for name in ("x", "y", "z"):
        corpus.add(name, f"Police arrested 7,213 students in Tehran in November 2019 ({name}).\n", f"{name}.example",
                   ("7,213", (), ARRESTS))
    corpus.add("a", "Amnesty International said 304 protesters were killed in Iran in November 2019.\n",
               "iranwatch.example", ("304", (source("Amnesty International"),)))
    corpus.add("b", "At the time Amnesty International said that 304 protesters were killed in Iran in "
                    "November 2019.\n", "rightsdaily.example", ("304", (source("Amnesty International"),)))
    corpus.add("c", "Reuters reported that 1,500 protesters were killed in Iran in November 2019.\n",
               "newsroom.example", ("1,500", (source("Reuters"),)))
    corpus.add("d", "According to Reuters, 1,500 protesters were killed in Iran in November 2019.\n",
               "dailywire.example", ("1,500", (source("Reuters"),)))
    with corpus.ingest(db) as ledger:
        first = ledger.groups()
        assert ledger.regroup()["conflicts"] == 1      # idempotent: the same groups again
        assert ledger.groups() == first
        assert not ledger.groups_stale()

    done = run_cli("groups", "--db", str(db), "--format", "json")
    assert done.returncode == 0, done.stderr
    groups = json.loads(done.stdout)
    assert len(groups) == 3
    toll_a, toll_b, arrests = groups
    assert toll_a["conflict"] == toll_b["conflict"] == 1 and arrests["conflict"] is None
    assert {toll_a["min"], toll_b["min"]} == {304, 1500}
    assert toll_a["conflicts_with"] == [toll_b["id"]] and toll_b["conflicts_with"] == [toll_a["id"]]
    assert len(arrests["documents"]) == 3 > len(toll_a["documents"]) == len(toll_b["documents"]) == 2
    assert arrests["min"] == 7213

    table = run_cli("groups", "--db", str(db))
    assert table.returncode == 0 and "conflict" in table.stdout and "7,213" in table.stdout
    rows = run_cli("groups", "--db", str(db), "--format", "csv").stdout.splitlines()
    assert rows[0].startswith("id,conflict,") and len(rows) == 4


def test_a_figure_stated_once_appears_only_when_it_conflicts(corpus, tmp_path):
    corpus.add("a", "Amnesty International said 304 protesters were killed in Iran in November 2019.\n",
               "iranwatch.example", ("304", (source("Amnesty International"),)))
    corpus.add("c", "Reuters reported that 1,500 protesters were killed in Iran in November 2019.\n",
               "newsroom.example", ("1,500", (source("Reuters"),)))
    corpus.add("e", "Police arrested 7,213 students in Tehran in November 2019.\n", "x.example", ("7,213", (), ARRESTS))
    with corpus.ingest(tmp_path / "l.db") as ledger:
        groups = ledger.groups()
        assert {g["min"] for g in groups} == {304, 1500}
        assert all(g["group"] is None and g["conflict"] == 1 for g in groups)


def test_groups_are_stale_until_regrouped_after_documents_are_added(corpus, tmp_path):
    ledger = Ledger(str(tmp_path / "l.db"))
    assert not ledger.groups_stale() and ledger.groups() == []     # empty: nothing to group
    corpus.add("a", "Security forces killed 1,500 protesters in Iran in November 2019.\n", "a.example",
               ("1,500", ()))
    list(ingest_paths([str(corpus.folder)], ledger, corpus.extract))
    assert ledger.groups_stale()                                   # `sayso ingest` regroups now
    assert ledger.regroup() == {"figures": 1, "groups": 0, "grouped_figures": 0, "events": 0, "conflicts": 0,
                                "reposts": 0, "relinked": 1}
    assert not ledger.groups_stale() and ledger.groups() == []     # a figure stated once, no conflict
    ledger.close()
