"""Monitor: receives the sensor's readings and reports, when the run ends, how many came and where
the stream had gaps (a reading missing: the sensor failed and was restarted)."""

import logging

from gxf.python_codelet import CodeletAdapter


class Monitor(CodeletAdapter):
    def start(self):
        self.readings = self.get_receivers()[0]
        self.period_ns = int(self.get_params().get("period", 0.1) * 1e9)
        self.count = 0
        self.last = None
        self.gaps = []
        self.log = logging.getLogger("gxf.examples.monitor")

    def tick(self):
        message = self.readings.receive()
        taken = message.find("timestamp").acqtime
        if self.last is not None and taken - self.last > 1.5 * self.period_ns:
            self.gaps.append((self.last, taken))
        self.last = taken
        self.count += 1

    def stop(self):
        gaps = ", ".join(f"{a / 1e9:.1f}-{b / 1e9:.1f} s" for a, b in self.gaps) or "none"
        self.log.info("monitor: %d readings, gaps: %s", self.count, gaps)
