"""Each figure of `make bench` against its goal, and the one summary line that ends the run.

The figures come from more than one process (tests/bench/run.py, tests/bench/pages.py): with
BENCH_TALLY naming a file, each verdict is also appended there, and bench.sh ends the run with
`python tests/bench/figures.py "$BENCH_TALLY"`, the summary of them all. Without it, run.py
prints its own summary.
"""

import os
import sys

OK = "ok"
SLOWER = "SLOWER THAN GOAL"
_results: list[str] = []


def verdict(label, elapsed_ms, goal_ms):
    """One figure with its goal and "ok" / "SLOWER THAN GOAL" (no goal: for information)."""
    if goal_ms is None:
        print(f"{label:<55} {elapsed_ms:8.1f} ms")
        return
    result = OK if elapsed_ms <= goal_ms else SLOWER
    print(f"{label:<55} {elapsed_ms:8.1f} ms  (goal ≤ {goal_ms} ms)  {result}")
    record(result)


def share_verdict(label, rate, baseline, goal_share):
    """Requests per second as a share of the bare view's, against the least share allowed."""
    share = rate / baseline
    result = OK if share >= goal_share else SLOWER
    print(f"{label:<28} {rate:8.0f} req/s  {share:5.2f} × bare  (goal ≥ {goal_share})  {result}")
    record(result)


def record(result: str) -> None:
    """Count a figure measured against a goal (OK or SLOWER)."""
    _results.append(result)
    if tally := os.environ.get("BENCH_TALLY"):
        with open(tally, "a", encoding="utf-8") as file:
            file.write(result + "\n")


def summary(results: list[str] | None = None) -> str:
    results = _results if results is None else results
    slower = results.count(SLOWER)
    verdict_text = "all within their goals" if not slower else f"{slower} SLOWER THAN GOAL"
    return f"== summary: {len(results)} figures with a goal, {verdict_text}"


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as file:
        print(summary([line.strip() for line in file if line.strip()]))
