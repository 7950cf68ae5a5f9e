"""Canonical names for the organisations, bodies and places that reports cite.

Two builtin registries, both ``{"Canonical name": ["alias", ...]}`` JSON files in
``sayso/data``:

* ``aliases.json`` -- organisations and bodies (NGOs, UN bodies, news agencies, armed
  groups...), plus the government bodies *generated at load time* (see below);
* ``places.json`` -- countries, territories, regions and cities, with their demonyms.

Every canonical name is also an alias of itself, and an alias with accents gets an
unaccented twin for free ("Médecins Sans Frontières" -> "Medecins Sans Frontieres").
Names are compared after :func:`norm_name` (lower case, no leading "the", no "'s",
punctuation folded to spaces), so "the UN's", "U.N." and "UN" variants need not be
listed separately beyond their distinct spellings.

Reserved keys
-------------
A key starting with ``_`` is not a canonical name.  Known ones (in any file):

``"_demonyms": {"Country": ["Adjective", "Plural", ...]}``
    Marks *Country* as a state with a government.  All listed forms become aliases of
    the country in the places registry.  The **first** entry is the adjective used to
    generate government bodies; ``""`` as first entry (or an empty list) means "no
    adjective" (only the country's name forms are used).
``"_the": ["United States", ...]``
    Countries whose name takes "the" ("Government of the United States").
``"_comment"``
    Ignored.

Generated government bodies
---------------------------
For every country in ``_demonyms`` (builtin places.json, plus ``_demonyms`` found in user
files passed to :meth:`AliasRegistry.load`), the organisations registry gets::

    Government of X       "X government", "Xian government", "Xian authorities",
                          "X authorities", "Xian regime", "X's regime", "Xian officials",
                          "government of X", ...
    Interior Ministry of X, Health Ministry of X, Foreign Ministry of X,
    Justice Ministry of X, Defence Ministry of X
                          "Xian Interior Ministry", "X's Interior Ministry",
                          "Ministry of Interior of X", "Xian Ministry of the Interior", ...
    Judiciary of X        "Xian judiciary", "X's judiciary", "judiciary of X"

where X ranges over the country's canonical name and its short aliases in places.json
(not demonyms, not official forms containing "of" such as "Republic of Belarus"), and
"Xian" is the first demonym.  Possessives need no entries of their own: "X's
government" normalises to "X government".  So a user who adds a country (with a
``_demonyms`` entry) gets its government bodies without writing them.  Hand-written
entries in aliases.json win over generated ones, and user files win over both.

Matching
--------
:meth:`AliasRegistry.find` tokenises the text once (runs of ``[A-Za-z0-9À-ɏ]``, with a
trailing possessive "'s" folded into its word) and walks a token trie, so its cost does
not grow with the number of aliases.  Matches are leftmost-longest and word-bounded.
Case rules, per alias token:

* an all-caps token ("UN", "WHO", "US", "IOM", the "U" and "N" of "U.N.") must match
  exactly, so the words "who", "us" never match; so must a one-word alias with odd
  casing ("oPt", "IranWire", "iLaw");
* the first word of an alias written with a capital ("Iran", "Memorial", "Turkey",
  "Chad", "Human Rights Council", "Breaking the Silence") must start with a capital in
  the text, so the common words and phrases "turkey", "memorial", "breaking the
  silence", "human rights activists in Iran" do not match;
* everything else is case-insensitive: "UN human rights office" matches "UN Human
  Rights Office", "IRAN" matches "Iran", "Iranian Authorities" matches "Iranian
  authorities".  (An alias written in lower case, such as "dpa" or "government of
  Iran", matches in any case.)

Between the words of a multi-word match only spacing, a hyphen or dash, "/", "&", "+"
or an apostrophe may stand (and a "." after a one-letter word, as in "U.S."), so a match
never runs across a sentence end, a comma or a paragraph break.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

__all__ = ["norm_name", "AliasRegistry", "default_aliases", "default_places"]

_THE_RE = re.compile(r"^the ")
_POSS_RE = re.compile(r"'s\b")
_NONWORD_RE = re.compile(r"[^a-z0-9\u00c0-\u024f]+")


def norm_name(s: str) -> str:
    """The referee's normalisation of a name.

    Lower-case, "\u2019" -> "'", strip a leading "the ", drop "'s" possessives, fold every
    run of characters outside ``[a-z0-9\u00c0-\u024f]`` to one space, strip.
    (Surrounding whitespace is stripped first so " The UN" and "The UN" agree.)
    """
    s = s.lower().replace("\u2019", "'").strip()
    s = _THE_RE.sub("", s)
    s = _POSS_RE.sub("", s)
    return _NONWORD_RE.sub(" ", s).strip()


# ---------------------------------------------------------------------------------------
# tokenising

_WORD = "A-Za-z0-9\u00c0-\u024f"
# a word, with a trailing possessive 's folded in (group 2)
_TOKEN_RE = re.compile(rf"([{_WORD}]+)(['\u2019][sS](?![{_WORD}]))?")
_WORDS_RE = re.compile(rf"[{_WORD}]+")
_APOS_S_RE = re.compile(rf"['\u2019][sS](?![{_WORD}])")
# what may stand between two words of one name
_GAP_RE = re.compile(r"[ \t\u00a0]*\r?\n?[ \t\u00a0]*(?:[-\u2010-\u2015/&+'\u2019][ \t\u00a0]*\r?\n?[ \t\u00a0]*)?")

_EXACT, _CAP = 1, 2


def _alias_tokens(alias: str) -> list[str]:
    """The words of an alias as written (possessive 's dropped, leading "the" dropped)."""
    toks = _WORDS_RE.findall(_APOS_S_RE.sub("", alias))
    if len(toks) > 1 and toks[0].lower() == "the":
        toks = toks[1:]
    return toks


def _is_caps(tok: str) -> bool:
    return tok.isupper()


def _is_mixed(tok: str) -> bool:
    """Odd casing such as "oPt", "IranWire", "iLaw": a capital after the first letter."""
    rest = tok[1:]
    return not tok.isupper() and rest.lower() != rest


def _case_checks(alias: str, n_key: int) -> tuple[tuple[int, int, str], ...] | None:
    """Per-token case requirements of one alias: ((index, mode, token), ...).

    An empty tuple means fully case-insensitive; None means the alias's words do not line
    up with its normalised key (exotic characters), in which case it is case-insensitive.
    """
    toks = _alias_tokens(alias)
    if len(toks) != n_key:
        return None
    checks = []
    for k, t in enumerate(toks):
        if _is_caps(t) or (n_key == 1 and _is_mixed(t)):
            checks.append((k, _EXACT, t))
        elif k == 0 and t[:1].isupper():
            checks.append((k, _CAP, t[:1]))
    return tuple(checks)


def _fold_accents(s: str) -> str:
    if s.isascii():
        return s
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


# ---------------------------------------------------------------------------------------
# reading files

_RESERVED = {"_demonyms", "_the", "_comment"}


def _read_json(path: Path, label: str) -> dict:
    """Read and validate one ``{"Canonical": [aliases]}`` file; one-line ValueError if bad."""
    where = f"{label} {path}"
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"{where}: file not found") from None
    except IsADirectoryError:
        raise ValueError(f"{where}: is a directory, not a JSON file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ValueError(f"{where}: cannot read: {e}".replace("\n", " ")) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as e:
        raise ValueError(f"{where}: invalid JSON at line {e.lineno} column {e.colno}: {e.msg}") from None
    if not isinstance(data, dict):
        raise ValueError(
            f"{where}: top level must be a JSON object mapping canonical names to lists of aliases,"
            f" not {type(data).__name__}")
    for key, val in data.items():
        if key.startswith("_"):
            if key not in _RESERVED:
                raise ValueError(f"{where}: unknown reserved key {key!r} (known: {', '.join(sorted(_RESERVED))})")
            if key == "_demonyms":
                if not isinstance(val, dict) or not all(
                        isinstance(v, list) and all(isinstance(x, str) for x in v) for v in val.values()):
                    raise ValueError(f"{where}: \"_demonyms\" must map country names to lists of strings")
            elif key == "_the":
                if not isinstance(val, list) or not all(isinstance(x, str) for x in val):
                    raise ValueError(f"{where}: \"_the\" must be a list of country names")
            continue
        if not norm_name(key):
            raise ValueError(f"{where}: canonical name {key!r} is empty after normalisation")
        if not isinstance(val, list) or not all(isinstance(x, str) for x in val):
            raise ValueError(f"{where}: entry {key!r} must be a list of alias strings, not {json.dumps(val)[:60]}")
    return data


def _builtin(name: str) -> Path:
    return Path(str(resources.files("sayso") / "data" / name))


# ---------------------------------------------------------------------------------------
# generated government bodies

_GOV_ADJ = ["{A} government", "{A} authorities", "{A} regime", "{A} officials"]
# "X's government" needs no entry of its own: norm_name drops the possessive
_GOV_NOUN = ["{X} government", "{X} authorities", "{X} regime", "{X} officials"]
_GOV_OF = ["government of {X}", "authorities of {X}", "regime of {X}"]

# canonical prefix -> the ways the body's own name is written
_MINISTRIES = {
    "Interior Ministry": ["Interior Ministry", "Ministry of Interior", "Ministry of the Interior",
                          "Ministry of Internal Affairs"],
    "Health Ministry": ["Health Ministry", "Ministry of Health", "Ministry of Public Health",
                        "Department of Health"],
    "Foreign Ministry": ["Foreign Ministry", "Ministry of Foreign Affairs", "Foreign Affairs Ministry",
                         "Ministry of Foreign Affairs and International Cooperation"],
    "Justice Ministry": ["Justice Ministry", "Ministry of Justice", "Justice Department",
                         "Department of Justice"],
    "Defence Ministry": ["Defence Ministry", "Defense Ministry", "Ministry of Defence",
                         "Ministry of Defense", "Ministry of National Defence", "Ministry of National Defense",
                         "Department of Defense", "Department of Defence"],
    "Judiciary": ["judiciary"],
}


def _generate_bodies(countries: dict[str, tuple[str | None, list[str]]],
                     the: set[str]) -> dict[str, list[str]]:
    """Government bodies for each country: {canonical: aliases}.

    ``countries`` maps a country to (adjective or None, name forms)."""
    out: dict[str, list[str]] = {}
    for country, (adj, nouns) in countries.items():
        of_forms = [f"the {country}" if country in the else country]
        of_all = list(dict.fromkeys([*nouns, *(f"the {n}" for n in nouns if n in the or country in the)]))
        gov = [t.format(X=n) for n in nouns for t in _GOV_NOUN]
        gov += [t.format(X=n) for n in of_all for t in _GOV_OF]
        if adj:
            gov += [t.format(A=adj) for t in _GOV_ADJ]
        out[f"Government of {of_forms[0]}"] = gov
        for body, spellings in _MINISTRIES.items():
            al = []
            for sp in spellings:
                al += [f"{n} {sp}" for n in nouns]
                al += [f"{sp} of {n}" for n in of_all]
                if adj:
                    al.append(f"{adj} {sp}")
            out[f"{body} of {of_forms[0]}"] = al
    return out


# ---------------------------------------------------------------------------------------

class AliasRegistry:
    """Canonical names and their aliases, with a fast mention finder."""

    def __init__(self) -> None:
        self._canon: dict[str, str] = {}                # norm key -> canonical name
        self._aliases: dict[str, list[str]] = {}        # canonical -> aliases as written
        self._variants: dict[str, list] = {}            # norm key -> case checks (one per spelling)
        self._trie: dict = {}
        self._trie_dirty = True

    # -- building -----------------------------------------------------------------------

    def add(self, canonical: str, aliases: Iterable[str] = ()) -> None:
        """Add (or extend) an entry; aliases already mapped elsewhere are re-pointed here."""
        canonical = canonical.strip()
        seen = self._aliases.setdefault(canonical, [])
        for a in [canonical, *aliases]:
            forms = [a]
            folded = _fold_accents(a)
            if folded != a:
                forms.append(folded)
            for f in forms:
                key = norm_name(f)
                if not key:
                    continue
                self._canon[key] = canonical
                checks = _case_checks(f, len(key.split()))
                var = self._variants.setdefault(key, [])
                if checks not in var:
                    var.append(checks)
                if f not in seen:
                    seen.append(f)
        self._trie_dirty = True

    def _add_file_data(self, data: dict) -> None:
        for key, val in data.items():
            if not key.startswith("_"):
                self.add(key, val)

    @classmethod
    def load(cls, extra: Iterable[str | Path] = (), places: bool = False) -> "AliasRegistry":
        """The builtin registry (organisations, or places with ``places=True``) plus user files.

        User files use the same ``{"Canonical": [aliases]}`` format and are applied in
        order, so later files win where an alias is claimed twice.  A missing or malformed
        file raises ValueError naming the file and the problem.
        """
        if isinstance(extra, (str, Path)):
            extra = [extra]
        user = [(Path(p), _read_json(Path(p), "alias file")) for p in extra]
        place_data = _read_json(_builtin("places.json"), "builtin places file")
        reg = cls()
        if places:
            reg._add_places(place_data)
            for _, data in user:
                reg._add_places(data)
            reg._build_trie()
            return reg
        # organisations: generated government bodies, then the hand-written list, then users
        demonyms = dict(place_data.get("_demonyms", {}))
        the = set(place_data.get("_the", []))
        for _, data in user:
            demonyms.update(data.get("_demonyms", {}))
            the.update(data.get("_the", []))
        countries = {}
        for country, dem in demonyms.items():
            dem_keys = {norm_name(d) for d in dem}
            # name forms: the canonical name and its short aliases ("Burma", "UK", "U.S."),
            # not demonyms nor official long forms ("Republic of Belarus")
            nouns = [country] + [a for a in place_data.get(country, [])
                                 if norm_name(a) not in dem_keys and " of " not in f" {norm_name(a)} "]
            adj = dem[0].strip() if dem and dem[0].strip() else None
            countries[country] = (adj, list(dict.fromkeys(nouns)))
        for canon, al in _generate_bodies(countries, the).items():
            reg.add(canon, al)
        reg._add_file_data(_read_json(_builtin("aliases.json"), "builtin aliases file"))
        for _, data in user:
            reg._add_file_data(data)
        reg._build_trie()
        return reg

    def _add_places(self, data: dict) -> None:
        dem = data.get("_demonyms", {})
        for key, val in data.items():
            if not key.startswith("_"):
                self.add(key, [*val, *(d for d in dem.get(key, []) if d.strip())])
        for key, val in dem.items():
            if key not in data:
                self.add(key, [d for d in val if d.strip()])

    def _build_trie(self) -> None:
        trie: dict = {}
        for key in self._canon:
            node = trie
            for tok in key.split():
                node = node.setdefault(tok, {})
            node[None] = key
        self._trie = trie
        self._trie_dirty = False

    # -- lookup -------------------------------------------------------------------------

    def canonical(self, mention: str) -> str | None:
        """The canonical name for a mention (compared via :func:`norm_name`), else None."""
        key = norm_name(mention)
        hit = self._canon.get(key)
        if hit is None:
            folded = _fold_accents(key)
            if folded != key:
                hit = self._canon.get(folded)
        return hit

    def names(self) -> list[str]:
        """All canonical names that some alias still leads to, sorted."""
        return sorted(set(self._canon.values()))

    def aliases(self, canonical: str) -> list[str]:
        """The spellings registered for a canonical name (including itself)."""
        return list(self._aliases.get(canonical, []))

    def __len__(self) -> int:
        return len(self.names())

    def __contains__(self, mention: str) -> bool:
        return self.canonical(mention) is not None

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
        """Every non-overlapping mention in ``text[start:end]``: (start, end, canonical).

        Offsets are into ``text``; ``text[s:e]`` is the mention as written (without a
        trailing possessive "'s").  Leftmost-longest, word-bounded; see the module
        docstring for the case rules.
        """
        if self._trie_dirty:
            self._build_trie()
        if end is None:
            end = len(text)
        toks, lows = _tokens(text, start, end)
        trie, variants, canon = self._trie, self._variants, self._canon
        gap_match = _GAP_RE.fullmatch
        out: list[tuple[int, int, str]] = []
        n = len(toks)
        i = 0
        while i < n:
            node = trie.get(lows[i])
            if node is None:
                i += 1
                continue
            cands = []
            j = i
            while True:
                if None in node:
                    cands.append((j, node[None]))
                if j + 1 >= n:
                    break
                nxt = node.get(lows[j + 1])
                if nxt is None:
                    break
                prev = toks[j]
                gap_from = prev[2]
                if gap_from == prev[1] and len(prev[3]) == 1 and text.startswith(".", gap_from):
                    gap_from += 1               # U.S. / U.N.
                if not gap_match(text, gap_from, toks[j + 1][0]):
                    break
                node = nxt
                j += 1
            hit = None
            for j, key in reversed(cands):
                if self._case_ok(variants[key], toks, i):
                    hit = (j, key)
                    break
            if hit is None:
                i += 1
                continue
            j, key = hit
            s, e = toks[i][0], toks[j][1]
            last = toks[j]
            if (len(last[3]) == 1 and j > i and last[2] == last[1] and e < end
                    and text[e] == "." and text[toks[j - 1][1]:toks[j][0]].startswith(".")):
                e += 1                          # keep the final dot of "U.N."
            out.append((s, e, canon[key]))
            i = j + 1
        return out

    @staticmethod
    def _case_ok(var: list, toks: list, i: int) -> bool:
        for checks in var:
            if not checks:
                return True
            for k, mode, want in checks:
                got = toks[i + k][3]
                if mode == _EXACT:
                    if got != want:
                        break
                elif not got.startswith(want):
                    break
            else:
                return True
        return False


@cache
def default_aliases() -> AliasRegistry:
    """The builtin organisations registry (with generated government bodies), cached."""
    return AliasRegistry.load()


@cache
def default_places() -> AliasRegistry:
    """The builtin places registry, cached."""
    return AliasRegistry.load(places=True)


@lru_cache(maxsize=16)
def _tokens(text: str, start: int, end: int) -> tuple[tuple, tuple]:
    """The words of text[start:end] as (start, end, end with possessive, word), and their
    lowercase forms; cached, since the alias and place registries read the same texts in turn."""
    toks = tuple((m.start(1), m.end(1), m.end(), m.group(1)) for m in _TOKEN_RE.finditer(text, start, end))
    return toks, tuple(t[3].lower() for t in toks)
