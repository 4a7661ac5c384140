"""Report 9-word runs that content files share with the seed articles.

Lessons must be written in the project's own words; the seed articles are
source material only. Usage: python scripts/check_originality.py [SEEDS_DIR] [CONTENT_DIR]
Exits 1 when any run is shared.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

RUN_LENGTH = 9
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"
DEFAULT_CONTENT = ROOT / "content"


def word_runs(text: str, n: int = RUN_LENGTH) -> set[str]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def shared_runs(seeds_dir: Path, content_dir: Path) -> dict[str, set[str]]:
    seed_runs: set[str] = set()
    for seed in sorted(Path(seeds_dir).glob("*.txt")):
        seed_runs |= word_runs(seed.read_text(errors="ignore"))
    found = {}
    for path in sorted(Path(content_dir).rglob("*.md")):
        common = word_runs(path.read_text(errors="ignore")) & seed_runs
        if common:
            found[str(path)] = common
    return found


def main(argv: list[str]) -> int:
    seeds = Path(argv[1]) if len(argv) > 1 else DEFAULT_SEEDS
    content = Path(argv[2]) if len(argv) > 2 else DEFAULT_CONTENT
    if not seeds.is_dir():
        print(f"no seed articles at {seeds}")
        return 2
    found = shared_runs(seeds, content)
    for path, runs in found.items():
        print(f'{path}: {len(runs)} copied runs, e.g. "{sorted(runs)[0]}"')
    print("original: no 9-word run copied from the seeds" if not found else f"{len(found)} files copy the seeds")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
