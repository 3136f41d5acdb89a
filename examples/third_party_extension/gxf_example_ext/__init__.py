"""ExampleExtension: a third-party GXF extension built on gxf.core alone.

The framework finds it through the ``gxf.extensions`` entry point in pyproject.toml, which names this
module; the module implements the ``gxf_extensions`` hook.
"""

from gxf.core import Extension, hookimpl

from .accumulator import Accumulator
from .rate_limiter import RateLimiter

__all__ = ["Accumulator", "EXTENSION", "RateLimiter"]

EXTENSION = Extension(
    name="ExampleExtension",
    uuid="d45f240d-f3cb-4739-86d5-d0956db59b5d",
    version="1.0.0",
    components=[Accumulator, RateLimiter],
    license="Apache-2.0",
    author="Example Org",
    description="Running statistics and an event rate limiter",
    display_name="Example Extension",
    category="Utility",
)


@hookimpl
def gxf_extensions():
    """Tells the framework which extension this distribution provides."""
    return EXTENSION
