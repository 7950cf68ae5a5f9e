"""Canonical names for organisations, bodies and places (sayso.extract.aliases)."""
from __future__ import annotations

import json
from collections import defaultdict
from importlib import resources

import pytest

from sayso.extract.aliases import AliasRegistry, default_aliases, default_places, norm_name


@pytest.fixture(scope="module")
def orgs() -> AliasRegistry:
    return default_aliases()


@pytest.fixture(scope="module")
def places() -> AliasRegistry:
    return default_places()


def found(reg: AliasRegistry, text: str, start: int = 0, end: int | None = None) -> list[tuple[str, str]]:
    hits = reg.find(text, start, end)
    return [(text[s:e], name) for s, e, name in hits]


# --- norm_name ---------------------------------------------------------------------------

@pytest.mark.parametrize("raw, want", [
    ("The United Nations", "united nations"),
    ("the UN's", "un"),
    ("Iran\u2019s  Interior-Ministry", "iran interior ministry"),
    ("U.N.", "u n"),
    ("Médecins Sans Frontières", "médecins sans frontières"),
    ("People's Mojahedin Organization of Iran (PMOI)", "people mojahedin organization of iran pmoi"),
    ("Theatre of War", "theatre of war"),         # only a whole leading word "the" goes
    ("  HRANA  ", "hrana"),
])
def test_norm_name(raw, want):
    assert norm_name(raw) == want


# --- canonical() -------------------------------------------------------------------------

@pytest.mark.parametrize("mention, want", [
    ("HRW", "Human Rights Watch"),
    ("the Human Rights Watch", "Human Rights Watch"),
    ("AMNESTY INTERNATIONAL", "Amnesty International"),
    ("Amnesty International's", "Amnesty International"),
    ("MEK", "People's Mojahedin Organization of Iran"),
    ("Mojahedin-e Khalq", "People's Mojahedin Organization of Iran"),
    ("PMOI / MEK Iran", "People's Mojahedin Organization of Iran"),
    ("PMOI/MEK", "People's Mojahedin Organization of Iran"),
    ("People\u2019s Mujahedin of Iran", "People's Mojahedin Organization of Iran"),
    ("NCRI", "National Council of Resistance of Iran"),
    ("IHRNGO", "Iran Human Rights"),
    ("Human Rights Activists in Iran", "Human Rights Activists News Agency"),
    ("U.N.", "United Nations"),
    ("the UN", "United Nations"),
    ("UNHRC", "United Nations Human Rights Council"),
    ("UN rights office", "Office of the United Nations High Commissioner for Human Rights"),
    ("the UN refugee agency", "United Nations High Commissioner for Refugees"),
    ("UN independent experts", "United Nations human rights experts"),
    ("Doctors Without Borders", "Médecins Sans Frontières"),
    ("Medecins Sans Frontieres", "Médecins Sans Frontières"),
    ("Reporters sans frontières", "Reporters Without Borders"),
    ("Vyasna", "Viasna Human Rights Centre"),
    ("Armed Conflict Location and Event Data Project", "Armed Conflict Location & Event Data Project"),
    ("B\u2019Tselem", "B'Tselem"),
    ("Iran's government", "Government of Iran"),
    ("the Iranian regime", "Government of Iran"),
    ("Ministry of Justice of Belarus", "Justice Ministry of Belarus"),
    ("Myanmar's judiciary", "Judiciary of Myanmar"),
    ("Government of the United States", "Government of the United States"),
    ("Government of United States", "Government of the United States"),
])
def test_canonical(orgs, mention, want):
    assert orgs.canonical(mention) == want


def test_canonical_unknown(orgs):
    assert orgs.canonical("Friends of the Earthworm") is None
    assert orgs.canonical("") is None
    assert orgs.canonical("Iran") is None          # a place, not an organisation


