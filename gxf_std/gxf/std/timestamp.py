"""Timestamp: when a message's data was acquired and when it was published."""

from __future__ import annotations

from gxf.core import Component
from gxf.core.component import next_uid


class Timestamp(Component, type_name="nvidia::gxf::Timestamp", uuid="d1095b10-5c90-4bbc-bc89-601134cb4e03"):
    """``acqtime``: when the data was acquired (set by the publisher); ``pubtime``: when it was published (ns)."""

    def __init__(self, acqtime: int = 0, pubtime: int = 0) -> None:
        # Created once per published message: set the fields directly rather than via Component.__init__.
        self.name = ""
        self.entity = None
        self.context = None
        self.cid = next_uid()
        self.location = None
        self._logger = None
        self.acqtime = acqtime
        self.pubtime = pubtime

    def __repr__(self) -> str:
        return f"<Timestamp acqtime={self.acqtime} pubtime={self.pubtime}>"
