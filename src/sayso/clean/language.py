"""Document language, by py3langid (model loaded once, on first use); plainly English text
(``data/language.json``) is told without the model."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib.resources import files

_WORD = re.compile(r"[^\W\d_]+")
_NO_SPACES = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
MIN_WORDS = 3
MAX_CHARS = 20_000   # enough to decide; keeps very long inputs cheap


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)


def _word_count(text: str, enough: int | None = None) -> int:
    """Runs of letters; in scripts written without spaces every two characters count as a word.
    With ``enough``, counting stops once the count reaches it."""
    count = 0
    for m in _WORD.finditer(text):
        run = m.group()
        dense = len(_NO_SPACES.findall(run))
        count += (1 if dense < len(run) else 0) + dense // 2
        if enough is not None and count >= enough:
            break
    return count


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language, or None when it has fewer than 3 words of letters."""
    sample = text[:MAX_CHARS]
    if _word_count(sample, enough=MIN_WORDS) < MIN_WORDS:
        return None
    if plainly_english(sample) or short_english(sample):
        return "en"
    ranked = _identifier().rank(sample)
    if not ranked:
        return None
    if ranked[0][0] != "en" and near_english(sample, ranked):
        return "en"
    return ranked[0][0] or None


def near_english(text: str, ranked: list[tuple[str, float]]) -> bool:
    """Whether a short text (fewer words than ``plain_english.min_words``) that the model puts in
    another language scores nearly as well for English: within ``max_gap_per_char`` per character
    of the best language. On a headline ("Tornado destroys 80 homes") the model's statistics are
    thin and a small language wins by a hair; on a short text truly in another language ("Der
    Ölpreis steigt um 3 Prozent") English trails far behind (``data/language.json``)."""
    min_words, max_gap = _near_english()
    if len(_WORD.findall(text)) >= min_words:
        return False
    english = next((score for lang, score in ranked if lang == "en"), None)
    return english is not None and ranked[0][1] - english <= max_gap * len(text.strip())


@lru_cache(maxsize=1)
def _near_english() -> tuple[int, float]:
    data = json.loads((files("sayso") / "data" / "language.json").read_text(encoding="utf-8"))
    return data["plain_english"]["min_words"], data["near_english"]["max_gap_per_char"]


@lru_cache(maxsize=1)
def _plain_english() -> tuple[int, int, float, frozenset[str]]:
    rule = json.loads((files("sayso") / "data" / "language.json").read_text(encoding="utf-8"))["plain_english"]
    return rule["sample_chars"], rule["min_words"], rule["min_share"], frozenset(rule["function_words"])


@lru_cache(maxsize=1)
def _short_english() -> tuple[int, float, int, frozenset[str]]:
    data = json.loads((files("sayso") / "data" / "language.json").read_text(encoding="utf-8"))
    rule = data["short_english"]
    return (data["plain_english"]["min_words"], rule["min_share"], rule["max_other_words"],
            frozenset(rule["function_words"]))


_DIGIT = re.compile(r"\d")


def short_english(text: str) -> bool:
    """Whether a text too short for the model's statistics is English: it holds English-only
    function words ("Inflation will reach 4.5%"), or it is figures and names ("The S&P 500 fell
    2%", "Nikkei 225 up 1.2%") with at most ``max_other_words`` other words (``data/language.json``)."""
    max_words, min_share, max_other, function_words = _short_english()
    words = _WORD.findall(text)
    if not words or len(words) >= max_words:
        return False
    hits = sum(w.lower() in function_words for w in words)
    if hits and hits >= min_share * len(words):
        return True
    others = [w for w in words if w.lower() not in function_words and not w[:1].isupper()]
    return bool(_DIGIT.search(text)) and len(others) <= max_other


def plainly_english(text: str) -> bool:
    """Whether the start of ``text`` is English beyond doubt: enough words, and a share of
    English function words that other languages do not reach (``data/language.json``)."""
    chars, min_words, min_share, function_words = _plain_english()
    words = _WORD.findall(text, 0, chars)
    return len(words) >= min_words and sum(w.lower() in function_words for w in words) >= min_share * len(words)
