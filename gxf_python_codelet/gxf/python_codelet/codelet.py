"""CodeletAdapter: the base class a Python codelet implements (GXF's ``gxf.python_codelet.codelet``).

A codelet file defines a subclass with ``start()``, ``tick()`` and ``stop()``; a graph runs it through
an ``nvidia::gxf::PyCodeletV0`` component that names the file and the class. The adapter reaches its
component (GXF calls it the bridge) for ids, execution data, parameters and the components the graph
declared for it::

    from gxf.core import MessageEntity
    from gxf.python_codelet import CodeletAdapter
    from gxf.std import Transmitter

    class PingTx(CodeletAdapter):
        def start(self):
            self.params = self.get_params()
            self.tx = Transmitter.get(self.context(), self.cid(), self.params["transmitter"])

        def tick(self):
            self.tx.publish(MessageEntity(self.context()), 1)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .py_codelet import PyCodeletV0


class CodeletAdapter:
    """Base class of Python codelets: implement ``start``, ``tick`` and ``stop``.

    ``txs`` and ``rxs`` may list names of transmitters and receivers (set them in ``__init__`` or as
    class attributes); the codelet then finds each as an attribute of that name, as with GXF's
    compute entities (``self.tx.publish(...)``).
    """

    txs: list = []
    rxs: list = []

    def __init__(self) -> None:
        self.bridge: PyCodeletV0 | None = None

    def set_bridge(self, bridge: PyCodeletV0) -> None:
        """Called by PyCodeletV0 before ``start()``: connects the adapter to its component."""
        self.bridge = bridge
        bridge._attach(self)

    # --- the three methods users implement -------------------------------------------------------
    def start(self) -> None:
        """Called once before the first tick."""

    def tick(self) -> None:
        """Called each time the entity's scheduling terms allow it."""

    def stop(self) -> None:
        """Called once when the entity stops."""

    # --- identity ----------------------------------------------------------------------------------
    def context(self):
        """The graph's context (pass it to ``MessageEntity`` and ``X.get``)."""
        return self.bridge.context

    def eid(self) -> int:
        """The id of the entity that holds this codelet."""
        return self.bridge.eid

    def cid(self) -> int:
        """The id of the PyCodeletV0 component running this codelet."""
        return self.bridge.cid

    def name(self) -> str:
        """The name of the PyCodeletV0 component running this codelet."""
        return self.bridge.name

    # --- execution data ----------------------------------------------------------------------------
    def get_execution_timestamp(self) -> int:
        """Clock time (ns) of the latest start(), tick() or stop()."""
        return self.bridge.get_execution_timestamp()

    def get_execution_time(self) -> float:
        """The same as ``get_execution_timestamp()`` in seconds."""
        return self.bridge.get_execution_time()

    def get_delta_time(self) -> float:
        """Seconds between the latest call (start, tick or stop) and the one before."""
        return self.bridge.get_delta_time()

    def get_execution_count(self) -> int:
        """How many times tick() has been called since start()."""
        return self.bridge.get_execution_count()

    def is_first_tick(self) -> bool:
        """True during the first tick() after start()."""
        return self.bridge.is_first_tick()

    # --- parameters and declared components --------------------------------------------------------
    def get_params(self) -> dict[str, Any]:
        """``codelet_params`` as a dict (a string is read as YAML or as key=value pairs)."""
        return self.bridge.get_params()

    def get_params_string(self) -> str:
        """``codelet_params`` as the string the graph wrote (a mapping is given as YAML)."""
        return self.bridge.get_params_string()

    def get_transmitters(self) -> list:
        """The components of the ``transmitters`` parameter."""
        return list(self.bridge.transmitters)

    def get_receivers(self) -> list:
        """The components of the ``receivers`` parameter."""
        return list(self.bridge.receivers)

    def get_allocators(self) -> list:
        """The components of the ``allocators`` parameter."""
        return list(self.bridge.allocators)

    def get_cuda_stream_pools(self) -> list:
        """The CUDA stream pools of ``cuda_stream_pool`` and ``cuda_stream_pools``."""
        return self.bridge.stream_pools()

    def get_cuda_stream_pool(self):
        """The first CUDA stream pool given to the codelet, or None."""
        pools = self.bridge.stream_pools()
        return pools[0] if pools else None

    def get_clock(self):
        """The ``clock`` parameter, or None."""
        return self.bridge.clock


__all__ = ["CodeletAdapter"]
