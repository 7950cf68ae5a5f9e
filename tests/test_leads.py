"""Tests for sayso.extract.leads: the agency of a dateline and the source of a headline.

All texts are made up for these tests.
"""
from __future__ import annotations

import pytest

from sayso.extract.leads import dateline_agency, headline_source, is_headline


def agency(text: str) -> str | None:
    span = dateline_agency(text)
    return text[span[0]:span[1]] if span else None


def headline(line: str, figure: str) -> str | None:
    span = headline_source(line, line.index(figure))
    return line[span[0]:span[1]] if span else None


@pytest.mark.parametrize("text, want", [
    ("LIMA, March 9 (Wirepress) - Police detained 45 people.", "Wirepress"),
    ("Lyon, France, Oct. 2 (Agence Presse).- At least 12 were hurt.", "Agence Presse"),
    ("TUNIS (AFP) - Thousands marched.", "AFP"),
    ("Headline here\n\nQUITO, Jan 5 (Andes Wire) — Ten died.", "Andes Wire"),
    ("Headline here\n\nMarch 3 (Andes Wire) - Ten died.", "Andes Wire"),         # a date alone
    ("Titular\n\nLIMA, 3 mar (Andes Wire) - Murieron diez.", "Andes Wire"),     # day first
])
def test_a_dateline_names_its_agency(text, want):
    assert agency(text) == want


@pytest.mark.parametrize("text", [
    "GENEVA (9 March 2022) - The Office said 12 died.",          # a date in the bracket, no agency
    "The army (which denies it) - so the group says - killed 12.",  # a bracket inside a sentence
    "PRESS RELEASE\nLima, 9 March 2022\nTen people died.",          # a date line, no agency
    "Amnesty International (AI) - Ten people died in Lima.",          # a name and its acronym
    "March 3 (the day of the vote) - ten died.",                    # a bracket that names no agency
])
def test_no_agency_without_a_dateline_that_names_one(text):
    assert agency(text) is None


def test_a_dateline_far_down_the_text_is_not_the_lead():
    assert agency("Body text. " * 200 + "\nLIMA, March 9 (Wirepress) - Ten died.") is None


@pytest.mark.parametrize("line, figure, want", [
    ("Flooding leaves 14 dead, 300 homeless: relief agency", "14", "relief agency"),
    ("At least 21 killed in clashes with police - HRCP", "21", "HRCP"),
    ("Only 8 protesters died, Okafor says, promising an inquiry", "8", "Okafor"),
    ("Monitor Reports 1,200 Arrests In Two Weeks", "1,200", "Monitor"),
    ("Over 900 detained since March, finds Amnesty report", "900", "Amnesty"),
    ("Rights body: 40 journalists jailed this year", "40", "Rights body"),
])
def test_a_headline_names_its_source(line, figure, want):
    assert headline(line, figure) == want


@pytest.mark.parametrize("line, figure", [
    ("Police killed 12 people in 2021 - a record", "12"),              # no name after the dash
    ("At least 21 people were killed in clashes, the commission said.", "21"),   # a sentence, not a headline
    ("Protesters marched in 30 towns on Sunday", "30"),                # names no one
])
def test_no_headline_source_where_none_is_written(line, figure):
    assert headline(line, figure) is None


def test_is_headline():
    assert is_headline("Forty detained in dawn raids: lawyers")
    assert not is_headline("Forty people were detained in dawn raids, lawyers said.")
    assert not is_headline("x " * 100)
