"""Tests for sayso.clean.boilerplate: page furniture is found, real content survives."""
from __future__ import annotations

import json
from importlib import resources

import pytest

from sayso.clean.boilerplate import boilerplate_spans, classify_line


def _marked(text: str) -> list[str]:
    """The non-blank lines inside boilerplate spans."""
    out = []
    for s, e in boilerplate_spans(text):
        out.extend(line.strip() for line in text[s:e].splitlines() if line.strip())
    return out


def _kept(text: str) -> list[str]:
    marked = set(_marked(text))
    return [line.strip() for line in text.splitlines() if line.strip() and line.strip() not in marked]


@pytest.mark.parametrize("line", [
    "Tags: , , , ,",
    "Tags: Freedonia, detention, protests",
    "Copyright © 2021 All Rights Reserved | XML Sitemap",
    "© 2019 Lantern Watch. All rights reserved.",
    "Social media & sharing icons powered by WidgetCorp",
    "Proudly powered by WordPress",
    "Follow us on Twitter and Facebook",
    "Lantern Watch (follow them on Twitter and Facebook)",
    "Follow us:",
    "Share this:",
    "Share this: Twitter | Facebook | WhatsApp | 12 shares",
    "Share on Facebook",
    "Twitter | Facebook | 48 shares",
    "Related Posts",
    "Related: Seven facts about the Harbour Road detentions",
    "You may also like",
    "Posted by admin | Human Rights, Europe | 0 comments",
    "by Jo Bloggs | Asia, Religious Freedom | 3 Comments",
    "Posted on March 3, 2021 by editor",
    "Media contact: press@lantern.example, +44 20 0000 0000",
    "For more information and media requests, please contact the Press Unit, 12 Quay Street, Portsmouth.",
    "Contact: info@lantern-watch.example",
    "press@lantern-watch.example",
    "Tel: 020 7946 0000 | media@lantern-watch.example",
    "+1 202 555 0100",
    "Lantern Watch, 14 Harbour Road, Dunmore, Freedonia",
    "Palais des Lumières, CH-1000 Ville 4, Freedonia",
    "Please share this post and sign the petition. Together we can win!",
    "and Lantern Watch – LANTERN WATCH – YouTube",
    "Read more",
    "Read more »",
    "Click here",
    "Click here to download the full report",
    "This website uses cookies to improve your experience. Accept all cookies or manage settings.",
    "Accept all",
    "Home | About us | Contact | Privacy Policy",
])
def test_furniture_lines_are_boilerplate(line):
    text = f"Police detained 1,200 people, the group said.\n\n{line}\n\nThe ministry said 300 had been held."
    assert _marked(text) == [line]
    s, e = boilerplate_spans(text)[0]
    assert text[s:e] == line


@pytest.mark.parametrize("line", [
    "The group said 4,000 people had shared the video on Twitter within an hour.",
    "Related to this, the ministry said 35 prisoners had been released.",
    "• 3,000 – the number of people executed since 2015",
    "• 450+ – documented cases of torture, according to UN experts",
    "Notes to editors",
    "1. Lantern Watch is an independent organisation founded in 2009.",
    "Posted on social media, the video showed at least 30 bodies.",
    "Copyright law was used to jail 12 bloggers in 2020.",
    "Protesters gathered on Harbour Road, Dunmore, where 5,000 people marched.",
    "Rally on Harbour Road, Dunmore, draws crowds of students",
    "Please share this post with 10 friends.",
    "Police told protesters to follow them.",
    "Home Office officials said hundreds of claims were pending",
    "The 2019 report by Lantern Watch | annex",
    "Share prices fell after 300 workers were dismissed.",
    "1 200 000",
    "Key figures",
    "Sources: Lantern Watch; Freedonia Rights Group.",
])
def test_content_lines_survive(line):
    text = f"Police detained 1,200 people, the group said.\n\n{line}\n\nThe ministry said 300 had been held."
    assert boilerplate_spans(text) == []


