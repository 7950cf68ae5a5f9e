"""Events (sayso.link.events), origins (sayso.link.origins) and reposts (sayso.link.reposts) on
small records built here; and `sayso events` / `sayso event` on a ledger."""
from __future__ import annotations

import json

import pytest

from conftest import run_cli
from sayso.link.corpus import link_records
from sayso.link.events import event_times, same_event
from sayso.link.origins import independent_origins, origins_of
from sayso.link.reposts import find_reposts
from test_groups import doc, fig


def events_of(records):
    return {f"{r['document']['id']}/{f['id']}": f.get("event") for r in records for f in r["figures"]}


# ---------------------------------------------------------------- events over records

def test_two_tolls_of_one_flood_with_different_values_are_one_event():
    a = doc("a", ("The river authority said 212 people died in the floods in Pakistan.",
                  fig("f1", "212", 212, place="Pakistan", sources=["River Authority"])),
            ("A volunteer network counted at least 340 people dead in the floods in Pakistan.",
             fig("f2", "at least 340", 340, qualifier="at_least", place="Pakistan", sources=["Volunteer Network"])))
    records = [a]
    link_records(records)
    got = events_of(records)
    assert got["a/f1"] is not None and got["a/f1"] == got["a/f2"]


def test_equal_values_of_two_unrelated_events_are_two_events():
    a = doc("a", ("Forty people were killed when a ferry capsized off Tanzania, the coast guard said.",
                  fig("f1", "Forty", 40, place="Tanzania", sources=["Coast Guard"])))
    b = doc("b", ("Forty people were detained after a rally in Peru, police said.",
                  fig("f1", "Forty", 40, category="arrested", place="Peru", sources=["Police"])))
    records = [a, b]
    link_records(records)
    assert set(events_of(records).values()) == {None}


def test_a_group_lies_inside_its_event():
    a = doc("a", ("Rescuers said 75 miners were killed in the collapse in Chile.",
                  fig("f1", "75", 75, counted="miners", place="Chile", sources=["Rescuers"])))
    b = doc("b", ("The mine collapse in Chile killed 75 miners, rescuers said on Monday.",
                  fig("f1", "75", 75, counted="miners", place="Chile", sources=["Rescuers"])),
            ("The miners' union later put the collapse toll at 81 miners in Chile.",
             fig("f2", "81", 81, counted="miners", place="Chile", sources=["Miners Union"])))
    records = [a, b]
    link_records(records)
    groups = {f"{r['document']['id']}/{f['id']}": f.get("group") for r in records for f in r["figures"]}
    got = events_of(records)
    assert groups["a/f1"] == groups["b/f1"] is not None
    assert got["a/f1"] == got["b/f1"] == got["b/f2"] is not None


def test_a_sub_count_stands_apart_from_the_whole_toll():
    a = fig("f1", "120", 120, place="Sudan", sources=["Health Ministry"])
    b = fig("f2", "nine", 9, counted="police officers", place="Sudan", sources=["Interior Ministry"])
    a["sentence_text"] = "The health ministry said 120 people were killed in the clashes in Sudan."
    b["sentence_text"] = "Nine police officers were killed in the clashes in Sudan, the interior ministry said."
    verdict = same_event(a, b)
    assert not verdict.same
    assert any("part and its whole" in r for r in verdict.reasons)


def test_a_city_count_is_a_part_of_the_national_toll():
    city = fig("f1", "14", 14, place="Basra", sources=["Local Hospital"])
    city["sentence_text"] = "A local hospital said 14 people were killed in the clashes in Basra."
    country = fig("f2", "90", 90, place="Iraq", sources=["Rights Commission"])
    country["sentence_text"] = "The rights commission said 90 people were killed in the clashes in Iraq."
    verdict = same_event(city, country)
    assert not verdict.same and any("a part of iraq" in r for r in verdict.reasons)


def test_a_village_its_sentence_puts_in_a_known_region_lies_in_it():
    from sayso.link.events import stated_parent
    from sayso.link.context import FigureContext
    village = fig("f1", "61", 61, place="Oskeni village", sources=["Village Council"])
    village["sentence_text"] = "The shelling of Oskeni village in Syria's Idlib Governorate killed 61 people, the village council said."
    region = fig("f2", "at least 40", 40, qualifier="at_least", place="Idlib", sources=["Civil Defence"])
    region["sentence_text"] = "At least 40 people were killed in the shelling in Idlib Governorate, the civil defence said."
    a, b = FigureContext.of(village, doc="a", doc_country="Syria"), FigureContext.of(region, doc="b", doc_country="Syria")
    assert stated_parent(a) == "idlib"
    assert stated_parent(b) is None                    # a place the registry knows needs no parent
    assert not any("different places" in r for r in same_event(a, b).reasons)
    # a village whose sentence does not place it stays a place apart from the region
    alone = dict(village, sentence_text="The shelling of Oskeni village killed 61 people, the village council said.")
    c = FigureContext.of(alone, doc="a", doc_country="Syria")
    assert stated_parent(c) is None
    assert any("different places" in r for r in same_event(c, b).reasons)
    # nor does one the sentence puts in another region
    elsewhere = dict(village, sentence_text="The shelling of Oskeni village in Syria's Hama Governorate killed 61 people.")
    assert any("different places" in r for r in same_event(FigureContext.of(elsewhere, doc="a", doc_country="Syria"), b).reasons)


