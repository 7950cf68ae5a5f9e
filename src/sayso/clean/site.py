"""The web site a document comes from: its URL's host, else a domain named in its footer."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

# Generic TLDs worth recognising in running text; any two-letter label (a country code) also counts.
_TLDS = frozenset("""
com net org edu gov mil int info biz name pro io co ai app dev news media online site website
blog tv fm me eu asia africa ngo ong global world today press live xyz club page tech network
foundation institute international report reports watch rights law legal agency center centre
""".split())
_DOMAIN = re.compile(
    r"(?<![\w@.-])(?:www\.)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,24}))(?![\w@-]|\.[a-z0-9])",
    re.IGNORECASE,
)
_FOOTER_LINE = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b|\ball rights reserved\b", re.IGNORECASE)


def site_of(text: str, url: str | None) -> str | None:
    """Host of ``url`` (lower-case, no "www.", no port); else a domain in a copyright line; else None."""
    host = _host(url) if url else None
    if host:
        return host
    lines = text.splitlines()
    for line in reversed(lines):          # footers are at the end; the last one wins
        if _FOOTER_LINE.search(line):
            for m in _DOMAIN.finditer(line):
                if _is_tld(m.group(2)):
                    return m.group(1)
    return None


def _host(url: str) -> str | None:
    url = url.strip()
    if "://" not in url and not url.startswith("//"):
        url = "//" + url
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host or "." not in host.strip("."):
        return None
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def _is_tld(label: str) -> bool:
    label = label.lower()
    return label in _TLDS or (len(label) == 2 and label.isalpha())
