"""How ``ComputeEntity.add_codelet`` takes a Python codelet: it runs the codelet in a PyCodeletV0.

The extension registers ``PythonCodeletAdapter`` with the ``gxf_compute_entity_adapters`` hook, so
gxf-std needs no knowledge of Python codelets. The codelet's ``txs`` and ``rxs`` name the queues to
create; keys of ``params`` naming PyCodeletV0 parameters (``clock``, ``allocators``,
``cuda_stream_pool``, ``codelet_params``...) set those, and the other keys become its ``codelet_params``.
"""

from __future__ import annotations

from typing import Any

from .codelet import CodeletAdapter
from .py_codelet import PyCodeletV0


class PythonCodeletAdapter:
    """Adds CodeletAdapter classes and instances to a ComputeEntity as PyCodeletV0 components."""

    def accepts(self, codelet: Any) -> bool:
        cls = codelet if isinstance(codelet, type) else type(codelet)
        return issubclass(cls, CodeletAdapter)

    def add(self, entity, codelet: Any, name: str | None, queues, params: dict[str, Any]):
        cls = codelet if isinstance(codelet, type) else type(codelet)
        probe = codelet
        if isinstance(codelet, type) and not (getattr(cls, "txs", None) or getattr(cls, "rxs", None)):
            try:  # GXF codelets set txs/rxs in __init__: look at an instance
                probe = codelet()
            except TypeError:
                probe = codelet
        settings = {k: params.pop(k) for k in list(params) if k in PyCodeletV0.parameters()}
        codelet_params = settings.pop("codelet_params", None)
        if params:
            codelet_params = {**(codelet_params or {}), **params}
        settings["transmitters"] = list(settings.get("transmitters", [])) + [
            queues.transmitter(n) for n in _queue_names(probe, "txs")]
        settings["receivers"] = list(settings.get("receivers", [])) + [
            queues.receiver(n) for n in _queue_names(probe, "rxs")]
        return entity.add(PyCodeletV0, name or cls.__name__, codelet=codelet, codelet_params=codelet_params,
                          **settings)


def _queue_names(probe, attribute: str) -> list[str]:
    names = getattr(probe, attribute, None) or []
    return [n for n in names if isinstance(n, str)]