def test_a_city_count_may_join_one_that_names_no_place():
    city = fig("f1", "14", 14, place="Basra", sources=["Local Hospital"])
    city["sentence_text"] = "A local hospital said 14 people were killed in the clashes in Basra."
    bare = fig("f2", "20", 20, sources=["Rights Commission"])
    bare["sentence_text"] = "The rights commission said 20 people were killed in the clashes."
    assert not any("a part of" in r for r in same_event(city, bare).reasons)


def test_a_phase_of_an_event_is_its_own_quantity():
    whole = fig("f1", "410", 410, place="Chile", sources=["Rights Institute"])
    whole["sentence_text"] = "The rights institute said 410 people were injured in the unrest in Chile."
    part = fig("f2", "95", 95, place="Chile", sources=["Rights Institute"])
    part["sentence_text"] = "In the second round of unrest, 95 people were injured in Chile, the institute said."
    verdict = same_event(whole, part)
    assert not verdict.same and any("second round" in r for r in verdict.reasons)
    again = fig("f3", "101", 101, place="Chile", sources=["Health Ministry"])
    again["sentence_text"] = "The health ministry said 101 people were injured during the second round of unrest in Chile."
    assert not any("phase" in r for r in same_event(part, again).reasons)


def test_phase_words_inside_a_dated_time_are_its_period_not_a_phase():
    half = fig("f1", "at least 410", 410, qualifier="at_least", place="Chile", sources=["Rights Institute"],
               time=("in the first three months of the year", "2022-01-01", "2022-03-31"))
    half["sentence_text"] = "The rights institute said at least 410 people were injured in Chile in the first three months of the year."
    rival = fig("f2", "fewer than 150", 150, qualifier="at_most", place="Chile", sources=["Health Ministry"])
    rival["sentence_text"] = "The health ministry says fewer than 150 people were injured in Chile."
    assert not any("phase" in r for r in same_event(half, rival).reasons)
    # an event's own opening weeks, which no date resolves, remain a phase of it
    opening = fig("f3", "at least 410", 410, qualifier="at_least", place="Chile", sources=["Rights Institute"],
                  time=("in the first six weeks of the unrest", None, None))
    opening["sentence_text"] = ("The rights institute said at least 410 people were injured in Chile in the first "
                                "six weeks of the unrest.")
    verdict = same_event(opening, rival)
    assert not verdict.same and any("first week" in r for r in verdict.reasons)


def test_phase_needs_an_ordinal_before_a_phase_noun():
    from sayso.link.events import phase
    assert phase("During the first wave of strikes, 12 were hurt.") == "first wave"
    assert phase("In the opening two days, 30 were detained.") == "opening day"
    assert phase("The first report counted 40 people detained.") is None
    assert phase("Forty people died over three days of fighting.") is None


def test_figures_saying_nothing_of_what_happened_are_one_event_only_with_one_value():
    pledged = fig("f1", "$2.1 billion", 2.1e9, category="other", counted="US dollars", kind="money", place="Chad",
                  sources=["Donor Conference"])
    pledged["sentence_text"] = "Donors pledged $2.1 billion for Chad at the conference."
    asked = fig("f2", "$4.4 billion", 4.4e9, category="other", counted="US dollars", kind="money", place="Chad",
                sources=["Aid Agencies"])
    asked["sentence_text"] = "Aid agencies had asked for $4.4 billion for Chad this year."
    verdict = same_event(pledged, asked)
    assert not verdict.same and any("different values" in r for r in verdict.reasons)
    again = dict(pledged, text="$2.1bn")
    again["sentence_text"] = "The $2.1bn pledged for Chad at the conference falls short."
    assert not any("different values" in r for r in same_event(pledged, again).reasons)


def test_a_time_that_is_only_the_publication_day_does_not_make_a_part():
    day = fig("f1", "88", 88, time=("2022-03-09", "2022-03-09", "2022-03-09"))
    month = fig("f2", "90", 90, time=("in February and March", "2022-02-01", "2022-03-31"))
    assert not event_times(day, month)[0]
    assert event_times(day, month, "2022-03-09", "2022-04-02")[0]
    assert not event_times(day, month, "2022-03-10", "2022-04-02")[0]


def test_a_period_covering_much_of_the_months_named_is_the_same_period():
    months = fig("f1", "700", 700, time=("in May and June", "2023-05-01", "2023-06-30"))
    most = fig("f2", "640", 640, time=("between 10 May and 20 June", "2023-05-10", "2023-06-20"))
    week = fig("f3", "90", 90, time=("between 3 and 9 June", "2023-06-03", "2023-06-09"))
    assert event_times(months, most)[0]
    assert not event_times(months, week)[0]


def test_protesters_and_martyrs_of_one_toll_are_broad_alike_but_police_are_not():
    a = fig("f1", "230", 230, counted="martyrs", place="Iraq", sources=["Rights Commission"])
    a["sentence_text"] = "The rights commission counted 230 martyrs of the uprising in Iraq."
    b = fig("f2", "260", 260, counted="protesters", place="Iraq", sources=["Monitor"])
    b["sentence_text"] = "A monitor said 260 protesters were killed in the uprising in Iraq."
    c = fig("f3", "25", 25, counted="police officers", place="Iraq", sources=["Interior Ministry"])
    c["sentence_text"] = "The interior ministry said 25 police officers were killed in the uprising in Iraq."
    assert not any("different counted nouns" in r for r in same_event(a, b).reasons)
    assert not same_event(b, c).same


