"""`make run`: the site, a task worker and the periodic jobs in one terminal, stopped together.

    .venv/bin/python scripts/dev.py [HOST:PORT]

Starts `manage.py runserver`, `manage.py db_worker` (which sends the emails: they print here, prefixed
`worker |`) and `manage.py enqueue_periodic --every 60` (reminders, invitation retries). Ctrl-C, or any of
them exiting, stops all three. No dependency beyond the standard library.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def commands(address: str) -> dict[str, list[str]]:
    manage = [PYTHON, "-u", str(ROOT / "manage.py")]
    return {
        "web": [*manage, "runserver", address],
        "worker": [*manage, "db_worker", "--queue-name", "*", "--interval", "0.5"],
        "periodic": [*manage, "enqueue_periodic", "--every", "60"],
    }


def pipe(name: str, stream, width: int) -> None:
    for line in iter(stream.readline, ""):
        sys.stdout.write(f"{name:<{width}} | {line}")
        sys.stdout.flush()


def main() -> int:
    address = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8000"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    processes: dict[str, subprocess.Popen] = {}
    width = max(len(name) for name in commands(address))
    for name, command in commands(address).items():
        processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # our own Ctrl-C handling stops each one in turn
        )
        threading.Thread(target=pipe, args=(name, processes[name].stdout, width), daemon=True).start()

    stopping = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    code = 0
    while not stopping.is_set():
        for name, process in processes.items():
            if process.poll() is not None:
                print(f"{name} exited ({process.returncode}): stopping the others.", flush=True)
                code = process.returncode or 1
                stopping.set()
                break
        stopping.wait(0.5)

    for process in processes.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes.values():
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    return code


if __name__ == "__main__":
    sys.exit(main())
