"""ExampleExtension: a third-party GXF extension built on gxf.core and the StandardExtension (gxf.std).

The framework finds it through the ``gxf.extensions`` entry point in pyproject.toml, which names this
module; the module implements the ``gxf_extensions`` hook. Its example graphs are installed with it,
in the folder ``GRAPHS``.
"""

from pathlib import Path

from gxf.core import Extension, hookimpl

from .accumulator import Accumulator
from .ramp_source import RampSource
from .rate_limiter import RateLimiter
from .running_statistics import RunningStatistics, numbers_of
from .statistics_check import StatisticsCheck, StatisticsMismatch

__all__ = ["Accumulator", "EXTENSION", "GRAPHS", "RampSource", "RateLimiter", "RunningStatistics",
           "StatisticsCheck", "StatisticsMismatch", "numbers_of"]

# The example graphs (graphs/*.yaml of the source tree), installed next to this module:
# `gxf run <GRAPHS>/statistics.yaml`. An editable install leaves them in the source tree.
GRAPHS = Path(__file__).with_name("graphs")
if not GRAPHS.is_dir():
    GRAPHS = Path(__file__).parents[1] / "graphs"

EXTENSION = Extension(
    name="ExampleExtension",
    uuid="d45f240d-f3cb-4739-86d5-d0956db59b5d",
    version="1.1.0",
    components=[Accumulator, RateLimiter, RampSource, RunningStatistics, StatisticsCheck],
    license="Apache-2.0",
    author="Example Org",
    description="Running statistics of streamed numbers, a ramp source, a statistics check and an event "
                "rate limiter",
    display_name="Example Extension",
    category="Utility",
)


@hookimpl
def gxf_extensions():
    """Tells the framework which extension this distribution provides."""
    return EXTENSION
