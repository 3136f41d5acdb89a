"""The SampleExtension: GXF's sample codelets."""

from gxf.core import Extension, hookimpl

from .hello_world import HelloWorld
from .multi_ping_rx import MultiPingRx
from .ping import PingRx, PingTx
from .ping_async import PingRxAsync, PingTxAsync
from .ping_batch_rx import PingBatchRx

COMPONENTS: list = [PingTx, PingTxAsync, PingBatchRx, PingRx, PingRxAsync, MultiPingRx, HelloWorld]

SAMPLE_EXTENSION = Extension(
    name="SampleExtension",
    uuid="a6ad78b6-1682-11ec-9621-0242ac130002",
    version="1.6.0",
    components=COMPONENTS,
    author="gxf-std developers",
    distribution="gxf-std",
    description="Small example codelets that show how graphs send and receive messages",
    display_name="Sample Extension",
    category="Sample",
    brief="Example codelets: pings and hello world",
)


@hookimpl
def gxf_extensions():
    return SAMPLE_EXTENSION
