"""The README's worked example is what sayso writes."""
from __future__ import annotations

import json
import re

import sayso
from conftest import ROOT


def test_worked_example_matches_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quoted = re.search(r"Given this sentence \(published (\d{4}-\d{2}-\d{2})\):\n\n((?:> .*\n)+)", readme)
    text = " ".join(line[2:] for line in quoted.group(2).splitlines())
    shown = json.loads(re.search(r"```json\n(\{\n  \"id\": \"f1\".*?\n\})\n```", readme, re.S).group(1))
    [figure] = sayso.extract(text, published=quoted.group(1))["figures"]
    assert figure == shown
