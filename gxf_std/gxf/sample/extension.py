"""The SampleExtension."""

from gxf.core import Extension, hookimpl

from .ping import PingRx, PingTx

COMPONENTS: list = [PingTx, PingRx]

SAMPLE_EXTENSION = Extension(
    name="SampleExtension",
    uuid="a6ad78b6-1682-11ec-9621-0242ac130002",
    version="1.6.0",
    components=COMPONENTS,
    author="gxf-std developers",
    description="Sample components: ping transmitters and receivers, hello world",
    display_name="Sample Extension",
    category="Sample",
)


@hookimpl
def gxf_extensions():
    return SAMPLE_EXTENSION
