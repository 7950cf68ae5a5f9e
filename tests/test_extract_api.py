"""End-to-end tests of the public API, ``sayso.extract(text, published=...)``.

Every document here is short and made up for these tests.
"""
from __future__ import annotations

import pytest

import sayso

PUBLISHED = "2022-03-15"


def run(text: str, published: str | None = PUBLISHED) -> dict:
    rec = sayso.extract(text, published=published)
    # the contract holds for every record: spans are exact slices, ids are f1..fn in order
    for n, f in enumerate(rec["figures"], start=1):
        assert f["id"] == f"f{n}"
        assert text[f["start"]:f["end"]] == f["text"]
        s = f["sentence"]
        assert s["start"] <= f["start"] < f["end"] <= s["end"]
    for q in rec["quotes"]:
        assert text[q["start"]:q["end"]] == q["text"]
    return rec


def figure(rec: dict, text: str) -> dict:
    hits = [f for f in rec["figures"] if f["text"] == text]
    assert len(hits) == 1, [f["text"] for f in rec["figures"]]
    return hits[0]


def srcs(f: dict) -> list[tuple[str, str]]:
    return [(s["name"], s["role"]) for s in f["sources"]]


# --------------------------------------------------------------------------- record shape

def test_record_shape():
    text = "At least 12 protesters were killed in Minsk on Monday, the group Viasna said."
    rec = run(text)
    assert rec["schema"] == "sayso.document/1"
    doc = rec["document"]
    assert doc["published"] == PUBLISHED
    assert doc["language"] == "en"
    assert len(doc["sha256"]) == 64
    assert set(rec) >= {"schema", "document", "figures", "quotes"}
    f = rec["figures"][0]
    assert set(f) >= {"id", "start", "end", "text", "kind", "value", "qualifier", "counted", "category",
                      "time", "place", "sources", "sentence"}


# --------------------------------------------------------------------------- figures described

def test_said_with_statement_date_and_since():
    text = ("Amnesty International said on 3 March that at least 23 protesters had been killed "
            "in Khartoum since January.")
    f = figure(run(text), "at least 23")
    assert f["value"] == {"low": 23, "high": None}
    assert f["qualifier"] == "at_least"
    assert f["counted"] == "protesters"
    assert f["category"] == "killed"
    assert f["time"] == {"text": "since January", "start": "2022-01-01", "end": PUBLISHED}
    assert f["place"] == "Khartoum"
    assert f["sources"] == [{"name": "Amnesty International", "text": "Amnesty International",
                             "role": "source", "date": "2022-03-03"}]


def test_according_to_with_year_and_place():
    text = ("According to the Syrian Observatory for Human Rights, more than 3,000 civilians "
            "were killed in Idlib in 2019.")
    f = figure(run(text), "more than 3,000")
    assert (f["kind"], f["category"], f["counted"], f["place"]) == ("count", "killed", "civilians", "Idlib")
    assert (f["time"]["start"], f["time"]["end"]) == ("2019-01-01", "2019-12-31")
    assert srcs(f) == [("Syrian Observatory for Human Rights", "source")]


def test_range_with_relative_month_and_parenthetical_source():
    text = "Police arrested between 180 and 200 students in Minsk last November, OVD-Info said."
    f = figure(run(text), "between 180 and 200")
    assert f["value"] == {"low": 180, "high": 200}
    assert f["qualifier"] == "range"
    assert (f["counted"], f["category"], f["place"]) == ("students", "arrested", "Minsk")
    assert f["time"] == {"text": "last November", "start": "2021-11-01", "end": "2021-11-30"}
    assert srcs(f) == [("OVD-Info", "source")]


def test_relative_month_unresolved_without_publication_date():
    text = "Police arrested 90 students in Minsk last November, OVD-Info said."
    f = figure(run(text, published=None), "90")
    assert f["time"]["text"] == "last November"
    assert f["time"]["start"] is None and f["time"]["end"] is None


def test_vague_with_alias_source():
    text = "Nicaraguan authorities hold dozens of political prisoners, HRW reported."
    f = figure(run(text), "dozens")
    assert f["value"] == {"low": 24, "high": None}
    assert f["qualifier"] == "vague"
    assert (f["counted"], f["category"], f["place"]) == ("political prisoners", "imprisoned", "Nicaragua")
    assert srcs(f) == [("Human Rights Watch", "source")]


def test_percent_with_alias_source():
    text = "UNHCR said about 40 percent of the refugees arriving in Chad were children."
    f = figure(run(text), "about 40 percent")
    assert (f["kind"], f["qualifier"], f["value"]) == ("percent", "approx", {"low": 40, "high": 40})
    assert f["counted"] == "refugees"
    assert f["place"] == "Chad"
    assert srcs(f) == [("United Nations High Commissioner for Refugees", "source")]


