"""Who publishes a site: the mapping from a document's site to the organisation whose voice it is.

A figure a document states in its own voice is its publisher's. The mapping starts from the
vocabulary in ``data/publishers.json`` and takes the user's own entries over it (a ``--publishers``
file, or the entries kept in a ledger). A site covers its subdomains: ``news.example.org`` is
published by whoever publishes ``example.org`` unless it has an entry of its own.
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Mapping


def normalise_site(site: str) -> str:
    """A site as the mapping keys it: lower case, without "www." or a trailing dot."""
    site = site.strip().lower().rstrip(".")
    return site[4:] if site.startswith("www.") else site


def default_publishers() -> dict[str, str]:
    """The bundled site -> publisher vocabulary."""
    data = json.loads(resources.files("sayso").joinpath("data/publishers.json").read_text(encoding="utf-8"))
    return {normalise_site(k): v for k, v in data.items() if not k.startswith("_")}


def load_publishers(path: str | Path) -> dict[str, str]:
    """A user's site -> publisher mapping (a JSON object); ValueError naming the file when unusable."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read publisher mapping: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) and v.strip() for v in data.values()):
        raise ValueError(f"{path}: publisher mapping must be a JSON object of site -> name")
    return {normalise_site(k): v.strip() for k, v in data.items() if not k.startswith("_")}


class PublisherMap:
    """Site -> publisher lookups over the bundled vocabulary and any number of overriding layers."""

    def __init__(self, *layers: Mapping[str, str], defaults: bool = True):
        self.entries: dict[str, str] = default_publishers() if defaults else {}
        for layer in layers:
            self.entries.update({normalise_site(k): v for k, v in layer.items()})

    def lookup(self, site: str | None) -> str | None:
        """The publisher of ``site`` or of the nearest parent domain that has one; else None."""
        if not site:
            return None
        labels = normalise_site(site).split(".")
        for i in range(len(labels) - 1):          # never a bare top-level domain
            found = self.entries.get(".".join(labels[i:]))
            if found:
                return found
        return None
