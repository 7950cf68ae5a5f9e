"""Tests for sayso.extract.numbers: cardinals, ordinals, vague quantities and their patterns."""
import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from num2words import num2words

from sayso.extract.numbers import (
    NUMBER_WORD_PATTERN,
    ORDINAL_WORD_PATTERN,
    VAGUE_PATTERN,
    parse_number,
    parse_ordinal,
    vague_low,
)


def _suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


# --- parse_number -------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("1,500", 1500), ("23,184", 23184), ("82.4", 82.4), ("0", 0), ("7", 7),
    ("1,000,000", 1_000_000), ("3,412.75", 3412.75),
    ("2.4 million", 2_400_000), ("1.2m", 1_200_000), ("3.85 billion", 3_850_000_000),
    ("1.5bn", 1_500_000_000), ("20 million", 20_000_000), ("10k", 10_000), ("10K", 10_000),
    ("400 thousand", 400_000), ("2.4-million", 2_400_000), ("6 Million", 6_000_000),
    ("four", 4), ("Sixteen", 16), ("twenty-three", 23), ("twenty three", 23),
    ("Ninety-six", 96), ("one hundred and five", 105), ("two thousand five hundred", 2500),
    ("a hundred", 100), ("a dozen", 12), ("two dozen", 24), ("a million", 1_000_000),
    ("one million", 1_000_000), ("five million", 5_000_000), ("half a million", 500_000),
    ("twelve hundred", 1200), ("one thousand and one", 1001), ("zero", 0),
    ("three hundred thousand", 300_000), ("one million two hundred thousand", 1_200_000),
    ("  FORTY-two\n", 42), ("two thousand, five hundred", 2500),
])
def test_parse_number_values(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", [
    "", "   ", "a", "and", "half", "the", "four five", "twenty thirteen", "ten twenty",
    "one hundred hundred", "thousand million", "five and", "and five", "a four", "fifty zero",
    "1,50", "1,5000", "12abc", "2.4 zillion", "1.2.3", "-", "first", "hundreds", "dozens",
    "four people", "one two three",
])
def test_parse_number_rejects(text):
    assert parse_number(text) is None


def test_parse_number_returns_float():
    assert isinstance(parse_number("1,500"), float)
    assert isinstance(parse_number("twenty"), float)


@given(st.integers(0, 10**9))
def test_digits_round_trip(n):
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n)) == n


@given(st.integers(0, 999_999))
def test_words_round_trip(n):
    assert parse_number(num2words(n)) == n


@given(st.integers(0, 999_999))
def test_words_round_trip_without_commas_or_hyphens(n):
    words = num2words(n).replace(",", "").replace("-", " ")
    assert parse_number(words.upper()) == n


@given(st.integers(1, 999), st.integers(1, 2), st.sampled_from(
    [("million", 10**6), ("billion", 10**9), ("m", 10**6), ("bn", 10**9)]))
def test_decimal_scale_round_trip(digits, places, scale):
    word, mult = scale
    text = f"{digits / 10**places:.{places}f}"
    sep = " " if len(word) > 2 else ""
    assert math.isclose(parse_number(f"{text}{sep}{word}"), float(text) * mult, rel_tol=1e-12)


@settings(max_examples=300)
@given(st.text())
def test_parse_number_never_raises(s):
    result = parse_number(s)
    # a float, or an exact int where a whole number is too large for one (2**53 and up)
    assert result is None or isinstance(result, float) or (type(result) is int and result >= 2 ** 53)


# --- parse_ordinal ------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("first", 1), ("second", 2), ("third", 3), ("fourth", 4), ("tenth", 10), ("eleventh", 11),
    ("twelfth", 12), ("twentieth", 20), ("twenty-first", 21), ("twenty first", 21),
    ("hundredth", 100), ("one hundredth", 100), ("one hundred and first", 101),
    ("Forty-Fourth", 44), ("44th", 44), ("111th", 111), ("1st", 1), ("2nd", 2), ("3rd", 3),
    ("177th", 177), (" 12TH ", 12),
])
def test_parse_ordinal_values(text, value):
    assert parse_ordinal(text) == value


@pytest.mark.parametrize("text", [
    "", "one", "44", "th", "0th", "first first", "secondly", "firsts", "twenty", "4 th", "a first",
])
def test_parse_ordinal_rejects(text):
    assert parse_ordinal(text) is None


@given(st.integers(1, 200))
def test_ordinal_words_round_trip(n):
    assert parse_ordinal(num2words(n, to="ordinal")) == n


@given(st.integers(1, 200))
def test_ordinal_digits_round_trip(n):
    assert parse_ordinal(f"{n}{_suffix(n)}") == n


