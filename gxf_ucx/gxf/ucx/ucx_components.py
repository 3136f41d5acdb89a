"""UcxContext, UcxTransmitter, UcxReceiver and their serialization parts, with GXF's names and UUIDs.

A UcxReceiver listens on ``address:port``; a UcxTransmitter connects to ``receiver_address:port`` when
its graph is activated (retrying ``maximum_connection_retries`` times, one second apart, then failing with an
error naming the address) and sends every published message, serialized in GXF's StdEntitySerializer
layout, as one UCX message.
"""

from __future__ import annotations

import asyncio
import contextlib
import os

from gxf.core import ExecutionError, Handle, MessageEntity, Parameter
from gxf.serialization import SerializationBuffer
from gxf.serialization.std_component_serializer import StdComponentSerializer
from gxf.serialization.std_entity_serializer import StdEntitySerializer
from gxf.std import DoubleBufferReceiver, DoubleBufferTransmitter, NetworkContext

from . import _link

# ucxx sets UCX variables of its own that this UCX build may not know; they are not the user's to fix.
os.environ.setdefault("UCX_WARN_UNUSED_ENV_VARS", "n")

DEFAULT_PORT = 13337
RETRY_INTERVAL_S = 1.0
CONNECT_TIMEOUT_S = 5.0
BACKOFF_S = 0.0002


class UcxSerializationBuffer(SerializationBuffer, type_name="nvidia::gxf::UcxSerializationBuffer",
                             uuid="1d9fcaf7-1db1-4992-93ec-714979f7d78d"):
    """Serialization buffer for UCX."""


class UcxComponentSerializer(StdComponentSerializer, type_name="nvidia::gxf::UcxComponentSerializer",
                             uuid="64994305-4260-4f5c-ac5f-69da6dd6cfa5"):
    """Component serializer for UCX: GXF's standard component layouts."""


class UcxEntitySerializer(StdEntitySerializer, type_name="nvidia::gxf::UcxEntitySerializer",
                          uuid="14997aa4-4a01-4cd4-86ab-687f85a13f10"):
    """Entity serializer for UCX."""


class UcxContext(NetworkContext, type_name="nvidia::gxf::UcxContext",
                 uuid="755d20a5-d794-467d-a86c-290eb2c32052"):
    """Holds the UCX state of a graph: the serializer its transmitters and receivers use."""

    serializer = Parameter(Handle(StdEntitySerializer), description="Entity serializer for the messages")
    reconnect = Parameter(bool, True, "Try to reconnect when a peer disconnects")
    cpu_data_only = Parameter(bool, False, "Send only host memory (no CUDA buffers)")
    enable_async = Parameter(bool, True, "Send and receive asynchronously")


class _Wire:
    """An endpoint over one UCX message: writes collect the bytes to send, reads walk received bytes."""

    __slots__ = ("data", "offset", "parts")

    def __init__(self, data: bytes = b"") -> None:
        self.parts: list = []
        self.data = memoryview(data)
        self.offset = 0

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def write_trivial_type(self, packed: bytes) -> int:
        return self.write(packed)

    def read(self, size: int) -> bytes:
        start = self.offset
        self.offset = end = min(start + size, len(self.data))
        return bytes(self.data[start:end])

    def readinto(self, buffer) -> int:
        chunk = self.read(len(buffer))
        memoryview(buffer).cast("B")[:len(chunk)] = chunk
        return len(chunk)

    def tell(self) -> int:
        return self.offset


def _serializer_of(component) -> StdEntitySerializer:
    contexts = list(component.context.components(UcxContext))
    if not contexts:
        raise ExecutionError(f"{component.describe_self()} needs a UcxContext in its graph", component.location,
                             "add an entity with a nvidia::gxf::UcxContext and its UcxEntitySerializer")
    return contexts[0].serializer


