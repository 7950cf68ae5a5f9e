"""Reach (``sayso.link.reach``): the stored figures a new one may link with, from a few numbers per
figure. It may take in figures that do not link; it must never leave out one that does: every
pair the group, event and conflict tests link, on the gold sets and the seeds, is within reach,
and a ledger fed in batches ends as one linked at once."""
from __future__ import annotations

import random

import pytest

from sayso.link.blocking import conflict_pairs, event_pairs, group_pairs
from sayso.link.conflicts import disagree
from sayso.link.context import contexts
from sayso.link.corpus import blocks, link_block
from sayso.link.events import same_event
from sayso.link.groups import same_quantity
from sayso.link.reach import reach, reachable
from sayso.store.ledger import Ledger
from test_linking_scale import _gold_set, _seeds, _state, _store


def _fig(value, qualifier="exact", time=None, category="killed", fid="f1"):
    t = None
    if time:
        t = {"text": "then", "start": time[0], "end": time[1]}
    return {"id": fid, "kind": "count", "value": {"low": value, "high": value}, "qualifier": qualifier,
            "category": category, "counted": "people", "time": t}


def _reaches(a: dict, b: dict, pa: str | None = "2020-03-01", pb: str | None = "2020-03-01") -> bool:
    return bool(reachable([reach(a, pa)], [reach(b, pb)])[0])


def test_tolls_of_one_month_reach_each_other_whatever_their_values():
    march = ("2020-03-01", "2020-03-31")
    assert _reaches(_fig(106, time=march), _fig(304, time=march))


def test_tolls_of_months_apart_do_not_reach_each_other():
    assert not _reaches(_fig(106, time=("2020-03-01", "2020-03-31")), _fig(304, time=("2020-07-01", "2020-07-31")))


def test_a_toll_for_a_day_reaches_the_periods_that_ended_before_it():
    # "a later report of the total": 208 killed as of 20 March, beside 106 in the first week
    week, day = ("2020-03-01", "2020-03-07"), ("2020-03-20", "2020-03-20")
    assert _reaches(_fig(208, time=day), _fig(106, time=week))
    assert _reaches(_fig(106, time=week), _fig(208, time=day))
    assert not _reaches(_fig(106, time=("2020-03-25", "2020-03-31")), _fig(208, time=day), "2020-04-01", "2020-03-21")


def test_periods_with_the_same_start_are_a_running_toll():
    assert _reaches(_fig(50, time=("2020-03-01", "2020-03-02")), _fig(90, time=("2020-03-03", "2020-03-10")))


def test_an_undated_toll_reaches_all_within_two_years_of_publication():
    dated = _fig(106, time=("2020-03-01", "2020-03-31"))
    assert _reaches(_fig(300), dated, "2021-06-01", "2020-04-01")
    assert not _reaches(_fig(300), dated, "2023-06-01", "2020-04-01")
    assert _reaches(_fig(300), dated, None, "2020-04-01")       # an undated document: all


def test_the_same_number_reaches_across_years_for_a_group_when_a_time_is_unknown():
    assert _reaches(_fig(1500, "at_least"), _fig(1500), "2024-01-01", "2020-01-01")
    # (undated tolls of one category may still conflict: a count of another kind of thing may not)
    assert not _reaches(_fig(1500, category="other"), _fig(2700, category="other"), "2024-01-01", "2020-01-01")


def test_undated_figures_of_one_category_reach_each_other_as_rival_counts():
    # conflicts compare undated figures of one category whatever their publication dates
    assert _reaches(_fig(10, category="arrested"), _fig(4000, category="arrested"), "2024-01-01", "2020-01-01")
    assert not _reaches(_fig(10, category="arrested"), _fig(4000, category="killed"), "2024-01-01", "2020-01-01")
    assert not _reaches(_fig(10, "vague", category="arrested"), _fig(4000, category="arrested"),
                        "2024-01-01", "2020-01-01")


def test_a_figure_without_a_value_reaches_through_its_time_only():
    f = _fig(None, category="other")
    assert reach(f)[5:7] == [None, None]
    assert not reachable([reach(f, "2024-01-01")], [reach(_fig(None, category="other"), "2020-01-01")]).any()
    assert reachable([reach(f, "2021-01-01")], [reach(_fig(None, category="other"), "2020-01-01")]).all()


def _linked_pairs(ms):
    """Every pair of one block that a test links (groups, events, conflicts), as linking reads them."""
    for block in blocks(ms).values():
        link_block(block)         # events read the group's category
        for a, b in group_pairs(block):
            if same_quantity(a, b, explain=False).same:
                yield a, b
        for a, b in event_pairs(block):
            if same_event(a, b, explain=False).same:
                yield a, b
        for a, b in conflict_pairs(block):
            if disagree(a, b, explain=False):
                yield a, b


