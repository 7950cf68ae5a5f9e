"""Document language, by py3langid (model loaded once, on first use)."""
from __future__ import annotations

import re
from functools import lru_cache

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
    lang, _score = _identifier().classify(sample)
    return lang or None
