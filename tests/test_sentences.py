"""Tests for sayso.extract.parse.split_sentences. All sentences are made up for these tests."""
from __future__ import annotations

import pytest

from sayso.extract.parse import split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize("text, want", [
    ('The mayor said: "We will rebuild."On Monday, 30 homes were lost.',
     ['The mayor said: "We will rebuild."', "On Monday, 30 homes were lost."]),
    ('Rescuers found 12 bodies."We expect more," the chief said.',
     ["Rescuers found 12 bodies.", '"We expect more," the chief said.']),
    ("Rescuers found 12 bodies.\u201cWe expect more,\u201d the chief said.",
     ["Rescuers found 12 bodies.", "\u201cWe expect more,\u201d the chief said."]),
    ("\u201cWe will rebuild.\u201dOn Monday, 30 homes were lost.",
     ["\u201cWe will rebuild.\u201d", "On Monday, 30 homes were lost."]),
])
def test_a_quotation_mark_glued_to_the_next_sentence_splits_them(text, want):
    assert texts(text) == want


@pytest.mark.parametrize("text", [
    'She called it "a disgrace" and left.',
    "Output rose to 3.5.Then nothing.",
    'He read the sign "No entry."',
])
def test_no_split_without_a_glued_sentence_start(text):
    assert texts(text) == [text]


@pytest.mark.parametrize("text, dateline", [
    ("OSLO (9 May 2022) - At least 40 people were hurt.", "OSLO (9 May 2022) -"),
    ("Quito, Ecuador, Jan 4 (Wire).- Police held 12 students.", "Quito, Ecuador, Jan 4 (Wire).-"),
])
def test_a_dateline_is_a_sentence_of_its_own(text, dateline):
    assert texts(text)[0] == dateline


def test_a_bracketed_count_before_a_dash_is_no_dateline():
    text = "The agency said 40 people (12 of them children) - most of them students - were held."
    assert texts(text) == [text]