@pytest.mark.parametrize("corpus", ["dev", "real-dev", "seeds"])
def test_every_pair_linking_links_is_within_reach(corpus, shared, tmp_path):
    records, texts = _seeds(shared, tmp_path) if corpus == "seeds" else _gold_set(shared, corpus, tmp_path)
    ms = contexts(records, texts)
    pairs = [(a, b) for a, b in _linked_pairs(ms) if a.doc != b.doc]
    assert len(pairs) > 20
    for a, b in pairs:
        ra, rb = reach(a.figure, a.published, a.sentence), reach(b.figure, b.published, b.sentence)
        assert reachable([ra], [rb])[0] and reachable([rb], [ra])[0], (a.key, b.key, ra, rb)


@pytest.mark.parametrize("corpus", ["dev", "real-dev"])
def test_a_ledger_fed_in_batches_in_any_order_ends_as_one_linked_at_once(corpus, shared, tmp_path):
    records, texts = _gold_set(shared, corpus, tmp_path)
    items = list(zip(texts, records))
    random.Random(5).shuffle(items)
    step = Ledger(str(tmp_path / "step.db"))
    for at in range(0, len(items), 4):
        _store(step, items[at:at + 4])
        step.regroup()
    once = Ledger(str(tmp_path / "once.db"))       # stored in the same order, linked at once
    _store(once, items)
    once.regroup()
    groups, events, conflicts = _state(once)
    assert groups and events
    assert _state(step) == (groups, events, conflicts)
    step.close()
    once.close()


def test_reviewed_figures_relinked_alone_give_what_relinking_the_whole_ledger_gives(tmp_path):
    from sqlalchemy import update

    from sayso.store.review import review
    from sayso.store.schema import ledger_info
    from test_linking_scale import archive

    ledger = Ledger(str(tmp_path / "l.db"))
    _store(ledger, archive.generate(0, 160))
    ledger.regroup()
    figs = [f for f in ledger.figures() if f["event_id"]]
    assert len(figs) > 10
    # a toll moved to another month (it leaves its event, which may split), one rejected, one
    # given another value and one moved to another country (it leaves its block)
    review(ledger, figs[0]["figure_id"], "correct", "ana", {"time_start": "1990-06-01", "time_end": "1990-06-30"})
    review(ledger, figs[3]["figure_id"], "reject", "ana")
    review(ledger, figs[6]["figure_id"], "correct", "ana", {"low": 999, "high": 999})
    review(ledger, figs[9]["figure_id"], "correct", "ana", {"place": "Iceland"})
    counts = ledger.regroup()
    assert 4 <= counts["relinked"] < counts["figures"]
    after = _state(ledger)
    with ledger.writing() as conn:          # as if an older sayso had linked it: all relinked
        conn.execute(update(ledger_info).where(ledger_info.c.key == "linking").values(value="older"))
    assert ledger.regroup()["relinked"] == counts["figures"]
    assert _state(ledger) == after
    ledger.close()


def test_the_bounds_a_database_selects_by_hold_every_figure_within_reach():
    from sayso.link.reach import bounds

    rng = random.Random(11)

    def some_reach():
        day = rng.choice([None, *range(737000, 737000 + 2000, 37)])
        start = rng.choice([None, None, *range(736500, 737000 + 2000, 41)])
        length = rng.choice([0, 0, 6, 30, 364])
        time = (start, start + length) if start is not None else (None, None)
        value = rng.choice([None, 12, 40, 41, 300, 1500, 1500.5])
        window = (value * 0.9, value * 1.1) if value else (None, None)
        period = time if rng.random() < 0.7 else (None, None)
        return [day, *period, *time, *window, rng.choice([None, "killed", "arrested"])]

    for _ in range(60):
        new = [some_reach() for _ in range(rng.randint(1, 4))]
        stored = [some_reach() for _ in range(80)]
        limits = bounds(new)
        hits = reachable(new, stored)
        if limits is None:
            assert any(r[0] is None for r in new)
            continue
        for r, hit in zip(stored, hits):
            assert not hit or limits.admits(r), (new, r)
    # the bounds leave out what is far in time and value
    near = reach(_fig(40, time=("2020-03-01", "2020-03-31")), "2020-04-01")
    far = reach(_fig(1500, time=("2012-03-01", "2012-03-31")), "2012-04-01")
    assert not bounds([near]).admits(far)
    assert bounds([near]).admits(reach(_fig(7), "2012-04-01"))          # an undated figure: maybe a rival count
