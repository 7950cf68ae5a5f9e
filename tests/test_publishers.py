"""Who publishes a site: the bundled vocabulary, the user's entries, and the ledger following them."""
from __future__ import annotations

import hashlib
import json

import pytest

from conftest import run_cli
from sayso.extract.aliases import AliasRegistry
from sayso.link.publishers import PublisherMap, default_publishers, load_publishers, normalise_site
from sayso.model import SCHEMA, InputDocument
from sayso.present.publishers_cli import site_rows
from sayso.store.ledger import Ledger


def test_a_site_covers_its_subdomains_but_a_subdomain_entry_wins():
    mapping = PublisherMap({"example.org": "Example Rights Group", "media.example.org": "Example Media"},
                           defaults=False)
    assert mapping.lookup("example.org") == "Example Rights Group"
    assert mapping.lookup("www.news.Example.org.") == "Example Rights Group"
    assert mapping.lookup("media.example.org") == "Example Media"
    assert mapping.lookup("otherexample.org") is None
    assert mapping.lookup(None) is None


def test_a_bare_top_level_domain_never_matches():
    assert PublisherMap({"org": "Everyone"}, defaults=False).lookup("example.org") is None


def test_the_users_entries_override_the_vocabulary():
    site, bundled = next(iter(default_publishers().items()))
    assert PublisherMap().lookup(site) == bundled
    assert PublisherMap({site: "Someone Else"}).lookup(site) == "Someone Else"


def test_bundled_publishers_are_canonical_organisation_names():
    """A publisher and the same organisation cited as a source must be one name."""
    registry = AliasRegistry.load()
    for site, name in default_publishers().items():
        assert site == normalise_site(site) and "." in site
        assert registry.canonical(name) == name, (site, name)


def test_a_user_mapping_file_is_checked(tmp_path):
    good = tmp_path / "sites.json"
    good.write_text(json.dumps({"WWW.Example.org": " Example Rights Group "}), encoding="utf-8")
    assert load_publishers(good) == {"example.org": "Example Rights Group"}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"example.org": 3}), encoding="utf-8")
    with pytest.raises(ValueError, match="bad.json"):
        load_publishers(bad)


def stored(ledger: Ledger, text: str, site: str, publisher: str | None) -> None:
    raw = text.encode()
    digest = hashlib.sha256(raw).hexdigest()
    doc = InputDocument(id=digest[:16], text=text, sha256=digest, source="mem.txt")
    record = {"schema": SCHEMA, "document": {"id": doc.id, "source": doc.source, "sha256": digest, "title": None,
                                             "published": None, "site": site, "publisher": publisher,
                                             "language": "en"},
              "figures": [], "quotes": []}
    ledger.add(doc, raw, record)


def test_setting_and_removing_an_entry_reattributes_stored_documents(tmp_path):
    with Ledger(str(tmp_path / "l.db")) as ledger:
        stored(ledger, "One.", "news.example.org", None)
        stored(ledger, "Two.", "example.org", None)
        stored(ledger, "Three.", "elsewhere.net", None)
        assert ledger.set_publishers({"Example.org": "Example Rights Group"}) == 2
        assert {s["site"]: s["publisher"] for s in ledger.sites()} == {
            "news.example.org": "Example Rights Group", "example.org": "Example Rights Group", "elsewhere.net": None}
        assert ledger.publisher_entries() == {"example.org": "Example Rights Group"}
        assert ledger.remove_publisher("example.org") == 2
        assert all(s["publisher"] is None for s in ledger.sites())


def test_site_rows_say_where_a_publisher_comes_from():
    sites = [{"site": "news.example.org", "publisher": "Example Rights Group", "documents": 2},
             {"site": "reuters.com", "publisher": "Reuters", "documents": 1},
             {"site": "unknown.net", "publisher": None, "documents": 1}]
    rows = site_rows(sites, {"example.org": "Example Rights Group", "unused.org": "Nobody Yet"})
    assert [(r["site"], r["entry"]) for r in rows] == [
        ("news.example.org", "yours"), ("reuters.com", "sayso"), ("unknown.net", ""), ("unused.org", "yours")]


def test_ingest_keeps_a_publishers_file_and_the_cli_edits_it(tmp_path):
    docs = tmp_path / "in.jsonl"
    docs.write_text(json.dumps({"id": "a", "url": "https://news.example.org/a",
                                "text": "At least 12 protesters were arrested in the capital."}) + "\n",
                    encoding="utf-8")
    sites = tmp_path / "sites.json"
    sites.write_text(json.dumps({"example.org": "Example Rights Group"}), encoding="utf-8")
    db = str(tmp_path / "l.db")
    assert run_cli("ingest", str(docs), "--db", db, "--publishers", str(sites)).returncode == 0
    listed = json.loads(run_cli("publishers", "--db", db, "--format", "json").stdout)
    assert listed[0] == {"site": "news.example.org", "documents": 1, "publisher": "Example Rights Group",
                         "entry": "yours"}
    own_voice = json.loads(run_cli("sources", "--db", db, "--format", "json").stdout)
    assert [(s["name"], s["own_voice"]) for s in own_voice] == [("Example Rights Group", 1)]
    changed = run_cli("publishers", "--db", db, "--set", "news.example.org=Example Daily", "--format", "json")
    assert changed.returncode == 0 and "1 documents re-attributed" in changed.stderr
    assert json.loads(changed.stdout)[0]["publisher"] == "Example Daily"
    bad = run_cli("publishers", "--db", db, "--set", "no-equals-sign")
    assert bad.returncode == 2 and "SITE=NAME" in bad.stderr
