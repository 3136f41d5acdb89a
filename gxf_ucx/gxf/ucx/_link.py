"""The process's UCX event loop: one thread running ucxx's asyncio API for every link of the process.

Receivers push arrived messages into their queues from this thread; pushing notifies the receiver's
arrival listeners, which wake the waiting entity through the scheduling wing's event contract, so a
receiver waiting for the network costs no scheduler CPU.
"""

from __future__ import annotations

import asyncio
import threading

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None
_thread: threading.Thread | None = None


def loop() -> asyncio.AbstractEventLoop:
    """The running UCX loop, started on first use."""
    global _loop, _thread
    with _lock:
        if _loop is None:
            new_loop = asyncio.new_event_loop()
            ready = threading.Event()

            def run():
                asyncio.set_event_loop(new_loop)
                new_loop.call_soon(ready.set)
                new_loop.run_forever()

            _thread = threading.Thread(target=run, name="gxf-ucx-progress", daemon=True)
            _thread.start()
            ready.wait(10)
            _loop = new_loop
        return _loop


def call(coroutine, timeout: float | None = None):
    """Runs ``coroutine`` on the UCX loop and waits for its result."""
    return asyncio.run_coroutine_threadsafe(coroutine, loop()).result(timeout)


def submit(coroutine):
    """Runs ``coroutine`` on the UCX loop without waiting (a concurrent future)."""
    return asyncio.run_coroutine_threadsafe(coroutine, loop())
