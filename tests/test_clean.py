"""Tests for sayso.clean.language and sayso.clean.site."""
from __future__ import annotations

import pytest

from sayso.clean import language
from sayso.clean.language import detect_language
from sayso.clean.site import site_of


@pytest.mark.parametrize("text, code", [
    ("Police in Freedonia detained at least 1,200 people during protests last week, the group said.", "en"),
    ("La police a arrêté au moins 1 200 personnes lors des manifestations de la semaine dernière, "
     "selon l'association de défense des droits humains.", "fr"),
    ("Die Polizei hat in der vergangenen Woche mindestens 1.200 Menschen bei Protesten festgenommen, "
     "teilte die Menschenrechtsgruppe am Montag mit.", "de"),
    ("پلیس در هفته گذشته دست‌کم ۱۲۰۰ نفر را در جریان اعتراضات بازداشت کرد، این گروه حقوق بشری روز دوشنبه گفت.",
     "fa"),
    ("اعتقلت الشرطة ما لا يقل عن ألف ومئتي شخص خلال الاحتجاجات في الأسبوع الماضي، بحسب ما قالت منظمة حقوقية يوم الاثنين.",
     "ar"),
    ("La policía detuvo al menos a 1.200 personas durante las protestas de la semana pasada, "
     "según informó el grupo de derechos humanos.", "es"),
])
def test_detect_language(text, code):
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["", "   ", "1,200 300 45%", "Hello world", "— 12 – 14 —", "ok 1 2 3 4"])
def test_too_little_text_is_none(text):
    assert detect_language(text) is None


def test_three_words_are_enough():
    assert detect_language("Police detained protesters") is not None


def test_model_is_loaded_once():
    language._identifier.cache_clear()
    detect_language("Die Polizei nahm gestern Abend viele Demonstranten fest.")   # short English needs no model
    detect_language("La police a arrêté de nombreux manifestants hier soir.")
    info = language._identifier.cache_info()
    assert info.misses == 1 and info.hits == 1


ENGLISH_REPORT = (
    "Security forces opened fire on protesters in the capital on Friday, killing at least 40 people, "
    "according to a rights group that has been documenting the crackdown. The interior ministry said "
    "that the figure was exaggerated and that only 12 people had died, most of them in clashes with "
    "the police. Families of the dead told reporters they were not allowed to see the bodies.")
FOREIGN_REPORTS = {
    "fr": "Selon l'association, au moins 40 personnes ont été tuées vendredi dans la capitale lorsque les "
          "forces de sécurité ont ouvert le feu sur les manifestants. Le ministère a contesté ce bilan et "
          "affirmé que seules 12 personnes étaient mortes, pour la plupart lors d'affrontements avec la police.",
    "de": "Nach Angaben der Gruppe wurden am Freitag in der Hauptstadt mindestens 40 Menschen getötet, als "
          "die Sicherheitskräfte auf die Demonstranten schossen. Das Ministerium bestritt die Zahl und "
          "erklärte, nur 12 Menschen seien gestorben, die meisten bei Zusammenstößen mit der Polizei.",
    "nl": "Volgens de groep zijn vrijdag in de hoofdstad ten minste 40 mensen gedood toen de veiligheidstroepen "
          "op de demonstranten schoten. Het ministerie was het niet eens met het cijfer en zei dat er maar 12 "
          "mensen waren omgekomen, de meesten in botsingen met de politie, en dat het onder controle is.",
}


def test_plainly_english_text_is_told_without_the_model_and_as_the_model_tells_it():
    assert language.plainly_english(ENGLISH_REPORT)
    assert language._identifier().classify(ENGLISH_REPORT)[0] == "en"
    for code, text in FOREIGN_REPORTS.items():
        assert not language.plainly_english(text)
        assert detect_language(text) == code
    assert not language.plainly_english("The police said 40 people were killed.")   # too few words: the model
    language._identifier.cache_clear()
    assert detect_language(ENGLISH_REPORT) == "en" and language._identifier.cache_info().misses == 0


