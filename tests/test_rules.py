"""End-to-end behaviour of the extraction rules, one made-up sentence or two each."""
from __future__ import annotations

import pytest

import sayso


def figures(text: str, published: str | None = "2023-06-20") -> dict[str, dict]:
    return {f["text"]: f for f in sayso.extract(text, published=published)["figures"]}


def sources(fig: dict) -> set[tuple[str, str]]:
    return {(s["name"], s["role"]) for s in fig["sources"]}


def test_dateline_city_is_not_the_place():
    figs = figures("NAIROBI, June 19 (Wire) - Police in Kenya detained 300 protesters on Monday.")
    assert figs["300"]["place"] == "Kenya"


def test_place_in_a_relative_clause_about_someone_else_is_not_the_figures():
    figs = figures("Maria Lopez, who fled to Spain in 2019, said 40 percent of her village had left.")
    assert figs["40 percent"]["place"] is None


def test_citing_adds_the_cited_source():
    figs = figures("The United Nations, citing figures from the World Health Organization, said 1,200 people had died.")
    assert sources(figs["1,200"]) == {("United Nations", "source"), ("World Health Organization", "source")}


def test_acronym_defined_in_the_text_names_the_source():
    text = ("The Lakeland Prisoners' Forum (LPF) published its report. "
            "LPF said 85 inmates had died in custody since January.")
    assert sources(figures(text)["85"]) == {("Lakeland Prisoners' Forum", "source")}


def test_a_bare_spokesperson_speaks_for_the_body_named_in_the_mention():
    figs = figures("A police spokesman for the Interior Ministry of Egypt said 14 officers were injured.")
    assert sources(figs["14"]) == {("Interior Ministry of Egypt", "source")}


def test_the_government_is_the_government_of_the_country_in_question():
    text = ("Egyptian courts have handed down hundreds of death sentences since 2013. "
            "The government said 624 civilians were killed in the clashes.")
    assert sources(figures(text)["624"]) == {("Government of Egypt", "source")}


def test_people_counted_are_not_a_source():
    figs = figures("Ninety-six of the detainees said they had been beaten, and 31 were treated in hospital.")
    assert figs["Ninety-six"]["sources"] == [] and figs["31"]["sources"] == []
    assert figs["31"]["counted"] is None       # GUIDELINES rule 13: an elided noun is null


def test_part_of_a_figure_shares_its_category():
    figs = figures("The monitors documented 1,132 people injured, 595 of them by rubber bullets.")
    assert figs["595"]["category"] == "injured" and figs["595"]["counted"] is None   # rule 13: not written


def test_a_compared_figure_shares_place_and_category():
    figs = figures("At least 72 journalists were behind bars in Iran on 1 May, up from 47 in May 2022.")
    assert figs["47"]["place"] == "Iran" and figs["47"]["category"] == "imprisoned"


def test_a_list_line_can_state_a_rank():
    f = figures("Key facts\n• 3 – the country's world ranking in executions per capita")["3"]
    assert f["kind"] == "rank" and f["counted"].startswith("world ranking")


def test_put_the_crowd_at():
    figs = figures("Organisers put the crowd at 20,000; the police estimated it at about 6,000.")
    assert figs["20,000"]["counted"] == "crowd" and figs["about 6,000"]["counted"] == "crowd"
    assert figs["20,000"]["category"] == figs["about 6,000"]["category"] == "protest"


def test_only_a_single_day_dates_a_statement():
    figs = figures("As of 4 May, the World Health Organization had counted at least 54 deaths. "
                   "The agency said on Monday 12 more had died.")
    assert figs["at least 54"]["time"]["start"] == "2023-05-04"
    assert figs["at least 54"]["sources"][0]["date"] is None
    assert figs["12"]["sources"][0]["date"] == "2023-06-19"


def test_ages_in_apposition_are_not_figures():
    assert "45" not in figures("The man, 45, was released on bail after 3 days.")


def test_ranges_with_currency_signs_are_money():
    f = figures("Smugglers charge between €1,000 and €2,500 a seat.")["between €1,000 and €2,500"]
    assert (f["kind"], f["value"], f["counted"]) == ("money", {"low": 1000, "high": 2500}, "euros")


def test_page_furniture_yields_no_figures():
    text = "Police arrested 12 students.\nRights Group | 27 Old Street, London | Page 1 of 1\n"
    assert list(figures(text)) == ["12"]


@pytest.mark.parametrize("sentence, place", [
    ("Gunmen killed 12 villagers near the town of Kassab.", "Kassab"),
    ("More than 190,000 Sudanese refugees have arrived in Chad since April.", "Chad"),
])
def test_places_named_as_such_and_origin_adjectives(sentence, place):
    [f] = figures(sentence).values()
    assert f["place"] == place


def test_scare_quotes_of_two_words_are_not_quotations():
    text = 'Most said their health was "very bad", the survey found.'
    assert sayso.extract(text)["quotes"] == []


def test_a_described_speaker_is_the_organisation_named_as_such():
    text = ('The UN Assistance Mission in Afghanistan published its report on Monday.\n\n'
            '"We will keep documenting every case," the mission said in a statement.')
    [q] = sayso.extract(text)["quotes"]
    assert q["speaker"] == "United Nations Assistance Mission in Afghanistan"


