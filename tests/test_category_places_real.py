"""Category and place of figures as real reporting writes them (issue 12): clauses joined by
"and", descriptions with "as", modifiers shared by a coordination, lists after "including",
places the registry does not know. End to end, on made-up sentences."""
from __future__ import annotations

import re

import sayso
from sayso.extract import places as place_finder
from sayso.extract.parse import load_pipeline, parse_sentences, split_sentences


def figures(text: str, published: str | None = "2024-03-10") -> dict[str, dict]:
    return {f["text"]: f for f in sayso.extract(text, published=published)["figures"]}


def categories(text: str) -> dict[str, str]:
    return {k: f["category"] for k, f in figures(text).items()}


def places(text: str) -> dict[str, str | None]:
    return {k: f["place"] for k, f in figures(text).items()}


# ------------------------------------------------------------------ category


def test_a_cue_of_another_clause_yields_to_the_figures_own():
    cats = categories("The governor said five miners drowned and one worker was in the intensive care ward.")
    assert cats["one"] == "injured"
    assert cats["five"] == "killed"          # must not fire: the first clause keeps its own verb


def test_a_cue_of_another_clause_still_speaks_where_the_figures_has_none():
    assert categories("Soldiers opened fire on the march and killed 14 villagers.")["14"] == "killed"


def test_a_description_with_as_speaks_for_the_clauses_subject():
    text = "The mayor said 23 residents are on record as dead ... a grim week … for the whole town, he added."
    assert categories(text)["23"] == "killed"
    assert categories("The mayor said 23 residents are on record as voters.")["23"] == "other"   # no cue: no category


def test_a_participle_on_the_last_noun_of_a_coordination_is_shared():
    cats = categories("The clinic counted 70 students and 15 wounded teachers.")
    assert cats["70"] == "injured" and cats["15"] == "injured"


def test_a_shared_participle_does_not_overrule_the_figures_own_cue():
    cats = categories("Police detained 70 students and 15 wounded teachers.")
    assert cats["70"] == "arrested"
    cats = categories("The rally ended with 300 martyrs and 4,000 injured victims.")
    assert cats["300"] == "killed"


def test_a_passive_verb_without_a_subject_is_the_coordinated_nouns_before_it():
    cats = categories("Police killed 2 protesters, and 40 students and 12 teachers were wounded in the clashes.")
    assert cats["40"] == "injured" and cats["12"] == "injured"
    assert cats["2"] == "killed"          # must not fire: the object of "killed" is not its subject


def test_every_part_of_a_list_after_including_takes_the_totals_category():
    text = ("The number of pilgrims who drowned has risen to 24 people, including six people in Oruro, seven "
            "people in Potosi [province], eight people in Tarija [province], two in Beni and one in Pando, the ministry said.")
    cats = categories(text)
    assert cats["eight"] == cats["two"] == cats["one"] == "killed"


def test_a_clause_after_the_list_keeps_its_own_category():
    cats = categories("Police arrested 60 people, including 8 in Oruro, and 40 were released later.")
    assert cats["8"] == "arrested"
    assert cats["40"] == "released"        # must not fire: its own verb says what happened


# ------------------------------------------------------------------ place


def test_a_place_named_as_where_a_toll_is_from_is_the_place():
    assert places("The death toll from Peru has risen to 40, the ombudsman said.")["40"] == "Peru"


def test_a_place_in_the_name_of_a_source_organisation_is_still_not_the_place():
    assert places("A spokesman for the Norwegian Refugee Council said 300 families had fled.")["300"] is None
    assert places("According to the Chad Human Rights League, nearly 300 deaths were recorded in May.")["nearly 300"] is None


def test_a_place_in_the_title_of_a_report_that_is_the_source_is_the_place():
    text = "A new study titled ‘Hunger and Repression in Chad’ says that 312 deaths were recorded in May."
    assert places(text)["312"] == "Chad"


