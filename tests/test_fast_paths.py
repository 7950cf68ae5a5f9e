"""The shortcuts taken for speed give exactly what the slow paths give (no timing here: see bench/speed.py)."""
from __future__ import annotations

import spacy

from sayso.extract import figures
from sayso.extract import time as T
from sayso.extract.parse import DEFAULT_MODEL, speed_up

SENTENCES = [
    "At least 23 protesters were killed in Mashhad on Friday, Amnesty International said.",
    "“We counted 40 bodies in the morgue,” she told Reuters, adding that I'd not seen anything like it.",
    "The ministry, which didn't respond, put the toll at 1,500 in the first half of 2020.",
    "Nothin' changed since last November; y'all know that, he said.",
    "Several hundred people -- including those who'd been held since 12 March 2021 -- were released.",
    "There is no due process , no access to lawyers , nothing .  Whether it is so is unclear .",
    "Can anyone explain why ten thousand people vanished between 1988 and 1990?",
]


def _sig(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_) for t in doc]


def test_sped_up_pipeline_annotates_like_spacy():
    stock = spacy.load(DEFAULT_MODEL)
    fast = speed_up(spacy.load(DEFAULT_MODEL))
    assert fast.get_pipe("attribute_ruler").match is not None
    for a, b in zip(stock.pipe(SENTENCES), fast.pipe(SENTENCES)):
        assert _sig(a) == _sig(b)
        assert stock.get_pipe("attribute_ruler").match(a) == fast.get_pipe("attribute_ruler").match(a)


def test_time_rules_skipped_only_where_they_cannot_match(monkeypatch):
    from dataclasses import replace
    texts = SENTENCES + ["On Tuesday 3 May the court met; in the spring of 2019, two weeks ago, Q3 2020.",
                         "the same period last year, in the 1990s, 2019-20, this week so far, yesterday evening",
                         "Between 4 and 9 March, from May to July 2020 and 2018\u20132019, 12-14 June, 3 and 4 May.",
                         "They met from Monday 2 August to Friday 6 August; it ran 1999 to 2003, 5\u2013May.",
                         "Some 40 died in 2020; 7 to 8 of them in Sept., until the 21st, MAY 5 to June.",
                         "YESTERDAY EVENING and Last Night, in Summer 2019 and the H1 of 2020, q4 2018.",
                         "Since the day before yesterday, i.e. the Same Period a year ago, 3 weeks ago.",
                         "From the 3rd to the 9th of May, 1 - 4 June, Mon 2 \u2014 Fri 6 Aug, 5 AND 6 May.",
                         "Between the 4th and the 6th, 2019 through 2021, 12 till 14 Sept 2020.", "It ran from 1 thru 3 May.",
                         "Prices rose 5 - 9 June.", "It closed 2\u20134 May.", "Back in Q3.", "Late last NIGHT.",
                         "Earlier This Morning.", "In the Fall.", "The same week in 2019.", "Tomorrow at 9.",
                         "1 and 2 Feb", "Fri\u2014Sun", "From Jan to Mar 2020", "Over the past month.",
                         "Caf\u00e9 owners said 4\u20139 March and that \u201cyesterday evening\u201d 200 came.",
                         "In the autumn of 1999, this month, this week so far, the past year, 7 days ago."]
    fast = [T.find_times(t, "2021-06-01") for t in texts]
    assert sum(len(f) for f in fast) > 20
    rules = T._rules()
    assert all(r.needs for r in rules)
    monkeypatch.setattr(T, "_rules", lambda: tuple(replace(r, needs=()) for r in rules))
    assert [T.find_times(t, "2021-06-01") for t in texts] == fast


