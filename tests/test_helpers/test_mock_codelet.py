"""MockCodelet (SRC / PROCESS / SINK) and Frame: frames flow through, work time passes on the clock,
the sink ends each frame once and reports its latency."""

import logging

import pytest

from gxf.core import Context, ExecutionError
from gxf.test_helpers.mock_codelet import Frame, MockCodelet

PIPELINE = """
    name: source
    components:
    - name: out
      type: nvidia::gxf::DoubleBufferTransmitter
    - name: mock
      type: nvidia::gxf::test::MockCodelet
      parameters:
        mode: SRC
        transmitter: out
        clock: scheduler/clock
    - type: nvidia::gxf::CountSchedulingTerm
      parameters:
        count: 4
    - type: nvidia::gxf::DownstreamReceptiveSchedulingTerm
      parameters:
        transmitter: out
    ---
    name: work
    components:
    - name: in
      type: nvidia::gxf::DoubleBufferReceiver
    - name: out
      type: nvidia::gxf::DoubleBufferTransmitter
    - name: mock
      type: nvidia::gxf::test::MockCodelet
      parameters:
        receiver: in
        transmitter: out
        clock: scheduler/clock
        duration_lower_ms: {lower}
        duration_upper_ms: {upper}
    - type: nvidia::gxf::MessageAvailableSchedulingTerm
      parameters:
        receiver: in
    ---
    name: sink
    components:
    - name: in
      type: nvidia::gxf::DoubleBufferReceiver
    - name: mock
      type: nvidia::gxf::test::MockCodelet
      parameters:
        mode: SINK
        receiver: in
        clock: scheduler/clock
        include_mock_latency: {include}
    - type: nvidia::gxf::MessageAvailableSchedulingTerm
      parameters:
        receiver: in
    ---
    components:
    - type: nvidia::gxf::Connection
      parameters:
        source: source/out
        target: work/in
    - type: nvidia::gxf::Connection
      parameters:
        source: work/out
        target: sink/in
    """


def pipeline(lower=-1, upper=-1, include="false"):
    return (PIPELINE.replace("{lower}", str(lower)).replace("{upper}", str(upper))
            .replace("{include}", include))


def test_frames_flow_from_source_through_process_to_sink(run_graph, caplog):
    with caplog.at_level(logging.INFO, logger="gxf"):
        context = run_graph(pipeline())
    assert context.find_component("source/mock").transmit_count == 4
    work = context.find_component("work/mock")
    assert work.receive_count == 4 and work.transmit_count == 4
    sink = context.find_component("sink/mock")
    assert sink.receive_count == 4 and sink.latencies_ms == [0.0] * 4
    lines = [r.getMessage() for r in caplog.records if "frame:" in r.getMessage()]
    assert [line.split(",")[0] for line in lines] == [f"[sink/mock] frame: {n}" for n in (1, 2, 3, 4)]
    assert all("num_processed: 1" in line for line in lines)


def test_work_time_is_spent_on_the_clock_and_counted_in_latency_on_request(run_graph):
    context = run_graph(pipeline(lower=2, upper=2, include="true"))
    assert context.find_component("sink/mock").latencies_ms == [2.0] * 4
    clock = context.find_component("scheduler/clock")
    assert clock.timestamp() == 8_000_000  # four ticks of 2 ms of work on a ManualClock
    context = run_graph(pipeline(lower=2, upper=2, include="false"))
    assert context.find_component("sink/mock").latencies_ms == [0.0] * 4


def test_random_work_time_stays_within_the_bounds(run_graph):
    context = run_graph(pipeline(lower=1, upper=3, include="true"))
    latencies = context.find_component("sink/mock").latencies_ms
    assert len(latencies) == 4 and all(1.0 <= value <= 3.0 and value == int(value) for value in latencies)


def test_a_frame_seen_after_it_ended_fails_the_run():
    with Context() as context:
        entity = context.create_entity("sink")
        clock = entity.add("nvidia::gxf::ManualClock", "clock")
        rx = entity.add("nvidia::gxf::DoubleBufferReceiver", "in", capacity=2)
        sink = entity.add(MockCodelet, "mock", mode="SINK", receiver=rx, clock=clock)
        for component in (clock, rx, sink):
            component.initialize()
        sink.start()
        from gxf.core import MessageEntity
        message = MessageEntity(context)
        frame = message.add(Frame, "LATENCY")
        frame.reset(0, 7)
        rx.push_io(message)
        rx.push_io(message)
        rx.sync()
        sink.tick()
        assert frame.end
        with pytest.raises(AssertionError, match=r"Frame\[7\] life cycle already ended"):
            sink.tick()


@pytest.mark.parametrize(("params", "problem"), [
    ({"mode": "SOURCE"}, "mode must be SRC, PROCESS or SINK, got 'SOURCE'"),
    ({"mode": "PROCESS", "transmitter": None}, "mode PROCESS needs a 'receiver'"),
    ({"mode": "SINK"}, "mode SINK needs a 'receiver'"),
])
def test_misconfigured_modes_are_refused(params, problem):
    with Context() as context:
        entity = context.create_entity("e")
        clock = entity.add("nvidia::gxf::ManualClock", "clock")
        mock = entity.add(MockCodelet, "mock", clock=clock)
        for key, value in params.items():
            mock.__dict__[key] = value
        with pytest.raises(ValueError, match=problem):
            mock.initialize()


def test_process_without_a_message_fails_naming_the_receiver(run_graph):
    with pytest.raises(ExecutionError, match="no message available on 'work/in'"):
        run_graph("""
            name: work
            components:
            - name: in
              type: nvidia::gxf::DoubleBufferReceiver
            - name: out
              type: nvidia::gxf::DoubleBufferTransmitter
            - type: nvidia::gxf::test::MockCodelet
              parameters:
                receiver: in
                transmitter: out
                clock: scheduler/clock
            - type: nvidia::gxf::CountSchedulingTerm
              parameters:
                count: 1
            """)
