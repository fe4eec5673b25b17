"""Requests per second of public pages served by gunicorn on PostgreSQL, against a bare view.

Run by tests/bench/bench.sh, which starts PostgreSQL and Redis and sets the environment.
"""

import http.client
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECONDS_PER_PAGE = float(os.environ.get("BENCH_SECONDS", "5"))
CLIENTS = 4


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
            ("bare Django view", "/bench/bare/"),
            ("course list /", "/"),
            ("course page", f"/forloeb/{course_pk}/"),
            ("registration form (GET)", f"/forloeb/{course_pk}/tilmeld/"),
        ]
        print(
            f"\ngunicorn, 2 sync workers, PostgreSQL; {CLIENTS} clients, "
            f"{SECONDS_PER_PAGE:.0f} s per page"
        )
        baseline = None
        for label, path in pages:
            hammer(port, path)  # warm up caches and connections
            rate, errors = hammer(port, path)
            baseline = baseline or rate
            print(
                f"{label:<28} {rate:8.0f} req/s   {rate / baseline:6.2f} × bare"
                + (f"   {errors} errors" if errors else "")
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