def test_an_increment_on_a_toll_is_not_another_estimate_of_it():
    toll = fig("f1", "80", 80, counted="villagers", place="Mali", sources=["Red Cross"])
    toll["sentence_text"] = "The Red Cross said 80 villagers were killed in the raids in Mali."
    more = fig("f2", "nine", 9, counted="more villagers", place="Mali", sources=["Red Cross"])
    more["sentence_text"] = "Nine more villagers were killed in the raids in Mali, the Red Cross said."
    verdict = same_event(toll, more)
    assert not verdict.same and any("increment" in r for r in verdict.reasons)
    other = fig("f3", "85", 85, counted="villagers", place="Mali", sources=["Mayor"])
    other["sentence_text"] = "The mayor said 85 villagers were killed in the raids in Mali."
    assert not any("increment" in r for r in same_event(toll, other).reasons)


def test_a_part_of_a_stated_quantity_is_not_another_estimate_of_it():
    from sayso.link.context import FigureContext
    held = fig("f1", "210", 210, counted="detainees", category="tortured", place="Peru", sources=["Monitor"])
    held["sentence_text"] = "The monitor said 210 detainees were tortured in Peru."
    part = fig("f2", "Forty", 40, counted="detainees", category="tortured", place="Peru")
    part["sentence_text"] = "Forty of those detainees were tortured in Peru, the doctors said."
    verdict = same_event(held, part)
    assert not verdict.same and any("part of a quantity" in r for r in verdict.reasons)
    from sayso.link.events import partitive
    plain = dict(part, text="Forty")
    plain["sentence_text"] = "Forty detainees of the prison were tortured in Peru."
    assert not partitive(FigureContext.of(plain))


def test_one_voice_giving_two_values_in_one_document_states_two_quantities():
    a = doc("a", ("The agency said 4.2 million people had fled their homes in Ruritania.",
                  fig("f1", "4.2 million", 4_200_000, category="displaced", place="Ruritania", sources=["Agency"])),
            ("The agency said 1.1 million people had fled their homes in Ruritania's north.",
             fig("f2", "1.1 million", 1_100_000, category="displaced", place="Ruritania", sources=["Agency"])))
    records = [a]
    link_records(records)
    assert set(events_of(records).values()) == {None}


# ---------------------------------------------------------------- the periods of a toll

def _timed(text, start, end):
    return {"time": {"text": text, "start": start, "end": end}}


def test_running_tolls_with_one_start_reported_on_different_dates_are_one_period():
    ok, why = event_times(_timed("since 3 May", "2022-05-03", "2022-06-01"), _timed("since 3 May", "2022-05-03", "2022-07-20"))
    assert ok, why


def test_a_day_inside_the_whole_period_is_its_own_quantity():
    ok, _ = event_times(_timed("on 9 May", "2022-05-09", "2022-05-09"), _timed("since 3 May", "2022-05-03", "2022-07-20"))
    assert not ok


def test_a_count_as_of_a_date_is_the_running_total_up_to_it():
    ok, why = event_times(_timed("as of 9 May", "2022-05-09", "2022-05-09"), _timed("since 3 May", "2022-05-03", "2022-07-20"))
    assert ok, why


def test_two_different_days_are_two_quantities():
    ok, _ = event_times(_timed("on 9 May", "2022-05-09", "2022-05-09"), _timed("on 12 May", "2022-05-12", "2022-05-12"))
    assert not ok


def test_a_time_dating_the_onset_of_the_event_makes_a_toll_so_far():
    from sayso.link.events import event_interval, onset_time
    began = {"time": {"text": "on 2 May", "start": "2022-05-02", "end": "2022-05-02"}}
    sentence = "The toll of the unrest that erupted in the capital on 2 May has risen to 41, medics said."
    assert onset_time(sentence, "on 2 may")
    span = event_interval(began, "2022-05-20", sentence)
    assert span is not None and span[1].isoformat() == "2022-05-20"
    ok, why = event_times(began, _timed("since early May", "2022-05-01", "2022-06-30"), "2022-05-20", None, sentence, "")
    assert ok, why
    day = "Medics said 41 people were killed in the capital on 2 May."
    assert not onset_time(day, "on 2 may")
    assert not event_times(began, _timed("since early May", "2022-05-01", "2022-06-30"), "2022-05-20", None, day, "")[0]


def test_a_cue_before_a_possessive_day_counts_nothing_up_to_that_day():
    from datetime import date

    from sayso.link.events import event_interval, possessive_time
    owned = {"time": {"text": "by Sunday", "start": "2022-05-08", "end": "2022-05-08"}}
    sentence = "Medics were stunned by Sunday's blast at the depot, which killed 41 people."
    assert possessive_time(sentence, "by sunday")
    assert event_interval(owned, "2022-05-10", sentence) == (date(2022, 5, 8), date(2022, 5, 8))
    # the day's toll is a part of a toll counted since the war began, not a running total of it
    assert not event_times(owned, _timed("since 3 March", "2022-03-03", "2022-05-10"), "2022-05-10", None, sentence, "")[0]
    counted = "By Sunday, 41 people had been killed at the depot, medics said."
    assert not possessive_time(counted, "by sunday")
    assert event_interval(owned, "2022-05-10", counted)[0] == date.min
    assert event_times(owned, _timed("since 3 March", "2022-03-03", "2022-05-10"), "2022-05-10", None, counted, "")[0]


