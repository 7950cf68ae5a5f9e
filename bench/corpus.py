"""A generated corpus of news-like human-rights reports, for the benchmarks.

Deterministic for a seed. Each document has a headline and five to ten paragraphs; about a third
of the sentences carry a figure (a toll, an arrest count, an execution count, often attributed:
"..., Amnesty International said"), the rest is the connective prose of real reporting. The
vocabulary is our own, written for the benchmark; nothing is copied from the seeds or gold sets.

    python bench/corpus.py 1000 out.jsonl      # write 1,000 documents as JSON Lines
"""
from __future__ import annotations

import json
import random
import sys
from typing import Iterator

PLACES = ["Tehran", "Mashhad", "Karachi", "Lagos", "Minsk", "Yangon", "Khartoum", "Caracas", "Aleppo",
          "Kabul", "Harare", "Managua", "Sanaa", "Dhaka", "Baku", "Tbilisi", "Bamako", "Kinshasa"]
SOURCES = ["Amnesty International", "Human Rights Watch", "the United Nations", "Reuters", "a local monitor",
           "the interior ministry", "the opposition", "the Committee to Protect Journalists", "state media",
           "the health ministry", "hospital officials", "a lawyers' association"]
VERBS = ["said", "reported", "estimated", "told reporters", "said in a statement"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
QUALIFIERS = ["", "at least ", "more than ", "about ", "nearly ", "some "]
EVENTS = [
    "{q}{n} protesters were killed in {place} {when}",
    "security forces arrested {q}{n} people in {place} {when}",
    "{q}{n} prisoners were executed {when}",
    "{q}{n} journalists remain behind bars",
    "{q}{n} people were injured when police fired on crowds in {place}",
    "{q}{n} families have been displaced from villages around {place} {when}",
    "the courts sentenced {q}{n} activists to prison terms {when}",
    "{q}{n} detainees have disappeared since {month}",
]
PROSE = [
    "Witnesses described scenes of chaos as crowds gathered outside the main square.",
    "The government has not responded to repeated requests for comment.",
    "Relatives said they had received no information about those taken away.",
    "Rights groups have called for an independent investigation into the events.",
    "The authorities blamed foreign agitators for the unrest.",
    "Internet access was restricted across much of the country for several days.",
    "Lawyers for the accused said they were denied access to the case files.",
    "Diplomats expressed concern but stopped short of announcing sanctions.",
    "Footage shared online showed security forces using tear gas against demonstrators.",
    "Many of those detained were students, teachers and shopkeepers.",
    "The families of the victims say they were pressured to stay silent.",
    "Observers warned that the crackdown could intensify before the elections.",
    "Officials insisted that order had been restored and that life was returning to normal.",
    "Independent verification of the reports remains difficult.",
]
HEADLINES = ["Crackdown widens in {place}", "Families demand answers after deadly week in {place}",
             "Rights groups count the cost of the unrest", "Executions rise as protests continue",
             "Arrests mount in {place} as authorities tighten control"]


def documents(n: int, seed: int = 7) -> Iterator[dict]:
    """``n`` documents as JSONL-ready dicts: id, title, published, text."""
    rng = random.Random(seed)
    for i in range(n):
        year = rng.randint(2015, 2024)
        place = rng.choice(PLACES)
        paragraphs = [" ".join(_sentence(rng, year) for _ in range(rng.randint(2, 4)))
                      for _ in range(rng.randint(5, 10))]
        yield {"id": f"gen-{i:06d}", "title": rng.choice(HEADLINES).format(place=place),
               "published": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
               "text": "\n\n".join(paragraphs)}


def _sentence(rng: random.Random, year: int) -> str:
    if rng.random() > 0.35:
        return rng.choice(PROSE)
    month = rng.choice(MONTHS)
    when = rng.choice([f"in {month} {year}", f"last {month}", "on Friday", f"since {year}", ""])
    n = rng.choice([str(rng.randint(2, 99)), f"{rng.randint(100, 9999):,}", rng.choice(["dozens", "hundreds",
                                                                                       "three", "twelve"])])
    event = rng.choice(EVENTS).format(q=rng.choice(QUALIFIERS), n=n, place=rng.choice(PLACES), when=when, month=month)
    event = " ".join(event.split())
    if rng.random() < 0.6:
        return f"{event[0].upper()}{event[1:]}, {rng.choice(SOURCES)} {rng.choice(VERBS)}."
    return f"{event[0].upper()}{event[1:]}."


def words(docs) -> int:
    return sum(len(d["text"].split()) for d in docs)


if __name__ == "__main__":
    count, path = int(sys.argv[1]), sys.argv[2]
    with open(path, "w", encoding="utf-8") as out:
        for doc in documents(count):
            out.write(json.dumps(doc) + "\n")