class UcxReceiver(DoubleBufferReceiver, type_name="nvidia::gxf::UcxReceiver",
                  uuid="e961132b-45d5-48b8-ac5d-2bb1a4a42279"):
    """Receives messages sent by a UcxTransmitter in another segment."""

    address = Parameter(str, "0.0.0.0", "Address to listen on")
    port = Parameter(int, DEFAULT_PORT, "Port to listen on (0: any free port, see bound_port)")
    buffer = Parameter(Handle(UcxSerializationBuffer), optional=True, description="Serialization buffer")

    def initialize(self) -> None:
        import ucxx

        super().initialize()
        self._serializer = _serializer_of(self)
        self._endpoints: list = []
        self.received = 0

        async def listen():
            return ucxx.create_listener(self._serve, port=self.port)

        try:
            self._listener = _link.call(listen(), CONNECT_TIMEOUT_S)
        except Exception as exc:  # noqa: BLE001 - reported with the address
            raise ExecutionError(f"{self.describe_self()} cannot listen on {self.address}:{self.port}: {exc}",
                                 self.location, "choose a free port") from None
        self.bound_port = self._listener.port

    async def _serve(self, endpoint) -> None:
        self._endpoints.append(endpoint)
        while True:
            try:
                data = await endpoint.recv_obj()
            except Exception:  # noqa: BLE001 - the peer closed the link or went away
                return
            message = MessageEntity(self.context)
            try:
                self._serializer.deserialize_entity_into(message, _Wire(bytes(data)))
            except Exception as exc:  # noqa: BLE001 - one bad message is reported, the link stays
                self.logger.error("a message that cannot be read was dropped: %s", exc)
                continue
            # Back-pressure instead of overflow: the sender waits while the queue has no room (its
            # sends are not acknowledged until this message is taken).
            while self.room() <= 0:
                await asyncio.sleep(BACKOFF_S)
            self.received += 1
            self.push_io(message)

    def deinitialize(self) -> None:
        super().deinitialize()

        async def close():
            for endpoint in self._endpoints:
                await endpoint.close()
            self._listener.close()

        listener = getattr(self, "_listener", None)
        if listener is not None:
            _link.call(close(), CONNECT_TIMEOUT_S)
            self._listener = None


class UcxTransmitter(DoubleBufferTransmitter, type_name="nvidia::gxf::UcxTransmitter",
                     uuid="58165d03-78b7-4696-b200-71621f90aee7"):
    """Sends published messages to a UcxReceiver in another segment."""

    receiver_address = Parameter(str, "0.0.0.0", "Address of the receiver to connect to")
    port = Parameter(int, DEFAULT_PORT, "Port of the receiver")
    local_address = Parameter(str, "0.0.0.0", "Local address to use for the connection")
    local_port = Parameter(int, 0, "Local port to use for the connection (0: any)")
    buffer = Parameter(Handle(UcxSerializationBuffer), optional=True, description="Serialization buffer")
    maximum_connection_retries = Parameter(int, 200, "How many times connecting is retried, a second apart")

    def initialize(self) -> None:
        import ucxx

        super().initialize()
        self._serializer = _serializer_of(self)
        host = "127.0.0.1" if self.receiver_address == "0.0.0.0" else self.receiver_address
        retries = self.maximum_connection_retries

        async def connect():
            last = None
            for attempt in range(retries + 1):
                try:
                    return await asyncio.wait_for(ucxx.create_endpoint(host, self.port), CONNECT_TIMEOUT_S)
                except Exception as exc:  # noqa: BLE001 - retried, then reported
                    last = exc
                    if attempt < retries:
                        await asyncio.sleep(RETRY_INTERVAL_S)
            raise ConnectionError(f"{last}")

        try:
            self._endpoint = _link.call(connect())
        except Exception as exc:  # noqa: BLE001 - reported with the address
            raise ExecutionError(
                f"{self.describe_self()} cannot connect to the UcxReceiver at {host}:{self.port} after "
                f"{retries} retries: {exc}", self.location,
                "start the receiving segment, or check receiver_address and port") from None
        self.sent = 0

    def sync_outbox(self) -> None:
        back = self._back
        if self._main:
            back.extendleft(reversed(self._main))
            self._main.clear()
        if not back:
            return
        endpoint = self._endpoint
        serializer = self._serializer
        futures = []
        while back:
            message = back.popleft()
            wire = _Wire()
            serializer.serialize_entity(message, wire)
            futures.append(_link.submit(endpoint.send_obj(b"".join(wire.parts))))
        for future in futures:
            future.result(CONNECT_TIMEOUT_S * 2)
        self.sent += len(futures)

    sync_io = sync_outbox

    def deinitialize(self) -> None:
        super().deinitialize()
        endpoint = getattr(self, "_endpoint", None)
        if endpoint is not None:
            with contextlib.suppress(Exception):  # the peer may be gone already
                _link.call(endpoint.close(), CONNECT_TIMEOUT_S)
            self._endpoint = None
