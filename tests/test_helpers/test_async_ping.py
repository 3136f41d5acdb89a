"""AsyncPingTx / AsyncPingRx: entities woken by their own helper thread, which never outlives the graph."""

import threading

import pytest

from gxf.core import Context, ExecutionError
from gxf.std.async_scheduling_term import AsynchronousEventState
from gxf.test_helpers.async_ping import AsyncPingTx

TX_RX = """
    name: tx
    components:
    - name: signal
      type: nvidia::gxf::DoubleBufferTransmitter
    - type: nvidia::gxf::DownstreamReceptiveSchedulingTerm
      parameters:
        transmitter: signal
    - name: ping
      type: nvidia::gxf::test::AsyncPingTx
      parameters:
        signal: signal
        count: 5
        delay: 1
        scheduling_term: async_st
    - name: async_st
      type: nvidia::gxf::AsynchronousSchedulingTerm
    ---
    name: rx
    components:
    - name: signal
      type: nvidia::gxf::DoubleBufferReceiver
    - type: nvidia::gxf::MessageAvailableSchedulingTerm
      parameters:
        receiver: signal
    - name: ping
      type: nvidia::gxf::test::AsyncPingRx
      parameters:
        signal: signal
        delay: 1
        scheduling_term: async_st
    - name: async_st
      type: nvidia::gxf::AsynchronousSchedulingTerm
    ---
    components:
    - type: nvidia::gxf::Connection
      parameters:
        source: tx/signal
        target: rx/signal
    """


def _async_threads():
    return [t for t in threading.enumerate() if t.name.startswith("gxf-async-ping")]


def test_pings_are_sent_and_received_one_wake_up_at_a_time(run_graph):
    context = run_graph(TX_RX)
    tx, rx = context.find_component("tx/ping"), context.find_component("rx/ping")
    assert tx.tick_count == 5 and tx.get_execution_count() == 5
    assert tx.events_done == 4  # woken after each ping but the last, which ends the entity
    assert context.find_component("tx/async_st").get_event_state() == AsynchronousEventState.EVENT_NEVER
    assert rx.received == 5
    assert not _async_threads()  # joined when the entities stopped


def test_the_helper_thread_is_joined_when_the_run_fails(run_graph):
    with pytest.raises(ExecutionError, match="ticked more than num_max_ticks"):
        run_graph(TX_RX + """
    ---
    name: failing
    components:
    - type: nvidia::gxf::test::MockFailure
      parameters:
        num_max_ticks: 0
    - type: nvidia::gxf::CountSchedulingTerm
      parameters:
        count: 1
    """)
    assert not _async_threads()


def test_the_helper_thread_is_joined_at_deinitialize_without_a_stop():
    with Context() as context:
        entity = context.create_entity("e")
        term = entity.add("nvidia::gxf::AsynchronousSchedulingTerm", "async_st")
        tx = entity.add("nvidia::gxf::DoubleBufferTransmitter", "signal")
        ping = entity.add(AsyncPingTx, "ping", signal=tx, scheduling_term=term, delay=1)
        for component in (term, tx, ping):
            component.initialize()
        ping.start()
        term.set_event_state(AsynchronousEventState.EVENT_WAITING)
        for _ in range(200):
            if term.get_event_state() == AsynchronousEventState.EVENT_DONE:
                break
            threading.Event().wait(0.005)
        assert term.get_event_state() == AsynchronousEventState.EVENT_DONE
        assert len(_async_threads()) == 1
        ping.deinitialize()
        assert not _async_threads()


def test_negative_delay_is_refused():
    with Context() as context:
        ping = context.create_entity("e").add(AsyncPingTx, "ping", delay=-1)
        with pytest.raises(ValueError, match="delay must not be negative"):
            ping.initialize()