def test_money_in_own_voice():
    text = "The European Union pledged \u20ac57 million in aid for displaced families in Ethiopia."
    f = figure(run(text), "\u20ac57 million")
    assert (f["kind"], f["counted"], f["category"]) == ("money", "euros", "other")
    assert f["value"] == {"low": 57_000_000, "high": 57_000_000}
    assert f["place"] == "Ethiopia"


def test_rank_in_press_freedom_index():
    text = "Russia fell to 155th place in the World Press Freedom Index, Reporters Without Borders said."
    f = figure(run(text), "155th")
    assert (f["kind"], f["value"], f["category"]) == ("rank", {"low": 155, "high": 155}, "other")
    assert f["place"] == "Russia"
    assert srcs(f) == [("Reporters Without Borders", "source")]


@pytest.mark.xfail(reason="link.entities.mention_tokens drops 'prep' children other than of/for/on/in, so "
                          "the mention of 'Reporters Without Borders' is cut to 'Reporters'", strict=True)
def test_source_text_is_the_whole_mention():
    text = "Russia fell to 155th place in the World Press Freedom Index, Reporters Without Borders said."
    assert figure(run(text), "155th")["sources"][0]["text"] == "Reporters Without Borders"


def test_disputes():
    # a party the text never names ("the army" alone) is no source (GUIDELINES rule 4)
    text = "The Ethiopian National Defence Force denied that 60 civilians had been killed in Mekelle."
    f = figure(run(text), "60")
    assert f["category"] == "killed"
    assert [(s["text"], s["role"]) for s in f["sources"]] == [("The Ethiopian National Defence Force", "disputes")]
    assert figure(run("The army denied that 60 civilians had been killed in Mekelle."), "60")["sources"] == []


def test_source_and_dispute_in_one_sentence():
    text = ("Kenya's Interior Ministry said 2,000 prisoners would be released, "
            "but Amnesty International disputed that figure.")
    f = figure(run(text), "2,000")
    assert f["category"] == "released"          # GUIDELINES rule 12
    assert ("Amnesty International", "disputes") in srcs(f)
    assert [r for _, r in srcs(f)].count("source") == 1


def test_reported_and_confirmed():
    text = "The deaths of 212 people in Dagestan were reported by Memorial and confirmed by Mediazona."
    f = figure(run(text), "212")
    assert set(srcs(f)) == {("Memorial", "source"), ("Mediazona", "confirms")}


def test_no_source_means_own_voice():
    text = "Since 2015, Saudi Arabia has executed more than 1,000 people."
    f = figure(run(text), "more than 1,000")
    assert f["sources"] == []
    assert f["category"] == "executed"
    assert f["place"] == "Saudi Arabia"
    assert (f["time"]["start"], f["time"]["end"]) == ("2015-01-01", PUBLISHED)


def test_years_and_dates_are_not_figures():
    text = "Between 2015 and 2019, on 14 August 2018 and again in 2021, guards beat 35 inmates in Evin."
    rec = run(text)
    assert [f["text"] for f in rec["figures"]] == ["35"]


# --------------------------------------------------------------------------- pronoun sources

def test_it_said_after_an_org_is_named():
    text = ("Human Rights Watch published a new report on Tuesday. "
            "It said some 120,000 people had fled Tigray.")
    f = figure(run(text), "some 120,000")
    assert f["sources"][0]["name"] == "Human Rights Watch"
    assert f["sources"][0]["text"] == "It"
    assert (f["counted"], f["category"], f["place"]) == ("people", "displaced", "Tigray")


def test_she_said_after_a_person_is_named():
    text = ("Lawyer Nasrin Rahimi visited the women's ward in Qarchak prison. "
            "She said 60 women shared a single cell.")
    f = figure(run(text), "60")
    assert [(s["name"], s["text"], s["role"]) for s in f["sources"]] == [("Nasrin Rahimi", "She", "source")]


def test_the_group_after_an_org_is_named():
    text = ("Nicaragua Nunca M\u00e1s documented 355 killings during the 2018 protests. "
            "The group said 1,614 people were detained.")
    rec = run(text)
    assert srcs(figure(rec, "355")) == [("Nicaragua Nunca M\u00e1s", "source")]
    assert figure(rec, "355")["category"] == "killed"
    f = figure(rec, "1,614")
    assert srcs(f) == [("Nicaragua Nunca M\u00e1s", "source")]
    assert f["category"] == "arrested"


# --------------------------------------------------------------------------- quotes

def test_figure_inside_a_quote_is_the_speakers():
    text = ("\"Security forces killed at least 120 people in Darfur last month,\" "
            "said Adam Musa, a local activist.")
    rec = run(text)
    f = figure(rec, "at least 120")
    assert srcs(f) == [("Adam Musa", "source")]
    assert f["place"] == "Darfur"
    assert (f["time"]["start"], f["time"]["end"]) == ("2022-02-01", "2022-02-28")
    [q] = rec["quotes"]
    assert q["speaker"] == "Adam Musa"
    assert q["start"] <= f["start"] and f["end"] <= q["end"]


