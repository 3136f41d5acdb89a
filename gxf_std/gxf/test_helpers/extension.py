"""The TestHelperExtension."""

from gxf.core import Extension, hookimpl

from .async_ping import AsyncPingRx, AsyncPingTx
from .entity_monitor import EntityMonitor
from .math_codelets import ArbitraryPrecisionFactorial, Generator, IntegerSinSum
from .mock_allocator import MockAllocator
from .mock_codelet import Frame, MockCodelet
from .mock_failure import MockFailure
from .metric_logger import TestMetricLogger
from .mock_queues import MockReceiver, MockTransmitter
from .parameter_tests import (FixedVectorParameterTest, LoadParameterFromYamlTest,
                              RegisterParameterInterfaceTest, StdParameterTest, TestConfigurationSet,
                              TestGxfParameterSetFromYamlNode, TestHandleParameter, VectorParameterTest)
from .ping_helpers import PingBatchRx, PingPollRx, Pop
from .scheduled_ping import ScheduledPingTx, TestTimestampRx, TestTimestampTx
from .scheduling_terms import PeriodicSchedulingTermWithDelay, WaitSchedulingTerm
from .step_count import StepCount, StepRangeCount
from .tensor_codelets import Print, PrintTensor, TensorComparator, TensorGenerator
from .tensor_strides import TestTensorStrides
from .test_logger import TestLogger

# In GXF's registration order.
COMPONENTS: list = [
    LoadParameterFromYamlTest, RegisterParameterInterfaceTest, FixedVectorParameterTest, StdParameterTest,
    TestHandleParameter, TestGxfParameterSetFromYamlNode, StepCount, StepRangeCount, AsyncPingRx,
    PingPollRx, PingBatchRx, ScheduledPingTx, AsyncPingTx, Generator, Pop, Print, PrintTensor,
    ArbitraryPrecisionFactorial, IntegerSinSum, TensorGenerator, TensorComparator, TestTensorStrides,
    TestMetricLogger, EntityMonitor, VectorParameterTest, TestTimestampTx, TestTimestampRx, TestLogger,
    PeriodicSchedulingTermWithDelay, MockAllocator, MockTransmitter, MockReceiver, TestConfigurationSet,
    WaitSchedulingTerm, MockFailure, MockCodelet, Frame,
]

TEST_HELPER_EXTENSION = Extension(
    name="TestHelperExtension",
    uuid="1b99ffeb-c250-4ced-8117-62ac05969a50",
    version="2.6.0",
    components=COMPONENTS,
    author="gxf-std developers",
    distribution="gxf-std",
    description="Codelets, queues, allocators and terms that the tests of the standard components use",
    display_name="Test Helper Extension",
    category="Test",
    brief="Components for testing graphs",
)


@hookimpl
def gxf_extensions():
    return TEST_HELPER_EXTENSION
