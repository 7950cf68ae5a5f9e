"""Tests for sayso.extract.attribution (cues and who a figure is attributed to) and
sayso.link.entities (canonical names for source mentions).

All sentences are made up for these tests.
"""
from __future__ import annotations

import pytest

from sayso.extract.attribution import Cue, attribute, cue_lemmas, find_cues
from sayso.extract.parse import load_pipeline
from sayso.extract.aliases import default_aliases, default_places
from sayso.link.entities import EntityTracker, clean_mention, mention_tokens, resolve


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


@pytest.fixture(scope="module")
def aliases():
    return default_aliases()


def tokens_of(doc, figure: str):
    start = doc.text.index(figure)
    span = doc.char_span(start, start + len(figure), alignment_mode="expand")
    assert span is not None
    return list(span)


def roles(nlp, sentence: str, figure: str) -> list[tuple[str, str]]:
    """(agent head word, role) of the cues attributing ``figure``."""
    doc = nlp(sentence)
    [chosen] = attribute(find_cues(doc), [tokens_of(doc, figure)])
    return [(c.agent[0].text, r) for c, r in chosen]


def sources(nlp, aliases, sentence: str, figure: str, before: str = "") -> list[tuple[str, str, str]]:
    """(canonical name, mention text, role) for ``figure``, resolved as the pipeline does.

    ``before`` is document text preceding the sentence (for pronouns and descriptions).
    """
    text = before + sentence
    tracker = EntityTracker.for_text(text, aliases, default_places())
    if before:
        tracker.add_parsed(0, list(nlp(before).ents))
    doc = nlp(sentence)
    [chosen] = attribute(find_cues(doc), [tokens_of(doc, figure)])
    out = []
    for cue, role in chosen:
        toks = mention_tokens(cue.agent[0])
        got = resolve(tracker, toks, len(before) + toks[0].idx)
        if got:
            out.append((got[0], got[1], role))
    return out


def names(found) -> list[tuple[str, str]]:
    return [(n, r) for n, _, r in found]


# --------------------------------------------------------------------------- cue vocabulary

def test_cue_lemmas_roles():
    lemmas = cue_lemmas()
    assert lemmas["say"] == "source"
    assert lemmas["report"] == "source"
    assert lemmas["estimate"] == "source"
    assert lemmas["confirm"] == "confirms"
    assert lemmas["verify"] == "confirms"
    assert lemmas["deny"] == "disputes"
    assert lemmas["reject"] == "disputes"
    assert "kill" not in lemmas


def test_find_cues_returns_cues_with_agents_and_scopes(nlp):
    doc = nlp("Amnesty International said 304 people were killed in Iran.")
    cues = find_cues(doc)
    assert len(cues) == 1
    cue = cues[0]
    assert isinstance(cue, Cue)
    assert (cue.token.text, cue.role) == ("said", "source")
    assert cue.agent[0].text == "International"
    assert tokens_of(doc, "304")[0].i in cue.scope
    assert cue.agent[0].i not in cue.scope
    assert cue.size == len(cue.scope)


def test_no_cue_without_an_agent(nlp):
    # a passive cue with no "by" agent attributes nothing
    assert find_cues(nlp("The figure of 93 arrests was reported last week.")) == []


def test_sentence_without_cue(nlp):
    doc = nlp("Soldiers shot 14 villagers in Amhara.")
    assert find_cues(doc) == []
    assert attribute([], [tokens_of(doc, "14")]) == [[]]


# --------------------------------------------------------------------------- attribute: roles

@pytest.mark.parametrize("sentence, figure, want", [
    ("Amnesty International said 304 people were killed in Iran.", "304", [("International", "source")]),
    ("At least 52 protesters were killed in Khartoum, the doctors' committee said.", "At least 52",
     [("committee", "source")]),
    ("According to the UN refugee agency, 1.2 million people have fled Sudan.", "1.2 million",
     [("agency", "source")]),
    ("Human Rights Watch estimated that 2,000 civilians were displaced.", "2,000", [("Watch", "source")]),
    ("The ministry denied that 300 prisoners had died in custody.", "300", [("ministry", "disputes")]),
    ("The figure of 40 deaths was disputed by the army.", "40", [("army", "disputes")]),
    ("Tigray's health bureau put the death toll at 600.", "600", [("bureau", "source")]),
])
def test_single_cue_roles(nlp, sentence, figure, want):
    assert roles(nlp, sentence, figure) == want


def test_confirmed_someone_elses_figure(nlp):
    got = roles(nlp, "Reuters confirmed the opposition's figure of 1,500 deaths.", "1,500")
    assert set(got) == {("opposition", "source"), ("Reuters", "confirms")}


