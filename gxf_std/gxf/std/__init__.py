"""gxf.std: the StandardExtension - codelets, clocks, queues, scheduling terms, schedulers, tensors, memory.

Every public class and function of the ``gxf.std`` modules is available from here, as in GXF's
Python API (``from gxf.std import Receiver, Tensor, Allocator``). Names are resolved on first use, so
``import gxf.std`` imports nothing heavy (NumPy is imported only when tensor data is touched).
"""

from __future__ import annotations

import importlib

# Where the most used names live; anything else is found by looking through the package's modules.
_KNOWN = {
    # entities and components, as GXF's gxf.std re-exports them
    "Entity": "gxf.core.entity", "MessageEntity": "gxf.core.entity", "Component": "gxf.core.component",
    # execution
    "Codelet": ".codelet", "SchedulingTerm": ".scheduling_term",
    "SchedulingConditionType": ".scheduling_condition",
    "CountSchedulingTerm": ".scheduling_terms", "PeriodicSchedulingTerm": ".scheduling_terms",
    "MessageAvailableSchedulingTerm": ".scheduling_terms",
    "DownstreamReceptiveSchedulingTerm": ".scheduling_terms",
    "Clock": ".clock", "RealtimeClock": ".clock", "ManualClock": ".clock",
    "Scheduler": ".scheduler", "GreedyScheduler": ".greedy_scheduler",
    # messaging
    "Queue": ".queue", "Transmitter": ".queue", "Receiver": ".queue",
    "DoubleBufferTransmitter": ".double_buffer", "DoubleBufferReceiver": ".double_buffer",
    "Connection": ".connection", "Timestamp": ".timestamp",
    # the Python graph API (GXF's gxf.std.connect adds a Connection component to the graph)
    "ComputeEntity": ".compute_entity", "connect": ".compute_entity", "set_scheduler": ".compute_entity",
    "set_clock": ".compute_entity",
    # tensors and memory
    "Tensor": ".tensor", "TensorDescription": ".tensor", "TensorError": ".tensor", "Shape": ".shape",
    "PrimitiveType": ".primitive_type", "primitive_type_size": ".primitive_type",
    "MemoryStorageType": ".memory_storage", "MemoryBlock": ".memory_storage",
    "DeviceUnavailableError": ".memory_storage",
    "Allocator": ".allocator", "AllocatorStage": ".allocator", "AllocationError": ".allocator",
    "UnboundedAllocator": ".unbounded_allocator", "BlockMemoryPool": ".block_memory_pool",
    "MemoryAvailableSchedulingTerm": ".memory_available_term",
    "TensorCopier": ".tensor_copier", "CopyMode": ".tensor_copier",
}

_found: dict[str, object] | None = None  # every public name of every module, once looked up


def __getattr__(name: str):
    if name.startswith("__"):
        if name == "__all__":
            return sorted(_all_names())
        raise AttributeError(name)
    module = _KNOWN.get(name)
    if module is not None:
        try:
            value = getattr(importlib.import_module(module, __name__), name)
        except (ImportError, AttributeError):
            value = None
        if value is not None:
            globals()[name] = value
            return value
    names = _all_names()
    if name in names:
        value = names[name]
        globals()[name] = value
        return value
    raise AttributeError(f"module 'gxf.std' has no attribute '{name}'")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_KNOWN) | set(_all_names()))


def _all_names() -> dict[str, object]:
    """Public classes and functions defined in the modules of gxf.std (and the _KNOWN ones)."""
    global _found
    if _found is not None:
        return _found
    import inspect
    import pkgutil

    found: dict[str, object] = {}
    for name, module in _KNOWN.items():
        if module.startswith("gxf.core"):
            found[name] = getattr(importlib.import_module(module), name)
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_") or info.name in ("gxe", "extension"):
            continue
        try:
            module = importlib.import_module(f"{__name__}.{info.name}")
        except Exception:  # noqa: BLE001 - a module that cannot be imported exports nothing
            continue
        exported = getattr(module, "__all__", None)
        for attr, value in vars(module).items():
            if attr.startswith("_") or attr in found:
                continue
            if exported is not None:
                if attr not in exported:
                    continue
            elif not ((inspect.isclass(value) or inspect.isfunction(value))
                      and getattr(value, "__module__", None) == module.__name__):
                continue
            found[attr] = value
    _found = found
    return found