@pytest.mark.parametrize("mention, want", [
    ("Islamic Republic of Iran", "Iran"),
    ("Iranians", "Iran"),
    ("Burma", "Myanmar"),
    ("Burmese", "Myanmar"),
    ("Republic of Belarus", "Belarus"),
    ("the U.S.", "United States"),
    ("USA", "United States"),
    ("Britain", "United Kingdom"),
    ("DRC", "Democratic Republic of the Congo"),
    ("Viet Nam", "Vietnam"),
    ("T\u00fcrkiye", "Turkey"),
    ("Turkiye", "Turkey"),
    ("Venezuelans", "Venezuela"),
    ("Yemeni", "Yemen"),
    ("XUAR", "Xinjiang"),
    ("the Gaza Strip", "Gaza"),
    ("Kiev", "Kyiv"),
    ("Rangoon", "Yangon"),
    ("European", "Europe"),
])
def test_canonical_places(places, mention, want):
    assert places.canonical(mention) == want


def test_not_places(places):
    assert places.canonical("Uyghur") is None      # an ethnic group, not a place
    assert places.canonical("Evin Prison") is None


# --- find() ------------------------------------------------------------------------------

def test_find_offsets_and_names(orgs):
    text = ("According to HRANA, 41 people were executed; Amnesty International and the "
            "U.N. said the figure was higher, and Reuters could not verify it.")
    hits = orgs.find(text)
    assert [(text[s:e], n) for s, e, n in hits] == [
        ("HRANA", "Human Rights Activists News Agency"),
        ("Amnesty International", "Amnesty International"),
        ("U.N.", "United Nations"),
        ("Reuters", "Reuters"),
    ]
    for s, e, n in hits:
        assert orgs.canonical(text[s:e]) == n


def test_find_longest_match(orgs):
    text = "The UN Human Rights Council voted; the UN itself and the UN human rights office disagreed."
    assert found(orgs, text) == [
        ("UN Human Rights Council", "United Nations Human Rights Council"),
        ("UN", "United Nations"),
        ("UN human rights office", "Office of the United Nations High Commissioner for Human Rights"),
    ]


def test_find_acronyms_case_sensitive(orgs, places):
    text = "Doctors who treated us said the WHO and AP had it; who knows. Ap and Who did not."
    assert found(orgs, text) == [("WHO", "World Health Organization"), ("AP", "Associated Press")]
    assert found(places, "Tell us what the US did.") == [("US", "United States")]


def test_find_capitalised_single_words(places, orgs):
    assert found(places, "a turkey dinner in Turkey, and in TURKEY") == [("Turkey", "Turkey"), ("TURKEY", "Turkey")]
    assert found(orgs, "a memorial was built by Memorial") == [("Memorial", "Memorial")]


def test_find_multiword_case_insensitive(orgs):
    text = "HUMAN RIGHTS WATCH said, and Human rights watch repeated; the Iranian Authorities agreed."
    assert found(orgs, text) == [
        ("HUMAN RIGHTS WATCH", "Human Rights Watch"),
        ("Human rights watch", "Human Rights Watch"),
        ("Iranian Authorities", "Government of Iran"),
    ]


def test_find_demonyms(places):
    text = "Iranian prisons hold Belarusians, Egyptian and Yemeni nationals; the Burmese junta too."
    assert [n for _, n in found(places, text)] == ["Iran", "Belarus", "Egypt", "Yemen", "Myanmar"]


def test_find_regions_and_cities(places):
    text = "From Tehran to Xinjiang (XUAR) and the Gaza Strip, across the Middle East and Europe."
    assert found(places, text) == [
        ("Tehran", "Tehran"), ("Xinjiang", "Xinjiang"), ("XUAR", "Xinjiang"),
        ("Gaza Strip", "Gaza"), ("Middle East", "Middle East"), ("Europe", "Europe"),
    ]


def test_find_generated_bodies(orgs):
    text = ("The Belarusian Interior Ministry said 35 were held, Egyptian authorities denied it, "
            "Iran\u2019s judiciary confirmed it and the U.S. government condemned it; "
            "Myanmar's Ministry of Foreign Affairs was silent.")
    assert found(orgs, text) == [
        ("Belarusian Interior Ministry", "Interior Ministry of Belarus"),
        ("Egyptian authorities", "Government of Egypt"),
        ("Iran\u2019s judiciary", "Judiciary of Iran"),
        ("U.S. government", "Government of the United States"),
        ("Myanmar's Ministry of Foreign Affairs", "Foreign Ministry of Myanmar"),
    ]


