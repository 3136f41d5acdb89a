"""EndOfStream: a message component saying a stream (or the whole pipeline) has ended."""

from __future__ import annotations

from gxf.core import Component, MessageEntity


class EndOfStream(Component, type_name="nvidia::gxf::EndOfStream",
                  uuid="8c42f7bf-7041-4626-9792-9eb20ce33cce"):
    """Marks a message as the end of a stream.

    ``stream_id()`` names the stream that ended; a negative id means the whole pipeline ended.
    """

    def __init__(self, stream_id: int = -1) -> None:
        Component.__init__(self)
        self._stream_id = int(stream_id)

    def stream_id(self, value: int | None = None) -> int:
        """The stream id; with an argument, sets it first (GXF's getter/setter pair)."""
        if value is not None:
            self._stream_id = int(value)
        return self._stream_id

    def is_pipeline_end(self) -> bool:
        return self._stream_id < 0

    @staticmethod
    def create_eos_message(context, stream_id: int = -1) -> MessageEntity:
        """A new message holding only an EndOfStream."""
        message = MessageEntity(context)
        message.add(EndOfStream(stream_id))
        return message

    @staticmethod
    def add_to_entity(message, stream_id=-1, name: str = "") -> EndOfStream:
        """Adds an EndOfStream to ``message`` (``stream_id`` may be an id or another EndOfStream)."""
        if isinstance(stream_id, EndOfStream):
            stream_id = stream_id.stream_id()
        return message.add(EndOfStream(stream_id), name)

    @staticmethod
    def get_from_entity(message, name: str | None = None) -> EndOfStream | None:
        """The message's EndOfStream (called ``name``, if given), or None."""
        for component in message.components:
            if isinstance(component, EndOfStream) and (not name or component.name == name):
                return component
        return None

    def __repr__(self) -> str:
        return f"<EndOfStream stream_id={self._stream_id}>"
