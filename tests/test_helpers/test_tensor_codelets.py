"""TensorGenerator, TensorComparator, PrintTensor, Print, Generator, IntegerSinSum,
ArbitraryPrecisionFactorial and TestTensorStrides."""

import logging
import math

import numpy as np
import pytest

from gxf.core import Context, ExecutionError, MessageEntity
from gxf.std.memory_storage import MemoryStorageType
from gxf.std.primitive_type import PrimitiveType
from gxf.std.tensor import Tensor
from gxf.std.timestamp import Timestamp
from gxf.std.unbounded_allocator import UnboundedAllocator
from gxf.test_helpers.checks import CheckFailed
from gxf.test_helpers.math_codelets import factorial_digits
from gxf.test_helpers.tensor_codelets import TensorComparator, format_tensor
from gxf.test_helpers.tensor_support import (compute_row_strides, compute_strides, create_tensor_map,
                                             describe, host_array)

SOURCE = """
    name: source
    components:
    - name: pool
      type: nvidia::gxf::UnboundedAllocator
    - name: out
      type: nvidia::gxf::DoubleBufferTransmitter
    {extra}
    - name: codelet
      type: {type}
      parameters:
        {params}
    - type: nvidia::gxf::CountSchedulingTerm
      parameters:
        count: {count}
    ---
    name: sink
    components:
    {sink}
    ---
    components:
    - type: nvidia::gxf::Connection
      parameters:
        source: source/out
        target: sink/in
    """


# The sink keeps what it receives, for the test to look at.
KEEP = """- name: in
      type: nvidia::gxf::test::MockReceiver
      parameters:
        ignore_unreceived_entities: true"""
# The sink hands each message to a codelet.
CONSUME = """- name: in
      type: nvidia::gxf::DoubleBufferReceiver
    - type: {consumer}
      parameters:
        {key}: in
        {more}
    - type: nvidia::gxf::MessageAvailableSchedulingTerm
      parameters:
        receiver: in"""
# A second transmitter whose messages are kept, for codelets with two outputs.
FIB = """- name: fib
      type: nvidia::gxf::test::MockTransmitter
      parameters: {ignore_unpublished_entities: true}"""


def source(kind, params, count=1, sink=KEEP, extra=""):
    return (SOURCE.replace("{type}", kind).replace("{params}", params).replace("{count}", str(count))
            .replace("{sink}", sink).replace("{extra}", extra))


def consumer(kind, key, more=""):
    return CONSUME.replace("{consumer}", kind).replace("{key}", key).replace("{more}", more)


SIN_SUM = "count: {count}\n        result: out\n        pool: pool"
GENERATOR = "integers: out\n        fibonacci: fib\n        pool: pool"


def received(context):
    rx = context.find_component("sink/in")
    return [rx.peek(i) for i in range(rx.size())]


def test_tensor_generator_publishes_random_float32_tensors_with_a_timestamp(run_graph):
    context = run_graph(source("nvidia::gxf::test::TensorGenerator",
                               "output: out\n        allocator: pool\n        shape: [2, 3]\n"
                               "        number_of_tensors: 2\n        timestamp_name: stamp", count=2))
    first, second = received(context)
    tensors = first.find_all(Tensor)
    assert [t.name for t in tensors] == ["tensor", "tensor"]
    assert all(t.shape().dims == (2, 3) and t.element_type() == PrimitiveType.kFloat32
               and t.storage_type() == MemoryStorageType.kHost for t in tensors)
    values = [np.asarray(t).copy() for t in tensors + second.find_all(Tensor)]
    assert all(np.isfinite(v).all() and (v > 0).all() for v in values)
    assert len({v.tobytes() for v in values}) == 4  # every draw differs
    stamp = first.find("stamp")
    assert isinstance(stamp, Timestamp) and 0 < stamp.acqtime
    # The same seed: a second run draws the same values.
    again = run_graph(source("nvidia::gxf::test::TensorGenerator",
                             "output: out\n        allocator: pool\n        shape: [2, 3]"))
    assert np.array_equal(np.asarray(received(again)[0].find("tensor")), values[0])