def test_time_rule_searches_start_where_a_match_can_start(monkeypatch):
    from dataclasses import replace
    texts = ["Ever since the very beginning of early-2019 and until the very end of mid - 2020, 40 left.",
             "It grew throughout   the\n\n  very   close   of   late \u2014 2018 (in\tthe middle of May).",
             "They stayed on Monday, from the start of March, towards the end of Q3 2021 and by late 2017.",
             "Bathe end of 2020, cathe start of 1999; around the turn of the century; as of 5 May 2021.",
             "x" * 250 + " in the very end of " + " " * 300 + "2016 and before " + "  " * 120 + "early 2015."]
    windows = [(t, s, e) for t in texts for s in range(0, len(t), 7) for e in (len(t), s + 60)]
    fast = [T.find_times(t, "2021-06-01", s, e) for t, s, e in windows]
    assert sum(len(f) for f in fast) > 100
    assert any(t.text.lower().startswith("ever since the very beginning of early") for f in fast for t in f)
    rules = T._rules()
    assert all(r.core is not None for r in rules) and T._pre_reach() is not None   # the shortcut is taken
    monkeypatch.setattr(T, "_rules", lambda: tuple(replace(r, core=None) for r in rules))
    assert [T.find_times(t, "2021-06-01", s, e) for t, s, e in windows] == fast


def test_atoms_are_tried_only_where_one_can_begin():
    from sayso.extract import numbers
    assert all(w.isascii() and w.isalpha() and w.islower() for w in numbers.first_words())
    texts = SENTENCES + ["Tens of Thousands marched; HALF A MILLION fled, a thousand and five stayed.",
                         "Some 1,500-2,000 (5million? x5, _7, 4th, 21st-century) and twenty-one of 3.5bn.",
                         "a-million, half-a-billion, Nineteen Eighty, the Forty-Second and hundredth time",
                         "Caf\u00e9 staff counted \u0661\u0662 and 40 chairs, \u201cthree\u201d said so, fıve.",
                         "No numbers here at all, said a spokesman; none whatsoever."]
    rx = figures._atom_regex()
    tried = 0
    for t in texts:
        for s in range(0, len(t), 3):
            for e in range(s, len(t) + 1, 5):
                assert [m.span() for m in figures._atom_matches(t, s, e)] == \
                       [m.span() for m in rx.finditer(t, s, e)], (t, s, e)
                tried += 1
    assert tried > 1000 and any(figures.find_atoms(t) for t in texts)


def test_atoms_prefilter(monkeypatch):
    assert not figures.may_hold_atoms("Witnesses said security forces fired tear gas.")
    assert figures.may_hold_atoms("Tens of Thousands marched.") and figures.may_hold_atoms("It was 5 pm.")
    texts = SENTENCES + ["Tens of thousands marched", "the twenty-first of them", "scores were held",
                         "a few dozen stayed", "Half a million fled", "No one was hurt."]
    fast = [figures.find_atoms(t) for t in texts]
    monkeypatch.setattr(figures, "may_hold_atoms", lambda *a: True)
    assert [figures.find_atoms(t) for t in texts] == fast


def test_batched_documents_give_the_records_of_one_at_a_time():
    from sayso.api import _extractor
    from sayso.pipeline import Options, extract_documents, input_from_text
    texts = ["At least 23 protesters were killed in Mashhad on Friday, Amnesty International said.",
             "Le gouvernement a annoncé mardi de nouvelles restrictions sur la presse.",
             "“We counted 40 bodies,” said Jane Roe, a doctor. She said 12 more died on Monday.",
             "Nothing to count here, the ministry said."]
    docs = [input_from_text(t, "2021-03-02", id=f"d{i}") for i, t in enumerate(texts)]
    ex = _extractor(Options.model, ())
    one_by_one = [ex(d) for d in docs]
    assert list(extract_documents(docs, ex, batch=3)) == one_by_one