def test_generated_body_names(orgs):
    names = set(orgs.names())
    for country in ("Iran", "Belarus", "Egypt", "Syria", "the Philippines"):
        for body in ("Government", "Interior Ministry", "Health Ministry", "Foreign Ministry",
                     "Justice Ministry", "Defence Ministry", "Judiciary"):
            assert f"{body} of {country}" in names


def test_find_possessive_and_curly_apostrophe(orgs):
    text = "Amnesty International\u2019s report and B\u2019Tselem's data"
    assert found(orgs, text) == [("Amnesty International", "Amnesty International"), ("B\u2019Tselem", "B'Tselem")]


def test_find_does_not_cross_sentences_or_commas(orgs, places):
    assert found(orgs, "He was held in Iran. Government officials said so.") == []
    assert found(orgs, "in Iran, government officials said") == []
    assert found(places, "in Iran. Government officials said") == [("Iran", "Iran")]


def test_find_word_bounded(places, orgs):
    assert found(places, "Iranianist Irani Chadwick") == []
    assert found(orgs, "UNHCRs WHOM APA") == []
    assert found(orgs, "a UN-backed probe") == [("UN", "United Nations")]


def test_find_window_uses_document_offsets(orgs):
    text = "Reuters said. Later, Human Rights Watch and the ICRC said."
    start = text.index("Later")
    hits = orgs.find(text, start, len(text) - 6)
    assert [(text[s:e], n) for s, e, n in hits] == [
        ("Human Rights Watch", "Human Rights Watch"),
        ("ICRC", "International Committee of the Red Cross"),
    ]
    # a name cut by the window end is not found in full
    assert found(orgs, text, 0, text.index("Watch") + 2) == [("Reuters", "Reuters")]


def test_find_accents_optional(orgs):
    assert found(orgs, "Medecins Sans Frontieres and Médecins Sans Frontières") == [
        ("Medecins Sans Frontieres", "Médecins Sans Frontières"),
        ("Médecins Sans Frontières", "Médecins Sans Frontières"),
    ]


