"""Time one password check (the cost of every sign-in) for each candidate hasher.

    .venv/bin/python bench/hashers.py [--rounds 20]

Prints, per hasher, the median wall time of `check_password` on one core and the CPU time it used (Argon2 with
parallelism > 1 runs threads, so its CPU time can exceed its wall time). docs/performance.md records the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_ENV_FILE", "/dev/null")

import django

django.setup()

from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher  # noqa: E402

from accounts.hashers import Argon2PasswordHasher as Chosen  # noqa: E402


def argon2(name: str, *, time_cost: int, memory_cost: int, parallelism: int):
    return type(
        name, (Argon2PasswordHasher,), {"time_cost": time_cost, "memory_cost": memory_cost, "parallelism": parallelism}
    )


CANDIDATES = {
    f"PBKDF2-SHA256, {PBKDF2PasswordHasher.iterations:,} iterations (Django 5.2 default, today)": PBKDF2PasswordHasher,
    "Argon2id t=2 m=100 MiB p=8 (Django 5.2's Argon2 defaults)": Argon2PasswordHasher,
    "Argon2id t=2 m=19 MiB p=1 (OWASP minimum)": argon2("OwaspMin", time_cost=2, memory_cost=19 * 1024, parallelism=1),
    "Argon2id t=1 m=46 MiB p=1 (OWASP, equivalent)": argon2(
        "OwaspAlt", time_cost=1, memory_cost=46 * 1024, parallelism=1
    ),
    f"Argon2id t={Chosen.time_cost} m={Chosen.memory_cost // 1024} MiB p={Chosen.parallelism} (chosen: accounts/hashers.py)": Chosen,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    print(f"{'hasher':<80} {'wall ms':>8} {'cpu ms':>8} {'checks/s/core':>14}")
    for label, cls in CANDIDATES.items():
        hasher = cls()
        encoded = hasher.encode("correct horse battery staple", hasher.salt())
        walls, cpus = [], []
        for _ in range(args.rounds):
            wall, cpu = time.perf_counter(), time.process_time()
            assert hasher.verify("correct horse battery staple", encoded)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        wall_ms, cpu_ms = statistics.median(walls) * 1000, statistics.median(cpus) * 1000
        print(f"{label:<80} {wall_ms:>8.1f} {cpu_ms:>8.1f} {1000 / cpu_ms:>14.1f}")


if __name__ == "__main__":
    main()