def test_a_time_framing_a_comparison_is_not_the_period_counted():
    from sayso.link.events import event_interval
    framed = {"time": {"text": "since 2015", "start": "2015-01-01", "end": "2022-04-02"}}
    assert event_interval(framed, "2022-04-02", "At least 812 people died, the ministry said in its first full toll since 2015.") is None
    assert event_interval(framed, "2022-04-02", "At least 812 people have died since 2015, the ministry said.") is not None


def test_a_year_in_a_name_is_not_the_period_counted():
    from sayso.link.events import event_interval
    year = {"time": {"text": "2015", "start": "2015-01-01", "end": "2015-12-31"}}
    assert event_interval(year, "2022-04-02", "Some 900 people have been held under Article 12 of the 2015 Constitution.") is None
    assert event_interval(year, "2022-04-02", "Some 900 people were held after the 2015 crackdown.") is not None


def test_a_locality_the_registry_does_not_know_is_a_part_of_its_country_toll():
    from sayso.link.context import FigureContext
    town = fig("f1", "at least 30", 30, qualifier="at_least", place="Vorrendale", sources=["Watch Group"])
    town["sentence_text"] = "A watch group said at least 30 people died in Vorrendale during the protests."
    whole = fig("f2", "45", 45, place="Kenya", sources=["Rights Commission"])
    whole["sentence_text"] = "The rights commission said 45 people died in Kenya during the protests."
    a = FigureContext.of(town, doc="a", doc_country="Kenya")
    b = FigureContext.of(whole, doc="b", doc_country="Kenya")
    verdict = same_event(a, b)
    assert not verdict.same and any("part of kenya" in r for r in verdict.reasons)
    # the same unknown place in a document about no known country stands for itself
    c = FigureContext.of(town, doc="c")
    assert not any("part of" in r for r in same_event(c, b).reasons)


def test_the_rest_beside_a_stated_part_is_not_another_estimate():
    from sayso.link.context import FigureContext
    from sayso.link.events import increment
    rest = fig("f2", "23", 23, counted="deaths")
    rest["sentence_text"] = "The other 23 deaths occurred in the provinces, the group said."
    assert increment(FigureContext.of(rest))
    plain = dict(rest)
    plain["sentence_text"] = "The 23 deaths occurred in the provinces, the group said."
    assert not increment(FigureContext.of(plain))


def test_a_figure_after_a_partitive_phrase_counts_a_part():
    from sayso.link.context import FigureContext
    from sayso.link.events import partitive
    part = fig("f2", "about 90", 90, qualifier="approx")
    part["sentence_text"] = "Of those killed, about 90 people were women."
    assert partitive(FigureContext.of(part))
    apposed = dict(part)
    apposed["sentence_text"] = "Some 8 percent of those killed, or about 90 people, were women."
    assert partitive(FigureContext.of(apposed))
    whole = dict(part)
    whole["sentence_text"] = "About 90 people were killed, of whom many were women."
    assert not partitive(FigureContext.of(whole))


# ---------------------------------------------------------------- a share and a count

def _share(fid, text, value, counted=None, category="killed", place=None):
    return fig(fid, text, value, counted=counted, category=category, place=place, kind="percent")


def _count(fid, text, value, counted, category="killed"):
    return fig(fid, text, value, counted=counted, category=category)


def _one_sentence(sentence, *figures, doc_id="a"):
    """One document of one sentence holding every figure."""
    record = doc(doc_id, (sentence, figures[0]))
    for f in figures[1:]:
        at = sentence.index(f["text"])
        record["figures"].append({**f, "start": at, "end": at + len(f["text"]),
                                  "sentence": {"start": 0, "end": len(sentence)}})
    return record


@pytest.mark.parametrize("sentence, share, count", [
    ("The monitor said militias held 70 percent of the detainees it had listed, or 2,100 people.",
     ("70 percent", 70, "detainees"), ("2,100", 2100, "people")),
    ("About 3,000 residents, roughly 40 percent of the valley's population, have fled the fighting.",
     ("roughly 40 percent", 40, "valley's population"), ("About 3,000", 3000, "residents")),
    ("Some 450 prisoners (15 percent of the inmates) were held without charge, the lawyers said.",
     ("15 percent", 15, "inmates"), ("Some 450", 450, "prisoners")),
])
def test_a_share_its_sentence_restates_as_a_count_is_one_event_with_it(sentence, share, count):
    record = _one_sentence(sentence, _share("f1", *share, category="displaced"),
                           _count("f2", *count, category="displaced"))
    link_records([record])
    got = events_of([record])
    assert got["a/f1"] is not None and got["a/f1"] == got["a/f2"]


