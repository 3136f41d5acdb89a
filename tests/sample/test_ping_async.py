"""PingTxAsync / PingRxAsync: numbered messages; the receiver counts distinct numbers and reports
numbers that go backwards or leave the verification range."""

import logging

from gxf.core import Context, MessageEntity
from gxf.sample import PingRxAsync
from gxf.sample.ping_async import Count

GRAPH = """
    name: tx
    components:
    - name: signal
      type: nvidia::gxf::DoubleBufferTransmitter
      parameters:
        policy: 0
    - name: ping
      type: nvidia::gxf::PingTxAsync
      parameters:
        signal: signal
        sleep_time_us: 0
    - type: nvidia::gxf::CountSchedulingTerm
      parameters:
        count: {count}
    ---
    name: rx
    components:
    - name: signal
      type: nvidia::gxf::DoubleBufferReceiver
      parameters:
        policy: 0
    - name: ping
      type: nvidia::gxf::PingRxAsync
      parameters:
        signal: signal
        sleep_time_us: 0
        verification_range_max: {max}
    - type: nvidia::gxf::CountSchedulingTerm
      parameters:
        count: {rx_count}
    ---
    components:
    - type: nvidia::gxf::Connection
      parameters:
        source: tx/signal
        target: rx/signal
    """


def graph(count, rx_count, maximum=500):
    return (GRAPH.replace("{count}", str(count)).replace("{rx_count}", str(rx_count))
            .replace("{max}", str(maximum)))


def test_each_numbered_message_is_seen_once(run_graph, caplog):
    with caplog.at_level(logging.INFO, logger="gxf"):
        context = run_graph(graph(count=10, rx_count=12))
    assert context.find_component("tx/ping").count == 10
    rx = context.find_component("rx/ping")
    assert rx.unique_received == 10 and rx.last_received == 10 and rx.integrity_errors == 0
    messages = [r.getMessage() for r in caplog.records]
    assert "[tx/ping] Sent 10 unique messages" in messages
    assert "[rx/ping] Received 10 unique messages" in messages
    assert "[tx/ping] Message Sent: 1" in messages and "[rx/ping] Retrieved: 10" in messages


def test_numbers_outside_the_range_are_integrity_errors_but_the_run_goes_on(run_graph, caplog):
    context = run_graph(graph(count=8, rx_count=9, maximum=5))
    rx = context.find_component("rx/ping")
    assert rx.unique_received == 8 and rx.integrity_errors == 3
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert errors == [f"[rx/ping] Received value {n} is not in the expected range [0, 5]. Data integrity "
                      "error." for n in (6, 7, 8)]


def _message(context, value):
    message = MessageEntity(context)
    count = Count(value)
    count.entity = message
    message.components.append(count)
    return message


class _Queue:
    """A receiver stand-in that hands out prepared messages (an asynchronous buffer may repeat one)."""

    def __init__(self, messages):
        self.messages = list(messages)

    def receive(self):
        return self.messages.pop(0) if self.messages else None


def test_repeated_numbers_count_once_and_backwards_numbers_are_errors(caplog):
    with Context() as context:
        rx = context.create_entity("rx").add(PingRxAsync, "ping", sleep_time_us=0)
        rx.initialize()
        rx.start()
        rx.signal = _Queue(_message(context, n) for n in (1, 1, 2, 4, 3, 3))
        for _ in range(7):
            rx.tick()
    assert rx.unique_received == 4  # 1, 2, 4, 3
    assert rx.integrity_errors == 1
    assert "Received value 3 is less than the last received value 4" in caplog.text
