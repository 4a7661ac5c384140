"""After an exam run: was every successful submit recorded exactly once? Prints one JSON object.

python bench/verify_exam.py SUBMITS.json      (run by bench/run.py with the benchmark's environment)
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from quizzes.models import Attempt  # noqa: E402


def main() -> None:
    data = json.loads(Path(sys.argv[1]).read_text())
    since = datetime.fromtimestamp(data["since"], tz=UTC)
    submits = data["submits"]
    successful = [s for s in submits if s["ok"]]
    tokens = Counter(s["token"] for s in successful)
    emails = {s["user"] for s in submits}
    rows = list(Attempt.objects.filter(token__in=list(tokens)).values("pk", "token", "user__email"))
    by_token = Counter(str(r["token"]) for r in rows)
    problems = []
    if any(n > 1 for n in tokens.values()):
        problems.append("a quiz page token was handed to two submits")
    if any(by_token.get(t, 0) != 1 for t in tokens):
        problems.append(f"{sum(1 for t in tokens if by_token.get(t, 0) != 1)} tokens without exactly one attempt")
    ids = {str(r["token"]): (r["pk"], r["user__email"]) for r in rows}
    wrong = [s for s in successful if ids.get(s["token"]) != (s["attempt"], s["user"])]
    if wrong:
        problems.append(f"{len(wrong)} redirects named another attempt or person")
    doubles = [s for s in successful if s["again"] is not None or s.get("double")]
    if any(s["again"] != s["attempt"] for s in doubles):
        problems.append("a double click created or showed a second attempt")
    # Nothing else was written for these people during the run (no duplicate from a retried request).
    recorded = Attempt.objects.filter(user__email__in=emails, submitted_at__gte=since).count()
    if recorded != len(successful):
        problems.append(f"{recorded} attempts recorded for {len(successful)} successful submits")
    print(
        json.dumps(
            {
                "submits": len(submits),
                "successful": len(successful),
                "attempts": recorded,
                "double_clicks": len(doubles),
                "verdict": "yes" if not problems else "NO: " + "; ".join(problems),
            }
        )
    )


if __name__ == "__main__":
    main()