@pytest.mark.parametrize("sentence, share, count", [
    # a share of the count just stated, not the count
    ("Police shot dead 40 protesters, 20 percent of them teenagers, the families said.",
     ("20 percent", 20, None), ("40", 40, "protesters")),
    # a share of a survey's sample
    ("In a poll of 900 nurses, 60 percent said they had been threatened at work.",
     ("60 percent", 60, None), ("900", 900, "nurses")),
    # a change, not a restatement
    ("Troops detained 300 people, some 25 percent more than in the previous week.",
     ("25 percent", 25, None), ("300", 300, "people")),
    # another number between them: not side by side
    ("The strike shut 80 percent of the shops in 12 towns, and 300 people were detained.",
     ("80 percent", 80, "shops"), ("300", 300, "people")),
])
def test_a_share_beside_a_count_of_something_else_is_another_quantity(sentence, share, count):
    record = _one_sentence(sentence, _share("f1", *share), _count("f2", *count))
    link_records([record])
    got = events_of([record])
    assert got["a/f1"] is None or got["a/f1"] != got["a/f2"]


def _verified(share_sentence, share_value, share_text, count_sentence="Among them were 1,500 children."):
    return doc("a", ("The monitor verified 5,000 deaths in Chad since January.",
                     fig("f1", "5,000", 5000, counted="deaths", place="Chad", sources=["Monitor"])),
               (count_sentence, fig("f2", "1,500", 1500, counted="children")),
               (share_sentence, _share("f3", share_text, share_value, counted="dead")))


def test_a_count_that_is_the_share_of_a_stated_total_is_one_event_with_the_share():
    record = _verified("Thirty percent of the dead were children, the monitor said.", 30, "Thirty percent")
    link_records([record])
    got = events_of([record])
    assert got["a/f2"] is not None and got["a/f2"] == got["a/f3"]
    assert got["a/f1"] != got["a/f2"]           # the total is not its part


@pytest.mark.parametrize("share_sentence, value, text", [
    ("Twelve percent of the dead were children, the monitor said.", 12, "Twelve percent"),   # another ratio
    ("Thirty percent of the dead were women, the monitor said.", 30, "Thirty percent"),      # other people
])
def test_a_share_of_other_people_or_another_ratio_is_not_the_count(share_sentence, value, text):
    record = _verified(share_sentence, value, text)
    link_records([record])
    got = events_of([record])
    assert got["a/f3"] is None or got["a/f3"] != got["a/f2"]


def test_a_share_and_a_count_the_text_does_not_tie_are_two_quantities():
    from sayso.link.events import tie
    share = _ctx(_share("f1", "45 percent", 45, counted="voters"), "Turnout was 45 percent, the commission said.")
    count = _ctx(fig("f2", "1,200", 1200), "Police detained 1,200 people after the vote.", start=60)
    assert tie(share, count) is None and not same_event(share, count).same


def test_counts_and_shares_meet_in_one_block_and_sums_of_money_apart():
    from sayso.link.blocking import block_key
    text = "In Chad, 40 people were killed, 12 percent of the district, and $3m was lost in Chad."
    record = _one_sentence(text, fig("f1", "40", 40, place="Chad"), _share("f2", "12 percent", 12, place="Chad"),
                           fig("f3", "$3m", 3e6, place="Chad", kind="money"))
    from sayso.link.context import contexts
    keys = [block_key(m) for m in contexts([record])]
    assert keys[0] == keys[1] != keys[2]


def _ctx(f, sentence, doc_id="a", start=0):
    """A figure in its sentence, as ``contexts`` makes it (sentence span from ``start``)."""
    from sayso.link.context import FigureContext
    at = sentence.index(f["text"])
    f = {**f, "start": start + at, "end": start + at + len(f["text"]),
         "sentence": {"start": start, "end": start + len(sentence)}}
    return FigureContext.of(f, doc=doc_id, text=" " * start + sentence)


def test_a_value_rejected_for_another_in_its_sentence_is_a_rival_estimate():
    from sayso.link.events import event_compatible
    s = "Across all nine camps the share is 61 percent, not 75 percent as the charity claimed."
    a = _ctx(fig("f1", "61 percent", 61, kind="percent", category="displaced", counted=None), s)
    b = _ctx(fig("f2", "75 percent", 75, kind="percent", category="displaced", counted=None), s)
    ok, why = event_compatible(a, b)
    assert ok, why
    s2 = "Across all nine camps the share is 61 percent, and 75 percent in the north."
    c = _ctx(fig("f1", "61 percent", 61, kind="percent", category="displaced", counted=None), s2)
    d = _ctx(fig("f2", "75 percent", 75, kind="percent", category="displaced", counted=None), s2)
    assert not event_compatible(c, d)[0]


def test_an_attributed_value_and_an_unnamed_estimate_in_one_sentence_are_set_against():
    from sayso.link.events import event_compatible
    s = "At least 210 died in the assault, the inquiry said, while other estimates put the toll at over 400."
    a = _ctx(fig("f1", "At least 210", 210, qualifier="at_least", counted=None, sources=["Inquiry"]), s)
    b = _ctx(fig("f2", "over 400", 400, qualifier="at_least", counted="toll"), s)
    ok, why = event_compatible(a, b)
    assert ok, why
    # a vague whole beside a named count is not a rival estimate of it
    s2 = "Hundreds of nurses have been jailed, and the union says 1,100 nurses are behind bars."
    c = _ctx(fig("f1", "Hundreds", 200, qualifier="vague", category="imprisoned", counted="nurses"), s2)
    d = _ctx(fig("f2", "1,100", 1100, category="imprisoned", counted="nurses", sources=["Union"]), s2)
    assert not event_compatible(c, d)[0]


