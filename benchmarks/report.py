"""The readable table: each case's numbers beside its target, PASS/MISS, and the C++ GXF / Holoscan figures."""

from __future__ import annotations

from .targets import CPP, HOLOSCAN

LABELS = {
    "msg_per_s": "msg/s", "deliveries_per_s": "deliveries/s", "load_s": "load", "run_s": "run",
    "p50_us": "p50", "p99_us": "p99", "max_us": "max", "mean_us": "mean", "relative": "vs bare",
    "gb_per_s": "GB/s", "wall_s": "wall", "peak_rss_mib": "peak RSS",
}


STATUS_WIDTH = 60  # longer skip/error texts are cut in the table and printed in full below it


def format_value(value: float, unit: str) -> str:
    if unit == "msg/s":
        return f"{value:,.0f}"
    if unit == "us":
        return f"{value:,.0f} us" if value >= 100 else f"{value:.1f} us"
    if unit == "ratio":
        return f"{value * 100:.1f}%"
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "GB/s":
        return f"{value:.2f} GB/s"
    if unit == "MiB":
        return f"{value:.1f} MiB"
    return f"{value:.4g}"


def _spread(metric: dict) -> str:
    runs = metric["runs"]
    if len(runs) < 2:
        return ""
    low, high = min(runs), max(runs)
    median = metric["median"]
    if not median:
        return ""
    return f"+-{max(high - median, median - low) / abs(median) * 100:.0f}%"


def rows(records: list[dict]) -> list[list[str]]:
    table = [["workload", "case", "metric", "median", "spread", "target", "result", CPP, HOLOSCAN]]
    for record in records:
        reference = record.get("reference") or {}
        head = [record["workload"], record["case"]]
        if record["status"] != "ok":
            status = record["status"]
            status = status if len(status) <= STATUS_WIDTH else status[:STATUS_WIDTH - 3] + "..."
            target = record.get("target")
            table.append([*head, "", status, "", target["text"] if target else "", "NOT RUN" if target else "",
                          reference.get(CPP, ""), reference.get(HOLOSCAN, "")])
            continue
        target = record.get("target")
        first = True
        for name in record["display"]:
            metric = record["metrics"].get(name)
            if metric is None:
                continue
            is_target = target is not None and target["metric"] == name
            table.append([*(head if first else ["", ""]), LABELS.get(name, name),
                          format_value(metric["median"], metric["unit"]), _spread(metric),
                          target["text"] if is_target else "", record["result"] or "" if is_target else "",
                          reference.get(CPP, "") if first else "", reference.get(HOLOSCAN, "") if first else ""])
            first = False
        for name, value in record.get("checks", {}).items():
            if isinstance(value, bool):  # e.g. zero_copy, acqtime_preserved
                table.append(["", "", name.replace("_", " "), "yes" if value else "NO", "", "", "", "", ""])
    return table


def format_table(records: list[dict]) -> str:
    table = rows(records)
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines = []
    for index, row in enumerate(table):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def format_header(data: dict) -> str:
    machine, mode = data["machine"], data["mode"]
    commit = (machine.get("git_commit") or "unknown")[:10] + ("+changes" if machine.get("git_dirty") else "")
    load = machine.get("load_average")
    lines = [f"GXF benchmarks: {mode['name']} mode, {mode['repetitions']} timed run(s) per case (median), "
             f"warm-up {'on' if mode['warmup'] else 'off'}",
             f"{machine['cpus_usable']} CPUs ({machine.get('cpu_model') or 'unknown CPU'}), Python {machine['python']}, "
             f"commit {commit}, load average {load[0] if load else '?'} at start"]
    if load and machine["cpus_usable"] and load[0] > 0.5 * machine["cpus_usable"]:
        lines.append("note: the machine is busy (load average above half the CPUs): the numbers are indicative")
    return "\n".join(lines)


def format_summary(data: dict) -> str:
    lines = ["Targets:"]
    for item in data["targets"]:
        lines.append(f"  {item['result'] or 'NOT RUN':7}  {item['workload']} {item['case']}: {item['target']}"
                     + (f" (measured {item['measured']})" if item.get("measured") else ""))
    return "\n".join(lines)


def format_problems(records: list[dict]) -> str:
    """Every case that failed, with its full status (skips read fully in the table)."""
    lines = [f"  {r['workload']} {r['case']}: {r['status']}" for r in records if r["status"].startswith("error")]
    return "Errors:\n" + "\n".join(lines) if lines else ""
