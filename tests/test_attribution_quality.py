"""Who says so, on whole documents: the classes of attribution that real reporting uses
(datelines, headlines, relays, inverted and coordinated speakers, descriptions and pronouns,
disputes), each with texts where it must not fire; and a check over every public text that no
source is a pronoun, a place or a generic noun, and that no party both states and disputes a figure.

All texts in the class tests are made up for these tests.
"""
from __future__ import annotations

import json

import pytest

from sayso.api import extract
from sayso.extract.aliases import default_aliases, default_places
from sayso.link.entities import PRONOUNS, names_no_one


def sources(text: str, figure: str, published: str | None = None) -> set[tuple[str, str]]:
    rec = extract(text, published)
    fig = next(f for f in rec["figures"] if f["text"] == figure)     # the first one
    return {(s["name"], s["role"]) for s in fig["sources"]}


def source_records(text: str, figure: str) -> list[dict]:
    [fig] = [f for f in extract(text)["figures"] if f["text"] == figure]
    return fig["sources"]


# --------------------------------------------------------------------------- 1 datelines

DATELINED = ("Floods in the south\n\nLIMA, March 9 (Wirepress) - Floods destroyed 240 homes in the south "
             "of Peru on Tuesday. The Health Ministry of Peru said 14 people had died. "
             "Local activists said 30 were missing. The Interior Ministry of Peru denied that 50 had died.")


def test_a_datelines_agency_reports_the_articles_own_figures():
    assert sources(DATELINED, "240") == {("Wirepress", "source")}


def test_a_dateline_gives_nothing_to_figures_that_someone_else_states():
    assert sources(DATELINED, "14") == {("Health Ministry of Peru", "source")}
    assert sources(DATELINED, "30") == set()           # an unnamed party: not the article's own voice
    assert sources(DATELINED, "50") == {("Interior Ministry of Peru", "disputes")}   # only disputed


def test_a_dateline_without_an_agency_leaves_the_publishers_voice():
    text = "GENEVA (9 March 2022) - Floods destroyed 240 homes in the south of Peru on Tuesday."
    assert sources(text, "240") == set()


# --------------------------------------------------------------------------- 2 relayed figures

def test_a_relayed_figure_has_both_parties_and_the_relay():
    text = "Reuters, citing the Interior Ministry of Peru, reported that 14 people died in the floods."
    assert sources(text, "14") == {("Reuters", "source"), ("Interior Ministry of Peru", "source")}
    reuters = next(s for s in source_records(text, "14") if s["name"] == "Reuters")
    assert reuters["cites"] == ["Interior Ministry of Peru"]


def test_a_relay_covers_only_the_figures_of_its_citer():
    text = ("Reporters put the toll at 24, citing Amnesty International, "
            "but the Government of Peru said the toll was 19.")
    assert ("Amnesty International", "source") in sources(text, "24")
    assert ("Amnesty International", "source") not in sources(text, "19")


def test_officials_who_told_a_news_agency_are_both_sources():
    text = "At least 90 people were killed in the clashes, two Peruvian interior ministry officials told Wirepress."
    assert sources(text, "At least 90") == {("Interior Ministry of Peru", "source"), ("Wirepress", "source")}
    wire = next(s for s in source_records(text, "At least 90") if s["name"] == "Wirepress")
    assert wire["cites"] == ["Interior Ministry of Peru"]


def test_a_body_told_is_a_hearer_not_a_relay():
    text = "At least 90 people were killed, Amnesty International told the Human Rights Council."
    assert sources(text, "At least 90") == {("Amnesty International", "source")}


def test_the_agency_told_is_the_datelines():
    text = "QUITO, May 2 (Wirepress) - Fighting went on. The officials told the agency that 90 people were held."
    assert sources(text, "90") == {("Wirepress", "source")}


def test_placing_a_number_at_a_value_states_it_but_placing_people_under_arrest_does_not():
    assert sources("Amnesty International placed the number of deaths at 24.", "24") == {
        ("Amnesty International", "source")}
    assert sources("Police placed 30 protesters under arrest on Monday.", "30") == set()