def test_a_vague_whole_beside_a_count_it_covers_is_another_quantity():
    from sayso.link.events import event_compatible
    s = "Hundreds of nurses have been jailed, and the union says 310 nurses are behind bars."
    a = _ctx(fig("f1", "Hundreds", 200, qualifier="vague", category="imprisoned", counted="nurses"), s)
    b = _ctx(fig("f2", "310", 310, category="imprisoned", counted="nurses", sources=["Union"]), s)
    ok, why = event_compatible(a, b)
    assert not ok and any("vague quantity beside" in r for r in why)
    # set against each other by two parties, they are rival estimates
    s2 = "The ministry says hundreds of nurses are jailed, and the union says 310 nurses are behind bars."
    c = _ctx(fig("f1", "hundreds", 200, qualifier="vague", category="imprisoned", counted="nurses", sources=["Ministry"]), s2)
    d = _ctx(fig("f2", "310", 310, category="imprisoned", counted="nurses", sources=["Union"]), s2)
    assert event_compatible(c, d)[0]


def test_a_disputed_claim_is_not_the_documents_own_second_value():
    from sayso.link.events import claimants, event_compatible
    denied = fig("f1", "30 percent", 30, kind="percent", category="imprisoned", counted="inmates")
    denied["sources"] = [{"name": "Ministry", "text": "The Ministry", "role": "disputes", "date": None}]
    a = _ctx(denied, "The Ministry denies that 30 percent of inmates are held without trial.")
    b = _ctx(fig("f2", "4 percent", 4, kind="percent", category="imprisoned", counted="inmates"),
             "Only 4 percent of inmates are held without trial.", start=80)
    assert claimants(a) and not claimants(b)
    assert event_compatible(a, b)[0]
    plain = _ctx(fig("f1", "30 percent", 30, kind="percent", category="imprisoned", counted="inmates"),
                 "Some 30 percent of inmates are held without trial.")
    assert not event_compatible(plain, b)[0]


def test_what_a_category_counts_in_full_is_as_broad_as_people():
    from sayso.link.events import same_event
    held = _ctx(fig("f1", "hundreds", 200, qualifier="vague", category="tortured", counted="detainees"),
                "A monitor said hundreds of detainees were tortured in custody in Ruritania.")
    cases = _ctx(fig("f2", "more than 450", 450, qualifier="at_least", category="tortured", counted="cases of torture"),
                 "Experts said they had received more than 450 cases of torture in custody in Ruritania.", doc_id="b")
    assert not any("do not name the same people" in r for r in same_event(held, cases).reasons)
    dead = _ctx(fig("f1", "12", 12, counted="detainees"), "Rights groups said 12 detainees were killed in Ruritania.")
    toll = _ctx(fig("f2", "300", 300, counted="deaths"), "The toll of the crackdown in Ruritania reached 300 deaths.", doc_id="b")
    assert any("do not name the same people" in r for r in same_event(dead, toll).reasons)


def test_a_conjunction_with_a_broad_noun_is_broad():
    from sayso.link.events import same_event
    toll = _ctx(fig("f1", "2,000", 2000, category="injured", counted="people"),
                "The ministry said 2,000 people were injured in Ruritania's unrest.")
    both = _ctx(fig("f2", "3,100", 3100, category="injured", counted="protesters and bystanders"),
                "Medics said 3,100 protesters and bystanders were injured in Ruritania's unrest.", doc_id="b")
    assert not any("do not name the same people" in r for r in same_event(toll, both).reasons)
    forces = _ctx(fig("f2", "310", 310, category="injured", counted="police officers and soldiers"),
                  "Medics said 310 police officers and soldiers were injured in Ruritania's unrest.", doc_id="b")
    assert any("do not name the same people" in r for r in same_event(toll, forces).reasons)


def test_a_figure_pointing_back_takes_what_it_points_to():
    from sayso.link.events import event_compatible
    s = "The monitor's estimate that 2,000 inmates sleep on the floor is wrong; the prisons counted fewer than 700 such cases."
    a = _ctx(fig("f1", "2,000", 2000, category="imprisoned", counted="inmates", sources=["Monitor"]), s)
    b = _ctx(fig("f2", "fewer than 700", 700, qualifier="at_most", category="other", counted="such cases", sources=["Prisons"]), s)
    ok, why = event_compatible(a, b)
    assert ok, why


def test_two_documents_about_one_day_earn_the_day():
    day = ("on 9 May", "2022-05-09", "2022-05-09")
    a = _ctx(fig("f1", "312", 312, counted=None, time=day, sources=["Forensic Office"]),
             "The forensic office said 312 were killed at the square on 9 May.")
    b = _ctx(fig("f2", "At least 540", 540, qualifier="at_least", time=day, sources=["Watch"]),
             "At least 540 people died when the camp was cleared on 9 May, Watch said.", doc_id="b")
    verdict = same_event(a, b)
    assert verdict.same and any("one day" in r for r in verdict.reasons), verdict.reasons
    other = ("on 12 May", "2022-05-12", "2022-05-12")
    c = _ctx(fig("f2", "At least 540", 540, qualifier="at_least", time=other, sources=["Watch"]),
             "At least 540 people died when the camp was cleared on 12 May, Watch said.", doc_id="b")
    assert not any("one day" in r for r in same_event(a, c).reasons)


