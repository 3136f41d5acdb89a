"""EntitySerializer: writes a whole message entity to an endpoint and reads one back."""

from __future__ import annotations

from gxf.core import Component, MessageEntity


class EntitySerializer(Component, type_name="nvidia::gxf::EntitySerializer",
                       uuid="fd7892f7-0464-e591-def3-88d77c8dde70", abstract=True):
    """Interface for serializing entities: ``serialize_entity`` and ``deserialize_entity``."""

    def serialize_entity(self, entity, endpoint) -> int:
        """Writes ``entity`` to ``endpoint``; returns the bytes written."""
        raise NotImplementedError

    def deserialize_entity_into(self, entity, endpoint, entity_number: int | None = None) -> None:
        """Reads one entity from ``endpoint`` and adds its components to ``entity``."""
        raise NotImplementedError

    def deserialize_entity(self, endpoint, context=None, entity_number: int | None = None) -> MessageEntity:
        """Reads one entity from ``endpoint`` as a new message (of ``context``, default this one's).

        ``entity_number`` is only for error messages: which entity of a stream was being read.
        """
        message = MessageEntity(context if context is not None else self.context)
        self.deserialize_entity_into(message, endpoint, entity_number)
        return message
