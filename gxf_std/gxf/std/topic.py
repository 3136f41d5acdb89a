"""Topic: joins transmitters and receivers by a topic name instead of explicit connections.

Every transmitter registered under a topic name delivers to every receiver registered under the same
name, whichever Topic component (and entity) registered them: a publisher's entity can declare
``Topic(topic_name: camera, transmitters: [out])`` and each subscriber's entity
``Topic(topic_name: camera, receivers: [in])``. The routes are made when the Topic initializes, like
Connection's, and removed when it deinitializes.
"""

from __future__ import annotations

from gxf.core import Component, Handle, Parameter, ParameterError

from .queue import Receiver, Transmitter
from .router import router_of


class Topic(Component, type_name="nvidia::gxf::Topic", uuid="70529494-8bca-49ef-51bf-44b08ecf460b"):
    """A named meeting point: each transmitter listed under a topic reaches each receiver listed under it."""

    topic_name = Parameter(str, description="The name transmitters and receivers meet under")
    transmitters = Parameter(list[Handle(Transmitter)], [], "Transmitters that publish to the topic")
    receivers = Parameter(list[Handle(Receiver)], [], "Receivers that get the topic's messages")

    def preflight(self) -> None:
        if not self.topic_name:
            raise ParameterError(f"{self.describe_self()}: topic_name must not be empty", self.location,
                                 "give the topic a name shared by its publishers and subscribers")

    def initialize(self) -> None:
        router_of(self.context).message_router.join_topic(self.topic_name, self.transmitters, self.receivers)

    def deinitialize(self) -> None:
        router_of(self.context).message_router.leave_topic(self.topic_name, self.transmitters, self.receivers)

    def get_topic_name(self) -> str:
        return self.topic_name

    def get_transmitters(self) -> list:
        return list(self.transmitters)

    def get_receivers(self) -> list:
        return list(self.receivers)


def topic_members(context, topic_name: str) -> tuple[list, list]:
    """The transmitters and receivers registered under ``topic_name`` in ``context``."""
    return router_of(context).message_router.topic_members(topic_name)