def test_a_vague_quantity_below_a_toll_of_its_document_is_a_rough_part():
    from sayso.link.events import event_compatible
    toll = _ctx(fig("f1", "At least 2,100", 2100, qualifier="at_least", sources=["Commission"]),
                "At least 2,100 people were killed in the crackdown, the commission said.")
    rough = _ctx(fig("f2", "hundreds", 200, qualifier="vague", counted="summary executions", sources=["Envoy"]),
                 "The envoy said hundreds of summary executions were carried out.", start=80)
    ok, why = event_compatible(toll, rough)
    assert not ok and any("rough part" in r for r in why)
    # a rough word above a count may be a rival rough estimate
    count = _ctx(fig("f1", "21", 21, sources=["Monitor"]), "The monitor counted 21 people killed in the crackdown.")
    dozens = _ctx(fig("f2", "dozens", 24, qualifier="vague", counted="deaths"),
                  "Others report dozens of deaths in the crackdown.", start=60)
    assert not any("rough part" in r for r in event_compatible(count, dozens)[1])


def test_a_change_of_a_toll_is_not_the_toll():
    from sayso.link.context import FigureContext
    from sayso.link.events import increment
    change = fig("f1", "12,000", 12000, counted=None)
    change["sentence_text"] = "The monitor revised its toll up by 12,000 after new reports."
    assert increment(FigureContext.of(change))
    plain = dict(change)
    plain["sentence_text"] = "The monitor revised its toll to 12,000 after new reports."
    assert not increment(FigureContext.of(plain))


# ---------------------------------------------------------------- origins

def test_a_relay_counts_for_the_party_it_cites():
    sources = [{"name": "Wire Agency", "role": "source", "cites": ["Health Ministry"]},
               {"name": "Health Ministry", "role": "source"}]
    assert origins_of(sources, "example.org") == ["Health Ministry"]


def test_a_disputer_or_a_confirmer_is_never_an_origin():
    sources = [{"name": "Opposition Group", "role": "source"}, {"name": "Government", "role": "disputes"},
               {"name": "Monitor", "role": "confirms"}]
    assert origins_of(sources, "example.org") == ["Opposition Group"]


def test_own_voice_is_the_publisher():
    assert origins_of([], "example.org") == ["example.org"]
    assert origins_of([{"name": "Government", "role": "disputes"}], "example.org") == ["example.org"]


def test_reposts_of_one_story_count_once():
    stated = [(1, ["wire.example"], True), (2, ["site-b.example"], True), (3, ["Monitor"], False)]
    assert independent_origins(stated, repeats={2: 1}, publisher_of={1: "wire.example", 2: "site-b.example"}) == [
        "wire.example", "Monitor"]
    assert len(independent_origins(stated)) == 3


# ---------------------------------------------------------------- reposts

STORY = ("Heavy rains swept across the southern valleys over the weekend, flooding more than forty villages "
         "and cutting the main road to the coast, while emergency crews worked through the night to reach "
         "families stranded on rooftops and local officials appealed for boats, blankets and clean water.")


def test_a_copy_of_a_story_repeats_the_first_and_another_story_does_not():
    other = ("The national orchestra opened its winter season with a programme of new works by young composers, "
             "and the hall was full for all three evenings of the festival in the old town.")
    copy = STORY + " Reporting by staff."
    assert find_reposts([("a", STORY), ("b", other), ("c", copy), ("d", STORY)]) == {"c": "a", "d": "a"}


def test_no_repost_among_different_stories():
    assert find_reposts([("a", STORY), ("b", STORY.replace("southern", "northern").replace("forty", "sixty")
                                         .replace("coast", "capital").replace("boats", "tents")
                                         .replace("night", "day").replace("rooftops", "hills"))]) == {}


# ---------------------------------------------------------------- the commands

def test_sayso_events_lists_each_event_with_its_estimates_in_order(tmp_path):
    db = tmp_path / "ledger.db"
    docs = [
        {"id": "one", "published": "2023-03-02",
         "text": "At least 40 people were killed in the clashes in Chad, the Red Cross said on Wednesday."},
        {"id": "two", "published": "2023-03-09",
         "text": "The Red Cross said 40 people were killed in the clashes in Chad last week."},
        {"id": "three", "published": "2023-03-20",
         "text": "A rights group said 95 people were killed in the clashes in Chad, an estimate the government "
                 "rejected."},
    ]
    src = tmp_path / "docs.jsonl"
    src.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    assert run_cli("ingest", str(src), "--db", str(db)).returncode == 0
    done = run_cli("events", "--db", str(db), "--format", "json", "--place", "Chad")
    assert done.returncode == 0, done.stderr
    events = json.loads(done.stdout)
    assert events, "no event found"
    event = events[0]
    assert set(event) >= {"id", "category", "counted", "place", "time", "documents", "estimates"}
    firsts = [e["first_stated"] for e in event["estimates"]]
    assert firsts == sorted(firsts)
    for e in event["estimates"]:
        assert set(e) >= {"group", "low", "high", "qualifier", "first_stated", "origins", "independent",
                          "repeated_by", "confirmed_by", "disputed_by", "figures"}
        assert not set(e["origins"]) & set(e["disputed_by"])
    one = run_cli("event", event["id"], "--db", str(db), "--format", "csv")
    assert one.returncode == 0 and one.stdout.startswith("event,category,counted")
    assert run_cli("event", "e999", "--db", str(db)).returncode == 1