@settings(max_examples=300)
@given(st.text())
def test_parse_ordinal_never_raises(s):
    result = parse_ordinal(s)
    assert result is None or isinstance(result, int)


# --- vague_low ----------------------------------------------------------------------------

VAGUE = [
    ("dozens", 24), ("scores", 40), ("hundreds", 200), ("thousands", 2000),
    ("tens of thousands", 20_000), ("hundreds of thousands", 200_000), ("millions", 2_000_000),
    ("several hundred", 200), ("several thousand", 2000), ("several dozen", 24),
    ("a few hundred", 200), ("a few thousand", 2000), ("tens of millions", 20_000_000),
]


@pytest.mark.parametrize("text, value", VAGUE + [("Tens  of\nThousands", 20_000), ("tens", 20),
                                                 ("HUNDREDS", 200), ("dozens of", 24)])
def test_vague_low_values(text, value):
    assert vague_low(text) == value


@pytest.mark.parametrize("text", ["", "dozen", "hundred", "a few", "several", "many",
                                  "2,000", "thousands of thousands", "some hundreds"])
def test_vague_low_rejects(text):
    assert vague_low(text) is None


@settings(max_examples=300)
@given(st.text())
def test_vague_low_never_raises(s):
    result = vague_low(s)
    assert result is None or isinstance(result, float)


# --- patterns -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, _", VAGUE)
def test_vague_pattern_matches_whole_expression(text, _):
    assert re.fullmatch(VAGUE_PATTERN, text, re.I)
    assert re.fullmatch(VAGUE_PATTERN, text.upper())


def test_vague_pattern_prefers_longest_and_is_word_bounded():
    found = re.findall(VAGUE_PATTERN, "Tens of thousands fled; hundreds of thousands more.")
    assert found == ["Tens of thousands", "hundreds of thousands"]
    assert re.search(VAGUE_PATTERN, "thousandsfold") is None


@pytest.mark.parametrize("text", ["twenty-three", "one hundred and five", "a dozen", "five million",
                                  "half a million", "Ninety-six", "one", "a hundred",
                                  "two thousand five hundred", "twenty three"])
def test_number_word_pattern_matches_expression(text):
    m = re.search(NUMBER_WORD_PATTERN, f"Police said {text} people died.")
    assert m and m.group() == text
    assert parse_number(m.group()) is not None


@pytest.mark.parametrize("text", ["a", "and", "a and", "half", "someone", "often", "tenth",
                                  "seventeenth", "half the town"])
def test_number_word_pattern_ignores_non_numbers(text):
    assert re.search(NUMBER_WORD_PATTERN, f"x {text} y") is None


def test_number_word_pattern_stops_before_dangling_and():
    found = re.findall(NUMBER_WORD_PATTERN, "one hundred and the rest, five and six")
    assert found == ["one hundred", "five", "six"]


@given(st.integers(0, 999_999))
def test_number_word_pattern_covers_num2words(n):
    words = num2words(n).replace(",", "")
    assert re.fullmatch(NUMBER_WORD_PATTERN, words)


@pytest.mark.parametrize("text", ["first", "twenty-first", "one hundred and first", "Third",
                                  "44th", "1st", "2nd", "3rd", "177th", "hundredth"])
def test_ordinal_pattern_matches(text):
    m = re.search(ORDINAL_WORD_PATTERN, f"ranked {text} in the index")
    assert m and m.group() == text
    assert parse_ordinal(m.group()) is not None


@pytest.mark.parametrize("text", ["seconds", "four", "44", "firstly", "4thly", "month"])
def test_ordinal_pattern_ignores_non_ordinals(text):
    assert re.search(ORDINAL_WORD_PATTERN, f"x {text} y") is None


@pytest.mark.parametrize("text, value", [
    ("4 hundred million", 400_000_000), ("6.2 lakh crore", 6.2e12), ("3 thousand million", 3e9),
])
def test_digits_followed_by_two_scales_multiply_both(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["2 million million", "5 hundred people", "7 dozen thousand"])
def test_digits_followed_by_words_that_are_not_two_scales_are_no_number(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("text, value", [
    ("a quarter of a million", 250_000), ("quarter of a million", 250_000), ("10 000", 10_000),
    ("1\u00a0250\u00a0000", 1_250_000),
])
def test_a_quarter_of_a_scale_and_thousands_grouped_by_spaces(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["a quarter of a", "a quarter of two million", "10 00", "1000 000"])
def test_no_quarter_without_a_scale_and_no_groups_of_other_widths(text):
    assert parse_number(text) is None