def test_extractors_share_the_builtin_registries_and_a_user_file_gets_its_own(tmp_path):
    import json

    from sayso.extract.aliases import default_aliases, default_places
    from sayso.pipeline import Extractor, Options
    ex = Extractor()
    assert ex.aliases is default_aliases() and ex.places is default_places()
    own = tmp_path / "aliases.json"
    own.write_text(json.dumps({"Kelvan Prison Watch": ["KPW"]}), encoding="utf-8")
    mine = Extractor(Options(aliases=(str(own),)))
    assert mine.aliases is not default_aliases() and mine.places is default_places()
    assert mine.aliases.canonical("KPW") == "Kelvan Prison Watch"
    assert default_aliases().canonical("KPW") is None


def test_category_phrases_are_looked_for_only_where_one_of_them_can_occur(monkeypatch):
    import re

    from sayso.extract import category
    from sayso.extract.parse import load_pipeline
    nlp = load_pipeline(DEFAULT_MODEL)
    texts = SENTENCES + ["Nine reporters were taken into custody and 3 went missing.",
                         "Two drone strikes hit the market; 14 people lost their lives there.",
                         "Eleven were TAKEN   INTO custody overnight, the paper said.",
                         "Señor Ruiz said 4 were taken into custody and two went missing.",
                         "Two Airstrikes (and “drone strikes”) killed 9, an ill-treatment report said."]
    phrases = [p for cues in category.lexicon().values() for p in cues.get("phrases", [])]
    assert len(phrases) == len(category._cue_index()[2])
    for phrase in phrases:
        assert category._any_phrase().search(f"It said {phrase.upper()}.") is not None
    fast = [category.phrase_hits(doc) for doc in nlp.pipe(texts)]
    assert any(fast) and not all(fast)
    assert len(category._first_words()) == len(phrases)
    monkeypatch.setattr(category, "_any_phrase", lambda: re.compile(""))
    monkeypatch.setattr(category, "_first_words", lambda: (None,) * len(phrases))
    assert [category.phrase_hits(doc) for doc in nlp.pipe(texts)] == fast


def _nlp():
    from sayso.extract.parse import load_pipeline
    return load_pipeline(DEFAULT_MODEL)


def test_tokens_in_and_token_at_agree_with_a_scan_of_every_token():
    from sayso.extract.parse import Sentence
    text = "  Mr. Roe said: “at least 1,500 were held” — in 2019\u20132020 alone.  "
    sent = Sentence(2, len(text) - 2, text[2:-2])
    sent.doc = _nlp()(sent.text)
    toks = list(sent.doc)
    checked = 0
    for start in range(0, len(text) + 1):
        assert (sent.token_at(start) or None) == next(
            (t for t in toks if t.idx <= start - 2 < t.idx + len(t.text)), None)
        for end in range(start, len(text) + 1):
            scan = [t for t in toks if 2 + t.idx < end and 2 + t.idx + len(t.text) > start]
            assert sent.tokens_in(start, end) == scan
            checked += bool(scan)
    assert checked > 1000
    sent.doc = _nlp()("A new parse.")          # a new parse: the cached offsets are not reused
    assert [t.text for t in sent.tokens_in(2, 7)] == ["A", "new"]


def test_place_mentions_are_read_once_per_parsed_sentence(monkeypatch):
    from sayso.extract import places
    from sayso.extract.parse import Sentence
    from sayso.extract.aliases import default_places
    sent = Sentence(0, 64, "At least 40 people were killed in Aleppo and 12 in Idlib, Syria.")
    sent.doc = _nlp()(sent.text)
    calls = []
    slow = places._place_mentions
    monkeypatch.setattr(places, "_place_mentions", lambda *a: calls.append(1) or slow(*a))
    first = places.place_mentions(sent, default_places())
    assert {name for _, _, name, _ in first} >= {"Aleppo", "Idlib", "Syria"}
    assert places.place_mentions(sent, default_places()) == first and len(calls) == 1
    unparsed = Sentence(0, 64, sent.text)
    assert places.place_mentions(unparsed, default_places()) == places.place_mentions(unparsed, default_places())
    assert len(calls) == 3                     # an unparsed sentence keeps nothing


