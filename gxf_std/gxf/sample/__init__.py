"""GXF's sample components (the SampleExtension): PingTx, PingRx, PingBatchRx, MultiPingRx, HelloWorld,
PingTxAsync and PingRxAsync."""

from .hello_world import HelloWorld
from .multi_ping_rx import MultiPingRx
from .ping import PingRx, PingTx
from .ping_async import PingRxAsync, PingTxAsync
from .ping_batch_rx import PingBatchRx

__all__ = ["HelloWorld", "MultiPingRx", "PingBatchRx", "PingRx", "PingRxAsync", "PingTx", "PingTxAsync"]