def test_tensor_generator_can_leave_out_the_timestamp(run_graph):
    context = run_graph(source("nvidia::gxf::test::TensorGenerator",
                               "output: out\n        allocator: pool\n        shape: [4]\n"
                               "        enable_timestamps: false\n        storage_type: 2"))
    message = received(context)[0]
    assert message.find("tensor").storage_type() == MemoryStorageType.kSystem
    assert message.find("timestamp").__class__ is Timestamp  # only the transmitter's publish stamp


def _tensor_message(context, pool, values, name="t", stamp=(1, 2)):
    message = create_tensor_map(context, pool, [describe(name, MemoryStorageType.kHost, np.shape(values),
                                                         PrimitiveType.kFloat64)])
    np.asarray(message.find(name))[...] = values
    if stamp is not None:
        timestamp = message.add(Timestamp, "timestamp")
        timestamp.acqtime, timestamp.pubtime = stamp
    return message


class _Queue:
    def __init__(self, message):
        self.message = message

    def receive(self):
        message, self.message = self.message, None
        return message

    def handle_text(self):
        return "e/q"


@pytest.mark.parametrize(("changes", "mode", "problem"), [
    ({}, "PubtimeAndAcqtime", None),
    ({"values": [1.0, 2.5]}, "None", "tensor 't': the data differs (1 bytes differ)"),
    ({"name": "u"}, "None", "tensor 'u' where 't' was expected"),
    ({"values": [[1.0, 2.0]]}, "None", "tensor 't': shape is Shape([1, 2]), expected Shape([2])"),
    ({"stamp": (1, 3)}, "PubtimeAndAcqtime", "timestamp 'timestamp': pubtime 3, expected 2"),
    ({"stamp": (1, 3)}, "AcqtimeOnly", None),
    ({"stamp": (5, 2)}, "PubtimeOnly", None),
    ({"stamp": (5, 2)}, "AcqtimeOnly", "timestamp 'timestamp': acqtime 5, expected 1"),
    ({"stamp": None}, "PubtimeOnly", "the actual message has 0 timestamps, the expected one 1"),
    ({"stamp": None}, "None", None),
])
def test_tensor_comparator_finds_each_difference(changes, mode, problem):
    with Context() as context:
        entity = context.create_entity("e")
        pool = entity.add(UnboundedAllocator, "pool")
        pool.initialize()
        comparator = entity.add(TensorComparator, "compare", compare_timestamp=mode)
        comparator.initialize()
        expected = _tensor_message(context, pool, [1.0, 2.0])
        actual = _tensor_message(context, pool, changes.get("values", [1.0, 2.0]), changes.get("name", "t"),
                                 changes.get("stamp", (1, 2)))
        comparator.expected, comparator.actual = _Queue(expected), _Queue(actual)
        if problem is None:
            comparator.tick()
            assert comparator.compared == 1
        else:
            with pytest.raises(CheckFailed) as info:
                comparator.tick()
            assert str(info.value) == problem


def test_tensor_comparator_fails_without_a_message():
    with Context() as context:
        comparator = context.create_entity("e").add(TensorComparator, "compare")
        comparator.initialize()
        comparator.expected, comparator.actual = _Queue(None), _Queue(None)
        with pytest.raises(CheckFailed, match="no message available on 'e/q'"):
            comparator.tick()


def test_print_tensor_lines_show_shape_name_and_elements(run_graph):
    context = run_graph(source("nvidia::gxf::test::Generator", GENERATOR, extra=FIB))
    message = received(context)[0]
    assert format_tensor(message.find("positive")) == "shape: (2, 3, 4), positive: " + "".join(
        f"{i}, " for i in range(24))
    assert format_tensor(message.find("negative")).startswith("shape: (2, 3, 4), negative: 0, -1, -2, ")
    tensor = Tensor.as_tensor(np.array([0.0, 1.0, 1.0, 2.0], np.float32))
    tensor.name = "fibonacci"
    assert format_tensor(tensor) == "shape: (4), fibonacci: 0.000000, 1.000000, 1.000000, 2.000000, "


def test_print_logs_element_counts_at_debug(run_graph, caplog):
    with caplog.at_level(logging.DEBUG, logger="gxf"):
        run_graph(source("nvidia::gxf::test::IntegerSinSum", SIN_SUM.replace("{count}", "3"),
                         sink=consumer("nvidia::gxf::test::Print", "message")))
    lines = [r.getMessage() for r in caplog.records if "Received E" in r.getMessage()]
    assert len(lines) == 1 and lines[0].endswith("with Tensor with 1 elements")


