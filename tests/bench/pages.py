"""Requests per second of public pages served by gunicorn on PostgreSQL, against a bare view.

Run by tests/bench/bench.sh, which starts PostgreSQL and Redis and sets the environment.
"""

import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from figures import share_verdict

ROOT = Path(__file__).resolve().parents[2]
SECONDS_PER_PAGE = float(os.environ.get("BENCH_SECONDS", "3"))
CLIENTS = 4
RUNS = 3


def hammer(port: int, path: str) -> tuple[float, int]:
    """Requests per second from CLIENTS threads for SECONDS_PER_PAGE; and the error count."""
    counts, errors = [0] * CLIENTS, [0] * CLIENTS
    deadline = time.monotonic() + SECONDS_PER_PAGE

    def client(index):
        while time.monotonic() < deadline:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status == 200:
                counts[index] += 1
            else:
                errors[index] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - started), sum(errors)


def median_rate(port: int, path: str) -> float:
    """The median requests per second of RUNS runs, after one to warm caches and connections;
    a run with an error is reported and stops the benchmark."""
    hammer(port, path)
    rates = []
    for _ in range(RUNS):
        rate, errors = hammer(port, path)
        if errors:
            raise SystemExit(f"{path}: {errors} answers other than 200")
        rates.append(rate)
    return statistics.median(rates)


def main():
    port = int(sys.argv[1])
    manage = [sys.executable, "manage.py"]
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["seed_demo", "--force"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run([*manage, *command], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    course_pk = subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from groups.models import Course; "
            "print(Course.objects.taking_registrations().order_by('pk').first().pk)",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "tests.bench.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        pages = [
            ("course list /", "/", 0.25),
            ("course page", f"/forloeb/{course_pk}/", 0.25),
            ("registration form (GET)", f"/forloeb/{course_pk}/tilmeld/", 0.15),
        ]
        print(
            f"\ngunicorn, 2 sync workers, PostgreSQL, Redis cache; {CLIENTS} clients, "
            f"median of {RUNS} runs of {SECONDS_PER_PAGE:.0f} s per page"
        )
        baseline = median_rate(port, "/bench/bare/")
        print(f"{'bare Django view':<28} {baseline:8.0f} req/s")
        for label, path, goal_share in pages:
            share_verdict(label, median_rate(port, path), baseline, goal_share)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
