"""How much work each mode does: full (the numbers to report), quick (a look), smoke (keeps the harness alive)."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Mode:
    """Repetitions and message counts of one harness mode."""

    name: str
    repetitions: int            # timed runs per case; the median is reported
    warmup: bool                # one untimed run per case first (at a tenth of the count)
    ping_messages: int
    chain_seconds: float        # real time the 1 kHz latency chain runs
    chain_messages: int         # messages of the time-compressed chain throughput run
    overhead_sizes: tuple       # idle entities added to the ping pair
    overhead_messages: dict     # idle entities -> messages (the same for every size: a fair comparison)
    fanout_messages: int
    tensor_messages: int
    cold_start_runs: int
    run_limit_s: float          # a run that takes longer is interrupted and reported as an error

    def as_dict(self) -> dict:
        data = asdict(self)
        data["overhead_messages"] = {str(k): v for k, v in self.overhead_messages.items()}
        return data


FULL = Mode("full", repetitions=3, warmup=True, ping_messages=100_000, chain_seconds=2.0,
            chain_messages=20_000, overhead_sizes=(10, 100, 1000),
            overhead_messages={0: 50_000, 10: 50_000, 100: 50_000, 1000: 50_000},
            fanout_messages=50_000, tensor_messages=2_000, cold_start_runs=5, run_limit_s=120.0)

QUICK = Mode("quick", repetitions=1, warmup=True, ping_messages=30_000, chain_seconds=0.5,
             chain_messages=5_000, overhead_sizes=(10, 100, 1000),
             overhead_messages={0: 10_000, 10: 10_000, 100: 10_000, 1000: 10_000},
             fanout_messages=10_000, tensor_messages=500, cold_start_runs=5, run_limit_s=60.0)

SMOKE = Mode("smoke", repetitions=1, warmup=False, ping_messages=200, chain_seconds=0.03,
             chain_messages=50, overhead_sizes=(10, 100),
             overhead_messages={0: 100, 10: 100, 100: 100, 1000: 100},
             fanout_messages=50, tensor_messages=10, cold_start_runs=1, run_limit_s=20.0)

MODES = {mode.name: mode for mode in (FULL, QUICK, SMOKE)}