# ---------------------------------------------------------------- blocking

def _dated_records(seed):
    import random

    from test_groups import random_records
    rng = random.Random(seed)
    records = random_records(seed)
    for r in records:        # a third undated, the rest over three years
        r["document"]["published"] = None if rng.random() < 0.3 else f"{rng.choice([2019, 2020, 2021])}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
    return records


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_event_blocking_yields_every_pair_within_the_date_window(seed):
    import itertools

    from sayso.link.blocking import _day, block_kind, event_pairs
    from sayso.link.context import contexts
    ms = contexts(_dated_records(seed))
    lex_fallback = "other"
    want = set()
    for a, b in itertools.combinations(ms, 2):
        ca, cb = a.category or lex_fallback, b.category or lex_fallback
        from sayso.link.blocking import country_key
        from sayso.link.lexicon import lexicon
        fits = ca == cb or lex_fallback in (ca, cb) or (ca, cb) in lexicon().compatible_categories
        countries = country_key(a) is None or country_key(b) is None or country_key(a) == country_key(b)
        near = _day(a) is None or _day(b) is None or abs(_day(a) - _day(b)) <= 400
        if block_kind(a.figure["kind"]) == block_kind(b.figure["kind"]) and fits and countries and near:
            want.add((a.index, b.index))
    got = [(a.index, b.index) for a, b in event_pairs(ms, 400)]
    assert set(got) == want and want
    assert all(i < j for i, j in got)


@pytest.mark.parametrize("seed", [1, 2])
def test_events_of_blocked_pairs_equal_those_of_every_pair(seed, monkeypatch):
    import itertools

    from sayso.link import events as module
    from sayso.link.blocking import _day
    blocked = _dated_records(seed)
    link_records(blocked)
    monkeypatch.setattr(module, "event_pairs", lambda ms, days=None: (
        (a, b) for a, b in itertools.combinations(ms, 2)
        if _day(a) is None or _day(b) is None or abs(_day(a) - _day(b)) <= days))
    brute = _dated_records(seed)
    link_records(brute)
    assert events_of(blocked) == events_of(brute)
    assert any(events_of(blocked).values())


# ---------------------------------------------------------------- categories

def test_a_figure_that_refers_back_may_match_any_category():
    from sayso.link.context import FigureContext
    such = FigureContext.of(fig("f2", "fewer than 90", 90, qualifier="at_most", category="other",
                                counted="such cases"), doc="a")
    plain = FigureContext.of(fig("f3", "90", 90, category="other", counted="prisons"), doc="a")
    assert such.refers_back and not plain.refers_back


def test_executions_and_killings_with_different_values_are_different_events():
    a = fig("f1", "3,000", 3000, category="executed", place="Ruritania", sources=["Monitor"])
    b = fig("f2", "1,200", 1200, category="killed", place="Ruritania", sources=["Monitor"])
    a["sentence_text"] = "The monitor said 3,000 people were executed in Ruritania."
    b["sentence_text"] = "The monitor said 1,200 people were killed in Ruritania."
    assert not same_event(a, b).same


def test_an_other_figure_of_a_group_takes_its_group_category():
    from sayso.link.context import FigureContext
    from sayso.link.events import group_categories
    toll = FigureContext.of({**fig("f1", "19", 19), "group": "g1"}, doc="a", index=0)
    same = FigureContext.of({**fig("f2", "19", 19, category="other"), "group": "g1"}, doc="b", index=1)
    alone = FigureContext.of(fig("f3", "19", 19, category="other"), doc="c", index=2)
    group_categories([toll, same, alone])
    assert (toll.category, same.category, alone.category) == ("killed", "killed", "other")


def test_a_place_abroad_reads_as_its_document_country_only_where_places_disagree():
    from sayso.link.aspects import home_places
    from sayso.link.context import FigureContext
    dateline = FigureContext.of(fig("f1", "640", 640, place="Geneva"), doc="a", doc_country="Ruritania")
    home = FigureContext.of(fig("f1", "640", 640, place="Ruritania"), doc="b", doc_country="Ruritania")
    elsewhere = FigureContext.of(fig("f1", "640", 640, place="Geneva"), doc="c", doc_country="Switzerland")
    assert home_places(dateline, home)[0]
    assert not home_places(elsewhere, home)[0]


def test_a_text_of_unknown_provenance_restating_an_attributed_figure_adds_no_origin():
    from sayso.link.origins import parties
    stated = [("a", [{"name": "Rights Group", "role": "source"}], "news.example"),
              ("b", [], "document b"), ("c", [], "blog.example")]
    assert parties(stated, anonymous={"b"})["origins"] == ["Rights Group", "blog.example"]
    alone = [("b", [], "document b"), ("d", [], "document d")]
    assert parties(alone, anonymous={"b", "d"})["origins"] == ["document b", "document d"]
