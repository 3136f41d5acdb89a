"""gxf.std: the StandardExtension - codelets, clocks, queues, scheduling terms, schedulers, tensors, memory.

Every public class and function of the ``gxf.std`` modules is available from here, as in GXF's
Python API (``from gxf.std import Receiver, Tensor, Allocator``). ``_EXPORTS`` says which module each
name comes from; a name is imported on first use, so ``import gxf.std`` imports none of the modules
(NumPy is imported only when tensor data is touched). A public class or function a module adds must
be listed in ``_EXPORTS``, or in ``_NOT_EXPORTED`` when it is deliberately left out: a test checks
both tables against the modules and names what is missing.
"""

from __future__ import annotations

import importlib

_EXPORTS: dict[str, str] = {
    # entities and components, as GXF's gxf.std re-exports them
    "Component": "gxf.core.component", "Entity": "gxf.core.entity", "MessageEntity": "gxf.core.entity",
    # codelets and the Python graph API (GXF's gxf.std.connect adds a Connection component)
    "Codelet": ".codelet", "ExecutionData": ".codelet",
    "ComputeEntity": ".compute_entity", "connect": ".compute_entity", "set_clock": ".compute_entity",
    "set_scheduler": ".compute_entity", "Queues": ".compute_entity",
    "ComputeEntityAdapter": ".compute_entity",
    "Forward": ".message_codelets", "Broadcast": ".message_codelets", "BroadcastMode": ".message_codelets",
    "Gather": ".message_codelets",
    "TimedThrottler": ".timed_throttler", "Synchronization": ".synchronization",
    # clocks
    "Clock": ".clock", "RealtimeClock": ".clock", "ManualClock": ".clock", "SyntheticClock": ".clock",
    # scheduling terms
    "SchedulingTerm": ".scheduling_term", "bad_parameter": ".scheduling_term",
    "QueueWait": ".scheduling_term", "Waits": ".scheduling_term",
    "SchedulingConditionType": ".scheduling_condition", "and_combine": ".scheduling_condition",
    "or_combine": ".scheduling_condition",
    "CountSchedulingTerm": ".scheduling_terms", "PeriodicSchedulingTerm": ".scheduling_terms",
    "PeriodicSchedulingPolicy": ".scheduling_terms", "TargetTimeSchedulingTerm": ".scheduling_terms",
    "BooleanSchedulingTerm": ".scheduling_terms", "MessageAvailableSchedulingTerm": ".scheduling_terms",
    "DownstreamReceptiveSchedulingTerm": ".scheduling_terms",
    "SamplingMode": ".message_terms", "MultiMessageAvailableSchedulingTerm": ".message_terms",
    "ExpiringMessageAvailableSchedulingTerm": ".message_terms",
    "MessageAvailableFrequencyThrottler": ".message_terms",
    "AsynchronousEventState": ".async_scheduling_term",
    "AsynchronousSchedulingTerm": ".async_scheduling_term",
    "MemoryAvailableSchedulingTerm": ".memory_available_term",
    "SchedulingTermCombiner": ".term_combiner", "OrSchedulingTermCombiner": ".term_combiner",
    # schedulers and what runs entities
    "Scheduler": ".scheduler", "SchedulerInterrupted": ".scheduler", "DeadlockTimer": ".scheduler",
    "DeadlockPolicy": ".scheduler",
    "GreedyScheduler": ".greedy_scheduler", "MultiThreadScheduler": ".multi_thread_scheduler",
    "EventBasedScheduler": ".event_based_scheduler", "EpochScheduler": ".epoch_scheduler",
    "WorkerScheduler": ".worker_scheduler",
    "Worker": ".workers", "Watch": ".workers", "Job": ".workers", "Timers": ".workers",
    "Sweep": ".sweep", "SweepEntry": ".sweep",
    "EntityExecutor": ".entity_executor", "EntityItem": ".entity_executor",
    "EntityWaits": ".entity_executor", "CodeletFailure": ".entity_executor",
    "ControlledEntityItem": ".entity_executor",
    "ThreadPool": ".thread_pool", "CPUThread": ".thread_pool", "entity_resources": ".thread_pool",
    "pinned_pool": ".thread_pool",
    "ResourceBase": ".resources", "GPUDevice": ".gpu_device", "find_gpu_device": ".gpu_device",
    # messaging
    "Queue": ".queue", "QueueFull": ".queue", "Transmitter": ".queue", "Receiver": ".queue",
    "DoubleBufferTransmitter": ".double_buffer", "DoubleBufferReceiver": ".double_buffer",
    "AsyncBufferTransmitter": ".async_buffer", "AsyncBufferReceiver": ".async_buffer",
    "Connection": ".connection",
    "Router": ".router", "MessageRouter": ".router", "NetworkRouter": ".router", "RouterGroup": ".router",
    "router_of": ".router", "disconnect": ".router",
    "Topic": ".topic", "topic_members": ".topic",
    "Timestamp": ".timestamp", "as_timestamp": ".timestamp", "stamp_published": ".timestamp",
    "EndOfStream": ".end_of_stream",
    "Primitive": ".primitives", "Bool": ".primitives", "Int8": ".primitives", "UInt8": ".primitives",
    "Int16": ".primitives", "UInt16": ".primitives", "Int32": ".primitives", "UInt32": ".primitives",
    "Int64": ".primitives", "UInt64": ".primitives", "Float32": ".primitives", "Float64": ".primitives",
    "Complex64": ".primitives", "Complex128": ".primitives",
    # monitoring
    "Monitor": ".monitor", "attach_observers": ".monitor",
    "JobStatistics": ".job_statistics", "percentile": ".job_statistics",
    "Metric": ".metric", "Vault": ".vault",
    # tensors and memory
    "Tensor": ".tensor", "Shape": ".shape",
    "TensorDescription": ".tensor_layout", "TensorError": ".tensor_layout",
    "as_element_type": ".tensor_layout", "check_layout": ".tensor_layout",
    "checked_strides": ".tensor_layout", "dense_strides": ".tensor_layout", "is_dense": ".tensor_layout",
    "layout_extent": ".tensor_layout",
    "array_layout": ".array_interop", "dlpack_storage_type": ".array_interop",
    "pointer_capsule": ".array_interop", "check_message_entity": ".tensor_messages",
    "PrimitiveType": ".primitive_type", "primitive_type_size": ".primitive_type",
    "as_primitive_type": ".primitive_type", "from_typestr": ".primitive_type",
    "from_dtype": ".primitive_type", "typestr": ".primitive_type", "to_dtype": ".primitive_type",
    "MemoryStorageType": ".memory_storage", "MemoryBlock": ".memory_storage", "HostMemory": ".memory_storage",
    "DeviceUnavailableError": ".memory_storage", "register_memory_backend": ".memory_storage",
    "memory_backend": ".memory_storage", "memory_copy": ".memory_storage",
    "register_stream_finder": ".memory_storage", "message_stream": ".memory_storage",
    "Allocator": ".allocator", "AllocatorStage": ".allocator", "AllocationError": ".allocator",
    "UnboundedAllocator": ".unbounded_allocator", "BlockMemoryPool": ".block_memory_pool",
    "TensorCopier": ".tensor_copier", "CopyMode": ".tensor_copier",
    # interfaces for other extensions, system groups, multi-source timestamps
    "IPCServer": ".interfaces", "IPCClient": ".interfaces", "IPCRequestError": ".interfaces", "NetworkContext": ".interfaces",
    "Controller": ".controller", "ControllerStatus": ".controller", "ExecutionStatus": ".controller",
    "BehaviorStatus": ".controller", "TickResult": ".controller", "entity_behavior_status": ".controller",
    "BTSchedulingTerm": ".bt_scheduling_term", "SystemGroup": ".system_group",
    "MultiSourceTimestamp": ".multi_source_timestamp", "TimeDomainID": ".multi_source_timestamp",
    "get_timestamp": ".multi_source_timestamp",
    # distributed execution
    "GraphWorker": ".graph_worker", "GraphDriver": ".graph_driver",
}

# Public-looking classes and functions of the modules that gxf.std deliberately does not export.
_NOT_EXPORTED: dict[str, tuple[str, ...]] = {
    # gxf.std.connect is the graph API's (compute_entity), not the router's route-level one
    ".connection": ("connect",), ".router": ("connect",),
    ".extension": ("gxf_extensions", "gxf_graph_loaded"),  # hook implementations
    ".gxe": ("main", "parse_args"),  # the python -m gxf.std.gxe command
    ".listeners": ("fan_out",),  # how queues and terms call their listeners
    ".graph_driver_worker_common": ("Heartbeat", "component_params", "parse_component_params",
                                    "parse_worker_info", "split_address", "split_component_path",
                                    "worker_info"),  # the workers' and driver's payloads
    ".graph_worker": ("is_network_receiver",),  # how a worker finds the receivers it reports
    ".run_end": ("RunEnd", "judge"),  # how a scheduler tells finished from stalled at the end of a run
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'gxf.std' has no attribute '{name}'")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