def test_cue_finder_reads_only_candidate_tokens_and_finds_what_a_full_scan_finds(monkeypatch):
    from sayso.extract import attribution
    texts = SENTENCES + [
        "According to the Observatory, 310 people died; the ministry denied it, citing data from the police.",
        "The army put the toll at 624, a figure the UN Office later confirmed and the rebels disputed.",
        "The group's estimate of 2,000 arrests was rejected, and a survey found that 40% had fled.",
        "About 90 were held in Homs, the monitor estimates.",
        "SAID the Minister: 12 were SAYING nothing, Reuters Reported.",
    ]
    docs = list(_nlp().pipe(texts))

    def sig(cues):
        return [(c.token.i, c.role, [t.i for t in c.agent], sorted(c.scope), c.attributive, c.cited) for c in cues]

    fast = [sig(attribution.find_cues(d)) for d in docs]
    assert sum(len(f) for f in fast) >= 10
    monkeypatch.setattr(attribution, "_cue_candidates", lambda doc: range(len(doc)))
    assert [sig(attribution.find_cues(d)) for d in docs] == fast


def test_boilerplate_lines_classified_by_one_alternation_as_group_by_group():
    from sayso.clean import boilerplate as B
    lines = ["Tags: prisons, courts, Kelvan", "Share this:", "Share on Facebook", "Copyright 2021 The Daily Ledger",
             "\u00a9 2020 All rights reserved.", "Follow us on Twitter", "Related Posts", "Read more:",
             "By Jane Roe, staff reporter", "Email: desk@example.org", "Tel: +1 555 0100", "Home | News | World",
             "We use cookies to improve your experience.", "Subscribe to our newsletter", "Powered by WordPress",
             "At least 23 protesters were killed, the ministry said.", "", "   ", "Posted on 3 May 2021",
             "Contact us", "12 Harbour Street, Kelvan", "Advertisement", "Click here to subscribe", "Previous article",
             "Share this post", "Print"]   # the last two are of two groups each: the first one counts

    def slow(line):
        stripped = line.strip()
        for name, patterns in B._rules().groups:
            if stripped and any(p.fullmatch(stripped) for p in patterns):
                return name
        return None
    kinds = [B.classify_line(line) for line in lines]
    assert len({k for k in kinds if k}) >= 6 and None in kinds
    assert kinds == [slow(line) for line in lines]


def test_sentences_that_name_nobody_skip_the_entity_recognizer_and_lose_no_name():
    from sayso.extract.parse import Sentence, may_name, parse_sentences
    texts = SENTENCES + [
        "Nearly 80 percent of those detained were under 25, the lawyers said.",
        "More than 1,200 people were arrested in the first week of protests last year.",
        "some 40 bodies were found on tuesday, the local hospital said.",
        "Iranian forces killed 40 people on Friday.",
        "The health ministry said 12 died and 30 were wounded.",
        "Hundreds of thousands fled, and at least 3,000 were killed within two months.",
        "Amnesty said 30 people died.",
    ]
    nlp = _nlp()
    sents = [Sentence(0, len(t), t) for t in texts]
    parse_sentences(nlp, sents)
    skipped = [s for s in sents if not may_name(s)]
    assert len(skipped) == 4 and [s.text for s in skipped][-1].startswith("Hundreds")
    numeric = {"CARDINAL", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"}
    for sent, full in zip(sents, nlp.pipe(texts)):
        assert [x[:7] for x in _sig(sent.doc)] == [x[:7] for x in _sig(full)]     # all but the entities
        if sent in skipped:
            assert {e.label_ for e in full.ents} <= numeric and full.ents      # only numbers and dates lost
            assert sent.doc.ents == () and {t.ent_iob_ for t in sent.doc} == {"O"}
        else:
            assert _sig(sent.doc) == _sig(full)