def test_a_total_takes_no_place_from_its_parts_after_including():
    figs = places("The toll has risen to 30 people, including eight people in Homs, nine in Hama and 13 in Idlib, the monitor said.")
    assert figs["30"] is None
    assert [figs[k] for k in ("eight", "nine", "13")] == ["Homs", "Hama", "Idlib"]


def test_a_restated_share_does_not_take_the_place_away():
    figs = places("Nearly 9,000 shops, a third of all shops in Aleppo, were looted.")
    assert figs["Nearly 9,000"] == "Aleppo"          # must not fire: no "including"
    figs = places("Some 120 miners died and 900 fell ill in the gold mines of Chad last year.")
    assert figs["Some 120"] == "Chad"


def test_a_state_body_of_a_country_far_from_the_figure_says_where():
    text = "The group says 640 were hurt in the crackdown, with most of the wounds caused by gunfire from Chad's security forces."
    assert places(text)["640"] == "Chad"


def test_a_phrase_naming_the_people_counted_yields_to_what_happened_to_them():
    assert categories("Witnesses described the massacre of 600 political prisoners at the camp.")["600"] == "killed"
    assert categories("Officials confirmed the execution of 300 political prisoners.")["300"] == "executed"
    # must not fire: where nothing else is said, they are imprisoned
    assert categories("There are 300 political prisoners in the country.")["300"] == "imprisoned"


def test_a_county_or_province_is_named_without_the_area_word():
    assert places("Floods killed 40 people in Turkana County on Monday.")["40"] == "Turkana"


def test_a_figure_about_several_areas_named_together_has_no_place():
    assert places("Officials said clashes killed 9 people in Homs, Idlib, Daraa and Hama provinces over the weekend.")["9"] is None
    assert places("Floods hit the provinces of Homs, Hama and Idlib, where 30 people died.")["30"] is None
    # must not fire: each area has its own figure
    figs = places("Floods killed 30 people in Idlib province and 20 in Hama province.")
    assert figs["30"] == "Idlib" and figs["20"] == "Hama"


def test_names_coordinated_with_a_place_are_places():
    figs = places("Shelling destroyed homes in Latakia (1,200), Daraa (980) and Jableh (450).")
    assert figs["450"] == "Jableh"


def test_a_direction_before_a_country_does_not_make_another_place():
    assert places("Airstrikes killed 30 people in Northern Syria.")["30"] == "Syria"


def test_names_after_in_are_places_whatever_the_parser_calls_them():
    figs = places("Police said 17 people died in Shubra on Friday, while 6 died in Maadi and 9 in Zamalek.")
    assert [figs[k] for k in ("17", "6", "9")] == ["Shubra", "Maadi", "Zamalek"]


def test_a_longer_name_around_a_known_place_is_its_own_place():
    assert places("Shelling killed 14 people in Greater Khartoum on Sunday.")["14"] == "Greater Khartoum"


def test_a_share_of_what_the_clause_opens_with():
    assert categories("Of those deaths, children made up 12 percent, officials said.")["12 percent"] == "killed"
    assert categories("The envoy said of those deaths, children made up 12 percent.")["12 percent"] == "killed"
    # must not fire: what the share is of names no event
    assert categories("Of those polled, 40 percent backed the plan.")["40 percent"] == "other"


def test_the_number_refers_back_to_the_event_named_before_it():
    text = "Estimates of the death toll vary widely, and local monitors put the number at 212."
    assert categories(text)["212"] == "killed"
    # must not fire: no event named before it, or "the number of" says what it counts
    assert categories("The mayor said the number stood at 400.")["400"] == "other"
    assert categories("After the death toll rose, the number of injured reached 300.")["300"] == "injured"