def test_a_described_source_named_in_brackets_is_that_organisation():
    text = ("The death of 1,500 protesters was reported by the main opposition group "
            "(the People's Mojahedin Organization of Iran, PMOI) and confirmed by Reuters.")
    assert sources(figures(text)["1,500"]) == {("People's Mojahedin Organization of Iran", "source"),
                                              ("Reuters", "confirms")}


def test_every_sub_count_after_including_shares_the_category():
    figs = figures("Police arrested 203 people last month, including 11 children and six women.")
    assert figs["11"]["category"] == figs["six"]["category"] == "arrested"


# --------------------------------------------------------------------------- issue 12: place, counted, category

def test_each_figure_of_a_list_gets_its_own_place():
    figs = figures("Officials said 40 people were hurt in Mosul, 12 people in the Nineveh province, "
                   "25 in Erbil and 8 in Kirkuk.")
    assert [figs[k]["place"] for k in ("40", "12", "25", "8")] == ["Mosul", "Nineveh", "Erbil", "Kirkuk"]


def test_sub_counts_after_including_keep_their_own_places():
    figs = figures("The toll rose to 20 people, including six people in Homs, nine in Hama and five in Idlib.")
    assert [figs[k]["place"] for k in ("six", "nine", "five")] == ["Homs", "Hama", "Idlib"]


@pytest.mark.parametrize("text, place", [
    ("Beirut/Wire: More than 90 people were killed in clashes across Syria.", "Syria"),
    ("Vienna, Austria, 3 May (Wire).- At least 70 people drowned off the coast of Libya.", "Libya"),
    ("Kabul: 14 people were killed on Monday.", "Kabul"),
])
def test_a_dateline_place_yields_to_a_place_named_after_it(text, place):
    [f] = figures(text).values()
    assert f["place"] == place


def test_a_state_bodys_country_is_the_place_where_the_sentence_names_no_other():
    figs = figures("The Peruvian Interior Ministry said 31 officers had been injured.")
    assert figs["31"]["place"] == "Peru"


def test_a_place_in_another_organisations_name_is_not_the_place():
    figs = figures("The Kenyan Association of Editors says 12 reporters are in custody.")
    assert figs["12"]["place"] is None
    figs = figures("The Bank of England raised its main rate to 5.25%.")
    assert figs["5.25%"]["place"] is None


def test_an_elided_noun_is_null_but_a_list_keeps_its_category():
    figs = figures("Medics said 40 people were injured in Mosul and 25 in Erbil.")
    assert figs["25"]["counted"] is None and figs["25"]["category"] == "injured"


def test_money_is_other_whatever_its_sentence_says():
    figs = figures("Smugglers charged the detainees $2,000 each before they were released.")
    assert figs["$2,000"]["category"] == "other"


def test_a_crash_in_one_figure_never_costs_the_document():
    figs = figures("Inflation will reach 4.5%.")
    assert figs["4.5%"]["counted"] == "Inflation"


def test_a_figure_stated_for_each_of_several_places_has_none():
    figs = figures("Homs, Hama and Idlib each reported 2 deaths.")
    assert figs["2"]["place"] is None


def test_a_place_in_brackets_apart_from_the_figure_is_not_its_place():
    figs = figures("After the uprising (when the minister fled to Oman), at least 90 people were arrested.")
    assert figs["at least 90"]["place"] is None


def test_the_only_place_of_a_sentence_may_sit_a_little_farther_away():
    figs = figures("The death toll from the unrest in Chad is up to 30 people, officials say.")
    assert figs["30"]["place"] == "Chad"


def test_a_relative_clause_on_the_events_keeps_its_place():
    figs = figures("The toll of the protests that began in Peru on Friday has risen to 18 people.")
    assert figs["18"]["place"] == "Peru"


def test_a_partitive_pronoun_and_a_rival_quantity_leave_counted_null():
    figs = figures("The ministry said 103 officers had been injured, 28 of whom were in hospital.")
    assert figs["28"]["counted"] is None and figs["28"]["category"] == "injured"
    figs = figures("The winner took 70 percent of the vote, against 12 percent for his rival.")
    assert figs["12 percent"]["counted"] is None


def test_the_same_quantity_at_another_time_keeps_its_counted():
    figs = figures("Unemployment rose to 6% from 5.5% in March.")
    assert figs["6%"]["counted"] == figs["5.5%"]["counted"] == "Unemployment"


def test_a_time_beyond_another_figure_is_that_figures():
    figs = figures("Inflation in the June quarter slowed to 5% from 6.1% in March.")
    assert figs["5%"]["time"]["text"] == "in the June quarter"
    assert figs["6.1%"]["time"]["text"] == "in March"


def test_a_sentence_with_one_figure_keeps_its_only_time():
    figs = figures("In March, officials said, the agency counted 40 deaths.")
    assert figs["40"]["time"]["text"] == "In March"


def test_a_fraction_of_a_point_alone_in_its_sentence_is_found():
    figs = figures("The bank raised its rate by half a percentage point.")
    assert figs["half a percentage point"]["value"] == {"low": 0.5, "high": 0.5}
