"""GXF unit strings: sizes, frequencies and durations."""

import pytest

from gxf.core.units import parse_duration_ns, parse_frequency, parse_size


@pytest.mark.parametrize("text, expected", [
    (64, 64), ("64", 64), ("64B", 64), ("32KB", 32_000), ("32kb", 32_000), ("2MB", 2_000_000),
    ("1GB", 10**9), ("1KiB", 1024), ("4MiB", 4 * 1024**2), ("1GiB", 1024**3), ("1.5KiB", 1536),
    (" 8 KB ", 8000), ("1e3", 1000),
])
def test_sizes(text, expected):
    assert parse_size(text) == expected


@pytest.mark.parametrize("text, expected", [
    (100, 100.0), (2.5, 2.5), ("100Hz", 100.0), ("100hz", 100.0), ("1kHz", 1000.0), ("2MHz", 2e6),
    ("0.5Hz", 0.5),
])
def test_frequencies(text, expected):
    assert parse_frequency(text) == pytest.approx(expected)


@pytest.mark.parametrize("text, expected", [
    (1500, 1500), ("50ms", 50_000_000), ("2s", 2_000_000_000), ("10us", 10_000), ("7ns", 7),
    ("1.5ms", 1_500_000), ("1min", 60 * 10**9), ("1h", 3600 * 10**9), ("10Hz", 100_000_000),
    ("1kHz", 1_000_000),
])
def test_durations_and_periods(text, expected):
    assert parse_duration_ns(text) == expected


@pytest.mark.parametrize("parse, text, message", [
    (parse_size, "12XB", "unknown size unit"),
    (parse_size, "many", "is not a size"),
    (parse_size, -1, "negative"),
    (parse_size, True, "not a size"),
    (parse_frequency, "10ms", "unknown frequency unit"),
    (parse_frequency, 0, "must be positive"),
    (parse_duration_ns, "3 parsecs", "unknown duration unit"),
    (parse_duration_ns, "0Hz", "must be positive"),
])
def test_bad_units_are_explained(parse, text, message):
    with pytest.raises(ValueError, match=message):
        parse(text)
