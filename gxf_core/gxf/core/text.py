"""Descriptions as one line: docstrings and multi-line strings become the text `gxf` prints.

Descriptions reach ``gxf describe``, ``gxf list`` and the JSON Schemas from docstrings and from strings
written over several source lines; each is normalised once, where it enters (a component type's
``description()``, ``Parameter(description=...)``, an ``Extension``'s metadata), so that no output has
line breaks, indentation or runs of spaces in the middle of a sentence.
"""

from __future__ import annotations

import re

_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def one_line(text: str | None) -> str:
    """``text`` with every run of whitespace (line breaks and indentation included) made one space."""
    return " ".join(str(text or "").split())


def first_paragraph(doc: str | None) -> str:
    """The first paragraph of a docstring, as one line."""
    text = str(doc or "").strip()
    return one_line(_BLANK_LINE.split(text, maxsplit=1)[0]) if text else ""
