"""Topic: joins transmitters and receivers by a topic name instead of explicit connections.

Every transmitter registered under a topic name delivers to every receiver registered under the same
name, whichever Topic component (and entity) registered them: a publisher's entity can declare
``Topic(topic_name: camera, transmitters: [out])`` and each subscriber's entity
``Topic(topic_name: camera, receivers: [in])``. The routes are made when the Topic initializes, like
Connection's, and removed when it deinitializes.
"""

from __future__ import annotations

import weakref

from gxf.core import Component, Handle, Parameter, ParameterError

from .connection import connect, disconnect
from .queue import Receiver, Transmitter

# context -> {topic name: ([transmitters], [receivers])}
_TOPICS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class Topic(Component, type_name="nvidia::gxf::Topic", uuid="cc613cad-e0fb-4025-8227-d6b6cdc99028"):
    """A named meeting point: each transmitter listed under a topic reaches each receiver listed under it."""

    topic_name = Parameter(str, description="The name transmitters and receivers meet under")
    transmitters = Parameter(list[Handle(Transmitter)], [], "Transmitters that publish to the topic")
    receivers = Parameter(list[Handle(Receiver)], [], "Receivers that get the topic's messages")

    def initialize(self) -> None:
        if not self.topic_name:
            raise ParameterError(f"{self.describe_self()}: topic_name must not be empty", self.location,
                                 "give the topic a name shared by its publishers and subscribers")
        topics = _TOPICS.setdefault(self.context, {})
        txs, rxs = topics.setdefault(self.topic_name, ([], []))
        for tx in self.transmitters:
            if tx not in txs:
                txs.append(tx)
            for rx in rxs:
                connect(tx, rx)
        for rx in self.receivers:
            if rx not in rxs:
                rxs.append(rx)
            for tx in txs:
                connect(tx, rx)

    def deinitialize(self) -> None:
        topics = _TOPICS.get(self.context, {})
        txs, rxs = topics.get(self.topic_name, ([], []))
        for tx in self.transmitters:
            for rx in rxs:
                disconnect(tx, rx)
            if tx in txs:
                txs.remove(tx)
        for rx in self.receivers:
            for tx in txs:
                disconnect(tx, rx)
            if rx in rxs:
                rxs.remove(rx)

    def get_topic_name(self) -> str:
        return self.topic_name

    def get_transmitters(self) -> list:
        return list(self.transmitters)

    def get_receivers(self) -> list:
        return list(self.receivers)


def topic_members(context, topic_name: str) -> tuple[list, list]:
    """The transmitters and receivers registered under ``topic_name`` in ``context``."""
    txs, rxs = _TOPICS.get(context, {}).get(topic_name, ([], []))
    return list(txs), list(rxs)
