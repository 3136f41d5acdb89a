"""Sensor: publishes one reading per tick and drops out at given times, so its supervisor has work.

A reading is a message whose Timestamp's acqtime is the clock time it was taken at. ``codelet_params``:
``period`` (seconds between readings, the recess period of the entity's PeriodicSchedulingTerm) and
``dropouts`` (times in seconds): the reading due at a dropout fails, as a sensor that loses its signal
would, by raising. The dropouts depend on the clock only, so a run with a ManualClock always goes the
same way.

Each tick returns RUNNING: a sensor's run is never over by itself, its parent ends it.
"""

import logging

from gxf.core import MessageEntity
from gxf.python_codelet import CodeletAdapter
from gxf.std import BehaviorStatus


class Sensor(CodeletAdapter):
    def start(self):
        params = self.get_params()
        self.period_ns = int(params.get("period", 0.1) * 1e9)
        self.dropouts_ns = [int(t * 1e9) for t in params.get("dropouts", [])]
        self.readings = self.get_transmitters()[0]
        self.clock = self.get_clock()
        self.log = logging.getLogger("gxf.examples.sensor")
        self.first = True

    def tick(self):
        now = self.clock.timestamp()
        if self.first:
            self.first = False
            self.log.info("sensor: first reading at %.1f s", now / 1e9)
        # The reading due at a dropout is the first one at or after it.
        if any(now - self.period_ns < dropout <= now for dropout in self.dropouts_ns):
            raise RuntimeError(f"no signal at {now / 1e9:.1f} s")
        self.readings.publish(MessageEntity(self.context()), now)
        return BehaviorStatus.RUNNING