def test_a_figure_of_a_clause_with_its_own_verb_takes_no_cue_of_another_clause():
    text = "The storm drove 80,000 villagers from their homes, and 5,000 farmers are still waiting for seed."
    assert categories(text)["5,000"] == "other"
    assert categories("The flood killed 12 people and destroyed 300 homes.")["300"] == "other"
    # must not fire: a clause with "be" says no more than the clause before it
    assert categories("Six people were killed, and 3 were children.")["3"] == "killed"


def test_a_named_site_is_the_place():
    assert places("Medics counted 300 bodies at Nour al-Huda square after the raid.")["300"] == "Nour al-Huda square"
    text = "Rights groups said guards killed 12 inmates in Kobar prison near Khartoum last week."
    assert places(text)["12"] == "Kobar prison"       # the town near it only says where the prison is


def test_the_kind_of_place_before_of_yields_to_its_name():
    assert places("Shelling killed 45 people in the North Kordofan city of El Obeid on Monday.")["45"] == "El Obeid"
    # must not fire: a place after "near" that locates no other place
    assert places("Rights groups said police killed 12 protesters near Khartoum last week.")["12"] == "Khartoum"


def test_a_source_whose_mandate_is_a_place_says_where():
    text = "The UN expert on Belarus told reporters that 300 people remain detained."
    assert places(text)["300"] == "Belarus"
    # must not fire over a place the figure's own clause names
    assert places("The Independent Expert on Sudan said 30 people were killed in Chad.")["30"] == "Chad"


def test_a_site_of_a_city_named_with_its_possessive_is_the_site():
    text = "Medics counted 90 bodies at Khartoum's Nour al-Huda Square after the raid."
    assert places(text)["90"] == "Nour al-Huda Square"


def _lead_kept(text: str, figure: str) -> list[str]:
    """The places ``_past_lead`` keeps for a figure, of every capitalised place word given."""
    sent = split_sentences(text)[0]
    parse_sentences(load_pipeline(), [sent])
    words = [(sent.start + m.start(), sent.start + m.end(), m.group(), True)
             for m in re.finditer(r"\b(?:Chad|Cairo|Giza)\b", text)]
    at = text.index(figure)
    kept = place_finder._past_lead(sent, words, sent.tokens_in(sent.start + at, sent.start + at + len(figure)))
    return [name for _, _, name, _ in kept]


def test_a_colon_in_a_title_is_no_dateline():
    text = "A study titled Hunger in Chad: a survey of farms in Chad found 97 villages without food."
    assert _lead_kept(text, "97") == ["Chad", "Chad"]
    # must not fire: a dateline's place still yields to the sentence's own
    assert _lead_kept("Cairo/Agency: Police said 40 people were arrested in Giza on Friday.", "40") == ["Giza"]
    assert places("Cairo/Agency: Police said 40 people were arrested in Giza on Friday.")["40"] == "Giza"


def test_a_state_body_in_a_place_says_where_when_nothing_else_does():
    text = "The education office in Chad, which runs the schools, put the number of pupils at 4,120."
    assert places(text)["4,120"] == "Chad"
    # must not fire: an organisation that is no state body
    assert places("Amnesty International, which has an office in Nairobi, said 30 people were killed.")["30"] is None


def test_a_village_named_in_a_region_is_the_village():
    text = "An air strike on Kyauk Taw village in Myanmar's Magway region killed 71 people on Sunday."
    assert places(text)["71"] == "Kyauk Taw village"


def test_a_count_of_countries_is_about_none_of_them():
    found = places("Chile ranked last among the 160 nations surveyed by the watchdog, and Peru came second.")
    assert found["160"] is None
    assert places("Police in Chile detained 160 students on Tuesday.")["160"] == "Chile"   # must not fire


def test_a_noun_of_what_happened_speaks_for_the_of_phrase_of_its_coordination():
    assert categories("Witnesses described the beating and killing of 9 inmates by guards.")["9"] == "killed"
    assert categories("Witnesses described the beating of 9 inmates by guards.")["9"] != "killed"   # must not fire
