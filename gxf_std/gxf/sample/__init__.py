"""GXF's sample components: PingTx, PingRx and friends (the SampleExtension)."""