def test_first_person_inside_a_quote_is_the_speaker():
    text = "\"We have counted 87 bodies,\" said Ahmed Ali, a spokesman for the Sudan Doctors Network."
    f = figure(run(text), "87")
    assert srcs(f) == [("Ahmed Ali", "source")]
    assert f["category"] == "killed"


def test_quote_continuation_with_pronoun():
    text = ("\"Police have arrested 250 of our members since Sunday,\" said Tendai Moyo, the union's "
            "secretary general. \"At least 30 are still missing,\" she said.")
    rec = run(text)
    assert srcs(figure(rec, "250")) == [("Tendai Moyo", "source")]
    assert figure(rec, "250")["category"] == "arrested"
    f = figure(rec, "At least 30")
    assert srcs(f) == [("Tendai Moyo", "source")]
    assert f["category"] == "disappeared"
    assert [q["speaker"] for q in rec["quotes"]] == ["Tendai Moyo", "Tendai Moyo"]


# --------------------------------------------------------------------------- no figures

def test_boilerplate_footer_yields_no_figures():
    text = ("Soldiers shot dead 14 villagers near Gondar on 12 January, the Ethiopian Human Rights "
            "Commission said.\n\n"
            "Tags: Ethiopia, Amhara, 2022\n"
            "Share this: Facebook Twitter Email\n"
            "Copyright \u00a9 2022 Example Monitor. All rights reserved.\n"
            "Tel: +44 20 7946 0958\n")
    rec = run(text)
    assert [f["text"] for f in rec["figures"]] == ["14"]
    f = rec["figures"][0]
    assert (f["category"], f["place"]) == ("killed", "Gondar")
    assert f["time"]["start"] == "2022-01-12"
    assert srcs(f) == [("Ethiopian Human Rights Commission", "source")]


def test_copyright_only_document_has_no_figures():
    assert run("Copyright \u00a9 2021 Horn Rights Watchers. All rights reserved.")["figures"] == []


def test_french_document_is_detected_and_yields_no_figures():
    text = ("Selon Amnesty International, au moins 300 personnes ont \u00e9t\u00e9 tu\u00e9es en Iran lors des "
            "manifestations de novembre. Les autorit\u00e9s ont arr\u00eat\u00e9 des milliers de manifestants et ont "
            "coup\u00e9 l'acc\u00e8s \u00e0 internet dans tout le pays pendant plusieurs jours.")
    rec = run(text)
    assert rec["document"]["language"] == "fr"
    assert rec["figures"] == []
    assert rec["quotes"] == []


def test_empty_document():
    rec = run("")
    assert rec["figures"] == [] and rec["quotes"] == []


# --------------------------------------------------------------------------- known bugs

def test_bare_day_ordinal_is_not_a_rank():
    assert run("Police raided the office again on the 21st, witnesses said.")["figures"] == []


def test_prisons_hold_detainees_is_imprisoned():
    f = figure(run("Iran's prisons hold thousands of political detainees."), "thousands")
    assert f["category"] == "imprisoned"


# --------------------------------------------------------------------------- offsets over many documents

DOCS = [
    "Iran executed 251 people in 2019, Iran Human Rights said.",
    "Tens of thousands of people marched in Moscow on Saturday, Reuters reported.",
    "\u2022 3,000 \u2013 the number of people executed since 1988\n\u2022 40% \u2013 the share held without trial",
    "Roughly 1.2m Sudanese have fled to Chad; some 450+ arrive daily, up from 100 in April.",
    "Nearly 12% of the budget, or $2.4 billion, went to prisons, the ministry said.",
    "Saudi Arabia took second, third and fourth place in the ranking of executions.",
]


@pytest.mark.parametrize("text", DOCS)
def test_every_figure_text_is_its_slice(text):
    rec = run(text)
    assert rec["figures"], "each of these documents states at least one figure"
    kinds = {f["kind"] for f in rec["figures"]}
    assert kinds <= {"count", "percent", "rank", "money"}


def test_the_value_of_a_total_takes_the_place_of_what_the_total_counts():
    text = ("The number of people killed during the violent anti-government riots that erupted in Bolivia "
            "after the vote has risen to 27 people.")
    assert figure(run(text), "27")["place"] == "Bolivia"
    # must not fire: a figure that is not the total's value keeps its own place
    text = ("The number of people killed during the riots that erupted in Bolivia has risen, "
            "and medics in Peru treated 27 people.")
    assert figure(run(text), "27")["place"] == "Peru"


def test_a_country_after_a_city_only_says_where_the_city_is():
    text = "Police fired live rounds at marchers in Homs, Syria on Friday, killing at least 14."
    assert figure(run(text), "at least 14")["place"] == "Homs"
    # must not fire: a country that follows no place of its own is the place
    text = "Police fired live rounds at marchers in Syria, killing at least 14."
    assert figure(run(text), "at least 14")["place"] == "Syria"