def test_reported_by_and_confirmed_by(nlp):
    got = roles(nlp, "The deaths of 212 people were reported by Memorial and confirmed by Mediazona.", "212")
    assert set(got) == {("Memorial", "source"), ("Mediazona", "confirms")}


def test_figure_first_compiled_by_and_since_verified_by(nlp):
    got = roles(nlp, "The toll stands at 212, a figure first compiled by Memorial and since verified by Mediazona.",
                "212")
    assert set(got) == {("Memorial", "source"), ("Mediazona", "confirms")}


def test_source_and_a_later_rejection(nlp):
    got = roles(nlp, "Police said 40 people were hurt, but the union rejected that figure.", "40")
    assert set(got) == {("Police", "source"), ("union", "disputes")}


def test_one_role_per_kind_innermost_cue_wins(nlp):
    # "the monitor said" governs the clause in which Ali "told" the figure: the inner teller wins
    got = roles(nlp, "The monitor said Ali told reporters that 19 men were hanged.", "19")
    assert [r for _, r in got].count("source") == 1
    assert got[0][0] == "Ali"


def test_each_figure_of_a_sentence_is_attributed(nlp):
    doc = nlp("Medics said 31 people were killed and 70 wounded in Omdurman.")
    out = attribute(find_cues(doc), [tokens_of(doc, "31"), tokens_of(doc, "70")])
    assert [[(c.agent[0].text, r) for c, r in chosen] for chosen in out] == [
        [("Medics", "source")], [("Medics", "source")]]


def test_figure_in_the_agent_is_not_attributed_to_it(nlp):
    # the figure is part of the agent's phrase: the cue does not attribute it
    doc = nlp("A coalition of 40 groups said the election was rigged.")
    [chosen] = attribute(find_cues(doc), [tokens_of(doc, "40")])
    assert chosen == []


def test_age_appositive_keeps_the_cue(nlp):
    assert roles(nlp, "Jane Doe, 34, said her brother was among 19 men hanged in Shiraz.", "19") == [
        ("Doe", "source")]


# --------------------------------------------------------------------------- attribute + resolve (names)

def test_names_resolved_through_the_registry(nlp, aliases):
    got = sources(nlp, aliases, "Some 60 journalists are jailed, HRW reported.", "Some 60")
    assert names(got) == [("Human Rights Watch", "source")]


def test_according_to_a_named_org(nlp, aliases):
    got = sources(nlp, aliases, "According to the Syrian Observatory for Human Rights, more than 3,000 "
                                "civilians were killed in Idlib.", "more than 3,000")
    assert names(got) == [("Syrian Observatory for Human Rights", "source")]


def test_passive_reported_by(nlp, aliases):
    got = sources(nlp, aliases, "The arrest of 1,100 protesters was reported by OVD-Info.", "1,100")
    assert names(got) == [("OVD-Info", "source")]


def test_hyphenated_org_mention_text_is_whole(nlp, aliases):
    got = sources(nlp, aliases, "The arrest of 1,100 protesters was reported by OVD-Info.", "1,100")
    assert got == [("OVD-Info", "OVD-Info", "source")]


def test_org_name_with_infinitive_resolves(nlp, aliases):
    got = sources(nlp, aliases, "Some 60 journalists are jailed, the Committee to Protect Journalists reported.",
                  "Some 60")
    assert names(got) == [("Committee to Protect Journalists", "source")]


def test_parenthetical_said_with_registry_name(nlp, aliases):
    got = sources(nlp, aliases, "Iran executed 251 people in 2019, Iran Human Rights said.", "251")
    assert names(got) == [("Iran Human Rights", "source")]


def test_confirms_and_source_resolved(nlp, aliases):
    got = sources(nlp, aliases, "Reuters confirmed Amnesty's figure of 1,500 deaths.", "1,500")
    assert set(names(got)) == {("Amnesty International", "source"), ("Reuters", "confirms")}


def test_disputes_resolved(nlp, aliases):
    got = sources(nlp, aliases, "The ministry said 2,000 prisoners were freed, but Amnesty International "
                                "disputed that figure.", "2,000")
    assert ("Amnesty International", "disputes") in names(got)


def test_pronoun_it_resolves_to_the_last_org(nlp, aliases):
    before = "Human Rights Watch published a report on Sudan on Tuesday. "
    got = sources(nlp, aliases, "It said some 120,000 people had fled Darfur.", "some 120,000", before)
    assert got == [("Human Rights Watch", "It", "source")]


def test_pronoun_she_resolves_to_the_last_person(nlp, aliases):
    before = "Maria Lopez, a lawyer in Managua, spoke to reporters. "
    got = sources(nlp, aliases, "She said 41 students had been detained.", "41", before)
    assert got == [("Maria Lopez", "She", "source")]


