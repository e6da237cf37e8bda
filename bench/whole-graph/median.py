"""Reads run.sh's result lines for one side on stdin and prints their medians."""
import re
import statistics
import sys

rows = [dict(re.findall(r"(\w+)=([\d.]+)", line)) for line in sys.stdin]


def median(key):
    return statistics.median(float(row[key]) for row in rows)


non2xx = sum(int(row["non2xx"]) + int(row["errors"]) for row in rows)
print(f"  {sys.argv[1]:9} {median('requests_per_s'):8.0f} requests/s   p50 {median('p50_ms'):6.2f} ms   "
      f"p99 {median('p99_ms'):6.2f} ms   failed requests {non2xx}")
