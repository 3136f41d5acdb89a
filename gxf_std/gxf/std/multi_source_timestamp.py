"""MultiSourceTimestamp: a message's timestamps as measured by several time sources.

A message may carry times from more than one clock domain (the CPU's time-stamp counter, NTP, PTP).
MultiSourceTimestamp holds at most one Timestamp per domain, as GXF's does (a fixed-size list of
pairs of a Timestamp and its ``TimeDomainID``), and ``get_timestamp`` finds the one of a domain.
"""

from __future__ import annotations

import enum

from gxf.core import Component

from .timestamp import Timestamp


class TimeDomainID(enum.IntEnum):
    """The time sources a timestamp can come from, numbered as in GXF."""

    TSC = 0
    NTP = 1
    PTP = 2


MAX_TIME_DOMAINS = len(TimeDomainID)


class MultiSourceTimestamp(Component, type_name="nvidia::gxf::MultiSourceTimestamp",
                           uuid="872e77ec-bde8-11ed-afa1-0242ac120002"):
    """Up to one Timestamp per time domain, in the order they were added."""

    def __init__(self, name: str = "", owner=None) -> None:
        Component.__init__(self, name, owner)
        self.timestamps: list[tuple[Timestamp, TimeDomainID]] = []

    def push_back(self, timestamp: Timestamp, domain: TimeDomainID | int) -> None:
        """Adds the timestamp of ``domain``; a domain given twice, or a full list, is refused."""
        domain = TimeDomainID(domain)
        if any(known is domain for _, known in self.timestamps):
            raise ValueError(f"a {domain.name} timestamp is already held: each time domain has at most one")
        if len(self.timestamps) >= MAX_TIME_DOMAINS:
            raise ValueError(f"a MultiSourceTimestamp holds at most {MAX_TIME_DOMAINS} timestamps")
        self.timestamps.append((timestamp, domain))

    def get_timestamp(self, domain: TimeDomainID | int) -> Timestamp | None:
        """The timestamp of ``domain``, or None when none was added."""
        return get_timestamp(self, domain)

    def __len__(self) -> int:
        return len(self.timestamps)

    def __repr__(self) -> str:
        held = ", ".join(f"{domain.name}={stamp.acqtime}/{stamp.pubtime}"
                         for stamp, domain in self.timestamps)
        return f"<MultiSourceTimestamp {held}>"


def get_timestamp(timestamps: MultiSourceTimestamp, domain: TimeDomainID | int) -> Timestamp | None:
    """The timestamp of ``domain`` in ``timestamps``, or None when it holds none of that domain."""
    domain = TimeDomainID(domain)
    for stamp, known in timestamps.timestamps:
        if known is domain:
            return stamp
    return None
