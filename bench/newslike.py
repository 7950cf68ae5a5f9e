"""A generated, news-like corpus for the speed benchmark: reporting in which most sentences hold no figure.

The gold sets (dev, bench/gold/own*) are written to be dense in figures: about half their sentences
hold one. Real reporting is not: in the seed articles (../shared/seeds, real advocacy and news
texts about Iran's 2019 crackdown) 19% of sentences hold a figure and 9% a quotation mark, and
general news has fewer still. A speed figure measured only on the gold sets would therefore
understate what selective parsing saves on the corpora sayso is meant for.

This module writes documents from templates with a fixed random seed (same corpus every run):
each document is a dateline-free article of paragraphs of 2-4 sentences; each sentence is drawn
from one of four kinds, with these shares (``SHARES``):

  * narrative  0.64  no digits: events, descriptions, reactions, some naming people and bodies
  * dated      0.10  a date or year but no figure ("On 12 March 2021 the ministry announced ...")
  * figure     0.17  a count, percentage or sum with its attribution, as in the seeds
                     ("At least 23 protesters were killed in Mashhad on Friday, Amnesty said.")
  * quote      0.09  a direct quotation with its speaker, half of them without a figure

The slots are filled from small lists of places, organisations, people, roles, verbs and nouns
below, so sentences vary in words and length (about 12-35 words). The result is not meant to be
read for its content, only to put the parser in front of the same mix of sentences a newsroom
archive would; its share of figure sentences is printed by ``bench/speed.py``.

Usage:
    .venv/bin/python bench/newslike.py [-n DOCUMENTS] [--seed S] [-o OUT.jsonl]
"""
from __future__ import annotations

import argparse
import json
import random
import sys

SHARES = {"narrative": 0.64, "dated": 0.10, "figure": 0.17, "quote": 0.09}

CITIES = ["Mashhad", "Shiraz", "Tabriz", "Isfahan", "Mandalay", "Yangon", "Khartoum", "Omdurman", "Minsk",
          "Grodno", "Caracas", "Maracaibo", "Addis Ababa", "Mekelle", "Kabul", "Herat", "Port-au-Prince",
          "Tehran", "Ahvaz", "Karachi", "Lahore", "Harare", "Bamako", "Goma", "Juba"]
COUNTRIES = ["Iran", "Myanmar", "Sudan", "Belarus", "Venezuela", "Ethiopia", "Afghanistan", "Haiti",
             "Pakistan", "Zimbabwe", "Mali", "Nicaragua", "Bangladesh", "Egypt", "Syria"]
ORGS = ["Amnesty International", "Human Rights Watch", "the United Nations", "the UN human rights office",
        "Reporters Without Borders", "the Committee to Protect Journalists", "the Red Cross",
        "the interior ministry", "the health ministry", "the opposition coalition", "a local monitoring group",
        "the state news agency", "Reuters", "the judiciary", "the national medical association",
        "the bar association", "a coalition of rights groups", "the election commission"]
FIRST = ["Maryam", "Ali", "Sara", "Daniel", "Aung", "Fatima", "Tesfaye", "Olga", "Carlos", "Amina", "Hamid",
         "Leila", "Joseph", "Nadia", "Samuel", "Reza", "Grace", "Tariq", "Elena", "Kofi"]
LAST = ["Rahimi", "Okafor", "Mendez", "Kyaw", "Haile", "Petrova", "Hosseini", "Mensah", "Farouk", "Navarro",
        "Tadesse", "Karimi", "Novak", "Abdi", "Suleiman", "Moreno", "Banda", "Qureshi"]
ROLES = ["a lawyer who represents several of the detainees", "a spokesperson for the group", "a researcher",
         "a local journalist", "a doctor at a city hospital", "the group's director", "a former judge",
         "an opposition lawmaker", "a student who took part in the march", "a government spokesman",
         "the mother of one of the detained students", "a senior official"]