def test_spans_are_whole_lines_with_document_offsets_and_merged():
    text = ("Intro paragraph with 12 figures in it.\r\n"
            "Share this:\r\n"
            "Follow us on Twitter and Facebook\r\n"
            "\r\n"
            "Body paragraph that is long enough to count as content, mentioning 40 detainees and more.\r\n"
            "Read more\r\n")
    spans = boilerplate_spans(text)
    a = text.index("Share this:")
    b = text.index("Facebook") + len("Facebook")
    c = text.index("Read more")
    assert spans == [(a, b), (c, c + len("Read more"))]
    assert all(not text[s:e].endswith(("\r", "\n")) for s, e in spans)


def test_trailing_footer_marks_related_titles_after_marker():
    text = ("Police in Freedonia detained at least 1,200 people during protests last week, the Freedonia "
            "Rights Group said on Monday.\n\n"
            "More than 9,000 readers have signed our open letter calling for the detainees to be freed "
            "before the end of the year.\n\n"
            "Share this:\n"
            "Tags: , , ,\n"
            "Related Posts\n"
            "Seven Facts About the 300 Detainees of Harbour Road\n"
            "Why 2020 Was a Turning Point\n"
            "Copyright © 2021 All Rights Reserved | XML Sitemap\n")
    marked = _marked(text)
    assert "Seven Facts About the 300 Detainees of Harbour Road" in marked
    assert "Why 2020 Was a Turning Point" in marked
    assert marked[0] == "Share this:"
    assert len(boilerplate_spans(text)) == 1
    assert _kept(text)[1].startswith("More than 9,000 readers")


def test_short_prose_after_a_marker_ends_the_footer():
    text = ("Intro paragraph.\n\nShare this:\n"
            "The ministry said 300 had been held.\n"
            "Why 2020 Was a Turning Point\n")
    assert _marked(text) == ["Share this:"]


def test_short_lines_before_the_marker_or_without_marker_are_kept():
    body = ("Police in Freedonia detained at least 1,200 people during protests last week, the Freedonia "
            "Rights Group said on Monday.\n\n")
    bullets = "Key figures\n• 1,200 – people detained\n• 35 – people released\n"
    assert boilerplate_spans(body + bullets) == []
    text = body + bullets + "Tags: protests, Freedonia\n"
    assert _marked(text) == ["Tags: protests, Freedonia"]


def test_marker_followed_by_long_content_is_not_a_footer():
    text = ("Related Posts\n"
            "A short heading\n"
            "Police in Freedonia detained at least 1,200 people during protests last week, the Freedonia "
            "Rights Group said on Monday, and 35 remain in custody today.\n"
            "Another short line with 7 figures\n")
    assert _marked(text) == ["Related Posts"]


def test_notes_to_editors_and_following_content_survive():
    text = ("The group said 112 detainees had described beatings.\n\n"
            "Notes to editors\n"
            "1. Lantern Watch interviewed 86 former detainees.\n"
            "2. Interviews were conducted by video link.\n\n"
            "Media contact: press@lantern.example, +370 5 000 0000\n")
    assert _marked(text) == ["Media contact: press@lantern.example, +370 5 000 0000"]


def test_empty_and_plain_text():
    assert boilerplate_spans("") == []
    assert boilerplate_spans("Just one sentence with 5 numbers.") == []


def test_classify_line_names_the_group():
    assert classify_line("  Tags: a, b  ") == "tags"
    assert classify_line("Share this:") == "share"
    assert classify_line("The police detained 40 people.") is None
    assert classify_line("   ") is None


def test_data_file_documents_every_group_and_compiles():
    raw = json.loads(resources.files("sayso").joinpath("data/boilerplate.json").read_text("utf-8"))
    assert raw["groups"]
    for name, group in raw["groups"].items():
        assert group["comment"].strip(), name
        assert group["patterns"], name
    markers = {n for n, g in raw["groups"].items() if g.get("footer_marker")}
    assert {"tags", "share", "related", "copyright"} <= markers


def test_long_lines_are_fast():
    import time

    text = ("word " * 40_000 + "\n") * 5 + ("x" * 50_000 + "\n") + ("Twitter " * 5_000 + "!\n")
    t0 = time.perf_counter()
    boilerplate_spans(text)
    assert time.perf_counter() - t0 < 2.0