def test_find_large_text_runs(orgs, places):
    # a speed smoke test, not a timed assertion
    para = ("The UN Human Rights Office said 120 people were killed, according to HRANA and Hengaw, "
            "while Iranian authorities said 40. The Belarusian Interior Ministry, Reuters and the WHO "
            "declined to comment on reports from Tehran, Minsk and the Gaza Strip. ")
    text = para * (50_000 // len(para) + 1)
    hits = orgs.find(text)
    per_para = len(orgs.find(para))
    assert per_para == 7
    assert len(hits) == per_para * text.count("The UN Human")
    assert len(places.find(text)) > 0


# --- loading user files --------------------------------------------------------------------

def test_user_file_adds_and_overrides(tmp_path, orgs):
    user = tmp_path / "mine.json"
    user.write_text(json.dumps({
        "Hengaw Organization for Human Rights": ["Hengaw Rights Group"],        # adds an alias
        "Mojahedin (user view)": ["MEK"],                                      # re-points an alias
        "Freedonia Watch": ["FW"],                                              # a new organisation
    }), encoding="utf-8")
    reg = AliasRegistry.load([user])
    assert reg.canonical("Hengaw Rights Group") == "Hengaw Organization for Human Rights"
    assert reg.canonical("Hengaw") == "Hengaw Organization for Human Rights"
    assert reg.canonical("MEK") == "Mojahedin (user view)"
    assert reg.canonical("PMOI") == "People's Mojahedin Organization of Iran"
    assert reg.canonical("FW") == "Freedonia Watch"
    text = "FW and the Hengaw Rights Group said the MEK figure was wrong."
    assert found(reg, text) == [
        ("FW", "Freedonia Watch"),
        ("Hengaw Rights Group", "Hengaw Organization for Human Rights"),
        ("MEK", "Mojahedin (user view)"),
    ]
    # the builtin registry is untouched
    assert orgs.canonical("MEK") == "People's Mojahedin Organization of Iran"
    assert orgs.canonical("FW") is None


def test_later_user_file_wins(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps({"First": ["Shared Name"]}), encoding="utf-8")
    b.write_text(json.dumps({"Second": ["Shared Name"]}), encoding="utf-8")
    assert AliasRegistry.load([a, b]).canonical("shared name") == "Second"
    assert AliasRegistry.load([str(b), str(a)]).canonical("shared name") == "First"


def test_user_country_gets_government_bodies(tmp_path):
    user = tmp_path / "freedonia.json"
    user.write_text(json.dumps({"_demonyms": {"Freedonia": ["Freedonian", "Freedonians"]}}), encoding="utf-8")
    reg = AliasRegistry.load([user])
    text = "The Freedonian Interior Ministry and Freedonia's judiciary said Freedonian authorities had acted."
    assert found(reg, text) == [
        ("Freedonian Interior Ministry", "Interior Ministry of Freedonia"),
        ("Freedonia's judiciary", "Judiciary of Freedonia"),
        ("Freedonian authorities", "Government of Freedonia"),
    ]
    pl = AliasRegistry.load([user], places=True)
    assert pl.canonical("Freedonians") == "Freedonia"


def test_user_places_file(tmp_path):
    user = tmp_path / "places.json"
    user.write_text(json.dumps({"Evin Prison": ["Evin"]}), encoding="utf-8")
    reg = AliasRegistry.load([user], places=True)
    assert found(reg, "Held in Evin in Tehran") == [("Evin", "Evin Prison"), ("Tehran", "Tehran")]


@pytest.mark.parametrize("content, problem", [
    ("{not json", "invalid JSON at line 1"),
    ('["a", "b"]', "top level must be a JSON object"),
    ('{"X": "not a list"}', "entry 'X' must be a list"),
    ('{"X": ["ok", 3]}', "entry 'X' must be a list"),
    ('{"_demonym": {}}', "unknown reserved key '_demonym'"),
    ('{"_demonyms": {"Freedonia": "Freedonian"}}', '"_demonyms" must map'),
    ('{"...": []}', "empty after normalisation"),
])
def test_malformed_user_file(tmp_path, content, problem):
    bad = tmp_path / "broken-aliases.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError) as err:
        AliasRegistry.load([bad])
    msg = str(err.value)
    assert str(bad) in msg and problem in msg and "\n" not in msg


def test_missing_user_file(tmp_path):
    missing = tmp_path / "nowhere.json"
    with pytest.raises(ValueError, match="nowhere.json: file not found"):
        AliasRegistry.load([missing], places=True)


# --- the builtin data ------------------------------------------------------------------------

def _data(name: str) -> dict:
    return json.loads((resources.files("sayso") / "data" / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["aliases.json", "places.json"])
def test_builtin_data_has_no_ambiguous_aliases(name):
    data = _data(name)
    demonyms = data.get("_demonyms", {})
    owners = defaultdict(set)
    for canon, aliases in data.items():
        if canon.startswith("_"):
            continue
        for a in [canon, *aliases, *demonyms.get(canon, [])]:
            owners[norm_name(a)].add(canon)
    clashes = {k: v for k, v in owners.items() if len(v) > 1}
    assert not clashes


def test_builtin_data_is_broad(orgs, places):
    data = _data("aliases.json")
    assert sum(not k.startswith("_") for k in data) >= 150
    countries = _data("places.json")["_demonyms"]
    assert len(countries) >= 195                        # UN members plus Palestine and the Holy See
    for c in ("Iran", "Myanmar", "United States", "United Kingdom", "Russia", "Syria", "South Korea",
              "North Korea", "Democratic Republic of the Congo", "Palestine", "Turkey", "Belarus"):
        assert c in countries and places.canonical(c) == c
    assert len(orgs.names()) > 1000                     # with the generated government bodies


def test_default_registries_are_cached():
    assert default_aliases() is default_aliases()
    assert default_places() is default_places()