@pytest.mark.parametrize("text, figure", [
    ("By the count of Amnesty International, 300 people died in the floods.", "300"),
    ("According to figures provided by Amnesty International, 300 people died.", "300"),
    ("A figure compiled by Amnesty International put the toll at 300.", "300"),
    ("Amnesty International's tally puts the toll at 300.", "300"),
])
def test_a_count_names_its_counter(text, figure):
    assert sources(text, figure) == {("Amnesty International", "source")}


def test_a_count_of_no_one_names_no_one():
    assert sources("By the latest count, 300 people died in the floods.", "300") == set()


# --------------------------------------------------------------------------- 3 relative clauses, inverted

def test_an_inverted_speaker_after_the_cue_is_the_source():
    text = "Forensic doctors examined 212 bodies on Monday, reported the weekly newspaper Al-Nahar."
    assert sources(text, "212") == {("Al-Nahar", "source")}


def test_a_participle_after_a_comma_is_not_an_inverted_speaker():
    text = "Amnesty International said 33 people had died, suggesting an inquiry."
    assert sources(text, "33") == {("Amnesty International", "source")}


def test_a_relative_clause_speaks_for_its_head():
    text = "Amnesty International, which says at least 75 people were executed, called for a moratorium."
    assert sources(text, "at least 75") == {("Amnesty International", "source")}


def test_a_relative_clause_on_an_apposition_speaks_for_the_name():
    text = "Peru Rights Watch, a Lima-based group, which says at least 48 people died, called for an inquiry."
    assert sources(text, "at least 48") == {("Peru Rights Watch", "source")}


def test_whose_figure_is_the_relative_clauses_head():
    text = "The Health Ministry of Peru, whose figure of 61 dead was questioned, said nothing more."
    assert sources(text, "61") == {("Health Ministry of Peru", "source")}


def test_a_figure_a_relative_clause_attributes_inside_a_statement_has_both_parties():
    text = ("The appeal raised $1 billion, far short of the $4 billion that the United Nations says it needs, "
            "Oxfam said on Monday.")
    assert sources(text, "$4 billion") == {("United Nations", "source"), ("Oxfam", "source")}


def test_a_reported_statement_inside_another_keeps_the_innermost_party():
    text = "Amnesty International said the Health Ministry of Peru had reported 40 deaths."
    assert sources(text, "40") == {("Health Ministry of Peru", "source")}


def test_a_report_released_by_a_body_speaks_for_it():
    text = "Amnesty International has released a report indicating that 410 people were detained."
    assert sources(text, "410") == {("Amnesty International", "source")}


# --------------------------------------------------------------------------- 4 headlines

def test_a_headline_source_after_a_colon_is_the_body_named_below():
    text = ("Clashes leave 17 dead: rights commission\n\n"
            "The Peruvian National Commission on Human Rights said 17 people died in the clashes.")
    assert sources(text, "17") == {("Peruvian National Commission on Human Rights", "source")}


def test_a_headline_label_is_no_source():
    assert sources("Exclusive: 300 people killed in floods\n\nThe floods hit the south on Monday.", "300") == set()


def test_a_country_that_says_in_a_headline_is_its_government():
    text = "Peru says 300 people killed in floods\n\nThe floods hit the south on Monday."
    assert sources(text, "300") == {("Government of Peru", "source")}


def test_a_headline_that_names_a_place_has_no_source():
    assert sources("Peru: 17 dead in clashes near the border\n\nThe clashes went on.", "17") == set()


# --------------------------------------------------------------------------- 5 disputes

def test_a_disputer_is_never_the_source():
    text = "Speaking on Sunday, Amnesty International dismissed reports that 40 people had died."
    assert sources(text, "40") == {("Amnesty International", "disputes")}


@pytest.mark.parametrize("text, figure", [
    ("The Interior Ministry of Peru called the toll of 300 a big lie.", "300"),
    ("The Government of Peru said the figure of 300 was exaggerated.", "300"),
    ("The Government of Peru described the count of 300 arrests as astronomical.", "300"),
])
def test_calling_a_figure_false_disputes_it(text, figure):
    assert {r for _, r in sources(text, figure)} == {"disputes"}


