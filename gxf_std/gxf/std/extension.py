"""The StandardExtension: what gxf-std registers, and the default scheduler for graphs without one."""

from __future__ import annotations

import logging

from gxf.core import Extension, GraphFileError, System, hookimpl

from .clock import Clock, ManualClock, RealtimeClock
from .codelet import Codelet
from .connection import Connection
from .double_buffer import DoubleBufferReceiver, DoubleBufferTransmitter
from .greedy_scheduler import GreedyScheduler
from .queue import Queue, Receiver, Transmitter
from .scheduler import Scheduler
from .scheduling_term import SchedulingTerm
from .scheduling_terms import (CountSchedulingTerm, DownstreamReceptiveSchedulingTerm,
                               MessageAvailableSchedulingTerm, PeriodicSchedulingTerm)
from .timestamp import Timestamp
from .async_buffer import AsyncBufferReceiver, AsyncBufferTransmitter
from .end_of_stream import EndOfStream
from .job_statistics import JobStatistics
from .message_codelets import Broadcast, Forward, Gather
from .metric import Metric
from .monitor import Monitor
from .primitives import PRIMITIVES
from .gpu_device import GPUDevice
from .synchronization import Synchronization
from .timed_throttler import TimedThrottler
from .topic import Topic
from .vault import Vault
from .allocator import Allocator
from .block_memory_pool import BlockMemoryPool
from .memory_available_term import MemoryAvailableSchedulingTerm
from .tensor import Tensor
from .tensor_copier import TensorCopier
from .unbounded_allocator import UnboundedAllocator
from .async_scheduling_term import AsynchronousSchedulingTerm
from .clock import SyntheticClock
from .epoch_scheduler import EpochScheduler
from .event_based_scheduler import EventBasedScheduler
from .message_terms import (ExpiringMessageAvailableSchedulingTerm, MessageAvailableFrequencyThrottler,
                            MultiMessageAvailableSchedulingTerm)
from .multi_thread_scheduler import MultiThreadScheduler
from .resources import ResourceBase
from .router import MessageRouter, NetworkRouter, Router, RouterGroup
from .scheduling_terms import BooleanSchedulingTerm, TargetTimeSchedulingTerm
from .term_combiner import OrSchedulingTermCombiner, SchedulingTermCombiner
from .thread_pool import CPUThread, ThreadPool
from .bt_scheduling_term import BTSchedulingTerm
from .controller import Controller
from .graph_driver import GraphDriver
from .graph_worker import GraphWorker
from .interfaces import IPCClient, IPCServer, NetworkContext
from .multi_source_timestamp import MultiSourceTimestamp
from .system_group import SystemGroup

log = logging.getLogger("gxf")

STANDARD_EXTENSION_UUID = "8ec2d5d6-b5df-48bf-8dee-0252606fdd7e"

# Component classes of this extension, in registration order. Modules of gxf.std add theirs here.
COMPONENTS: list = [
    Codelet, SchedulingTerm, Clock, RealtimeClock, ManualClock, Queue, Transmitter, Receiver,
    DoubleBufferTransmitter, DoubleBufferReceiver, Connection, Timestamp, Scheduler, GreedyScheduler,
    CountSchedulingTerm, PeriodicSchedulingTerm, MessageAvailableSchedulingTerm,
    DownstreamReceptiveSchedulingTerm,
    # messaging and monitoring
    AsyncBufferTransmitter, AsyncBufferReceiver, Topic, Forward, Broadcast, Gather, Synchronization,
    TimedThrottler, Vault, EndOfStream, *PRIMITIVES, Monitor, JobStatistics, Metric, GPUDevice,
    # tensors and memory
    Tensor, Allocator, UnboundedAllocator, BlockMemoryPool, MemoryAvailableSchedulingTerm, TensorCopier,
    # scheduling: clocks, terms, combiners, schedulers, thread pools
    SyntheticClock, TargetTimeSchedulingTerm, BooleanSchedulingTerm, AsynchronousSchedulingTerm,
    MultiMessageAvailableSchedulingTerm, ExpiringMessageAvailableSchedulingTerm, MessageAvailableFrequencyThrottler,
    SchedulingTermCombiner, OrSchedulingTermCombiner, MultiThreadScheduler, EventBasedScheduler, EpochScheduler,
    ResourceBase, ThreadPool, CPUThread,
    # routing
    Router, MessageRouter, NetworkRouter, RouterGroup,
    # interfaces other extensions implement, system groups, multi-source timestamps
    IPCServer, IPCClient, NetworkContext, Controller, SystemGroup, MultiSourceTimestamp,
    # distributed execution: segments run by workers, coordinated by a driver
    GraphWorker, GraphDriver,
    # behavior trees: the term a tree starts and stops its nodes with
    BTSchedulingTerm,
]

STANDARD_EXTENSION = Extension(
    name="StandardExtension",
    uuid=STANDARD_EXTENSION_UUID,
    version="2.6.0",
    components=COMPONENTS,
    author="gxf-std developers",
    distribution="gxf-std",
    description="Codelets, clocks, scheduling terms, schedulers, queues, connections, tensors and memory",
    display_name="Standard Extension",
    category="Core",
    brief="The standard components every graph uses",
)


@hookimpl
def gxf_extensions():
    return STANDARD_EXTENSION


DEFAULT_SCHEDULER_ENTITY = "__default_scheduler"


@hookimpl
def gxf_graph_loaded(context):
    """Gives a graph without a scheduler a GreedyScheduler on a RealtimeClock; refuses two schedulers.
    A SystemGroup is a System but not a scheduler: it is not counted."""
    systems = [system for system in context.components(System) if not isinstance(system, SystemGroup)]
    if len(systems) > 1:
        names = ", ".join(f"'{s.handle_text()}' at {s.location}" for s in systems)
        raise GraphFileError(f"the graph has {len(systems)} schedulers ({names}); it needs exactly one",
                             systems[1].location, "remove all schedulers but one")
    if systems:
        return
    entity = context.create_entity(DEFAULT_SCHEDULER_ENTITY)
    clock = entity.add(RealtimeClock, "clock")
    entity.add(GreedyScheduler, "scheduler", clock=clock, stop_on_deadlock=True)
    log.info("no scheduler in the graph: using a GreedyScheduler with a RealtimeClock")
