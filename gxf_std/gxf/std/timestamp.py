"""Timestamp: when a message's data was acquired and when it was published.

Every published message carries one, named "timestamp": transmitters add it when the publisher did
not (see ``DoubleBufferTransmitter.publish``).
"""

from __future__ import annotations

from gxf.core import Component

TIMESTAMP_NAME = "timestamp"


class Timestamp(Component, type_name="nvidia::gxf::Timestamp", uuid="d1095b10-5c90-4bbc-bc89-601134cb4e03"):
    """The two times of a message, in nanoseconds: when its data was acquired and when it was published.

    ``acqtime``: when the data was acquired (set by the publisher, e.g. a camera's capture time);
    ``pubtime``: when the message was published, from the scheduler's clock.
    """

    def __init__(self, acqtime: int = 0, pubtime: int = 0, name: str = "", owner=None) -> None:
        Component.__init__(self, name, owner)
        self.acqtime = acqtime
        self.pubtime = pubtime

    @staticmethod
    def add_to_entity(message, acqtime: int = 0, pubtime: int = 0, name: str = TIMESTAMP_NAME) -> Timestamp:
        """Adds a Timestamp to ``message`` and returns it."""
        return message.add(Timestamp(acqtime, pubtime), name)

    @staticmethod
    def get_from_entity(message, name: str | None = TIMESTAMP_NAME) -> Timestamp | None:
        """The Timestamp called ``name`` (any Timestamp when ``name`` is None) of ``message``, or None."""
        for component in message.components:
            if component.__class__ is Timestamp and (name is None or component.name == name):
                return component
        return None

    def __repr__(self) -> str:
        return f"<Timestamp acqtime={self.acqtime} pubtime={self.pubtime}>"


def as_timestamp(message, name: str = TIMESTAMP_NAME) -> tuple[int, int]:
    """``(acqtime, pubtime)`` of the message's Timestamp called ``name`` (GXF's Python helper).

    Raises ValueError when the message has none.
    """
    stamp = Timestamp.get_from_entity(message, name)
    if stamp is None:
        raise ValueError(f"the message has no Timestamp named '{name}'")
    return stamp.acqtime, stamp.pubtime


def stamp_published(message, acqtime: int | None, now: int) -> Timestamp:
    """Stamps a message being published at ``now``: sets pubtime, and acqtime when given.

    Adds a Timestamp "timestamp" when the message has none; its acqtime is then ``acqtime``, or
    ``now`` when none is given.
    """
    for component in message.components:
        if component.__class__ is Timestamp and component.name == TIMESTAMP_NAME:
            component.pubtime = now
            if acqtime is not None:
                component.acqtime = acqtime
            return component
    stamp = Timestamp(now if acqtime is None else acqtime, now, TIMESTAMP_NAME, message)
    message.components.append(stamp)
    return stamp
