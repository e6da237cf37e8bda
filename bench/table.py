"""Formats bench/run.sh's result lines: `table <results> <slowest provider ms>` or `soak <series>`."""
import re
import statistics
import sys


def rows(path):
    for line in open(path):
        scenario = re.match(r"scenario=(.*?) connections=", line).group(1)
        values = dict(re.findall(r"(\w+)=([\d.]+)", line))
        yield scenario, values


def table(path, slowest):
    cells = {}
    for scenario, values in rows(path):
        cells.setdefault((scenario, int(values["connections"])), []).append(values)

    def med(values, key):
        return statistics.median(float(v.get(key, 0)) for v in values)

    print("| scenario | conns | requests/s | p50 ms | p95 ms | p99 ms | errors | degraded | server CPU µs/req | server MB | connectors MB | emulators MB | redis MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (scenario, c), values in cells.items():
        node = scenario.startswith("ts-sdk")
        server = med(values, "node" if node else "McpApi")
        errors = sum(int(v["errors"]) for v in values)
        degraded = sum(int(v["degraded"]) for v in values)
        cpu = statistics.median(float(v.get("cpu_us", 0)) / max(1, float(v["requests"])) for v in values)
        print(f"| {scenario} | {c} | {med(values, 'rps'):,.0f} | {med(values, 'p50'):.2f} | {med(values, 'p95'):.2f} | "
              f"{med(values, 'p99'):.2f} | {errors} | {degraded} | {cpu:.0f} | {server:.0f} | {med(values, 'Connectors'):.0f} | "
              f"{med(values, 'Emulators'):.0f} | {med(values, 'redis'):.0f} |")
    print()
    for c in sorted({c for _, c in cells}):
        ours, theirs = cells.get(("cached search", c)), cells.get(("ts-sdk search", c))
        if ours and theirs and med(theirs, "rps") > 0:
            print(f"cached search / TypeScript SDK at {c} connections: {med(ours, 'rps') / med(theirs, 'rps'):.2f}x")
        fan = cells.get(("uncached fan-out", c))
        if fan:
            print(f"uncached fan-out p50 at {c} connections: {med(fan, 'p50'):.1f} ms, "
                  f"{med(fan, 'p50') - slowest:+.1f} ms from the slowest provider's {slowest:.0f} ms")
    ours, theirs = cells.get(("tools/list", 32)), cells.get(("ts-sdk tools/list", 32))
    if ours and theirs and med(theirs, "rps") > 0:
        print(f"tools/list / TypeScript SDK at 32 connections: {med(ours, 'rps') / med(theirs, 'rps'):.2f}x")


def soak(path):
    series = [dict((k, int(v)) for k, v in re.findall(r"(\w+)=(\d+)", line)) for line in open(path)]
    services = [k for k in series[0] if k != "t"]
    print("| t s | " + " | ".join(f"{s} MB" for s in services) + " |")
    print("|---:|" + "---:|" * len(services))
    for point in series:
        print(f"| {point['t']} | " + " | ".join(str(point[s]) for s in services) + " |")
    end = series[-1]["t"]
    first = [p for p in series if p["t"] <= 60]
    last = [p for p in series if p["t"] >= end - 60]
    print()
    for s in services:
        a, b = statistics.mean(p[s] for p in first), statistics.mean(p[s] for p in last)
        print(f"{s}: first minute {a:.0f} MB, last minute {b:.0f} MB ({b - a:+.0f} MB)")


if __name__ == "__main__":
    if sys.argv[1] == "table":
        table(sys.argv[2], float(sys.argv[3]))
    else:
        soak(sys.argv[2])
