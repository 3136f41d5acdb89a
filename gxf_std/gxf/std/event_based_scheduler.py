"""EventBasedScheduler: worker threads that look at an entity only when an event concerns it."""

from __future__ import annotations

from .worker_scheduler import WorkerScheduler


class EventBasedScheduler(WorkerScheduler, type_name="nvidia::gxf::EventBasedScheduler",
                          uuid="99bef5a8-48bc-11ee-be56-0242ac120002"):
    """A multi-threaded scheduler that moves entities between queues only when events say they changed.

    Entities are kept in a READY/WAIT_TIME queue, a WAIT_EVENT set and a WAIT set, and move between
    them only on events: a message published into one of their receivers, a message taken from a
    receiver they publish into, the end of their own execution, the expiry of their time, or a
    notification from outside (``notify_change()``, an AsynchronousSchedulingTerm's EVENT_DONE). The
    dispatcher and the idle workers sleep between events; an entity waiting on a receiver nobody
    writes to costs nothing. ``worker_thread_number`` threads execute unpinned entities; an entity
    with a CPUThread ``pin_entity: true`` runs on a thread of its own (from its ThreadPool).
    See ``worker_scheduler.py`` for how work moves between threads.
    """