PEOPLE = ["protesters", "people", "civilians", "students", "journalists", "activists", "prisoners",
          "demonstrators", "workers", "children", "women", "members of the opposition", "lawyers"]
FATES = [("killed", "were killed"), ("arrested", "were arrested"), ("detained", "have been detained"),
         ("injured", "were injured"), ("executed", "were executed"), ("displaced", "have been displaced"),
         ("sentenced", "were sentenced to prison"), ("missing", "remain missing")]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
TOPICS = ["the crackdown", "press freedom", "the new security law", "the disputed election", "fuel prices",
          "internet shutdowns", "the treatment of detainees", "the blockade", "the curfew", "the trials",
          "the ceasefire", "access for aid workers", "the state of emergency"]
BODIES = ["the government", "the ministry", "the security forces", "the police", "the army", "the court",
          "the parliament", "the military council", "the provincial governor", "the authorities"]
ADJS = ["chaotic", "tense", "quiet", "violent", "desperate", "confusing", "peaceful", "crowded", "grim"]
PLACE_NOUNS = ["neighbourhood", "old city", "market", "university district", "suburbs", "main square",
               "industrial zone", "outskirts", "border area"]
VERBS_SAY = ["said", "reported", "told reporters", "said in a statement", "wrote on its website",
             "said on Twitter", "announced"]
VERBS_PAST = ["criticised", "defended", "questioned", "welcomed", "condemned", "ignored", "dismissed"]

NARRATIVE = [
    "{Org} has long criticised {body}'s handling of {topic}.",
    "Residents of {city} described {adj} scenes as {body} moved through the {place_noun}.",
    "{Body} did not respond to a request for comment.",
    "{person}, {role}, said the situation in {city} had become {adj} after {topic} began.",
    "Crowds gathered outside the courthouse in {city}, chanting slogans against {body}.",
    "Diplomats said talks on {topic} would continue, although few expected a breakthrough soon.",
    "The families of those held say they have not been told where their relatives are.",
    "Shops in the {place_noun} stayed shut and the streets were {adj} by the evening.",
    "Witnesses said security forces fired tear gas and live ammunition to disperse the crowd in {city}.",
    "{Org} {verb_past} the decision, saying it would make independent reporting even harder.",
    "Access to the internet was cut across much of {country}, making it difficult to verify reports.",
    "Officials in {city} blamed foreign agitators for the unrest, a claim {org} rejected.",
    "Lawyers for the accused said they had been denied access to the case files.",
    "The {adj} atmosphere in {city} was a sharp change from the celebrations of the previous year.",
    "{Body} has promised an investigation, but critics say past inquiries led nowhere.",
    "Rights groups have urged {body} to release everyone held for peaceful protest.",
    "Independent monitors were not allowed to visit the prisons where the detainees are held.",
    "Hospitals in {city} were ordered not to share information about the wounded with journalists.",
    "In the {place_noun} of {city}, neighbours took turns watching the roads at night.",
    "The state broadcaster showed footage of what it called confessions by several of those detained.",
    "{person} fled to a neighbouring country after being summoned for questioning.",
    "The measure drew condemnation from governments in Europe and from {org}.",
    "Supporters of {body} staged a counter-rally in the capital, waving flags and portraits.",
    "It was not possible to confirm the accounts independently, {org} {say}.",
]
DATED = [
    "On {day} {month} {year}, {body} announced new restrictions on {topic}.",
    "The law, passed in {year}, gives {body} broad powers to detain suspects without charge.",
    "{Org} first raised concerns about {topic} in {month} {year}.",
    "The protests began on {day} {month}, when {body} announced a sharp rise in {topic}.",
    "A hearing in the case is scheduled for {month} {year}, {person}'s lawyer said.",
    "Since {year}, {country} has faced repeated waves of unrest over {topic}.",
]
FIGURE = [
    "At least {n} {people} {fate} in {city} on {weekday}, {org} {say}.",
    "{Org} {say} that {n} {people} {fate} since the start of {topic}.",
    "More than {n:,} {people} {fate} across {country} in {year}, according to {org}.",
    "{Body} put the number of {people} {fate_adj} at {n}, a figure {org} disputed.",
    "Nearly {pct} percent of those {fate_adj} were under {age}, {org} {say}.",
    "The death toll rose to {n} on {weekday}, {person}, {role}, told reporters.",
    "{Org} said it had documented the cases of {n} {people} who {fate} in {month}.",
    "Some {n:,} {people} {fate} during the first week of {topic}, the figures show.",
    "The court sentenced {small} {people} to death and {n} others to prison terms on {weekday}.",
    "Families were asked to pay up to ${money:,} for the release of their relatives, {org} {say}.",
]
QUOTE = [
    "\u201cWe will not stop until every one of them is free,\u201d said {person}, {role}.",
    "\u201cThe world cannot keep looking away from {country},\u201d {person} told {org_name}.",
    "{person}, {role}, said: \u201cThey were shooting at people who were simply walking home.\u201d",
    "\u201cAt least {n} of my neighbours were taken that night,\u201d said {person}, {role}.",
    "\u201cThere is no due process, no access to lawyers, nothing,\u201d {person} said.",
    "\u201cWe counted {n} bodies in the morgue on {weekday} alone,\u201d {person}, {role}, said.",
]