def test_the_group_resolves_to_the_last_org(nlp, aliases):
    before = "Amnesty International visited the camp in March. "
    got = sources(nlp, aliases, "The group said 400 refugees lacked shelter.", "400", before)
    assert names(got) == [("Amnesty International", "source")]


def test_first_person_agent_is_nobody(nlp, aliases):
    # "we" names no one here; a quote's speaker is found elsewhere
    assert sources(nlp, aliases, "We counted 87 bodies near the river.", "87") == []


def test_estimate_by_org_is_the_org(nlp, aliases):
    got = sources(nlp, aliases, "An estimate by the World Food Programme puts the number at 4 million.",
                  "4 million")
    assert names(got) == [("World Food Programme", "source")]


# --------------------------------------------------------------------------- entities

@pytest.mark.parametrize("raw, want", [
    ("the Ministry's", "Ministry"),
    ("(Amnesty International)", "Amnesty International"),
    ("  the  UN refugee agency, ", "UN refugee agency"),
    ("Reuters\u2019", "Reuters"),
    ("An NGO", "NGO"),
    ("\u201cMemorial\u201d", "Memorial"),
    ("Theatre Group", "Theatre Group"),
])
def test_clean_mention(raw, want):
    assert clean_mention(raw) == want


def test_tracker_for_text_finds_registry_orgs(aliases):
    text = "HRW and Amnesty International both criticised Khartoum."
    tracker = EntityTracker.for_text(text, aliases)
    assert [(text[e.start:e.end], e.name, e.kind) for e in tracker.entities] == [
        ("HRW", "Human Rights Watch", "org"), ("Amnesty International", "Amnesty International", "org")]


def test_tracker_recent_by_kind_and_word(aliases):
    tracker = EntityTracker(aliases)
    tracker.add(0, 5, "Amnesty International", "org")
    tracker.add(10, 20, "Jane Roe", "person")
    tracker.add(30, 40, "Interior Ministry of Iran", "org")
    assert tracker.recent(50).name == "Interior Ministry of Iran"
    assert tracker.recent(50, "person").name == "Jane Roe"
    assert tracker.recent(25, "org").name == "Amnesty International"
    assert tracker.recent(50, "org", "amnesty").name == "Amnesty International"
    assert tracker.recent(50, "org", "ministry").name == "Interior Ministry of Iran"
    assert tracker.recent(0) is None


def test_tracker_add_parsed_keeps_people_and_orgs_not_already_known(nlp, aliases):
    text = "Amnesty International and Jane Roe visited Tehran."
    tracker = EntityTracker.for_text(text, aliases)
    tracker.add_parsed(0, list(nlp(text).ents))
    kinds = {(e.name, e.kind) for e in tracker.entities}
    assert ("Amnesty International", "org") in kinds
    assert ("Jane Roe", "person") in kinds
    assert not any(e.name == "Tehran" for e in tracker.entities)          # places are not sources
    assert sum(1 for e in tracker.entities if e.name == "Amnesty International") == 1


def test_resolve_pronoun_without_antecedent_is_none(nlp, aliases):
    doc = nlp("It said 12 people died.")
    assert resolve(EntityTracker(aliases), [doc[0]], 0) is None


def test_resolve_empty_mention_is_none(aliases):
    assert resolve(EntityTracker(aliases), [], 0) is None


def test_resolve_unknown_org_keeps_its_words(nlp, aliases):
    doc = nlp("The Kassala Relief Collective said 12 people died.")
    toks = mention_tokens(next(t for t in doc if t.dep_ == "nsubj"))
    name, text = resolve(EntityTracker(aliases), toks, 0)
    assert text == "The Kassala Relief Collective"
    assert name == "Kassala Relief Collective"


def test_resolve_spokesman_for_an_org(nlp, aliases):
    doc = nlp("A spokesman for the Zamfara Youth Council said 12 people died.")
    toks = mention_tokens(next(t for t in doc if t.dep_ == "nsubj"))
    got = resolve(EntityTracker(aliases), toks, 0)
    assert got is not None and "Zamfara Youth Council" in got[0]


def test_resolve_the_government_to_the_country_in_context(nlp, aliases):
    before = "Fighting continued across Sudan this week. "
    got = sources(nlp, aliases, "The government said 30 soldiers died.", "30", before)
    assert names(got) == [("Government of Sudan", "source")]


def test_mention_tokens_drop_relative_clauses(nlp):
    doc = nlp("The agency, which runs the camps, said 9,000 people arrived.")
    head = next(t for t in doc if t.dep_ == "nsubj" and t.text == "agency")
    assert [t.text for t in mention_tokens(head)] == ["The", "agency"]
