"""No exception in one figure may lose a document.

A stage that fails on one figure leaves that field out (or drops that figure) with a warning
naming the document and the figure's offset; the rest of the record stands. A property test runs
the extractor over random sentences built from the project's own vocabularies and numbers.
All sentences are made up for these tests.
"""
from __future__ import annotations

import json
import warnings
from importlib.resources import files

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sayso import pipeline
from sayso.pipeline import Extractor, FigureWarning, input_from_text


@pytest.fixture(scope="module")
def ex():
    return Extractor()


def _extract(ex, text, id="doc-1"):
    return ex(input_from_text(text, published="2024-05-01", id=id))


def test_a_figure_reached_by_a_verb_with_no_preposition_has_a_record(ex):
    with warnings.catch_warnings():
        warnings.simplefilter("error", FigureWarning)
        record = _extract(ex, "Unemployment will reach 7.5%.")
    assert [f["text"] for f in record["figures"]] == ["7.5%"]


@pytest.mark.parametrize("stage,target", [
    ("category", (pipeline.category, "categorize")),
    ("place", (pipeline.places, "place_of")),
    ("time", (pipeline, "_closest")),
    ("sources", (pipeline.sources, "from_cues")),
    ("counted", (pipeline.counted, "counted_head")),
])
def test_a_stage_that_raises_leaves_its_field_out_and_warns(ex, monkeypatch, stage, target):
    def boom(*args, **kwargs):
        raise RuntimeError("broken on purpose")
    monkeypatch.setattr(*target, boom)
    text = "Police said 40 protesters were detained in Lagos on 3 March."
    with pytest.warns(FigureWarning) as caught:
        record = _extract(ex, text, id="doc-broken")
    assert len(record["figures"]) == 1
    fig = record["figures"][0]
    assert text[fig["start"]:fig["end"]] == "40"
    message = str(caught[0].message)
    assert "doc-broken" in message and f"offset {fig['start']}" in message and stage in message


def test_a_figure_whose_description_fails_outside_the_fields_is_dropped_alone(ex, monkeypatch):
    real = pipeline._describe_one

    def fail_on_first(sent, m, *args):
        if m.text.startswith("12"):
            raise ValueError("broken on purpose")
        return real(sent, m, *args)
    monkeypatch.setattr(pipeline, "_describe_one", fail_on_first)
    with pytest.warns(FigureWarning, match="doc-2"):
        record = _extract(ex, "Rebels killed 12 villagers and wounded 30 others.", id="doc-2")
    assert [f["text"] for f in record["figures"]] == ["30"]


def test_nothing_warns_on_a_plain_sentence(ex):
    with warnings.catch_warnings():
        warnings.simplefilter("error", FigureWarning)
        record = _extract(ex, "About 300 families fled the floods in the north, officials said on Monday.")
    assert record["figures"]


def _data(name):
    return json.loads((files("sayso") / "data" / name).read_text(encoding="utf-8"))


def _words() -> list[str]:
    """Words and phrases from the vocabularies: qualifiers, currencies, categories, places, months, cues."""
    figs, cats, time_, cues = _data("figures.json"), _data("categories.json"), _data("time.json"), _data("cues.json")
    out = [w for ws in figs["qualifiers"].values() for w in ws]
    out += [w for ws in figs["suffix_qualifiers"].values() for w in ws]
    out += list(figs["currencies"]) + list(figs["currency_words"]) + figs["percent_words"]
    out += figs["duration_units"] + figs["reference_words"] + figs["age_words"] + figs["rank_nouns"]
    out += figs["time_of_day"]
    for cat in cats.values():
        if isinstance(cat, dict):
            out += [w for ws in cat.values() for w in ws]
    out += [p for p in _data("places.json") if not p.startswith("_")][:80]
    out += [m.capitalize() for m in time_["months"]] + list(time_["relative_days"]) + time_["modifiers"]
    out += cues["source"] + cues["titles"][:20]
    out += list(_data("numbers.json")["units"]) + list(_data("numbers.json")["vague"])
    out += ["the", "of", "and", "in", "on", "at", "to", "between", "from", "was", "were", "said", "(", ")",
            ",", ".", '"', "\u201c", "\u201d", "-", "\u2013", ":", ";", "\n", "\u2022"]
    return sorted(set(out))


NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=10**12).map(str),
    st.integers(min_value=1000, max_value=10**9).map(lambda n: f"{n:,}"),
    st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda x: f"{x:.2f}"),
    st.integers(min_value=1, max_value=99).map(lambda n: f"{n}th"),
    st.integers(min_value=0, max_value=23).map(lambda h: f"{h:02d}:{h * 2 % 60:02d}"),
    st.sampled_from(["-1.3%", "$-5bn", "(27)", "4.5m", "12k", "1/2", "3-4", "1990s", "2023"]),
)
TOKENS = st.one_of(st.sampled_from(_words()), NUMBERS)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(st.lists(st.lists(TOKENS, min_size=1, max_size=14), min_size=1, max_size=3))
def test_random_sentences_from_the_vocabularies_always_give_a_record(ex, sentences):
    text = " ".join(" ".join(words) + "." for words in sentences)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", FigureWarning)
        record = _extract(ex, text)
    assert [str(w.message) for w in caught if issubclass(w.category, FigureWarning)] == []
    assert record["document"]["id"] == "doc-1"
    for fig in record["figures"]:
        assert 0 <= fig["start"] < fig["end"] <= len(text)
        assert text[fig["start"]:fig["end"]] == fig["text"]
        sent = fig["sentence"]
        assert sent["start"] <= fig["start"] and fig["end"] <= sent["end"]