def _person(rng):
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def sentence(kind: str, rng: random.Random) -> str:
    org, body = rng.choice(ORGS), rng.choice(BODIES)
    fate_adj, fate = rng.choice(FATES)
    slots = dict(
        org=org, Org=_cap(org), org_name=org if not org.startswith(("the ", "a ")) else "Reuters",
        body=body, Body=_cap(body), topic=rng.choice(TOPICS), city=rng.choice(CITIES),
        country=rng.choice(COUNTRIES), adj=rng.choice(ADJS), place_noun=rng.choice(PLACE_NOUNS),
        person=_person(rng), role=rng.choice(ROLES), verb_past=rng.choice(VERBS_PAST), say=rng.choice(VERBS_SAY),
        people=rng.choice(PEOPLE), fate=fate, fate_adj=fate_adj, weekday=rng.choice(WEEKDAYS),
        month=rng.choice(MONTHS), day=rng.randint(1, 28), year=rng.randint(2009, 2023),
        n=rng.choice([rng.randint(2, 99), rng.randint(100, 999), rng.randint(1000, 20000)]),
        small=rng.randint(2, 9), pct=rng.randint(5, 95), age=rng.choice([18, 25, 30]),
        money=rng.choice([500, 2000, 10000, 50000]),
    )
    template = rng.choice({"narrative": NARRATIVE, "dated": DATED, "figure": FIGURE, "quote": QUOTE}[kind])
    return template.format(**slots)


def document(i: int, rng: random.Random) -> dict:
    kinds, weights = list(SHARES), list(SHARES.values())
    paragraphs = []
    for _ in range(rng.randint(7, 12)):
        paragraphs.append(" ".join(sentence(rng.choices(kinds, weights)[0], rng) for _ in range(rng.randint(2, 4))))
    month = rng.randint(1, 12)
    return {"id": f"news{i:04d}", "text": "\n\n".join(paragraphs), "published": f"2022-{month:02d}-{rng.randint(1, 28):02d}",
            "url": None, "title": f"Generated report {i}"}


def corpus(n: int, seed: int = 5) -> list[dict]:
    """``n`` generated documents, the same for the same seed."""
    rng = random.Random(seed)
    return [document(i, rng) for i in range(n)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=100, help="number of documents (default 100)")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("-o", "--output", help="write JSON Lines here (default: stdout)")
    args = ap.parse_args(argv)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    for d in corpus(args.n, args.seed):
        out.write(json.dumps(d, ensure_ascii=False) + "\n")
    if args.output:
        out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
