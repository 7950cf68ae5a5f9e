"""How ``--help`` names what an option takes: ``TEXT``, ``NUMBER``, ``PATH...``, nothing for a
flag, rather than Typer's Python annotations (``<str>``, ``<list[str]>``, ``<bool>``).

:func:`readable` is the pure mapping; :func:`install` makes Typer's help use it for every command
(an option's own ``metavar`` still wins)."""
from __future__ import annotations

import re

_NAMES = {"str": "TEXT", "int": "INTEGER", "float": "NUMBER", "Path": "PATH", "path": "PATH", "file": "FILE",
          "directory": "DIR", "datetime": "DATE"}


def readable(label: str | None, is_flag: bool = False) -> str | None:
    """``<str>`` -> ``TEXT``, ``<list[Path]>`` -> ``PATH...``, ``<a|b>`` -> ``[a|b]``; a flag
    (``<bool>``) takes no value: None."""
    if label is None or is_flag:
        return None
    m = re.fullmatch(r"<(.*)>(\.\.\.)?", label)
    if not m:
        return label
    inner, repeated = m.group(1), bool(m.group(2))
    listed = re.fullmatch(r"list\[(.*)\]", inner)
    if listed:
        inner, repeated = listed.group(1), True
    if inner == "bool":
        return None
    name = f"[{inner}]" if "|" in inner else _NAMES.get(inner, inner.upper())
    return name + ("..." if repeated else "")


def install() -> None:
    """Make Typer's help (rich and plain) show :func:`readable` types."""
    from typer import core

    for cls in (core.TyperOption, core.TyperArgument):
        if getattr(cls, "_sayso_readable", False):
            continue
        original = cls.display_type_rich

        def display(self, ctx, _original=original):
            if self.metavar is not None:
                return self.metavar
            return readable(_original(self, ctx), getattr(self, "is_flag", False))

        cls.display_type_rich = display
        cls._sayso_readable = True
