"""GXF's unit strings: sizes ("32KB"), frequencies ("100Hz") and durations ("50ms", or "10Hz" as a period)."""

from __future__ import annotations

import re

from .errors import shown

_NUMBER = r"([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"

SIZE_UNITS = {
    "": 1, "b": 1,
    "kb": 1000, "mb": 1000**2, "gb": 1000**3, "tb": 1000**4,
    "kib": 1024, "mib": 1024**2, "gib": 1024**3, "tib": 1024**4,
}
FREQUENCY_UNITS = {"hz": 1.0, "khz": 1e3, "mhz": 1e6, "ghz": 1e9}
DURATION_UNITS = {
    "": 1, "ns": 1, "us": 1_000, "ms": 1_000_000, "s": 1_000_000_000,
    "min": 60_000_000_000, "h": 3_600_000_000_000,
}

_UNIT_RE = re.compile(r"^\s*(" + _NUMBER + r")\s*([A-Za-z]*)\s*$")

SIZE_PATTERN = r"^\s*[0-9.]+(?:[eE][-+]?[0-9]+)?\s*([kKmMgGtT][iI]?)?[bB]?\s*$"
FREQUENCY_PATTERN = r"^\s*[0-9.]+(?:[eE][-+]?[0-9]+)?\s*([kKmMgG])?[hH][zZ]\s*$"
DURATION_PATTERN = (r"^\s*[0-9.]+(?:[eE][-+]?[0-9]+)?\s*"
                    r"(ns|us|ms|s|min|h|[kKmMgG]?[hH][zZ])?\s*$")


def _split(text: str, kind: str) -> tuple[float, str]:
    match = _UNIT_RE.match(text)
    if not match:
        raise ValueError(f"{shown(text)} is not a {kind} (a number followed by a unit)")
    return float(match.group(1)), match.group(3).lower()


def parse_size(value: int | float | str) -> int:
    """Bytes from an integer or a string such as ``"32KB"``, ``"64MB"``, ``"1GiB"``."""
    if isinstance(value, bool):
        raise ValueError(f"{shown(value)} is not a size")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError(f"size {value} is negative")
        return int(value)
    number, unit = _split(value, "size")
    if unit not in SIZE_UNITS:
        raise ValueError(f"unknown size unit in {shown(value)}: use B, KB, MB, GB, KiB, MiB or GiB")
    return int(number * SIZE_UNITS[unit])


def parse_frequency(value: int | float | str) -> float:
    """Hertz from a number or a string such as ``"100Hz"`` or ``"1kHz"``."""
    if isinstance(value, bool):
        raise ValueError(f"{shown(value)} is not a frequency")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        number, unit = _split(value, "frequency")
        if unit not in FREQUENCY_UNITS:
            raise ValueError(f"unknown frequency unit in {shown(value)}: use Hz, kHz or MHz")
        number *= FREQUENCY_UNITS[unit]
    if number <= 0:
        raise ValueError(f"frequency {shown(value)} must be positive")
    return number


def parse_duration_ns(value: int | float | str) -> int:
    """Nanoseconds from an integer (already ns) or a string such as ``"50ms"``, ``"2s"``.

    A frequency such as ``"10Hz"`` is read as its period (100 ms), as GXF's periodic term does.
    """
    if isinstance(value, bool):
        raise ValueError(f"{shown(value)} is not a duration")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError(f"duration {value} is negative")
        return int(value)
    number, unit = _split(value, "duration")
    if unit in FREQUENCY_UNITS:
        hz = number * FREQUENCY_UNITS[unit]
        if hz <= 0:
            raise ValueError(f"frequency {shown(value)} must be positive")
        return int(round(1e9 / hz))
    if unit not in DURATION_UNITS:
        raise ValueError(f"unknown duration unit in {shown(value)}: use ns, us, ms, s, or Hz for a period")
    return int(round(number * DURATION_UNITS[unit]))