@pytest.mark.parametrize("url, host", [
    ("https://www.Example.org/news/2021/story?id=3", "example.org"),
    ("http://rights.example.net:8080/a", "rights.example.net"),
    ("https://WWW.NEWS.EXAMPLE.CO.UK/", "news.example.co.uk"),
    ("example.com/path/page.html", "example.com"),
])
def test_site_from_url(url, host):
    assert site_of("Copyright © 2020 other-site.org. All Rights Reserved", url) == host


@pytest.mark.parametrize("text, site", [
    ("Body text.\n\nCopyright © 2020 Lantern-Watch.com. All Rights Reserved | XML Sitemap\n", "Lantern-Watch.com"),
    ("Body.\n© 2019 example.org\n", "example.org"),
    ("Body.\n© 2019 www.example.org – all rights reserved\n", "example.org"),
    ("Body.\nAll rights reserved, rights.example.ngo 2021\n", "rights.example.ngo"),
    ("Body.\n(c) 2018 freedonia-watch.fr\n", "freedonia-watch.fr"),
])
def test_site_from_copyright_line(text, site):
    assert site_of(text, None) == site


@pytest.mark.parametrize("text", [
    "Body.\nCopyright © 2020 All Rights Reserved | XML Sitemap\n",
    "Body.\nCopyright © 2021 Lantern Watch. All rights reserved.\n",
    "Body.\nCopyright © 2020 Lantern Watch Inc.All Rights Reserved\n",
    "Body.\n© 2020 press@lantern-watch.org\n",
    "Visit lantern-watch.org for the full report.\nNo footer here.\n",
    "",
])
def test_no_site_without_a_domain_in_a_footer(text):
    assert site_of(text, None) is None


def test_url_without_host_falls_back_to_footer():
    assert site_of("Body.\n© 2019 example.org\n", "not a url") == "example.org"
    assert site_of("Body.\n", "") is None


@pytest.mark.parametrize("text", [
    "Unemployment will reach 6.2%.",
    "The Nasdaq 100 fell 1.4%.",
    "Dow Jones +0.8%, FTSE 100 -0.3%",
    "Mbappe scored twice as PSG won 3-1.",
    "Officials said 14 were hurt.",
])
def test_short_english_news_is_english(text):
    assert detect_language(text) == "en"


@pytest.mark.parametrize("text, code", [
    ("Le chômage atteindra 6,2% en mai.", "fr"),
    ("Die Arbeitslosigkeit steigt auf 6,2 Prozent.", "de"),
    ("El paro subirá al 6,2% este año.", "es"),
])
def test_short_text_in_other_languages_is_not_taken_for_english(text, code):
    assert detect_language(text) == code


def test_short_english_needs_function_words_or_names_and_figures():
    assert not language.short_english("desempleo bajo en mayo")
    assert language.short_english("Inflation will reach 4.5%")
    assert not language.short_english(" ".join(["the"] * 40))      # long text: the model's or plainly_english's


@pytest.mark.parametrize("text", [
    "Floods wreck 300 farms.",
    "Police arrest 45 protesters.",
    "Quake kills 12 in Peru.",
    "Tesla deliveries jump 20%.",
])
def test_short_english_headlines_without_function_words_are_english(text):
    assert detect_language(text) == "en"


@pytest.mark.parametrize("text, code", [
    ("Priserna steg med 3 procent.", "sv"),
    ("Inflacja spadła do 5%.", "pl"),
    ("Brand verwoest 40 huizen.", "nl"),
])
def test_short_headlines_in_other_languages_stay_theirs(text, code):
    assert detect_language(text) == code


def test_near_english_is_only_for_short_text():
    long_text = " ".join(["Brand verwoest 40 huizen in het dorp."] * 6)
    ranked = language._identifier().rank(long_text)
    assert not language.near_english(long_text, [("nl", ranked[0][1]), ("en", ranked[0][1])])