def test_a_disputing_word_elsewhere_in_the_sentence_is_no_dispute():
    text = "Amnesty International said 45 people were held after a false alarm."
    assert sources(text, "45") == {("Amnesty International", "source")}


def test_a_disputer_in_the_next_clause_leaves_the_source():
    text = "Amnesty International said 300 people were killed, but the Government of Peru called the figures fabricated."
    assert sources(text, "300") == {("Amnesty International", "source"), ("Government of Peru", "disputes")}


def test_a_speaker_who_says_nobody_believes_a_figure_disputes_it():
    text = '"Nobody believes the 90 percent," said Jan Novak, a teacher in Lima.'
    assert sources(text, "90 percent") == {("Jan Novak", "disputes")}


def test_a_speaker_who_believes_a_figure_states_it():
    text = '"We believe 90 percent voted for the change," said Jan Novak, a teacher in Lima.'
    assert sources(text, "90 percent") == {("Jan Novak", "source")}


def test_a_disputer_states_its_own_figure():
    text = "Amnesty International rejected that figure, saying only 12 people had died."
    assert sources(text, "12") == {("Amnesty International", "source")}


# --------------------------------------------------------------------------- 6 descriptions and pronouns

def test_a_description_is_the_body_named_before_whose_name_holds_it():
    text = ("The Peruvian National Commission on Human Rights visited the region. "
            "Later the commission said 31 people were held.")
    assert sources(text, "31") == {("Peruvian National Commission on Human Rights", "source")}


def test_a_report_stands_for_its_author():
    text = "Amnesty International said 20 people died. The report said 14 more were missing."
    assert sources(text, "14") == {("Amnesty International", "source")}


def test_the_entity_is_the_body_named_last():
    text = ("Amnesty International said 20 people died. The figures were checked by the Ombudsman's Office. "
            "The entity counts 16 dead.")
    assert sources(text, "16") == {("Ombudsman's Office", "source")}


def test_police_are_the_police_force_the_document_names():
    text = "The Lima Metropolitan Police Force made arrests. Police said 29 people were held."
    assert sources(text, "29") == {("Lima Metropolitan Police Force", "source")}
    assert sources("Police in Lima said 29 people were held.", "29") == set()     # named nowhere


def test_a_national_body_is_the_one_of_the_country_in_context():
    text = "Protests went on across Belarus. The Interior Ministry said 6,700 people were detained."
    assert sources(text, "6,700") == {("Interior Ministry of Belarus", "source")}


def test_a_national_section_is_its_organisation():
    assert sources("Amnesty Peru said 56 people were killed.", "56") == {("Amnesty International", "source")}


def test_a_description_of_a_person_is_the_person_named_before():
    text = "Senator Jane Walker visited the border on Monday. The Republican lawmaker said 40 migrants had died there."
    assert sources(text, "40") == {("Jane Walker", "source")}
    assert sources("The lawmaker said 40 migrants had died there.", "40") == set()     # named nowhere
    text = "Senator Jane Walker met the protesters on Monday. The protesters said 40 migrants had died there."
    assert sources(text, "40") == set()          # a crowd is not the one person named


def test_he_is_the_person_who_spoke_last_not_the_last_one_named():
    text = ("Kamau spoke on live television with the journalists Anna Berg (TV1), Joe Hale (NTV) and "
            "Eric Lund (KTV). The journalists put the toll at 24, quoting the commission, but Kamau said "
            'the figure was 19. "Nineteen people are on record as dead," he said.')
    assert sources(text, "Nineteen") == {("Kamau", "source")}


def test_an_unnamed_party_stays_unnamed():
    text = "Amnesty International said 20 people died. A local rights group said 35 were missing."
    assert sources(text, "35") == set()


# --------------------------------------------------------------------------- 7, 8 junk and canonical names

def test_a_place_is_never_a_source():
    assert sources("The death toll from Peru's floods rose to 14.", "14") == set()


def test_a_country_that_speaks_is_its_government():
    assert sources("Peru said 14 people died in the floods.", "14") == {("Government of Peru", "source")}


