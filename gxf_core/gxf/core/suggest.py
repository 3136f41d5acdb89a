"""'Did you mean' suggestions for misspelt names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def close_names(name: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    candidates = list(candidates)
    if "::" in name:
        # Compare type names by their last part: a shared 'nvidia::gxf::' prefix says nothing.
        by_short: dict[str, list[str]] = {}
        for candidate in candidates:
            by_short.setdefault(str(candidate).rsplit("::", 1)[-1], []).append(candidate)
        shorts = difflib.get_close_matches(name.rsplit("::", 1)[-1], list(by_short), n=n, cutoff=0.6)
        return [c for short in shorts for c in by_short[short]][:n]
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
