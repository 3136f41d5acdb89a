"""GraphWorker and GraphDriver over HTTP and gRPC, in this process: registration, address resolution, results."""

from __future__ import annotations

import threading

import pytest
from gxf.core import Context, ExecutionError, runner
from gxf_distributed_support import driver_graph, free_port, ping_segment, worker_graph, write


def start(registry, path):
    """Loads and activates a graph, runs it on a thread; returns (context, thread, failures)."""
    context = Context(registry)
    runner.load_graphs(context, [path])
    context.activate()
    failures: list = []

    def run():
        try:
            context.run()
        except BaseException as exc:  # noqa: BLE001 - the test looks at it
            failures.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return context, thread, failures


@pytest.fixture
def graphs(tmp_path):
    started = []

    def launch(registry, path):
        item = start(registry, path)
        started.append(item)
        return item

    yield launch
    for context, thread, _ in started:
        context.interrupt()
        thread.join(10)
        context.deactivate()
        assert not thread.is_alive()


def two_segments(tmp_path, counts=(5, 3), ipc="http"):
    write(tmp_path, "up.yaml", ping_segment(counts[0], "test::distributed::LinkTx"))
    write(tmp_path, "down.yaml", ping_segment(counts[1], "test::distributed::LinkRx"))
    driver_port, a_port, b_port = free_port(), free_port(), free_port()
    driver = write(tmp_path, "driver.yaml", driver_graph([("up.link.port", "down.link.port")], driver_port,
                                                         ipc=ipc))
    worker_a = write(tmp_path, "worker_a.yaml", worker_graph({"up": "up.yaml"}, a_port, driver_port, ipc=ipc))
    worker_b = write(tmp_path, "worker_b.yaml", worker_graph({"down": "down.yaml"}, b_port, driver_port, ipc=ipc))
    return driver, worker_a, worker_b


TRANSPORTS = pytest.mark.parametrize("ipc", ["http", "grpc"])


@TRANSPORTS
def test_driver_resolves_the_link_and_runs_both_workers(tmp_path, registry, graphs, ipc):
    driver, worker_a, worker_b = two_segments(tmp_path, ipc=ipc)
    d_context, d_thread, d_fail = graphs(registry, driver)
    a_context, a_thread, a_fail = graphs(registry, worker_a)
    _, b_thread, b_fail = graphs(registry, worker_b)
    for thread in (d_thread, a_thread, b_thread):
        thread.join(20)
    assert (d_fail, a_fail, b_fail) == ([], [], [])
    graph_driver = d_context.find_component("driver/graph_driver")
    assert graph_driver.results() == {"up": "finished", "down": "finished"}
    worker = a_context.find_component("worker/graph_worker")
    tx = worker._segments["up"].context.find_component("link/port")
    assert (tx.receiver_address, tx.port) == ("127.0.0.3", 13337)  # LinkRx's, sent by the driver


@TRANSPORTS
def test_a_worker_that_starts_before_the_driver_retries(tmp_path, registry, graphs, ipc):
    driver, worker_a, worker_b = two_segments(tmp_path, ipc=ipc)
    _, a_thread, a_fail = graphs(registry, worker_a)
    _, b_thread, b_fail = graphs(registry, worker_b)
    a_thread.join(1.0)  # the workers try, and fail, to reach the driver meanwhile
    assert a_thread.is_alive()
    d_context, d_thread, d_fail = graphs(registry, driver)
    for thread in (d_thread, a_thread, b_thread):
        thread.join(20)
    assert (d_fail, a_fail, b_fail) == ([], [], [])
    assert d_context.find_component("driver/graph_driver").results() == {"up": "finished", "down": "finished"}


@TRANSPORTS
def test_a_worker_without_a_driver_gives_up_naming_it(tmp_path, registry, graphs, ipc):
    _, worker_a, _ = two_segments(tmp_path, ipc=ipc)
    text = worker_a.read_text().replace("driver-reconnection-times: 3", "driver-reconnection-times: 1")
    worker_a.write_text(text)
    _, thread, failures = graphs(registry, worker_a)
    thread.join(10)
    assert len(failures) == 1 and isinstance(failures[0], ExecutionError)
    assert "could not register with the GraphDriver after 2 tries" in str(failures[0])


def test_a_connection_to_a_segment_without_that_receiver_is_named(tmp_path, registry, graphs):
    driver, worker_a, worker_b = two_segments(tmp_path)
    driver.write_text(driver.read_text().replace("down.link.port", "down.link.nothing"))
    _, d_thread, d_fail = graphs(registry, driver)
    _, a_thread, a_fail = graphs(registry, worker_a)
    _, b_thread, b_fail = graphs(registry, worker_b)
    for thread in (d_thread, a_thread, b_thread):
        thread.join(20)
    assert "has no UcxReceiver down.link.nothing" in str(d_fail[0])
    assert "down.link.nothing" in str(a_fail[0]) and "down.link.nothing" in str(b_fail[0])
