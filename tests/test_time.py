"""Tests for sayso.extract.time: finding time expressions and resolving them to ISO intervals."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sayso.extract.time import find_times, resolve, vocab
from sayso.model import TimeExpr


def spans(text: str, published: str | None) -> list[tuple[str, str | None, str | None]]:
    """(text, iso_start, iso_end) of every expression found."""
    return [(e.text, e.iso_start, e.iso_end) for e in find_times(text, published)]


def only(text: str, published: str | None) -> TimeExpr:
    """The single expression found in ``text`` (fails if there is not exactly one)."""
    found = find_times(text, published)
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------- spans + intervals

FOUND = [
    # years
    ("Ten reporters were jailed in 2020 on vague charges.", "2021-02-01", "in 2020", "2020-01-01", "2020-12-31"),
    ("In 2018 the ministry stopped publishing data.", None, "In 2018", "2018-01-01", "2018-12-31"),
    ("Her family fled in 1988 after the raid.", None, "in 1988", "1988-01-01", "1988-12-31"),
    ("They fled in just a few months in 1988 to the coast.", None, "in 1988", "1988-01-01", "1988-12-31"),
    ("He was injured in a 2013 protest near the port.", None, "2013", "2013-01-01", "2013-12-31"),
    ("The 1988 crackdown is still remembered.", None, "1988", "1988-01-01", "1988-12-31"),
    ("In 2000 security forces opened fire.", None, "In 2000", "2000-01-01", "2000-12-31"),
    ("the 2017 elections were boycotted", None, "2017", "2017-01-01", "2017-12-31"),
    ("the party's 2017 congresses were cancelled", None, "2017", "2017-01-01", "2017-12-31"),
    ("by the year 2000 few remained", None, "by the year 2000", "2000-01-01", "2000-12-31"),
    ("in mid-2019 the camp was closed", None, "in mid-2019", "2019-01-01", "2019-12-31"),
    ("by the end of 2019 it had doubled", None, "by the end of 2019", "2019-01-01", "2019-12-31"),
    ("arrests spiked in the 1990s", None, "in the 1990s", "1990-01-01", "1999-12-31"),
    ("the budget for 2019-20 was cut", None, "2019-20", "2019-01-01", "2020-12-31"),
    # full dates
    ("The court ruled on 14 August 2013 against him.", None, "on 14 August 2013", "2013-08-14", "2013-08-14"),
    ("She was detained on 1 December 2021 at dawn.", None, "on 1 December 2021", "2021-12-01", "2021-12-01"),
    ("December 23, 2019 was the last visit.", None, "December 23, 2019", "2019-12-23", "2019-12-23"),
    ("He vanished on December 23, 2019, in the capital.", None, "on December 23, 2019", "2019-12-23", "2019-12-23"),
    ("The law passed on Jan. 5, 2020 without debate.", None, "on Jan. 5, 2020", "2020-01-05", "2020-01-05"),
    ("The notice is dated 2020-03-05 in the file.", None, "2020-03-05", "2020-03-05", "2020-03-05"),
    ("on Saturday 8 September 2018 the march began", None, "on Saturday 8 September 2018", "2018-09-08", "2018-09-08"),
    # day and month without a year
    ("Two more were held on 9 April near the border.", "2021-05-03", "on 9 April", "2021-04-09", "2021-04-09"),
    ("A curfew was imposed on 9 April.", "2021-03-01", "on 9 April", "2020-04-09", "2020-04-09"),
    ("As of 4 March, 61 people remained in custody.", "2021-03-10", "As of 4 March", "2021-03-04", "2021-03-04"),
    ("On Wednesday, 3 March, police used tear gas.", "2021-03-05", "On Wednesday, 3 March", "2021-03-03", "2021-03-03"),
    ("The strike began 27 March and spread.", "2021-03-27", "27 March", "2021-03-27", "2021-03-27"),
    ("The clinic closed on the night of 3 March.", "2021-06-09", "on the night of 3 March", "2021-03-03", "2021-03-03"),
    ("The siege ended on Monday, September 10.", "2018-09-12", "on Monday, September 10", "2018-09-10", "2018-09-10"),
    # months
    ("Prices rose sharply in March.", "2021-05-03", "in March", "2021-03-01", "2021-03-31"),
    ("Prices rose sharply in March.", "2021-03-20", "in March", "2021-03-01", "2021-03-31"),
    ("Prices rose sharply in June.", "2021-05-03", "in June", "2020-06-01", "2020-06-30"),
    ("Hundreds were held in November.", "2020-12-05", "in November", "2020-11-01", "2020-11-30"),
    ("Talks collapsed last November.", "2020-01-10", "last November", "2019-11-01", "2019-11-30"),
    ("Talks collapsed last November.", "2020-11-20", "last November", "2019-11-01", "2019-11-30"),
    ("The report covers November 2020 only.", None, "November 2020", "2020-11-01", "2020-11-30"),
    ("Violence peaked in mid-March.", "2020-08-13", "in mid-March", "2020-03-01", "2020-03-31"),
    # since
    ("Since 1 February, 40 people have died.", "2021-04-21", "Since 1 February", "2021-02-01", "2021-04-21"),
    ("Some 300 have been held since 2015.", "2021-04-21", "since 2015", "2015-01-01", "2021-04-21"),
    ("Some 300 have been held since 2015.", None, "since 2015", "2015-01-01", None),
    ("He has been missing since Sunday.", "2020-08-13", "since Sunday", "2020-08-09", "2020-08-13"),
    ("Fighting has continued since April 2020.", "2021-03-02", "since April 2020", "2020-04-01", "2021-03-02"),
    ("Protests have spread since 14 August.", "2020-09-01", "since 14 August", "2020-08-14", "2020-09-01"),
    ("Since January, the group has counted 12 deaths.", "2021-04-02", "Since January", "2021-01-01", "2021-04-02"),
    ("It has been closed since last year.", "2021-06-09", "since last year", "2020-01-01", "2021-06-09"),
    # ranges
    ("Clashes took place between 9 and 12 August.", "2020-09-01", "between 9 and 12 August", "2020-08-09", "2020-08-12"),
    ("Clashes took place between 9 and 12 August.", "2020-08-01", "between 9 and 12 August", "2019-08-09", "2019-08-12"),
    ("Between 9 and 12 August 2020 the city was shut.", None, "Between 9 and 12 August 2020", "2020-08-09", "2020-08-12"),
    ("Records between 2018 and 2020 are missing.", None, "between 2018 and 2020", "2018-01-01", "2020-12-31"),
    ("Cases rose from January to March 2021.", None, "from January to March 2021", "2021-01-01", "2021-03-31"),
    ("Aid stopped from December to February 2021.", None, "from December to February 2021", "2020-12-01", "2021-02-28"),
    ("Hearings were held 9-12 August 2020.", None, "9-12 August 2020", "2020-08-09", "2020-08-12"),
    ("Hearings were held March 3-5, 2020.", None, "March 3-5, 2020", "2020-03-03", "2020-03-05"),
    ("The data cover 1998–2000.", None, "1998–2000", "1998-01-01", "2000-12-31"),
    ("Strikes were called on 5 and 6 March.", "2021-04-01", "on 5 and 6 March", "2021-03-05", "2021-03-06"),
    # weekdays
    ("Police dispersed the crowd on Sunday.", "2020-08-13", "on Sunday", "2020-08-09", "2020-08-09"),
    ("Police dispersed the crowd on Saturday.", "2018-09-08", "on Saturday", "2018-09-08", "2018-09-08"),
    ("Shots were heard on Wednesday evening.", "2020-08-13", "on Wednesday evening", "2020-08-12", "2020-08-12"),
    ("The minister said Tuesday that talks would resume.", "2020-08-13", "Tuesday", "2020-08-11", "2020-08-11"),
    ("He was freed last Thursday.", "2020-08-13", "last Thursday", "2020-08-06", "2020-08-06"),
    # relative days and units
    ("The verdict is expected today.", "2020-09-02", "today", "2020-09-02", "2020-09-02"),
    ("Two were shot yesterday near the bridge.", "2020-09-02", "yesterday", "2020-09-01", "2020-09-01"),
    ("Last year the count doubled.", "2021-10-04", "Last year", "2020-01-01", "2020-12-31"),
    ("This is the worst toll this year.", "2021-10-04", "this year", "2021-01-01", "2021-12-31"),
    ("At least 40 have died so far this year.", "2021-10-04", "so far this year", "2021-01-01", "2021-10-04"),
    ("It was announced earlier this month.", "2021-10-04", "earlier this month", "2021-10-01", "2021-10-04"),
    ("The camp was raided last month.", "2020-09-02", "last month", "2020-08-01", "2020-08-31"),
    ("The camp was raided last month.", "2021-01-15", "last month", "2020-12-01", "2020-12-31"),
    ("Arrests doubled this month.", "2020-09-02", "this month", "2020-09-01", "2020-09-30"),
    ("Six were charged last week.", "2020-09-02", "last week", "2020-08-24", "2020-08-30"),
    ("Elections are due next year.", "2021-06-09", "next year", "2022-01-01", "2022-12-31"),
    ("He was sentenced two years ago.", "2021-06-09", "two years ago", "2019-01-01", "2019-12-31"),
    ("He was arrested 3 days ago.", "2021-06-09", "3 days ago", "2021-06-06", "2021-06-06"),
    # seasons
    ("It happened in the summer of 1988 after the vote.", None, "in the summer of 1988", "1988-06-01", "1988-08-31"),
    ("Thousands fled during the summer of 1988.", None, "during the summer of 1988", "1988-06-01", "1988-08-31"),
    ("the summer of 1988 was violent", None, "the summer of 1988", "1988-06-01", "1988-08-31"),
    ("This summer the camps filled up.", "2021-10-04", "This summer", "2021-06-01", "2021-08-31"),
    ("Rations were cut last summer.", "2021-10-04", "last summer", "2020-06-01", "2020-08-31"),
    ("Shelters closed this winter.", "2021-01-15", "this winter", "2020-12-01", "2021-02-28"),
    ("Many froze in the winter of 2019.", None, "in the winter of 2019", "2019-12-01", "2020-02-29"),
    ("Raids resumed in autumn 2020.", None, "in autumn 2020", "2020-09-01", "2020-11-30"),
    ("Raids resumed in the spring.", "2021-02-10", "in the spring", "2020-03-01", "2020-05-31"),
    # parts of a year or month
    ("in the first half of 2019 the toll fell", None, "in the first half of 2019", "2019-01-01", "2019-06-30"),
    ("in the first six months of 2021 the toll fell", None, "in the first six months of 2021", "2021-01-01", "2021-06-30"),
    ("in the second half of 2020 the toll rose", None, "in the second half of 2020", "2020-07-01", "2020-12-31"),
    ("during the first quarter of 2020 it rose", None, "during the first quarter of 2020", "2020-01-01", "2020-03-31"),
    ("in the last three months of 2020 it rose", None, "in the last three months of 2020", "2020-10-01", "2020-12-31"),
    ("figures for Q3 2020 show a rise", None, "Q3 2020", "2020-07-01", "2020-09-30"),
    ("in the last week of March 2021 it rose", None, "in the last week of March 2021", "2021-03-25", "2021-03-31"),
    ("in the first half of this year it rose", "2021-10-04", "in the first half of this year", "2021-01-01", "2021-06-30"),
]


@pytest.mark.parametrize("text,published,span,iso_start,iso_end", FOUND)
def test_finds_and_resolves(text, published, span, iso_start, iso_end):
    e = only(text, published)
    assert (e.text, e.iso_start, e.iso_end) == (span, iso_start, iso_end)
    assert text[e.start:e.end] == e.text


# --------------------------------------------------------------------------- unresolved

UNRESOLVED = [
    ("Since January, the group has counted 12 deaths.", "Since January"),
    ("Two more were held on 9 April near the border.", "on 9 April"),
    ("Prices rose sharply in March.", "in March"),
    ("Police dispersed the crowd on Sunday.", "on Sunday"),
    ("At least 40 have died so far this year.", "so far this year"),
    ("Last year the count doubled.", "Last year"),
    ("This summer the camps filled up.", "This summer"),
    ("The verdict is expected today.", "today"),
    ("Six were charged last week.", "last week"),
    ("Clashes took place between 9 and 12 August.", "between 9 and 12 August"),
    ("The count matched the same period last year.", "the same period last year"),
]


@pytest.mark.parametrize("text,span", UNRESOLVED)
def test_relative_expressions_without_publication_date_stay_unresolved(text, span):
    e = only(text, None)
    assert (e.text, e.iso_start, e.iso_end) == (span, None, None)


def test_malformed_publication_date_is_treated_as_missing():
    assert spans("It happened yesterday.", "not a date") == [("yesterday", None, None)]


# --------------------------------------------------------------------------- not time expressions

NOT_TIME = [
    "He spent 40 years in exile.",
    "She was jailed for 26 years.",
    "It covers a three-month period.",
    "Guards visited every two weeks.",
    "They were held for 15 days.",
    "a 17-year-old was shot",
    "The festival was banned for the fifth year running.",
    "Numbers doubled in two decades.",
    "The shooting started at 3 pm.",
    "Some 2,013 people were displaced.",
    "Some 2013 people were displaced.",
    "around 2000 protesters gathered",
    "at least 1999 detainees were freed",
    "about 1950 political prisoners remain",
    "the wall is 2000 km long",
    "Under Article 417 and Section 505A of the code.",
    "Resolution 1973 was adopted.",
    "See Press Release 14/2021 for details.",
    "Between 2,000-2,500 people marched.",
    "The camp has 12,900 places.",
    "Call +44 20 1999 2000 for help.",
    "a 2000-strong crowd",
    "The toll rose from 1900 to 2000 people.",
    "They commemorated Bloody Sunday and read the Sunday Times.",
    "Vendors worked every Friday.",
    "the Arab Spring brought hope",
    "The Long March is a famous episode.",
    "It may rain in the afternoon.",
    "The death toll over the last year is unknown.",
    "He has been ill for the past month.",
    "It was not on 31 February.",
    "Fighting grew in recent years.",
]


@pytest.mark.parametrize("text", NOT_TIME)
def test_no_time_expression(text):
    assert find_times(text, "2021-06-09") == []


def test_year_inside_name_of_season_survives_alone():
    # "Spring" is part of a name here, so only the year remains a time expression.
    assert spans("the Prague Spring of 1968 ended", None) == [("1968", "1968-01-01", "1968-12-31")]


def test_count_after_yearless_date_is_not_a_day():
    # "In May 5 protesters died": 5 counts protesters, so the expression is "In May".
    assert spans("In May 5 protesters died.", "2021-06-09") == [("In May", "2021-05-01", "2021-05-31")]


# --------------------------------------------------------------------------- several in one text

def test_same_period_last_year_shifts_the_earlier_period():
    text = ("In the first six months of 2021, 50 people were killed, 20 of them on 3 March alone, "
            "compared with 30 in the same period last year.")
    assert spans(text, "2021-07-09") == [
        ("In the first six months of 2021", "2021-01-01", "2021-06-30"),
        ("on 3 March", "2021-03-03", "2021-03-03"),
        ("in the same period last year", "2020-01-01", "2020-06-30"),
    ]


def test_same_period_of_a_given_year():
    text = "In the first quarter of 2021 there were 10. In the same period of 2019 there were 5."
    assert spans(text, None)[1] == ("In the same period of 2019", "2019-01-01", "2019-03-31")


def test_same_period_after_since_uses_the_since_interval():
    text = "Since January, 12 have died, against 7 in the same period last year."
    assert spans(text, "2021-04-21") == [
        ("Since January", "2021-01-01", "2021-04-21"),
        ("in the same period last year", "2020-01-01", "2020-04-21"),
    ]


def test_same_period_without_an_earlier_period_is_unresolved():
    text = "Deaths fell compared with the same period last year, in 2021."
    assert spans(text, "2021-06-09")[0] == ("the same period last year", None, None)


def test_two_years_joined_by_and_are_two_expressions():
    assert spans("In 2018 and 2019 it rose.", None) == [
        ("In 2018", "2018-01-01", "2018-12-31"), ("2019", "2019-01-01", "2019-12-31")]


def test_longest_expression_wins_and_results_are_sorted_and_disjoint():
    text = ("On 14 August 2013 and between 9 and 12 August 2020, and so far this year, "
            "in the first half of 2019 and today.")
    found = find_times(text, "2021-10-04")
    assert [e.text for e in found] == ["On 14 August 2013", "between 9 and 12 August 2020",
                                       "so far this year", "in the first half of 2019", "today"]
    for a, b in zip(found, found[1:]):
        assert a.end <= b.start
    for e in found:
        assert text[e.start:e.end] == e.text


def test_window_limits_the_search_and_keeps_document_offsets():
    text = "In 2015 it began. On 3 March 2016 it spread. In 2017 it ended."
    start = text.index("On")
    end = text.index("In 2017")
    found = find_times(text, None, start, end)
    assert [(e.start, e.text) for e in found] == [(start, "On 3 March 2016")]
    assert find_times(text, None, end) == [TimeExpr(end, end + 7, "In 2017", "2017-01-01", "2017-12-31")]


# --------------------------------------------------------------------------- resolve()

RESOLVE = [
    ("in 2020", None, ("2020-01-01", "2020-12-31")),
    ("on 14 August 2013", None, ("2013-08-14", "2013-08-14")),
    ("December 23, 2019", None, ("2019-12-23", "2019-12-23")),
    ("27 March", "2021-03-26", ("2020-03-27", "2020-03-27")),
    ("27 March", None, (None, None)),
    ("29 February", "2021-03-01", ("2020-02-29", "2020-02-29")),
    ("in March", "2021-05-03", ("2021-03-01", "2021-03-31")),
    ("last November", "2020-01-10", ("2019-11-01", "2019-11-30")),
    ("next March", "2021-05-03", ("2022-03-01", "2022-03-31")),
    ("November 2020", None, ("2020-11-01", "2020-11-30")),
    ("since 2015", "2020-01-10", ("2015-01-01", "2020-01-10")),
    ("since 2015", None, ("2015-01-01", None)),
    ("Since January", None, (None, None)),
    ("since Sunday", "2020-08-13", ("2020-08-09", "2020-08-13")),
    ("since April 2020", "2021-03-02", ("2020-04-01", "2021-03-02")),
    ("since 1 February", "2021-04-21", ("2021-02-01", "2021-04-21")),
    ("As of 4 March", "2021-04-21", ("2021-03-04", "2021-03-04")),
    ("between 9 and 12 August", "2020-09-01", ("2020-08-09", "2020-08-12")),
    ("between 2018 and 2020", None, ("2018-01-01", "2020-12-31")),
    ("on Saturday", "2018-09-08", ("2018-09-08", "2018-09-08")),
    ("on Wednesday", "2020-08-13", ("2020-08-12", "2020-08-12")),
    ("on Wednesday", None, (None, None)),
    ("next Monday", "2020-08-13", ("2020-08-17", "2020-08-17")),
    ("today", "2020-03-01", ("2020-03-01", "2020-03-01")),
    ("yesterday", "2020-03-01", ("2020-02-29", "2020-02-29")),
    ("this year", "2021-10-04", ("2021-01-01", "2021-12-31")),
    ("so far this year", "2021-10-04", ("2021-01-01", "2021-10-04")),
    ("later this year", "2021-10-04", ("2021-10-04", "2021-12-31")),
    ("last year", "2021-10-04", ("2020-01-01", "2020-12-31")),
    ("this month", "2020-09-02", ("2020-09-01", "2020-09-30")),
    ("last month", "2020-09-02", ("2020-08-01", "2020-08-31")),
    ("last week", "2020-09-02", ("2020-08-24", "2020-08-30")),
    ("this week", "2020-09-02", ("2020-08-31", "2020-09-06")),
    ("last year", None, (None, None)),
    ("the summer of 1988", None, ("1988-06-01", "1988-08-31")),
    ("spring 2020", None, ("2020-03-01", "2020-05-31")),
    ("autumn 2020", None, ("2020-09-01", "2020-11-30")),
    ("the fall of 2020", None, ("2020-09-01", "2020-11-30")),
    ("This summer", "2021-10-04", ("2021-06-01", "2021-08-31")),
    ("last summer", "2021-10-04", ("2020-06-01", "2020-08-31")),
    ("in the first half of 2019", None, ("2019-01-01", "2019-06-30")),
    ("in the first six months of 2021", None, ("2021-01-01", "2021-06-30")),
    ("the fourth quarter of 2019", None, ("2019-10-01", "2019-12-31")),
    ("the first half of March 2021", None, ("2021-03-01", "2021-03-15")),
    ("the first two weeks of January 2021", None, ("2021-01-01", "2021-01-14")),
    ("in the same period last year", "2021-06-09", (None, None)),
    ("in the 1980s", None, ("1980-01-01", "1989-12-31")),
    ("a decade ago", "2021-06-09", ("2011-01-01", "2011-12-31")),
    ("two months ago", "2021-01-15", ("2020-11-01", "2020-11-30")),
    ("not a date at all", "2021-06-09", (None, None)),
    ("", None, (None, None)),
]


@pytest.mark.parametrize("expr,published,expected", RESOLVE)
def test_resolve(expr, published, expected):
    assert resolve(expr, published) == expected


# --------------------------------------------------------------------------- data and robustness

def test_vocabulary_comes_from_the_data_file():
    v = vocab()
    assert v["months"]["march"] == 3 and v["month_abbreviations"]["sept"] == 9
    assert v["weekdays"]["sunday"] == 6
    assert v["seasons"]["winter"] == [12, 2]
    assert vocab() is v                      # loaded once


@settings(max_examples=300, deadline=None)
@given(st.text(), st.one_of(st.none(), st.dates().map(str), st.text(max_size=12)),
       st.integers(-5, 50), st.one_of(st.none(), st.integers(-5, 60)))
def test_find_times_never_raises_and_offsets_hold(text, published, start, end):
    found = find_times(text, published, start, end)
    for e in found:
        assert text[e.start:e.end] == e.text
        assert max(0, start) <= e.start < e.end
    for a, b in zip(found, found[1:]):
        assert a.end <= b.start


_WORDS = st.sampled_from(["in", "on", "since", "the", "of", "between", "and", "to", "-", ",", "last",
                          "this", "summer", "first", "half", "March", "May", "Sunday", "2019",
                          "1988", "9", "12", "31", "people", "year", "month", "ago", "two", "Q3"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, max_size=12), st.one_of(st.none(), st.dates().map(str)))
def test_date_like_word_soup_never_raises(words, published):
    text = " ".join(words)
    for e in find_times(text, published):
        assert text[e.start:e.end] == e.text
        assert e.iso_start is None or e.iso_end is None or e.iso_start <= e.iso_end
        resolve(e.text, published)


@pytest.mark.parametrize("expr,published,expected", [
    ("since 2019", "1950-01-01", ("2019-01-01", None)),
    ("from 2020 to 2018", None, (None, None)),
])
def test_intervals_never_run_backwards(expr, published, expected):
    assert resolve(expr, published) == expected


@pytest.mark.parametrize("sentence, text", [
    ("Troops have killed 300 people since the March 2021 coup.", "since the March 2021 coup"),
    ("Since the coup in March 2021, 300 people have died.", "Since the coup in March 2021"),
    ("Since taking power in May 2020, the junta has jailed 90 people.", "Since taking power in May 2020"),
])
def test_since_a_dated_event_runs_to_publication(sentence, text):
    [t] = find_times(sentence, "2023-04-12")
    assert (t.text, t.iso_start, t.iso_end) == (text, text and t.iso_start, "2023-04-12")
    assert t.iso_start.endswith("-01") and sentence[t.start:t.end] == text


# --------------------------------------------------------------------------- issue 12

def test_two_months_joined_by_and_with_one_year_are_one_range():
    assert spans("Hundreds were killed in June and July 2021, the report said.", "2022-01-10") == [
        ("in June and July 2021", "2021-06-01", "2021-07-31")]


def test_a_date_after_the_names_an_occasion_not_a_count():
    assert spans("Six were hurt during the May 9 parade.", "2021-06-01") == [("May 9", "2021-05-09", "2021-05-09")]


def test_a_month_and_a_number_of_counted_things_is_no_date():
    assert spans("In May 5 protesters died.", "2021-06-01") == [("In May", "2021-05-01", "2021-05-31")]


def test_a_month_quarter_is_the_three_months_ending_with_it():
    assert spans("Prices rose 1.2% in the June quarter.", "2023-08-01") == [
        ("in the June quarter", "2023-04-01", "2023-06-30")]
    assert spans("Sales fell in the December quarter of 2021.", "2023-08-01") == [
        ("in the December quarter of 2021", "2021-10-01", "2021-12-31")]


def test_since_an_event_dated_later_in_a_long_phrase():
    assert spans("Donations since its founding in 1994 have passed $3 million.", "2020-05-01") == [
        ("since its founding in 1994", "1994-01-01", "2020-05-01")]
    assert spans("Since the start of the long war against the rebels in 2009, 4,000 died.", "2020-05-01") == [
        ("Since the start of the long war against the rebels in 2009", "2009-01-01", "2020-05-01")]


def test_since_then_does_not_reach_a_later_year():
    assert spans("Since then, the group said in 2019 that 40 died.", "2020-05-01") == [
        ("in 2019", "2019-01-01", "2019-12-31")]



def test_a_yearless_month_is_read_against_a_date_the_sentence_wrote_before_it():
    found = spans("The bureau said on 3 February 2021 that the strikes in March had left 14 dead.", "2023-07-01")
    assert found[1] == ("in March", "2020-03-01", "2020-03-31")      # the March before the statement
    assert spans("Officials on 9 May 2022 recalled the deaths of 4 April.", "2023-07-01")[1][1] == "2022-04-04"


def test_a_yearless_month_without_a_written_date_before_it_is_read_against_publication():
    assert spans("The strikes in March left 14 dead, the union said on 3 February 2021.", "2023-07-01")[0][1] \
        == "2023-03-01"
    assert spans("It said on 3 February 2021 that last March was worse.", "2023-07-01")[1][1] == "2023-03-01"