def test_a_registry_name_inside_a_longer_name_is_not_that_body():
    assert sources("The Supreme National Security Council said 40 people died.", "40") == {
        ("Supreme National Security Council", "source")}
    assert sources("The Security Council said 40 people died.", "40") == {("United Nations Security Council", "source")}


def test_a_partial_registry_match_is_not_the_body():
    text = "The United Nations Assistance Mission in Peru said 50 people died."
    assert sources(text, "50") == {("United Nations Assistance Mission in Peru", "source")}


def test_an_acronym_defined_after_a_headline_line_names_only_its_own_words():
    text = ("Deaths in Bolivia\nThe Bolivian Ombudsman Office (BOO) said 9 people died. "
            "The BOO said 4 more were hurt.")
    assert sources(text, "4") == {("Bolivian Ombudsman Office", "source")}


def test_a_surname_in_a_headline_is_the_full_name_given_below():
    text = "Only 19 died in the protests, Okoye says\n\nPresident Amina Okoye said 19 people had died in the protests."
    assert sources(text, "19") == {("Amina Okoye", "source")}


def test_an_acronym_is_the_body_named_with_those_initials():
    text = ("The Lagos General Hospital said 40 patients were admitted on Monday. "
            "LGH also said 12 patients were in intensive care.")
    assert sources(text, "12") == {("Lagos General Hospital", "source")}


def test_an_acronym_with_no_body_of_those_initials_stays():
    assert sources("The Lagos General Hospital said 40 died. KNX said 12 more died.", "12") == {("KNX", "source")}


# --------------------------------------------------------------------------- 9 coordination

def test_every_coordinated_party_is_a_source():
    text = "Amnesty International and Human Rights Watch said 30 people were held."
    assert sources(text, "30") == {("Amnesty International", "source"), ("Human Rights Watch", "source")}


def test_the_members_a_coalition_lists_are_its_parties():
    text = "A coalition including Amnesty International and the Law Society of Peru said 32 people were abducted."
    assert sources(text, "32") == {("Amnesty International", "source"), ("Law Society of Peru", "source")}


def test_coordinated_figures_are_not_parties():
    text = "Amnesty International said 30 men and 12 children were held."
    assert sources(text, "12") == {("Amnesty International", "source")}


# --------------------------------------------------------------------------- every public text

def _public_docs(shared) -> list[tuple[str, str, str | None]]:
    docs = []
    for name in ("dev", "real-dev"):
        path = shared / "eval" / name / "docs.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                docs.append((d["id"], d["text"], d.get("published")))
    for path in sorted((shared / "seeds").glob("*.txt")):
        docs.append((path.name, path.read_text(encoding="utf-8"), None))
    return docs


@pytest.fixture(scope="module")
def public_records(shared):
    return [(doc_id, extract(text, published)) for doc_id, text, published in _public_docs(shared)]


def _junk(name: str, aliases, places) -> str | None:
    if name.lower() in PRONOUNS:
        return "a pronoun"
    if names_no_one(name):
        return "a generic noun"
    if places.canonical(name) and not aliases.canonical(name):
        return "a place"
    return None


def test_no_source_is_a_pronoun_a_place_or_a_generic_noun(public_records):
    aliases, places = default_aliases(), default_places()
    bad = [(doc_id, s["name"], s["text"], why) for doc_id, rec in public_records for f in rec["figures"]
           for s in f["sources"] for why in [_junk(s["name"], aliases, places)] if why]
    assert bad == []


def test_no_party_both_states_and_disputes_a_figure(public_records):
    both = [(doc_id, f["id"], s["name"]) for doc_id, rec in public_records for f in rec["figures"]
            for s in f["sources"] if s["role"] == "source"
            and any(o["name"] == s["name"] and o["role"] == "disputes" for o in f["sources"])]
    assert both == []


def test_the_junk_check_can_fail():
    aliases, places = default_aliases(), default_places()
    assert _junk("she", aliases, places) == "a pronoun"
    assert _junk("Commission", aliases, places) == "a generic noun"
    assert _junk("Peru", aliases, places) == "a place"
    assert _junk("Amnesty International", aliases, places) is None
