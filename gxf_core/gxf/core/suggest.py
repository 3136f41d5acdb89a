"""'Did you mean' suggestions for misspelt names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def close_names(name: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    candidates = list(candidates)
    found = difflib.get_close_matches(name, candidates, n=n, cutoff=0.6)
    if not found:
        short = name.rsplit("::", 1)[-1].lower()
        found = [c for c in candidates if c.rsplit("::", 1)[-1].lower() == short][:n]
    return found


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    found = close_names(name, candidates)
    if not found:
        return None
    return "did you mean " + " or ".join(f"'{f}'" for f in found) + "?"