def test_generator_integer_and_fibonacci_tensors(run_graph):
    context = run_graph(source("nvidia::gxf::test::Generator", GENERATOR, extra=FIB))
    integers = received(context)[0]
    assert np.array_equal(np.asarray(integers.find("positive")), np.arange(24).reshape(2, 3, 4))
    assert np.array_equal(np.asarray(integers.find("negative")), -np.arange(24).reshape(2, 3, 4))
    fib = context.find_component("source/fib").peek(0)
    assert np.asarray(fib.find("fibonacci")).tolist() == [0, 1, 1, 2, 3, 5, 8, 13]


def test_integer_sin_sum(run_graph):
    context = run_graph(source("nvidia::gxf::test::IntegerSinSum", SIN_SUM.replace("{count}", "100")))
    value = np.asarray(received(context)[0].find("sum"))
    assert value.dtype == np.float32 and value.shape == (1,)
    assert value[0] == pytest.approx(sum(math.sin(i) for i in range(100)), rel=1e-6)


def test_arbitrary_precision_factorial_digits(run_graph):
    assert factorial_digits(0, 3) == [1, 0, 0]
    assert factorial_digits(5, 4) == [0, 2, 1, 0]
    digits = factorial_digits(25, 30)
    assert int("".join(str(d) for d in reversed(digits))) == math.factorial(25)
    with pytest.raises(CheckFailed, match="25! has more than 20 digits"):
        factorial_digits(25, 20)
    context = run_graph(source("nvidia::gxf::test::ArbitraryPrecisionFactorial",
                               "digits: 30\n        factorial: 25\n        result: out\n        pool: pool"))
    tensor = received(context)[0].find("factorial")
    assert tensor.element_type() == PrimitiveType.kUnsigned8 and np.asarray(tensor).tolist() == digits


def test_factorial_overflow_fails_the_run(run_graph):
    with pytest.raises(ExecutionError, match="20! has more than 10 digits"):
        run_graph(source("nvidia::gxf::test::ArbitraryPrecisionFactorial",
                         "digits: 10\n        factorial: 20\n        result: out\n        pool: pool"))


def test_stride_helpers_follow_gxf():
    assert compute_strides((2, 3, 4), (256, 64, 8)) == (256, 64, 8)
    assert compute_strides((2, 3, 4), (1, 1, 4)) == (48, 16, 4)
    assert compute_row_strides((2, 3, 4), 256, 4) == (256, 16, 4)
    assert compute_row_strides((5, 2, 3, 4), 100, 2) == (200, 100, 8, 2)
    with pytest.raises(ValueError, match="rank 3 or more"):
        compute_row_strides((3, 4), 256, 4)


def test_tensor_strides_codelet_checks_strides(run_graph):
    context = run_graph("""
        name: strides
        components:
        - name: pool
          type: nvidia::gxf::test::MockAllocator
        - name: test
          type: nvidia::gxf::test::TestTensorStrides
          parameters:
            pool: pool
        - type: nvidia::gxf::CountSchedulingTerm
          parameters:
            count: 2
        """)
    assert context.find_component("strides/test").get_execution_count() == 2
    with Context() as other:
        pool = other.create_entity("e").add(UnboundedAllocator, "pool")
        pool.initialize()
        strides = compute_row_strides((2, 3, 4), 256, 4)
        message = create_tensor_map(other, pool, [describe("foo", MemoryStorageType.kHost, (2, 3, 4),
                                                           PrimitiveType.kFloat32, strides)])
        foo = message.find("foo")
        assert foo.strides() == (256, 16, 4) and foo.bytes_size() == 512
        assert host_array(foo).shape == (2, 3, 4)
        assert isinstance(message, MessageEntity)


def test_print_tensor_writes_each_tensor_to_standard_output_unless_silent(run_graph, capsys):
    graph = source("nvidia::gxf::test::IntegerSinSum", SIN_SUM.replace("{count}", "2"),
                   sink=consumer("nvidia::gxf::test::PrintTensor", "tensors", "silent: {silent}"))
    run_graph(graph.replace("{silent}", "false"))
    assert capsys.readouterr().out == f"shape: (1), sum: {math.sin(1):f}, \n"
    run_graph(graph.replace("{silent}", "true"))
    assert capsys.readouterr().out == ""
