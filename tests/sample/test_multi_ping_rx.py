"""MultiPingRx: one message from every receiver that holds one, each tick."""

import logging

MULTI = """
    name: tx1
    components:
    - name: signal
      type: nvidia::gxf::DoubleBufferTransmitter
    - type: nvidia::gxf::PingTx
      parameters:
        signal: signal
    - type: nvidia::gxf::CountSchedulingTerm
      parameters:
        count: 2
    ---
    name: tx2
    components:
    - name: signal
      type: nvidia::gxf::DoubleBufferTransmitter
    - type: nvidia::gxf::PingTx
      parameters:
        signal: signal
    - type: nvidia::gxf::CountSchedulingTerm
      parameters:
        count: 4
    ---
    name: rx
    components:
    - name: first
      type: nvidia::gxf::DoubleBufferReceiver
    - name: second
      type: nvidia::gxf::DoubleBufferReceiver
    - name: multi
      type: nvidia::gxf::MultiPingRx
      parameters:
        receivers: [first, second]
    - type: nvidia::gxf::CountSchedulingTerm
      parameters:
        count: 6
    ---
    components:
    - type: nvidia::gxf::Connection
      parameters:
        source: tx1/signal
        target: rx/first
    - type: nvidia::gxf::Connection
      parameters:
        source: tx2/signal
        target: rx/second
    """


def test_receives_from_each_receiver_that_has_a_message(run_graph, caplog):
    with caplog.at_level(logging.INFO, logger="gxf"):
        context = run_graph(MULTI)
    multi = context.find_component("rx/multi")
    assert multi.received == {"rx/first": 2, "rx/second": 4}
    assert multi.get_execution_count() == 6
    logged = [r.getMessage() for r in caplog.records if "Message Received at" in r.getMessage()]
    # Greedy order: both senders, then the receiver, each round; the shorter sender stops after two.
    first, second = "[rx/multi] Message Received at [first]", "[rx/multi] Message Received at [second]"
    assert logged == [first, second] * 2 + [second] * 2
    assert context.find_component("rx/first").size() == 0 and context.find_component("rx/second").size() == 0
