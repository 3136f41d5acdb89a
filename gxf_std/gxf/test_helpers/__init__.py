"""GXF's TestHelperExtension: components that check what a graph did (tick counts, message contents,
parameter loading) and mock components for building test graphs (``nvidia::gxf::test::*``)."""
