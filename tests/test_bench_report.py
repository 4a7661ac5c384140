"""bench/run.py's pages table: each page's share of the bare view, against the first baseline and against the
bare-view runs beside it (the machine's speed drifts), and the verdict on issue 17's targets."""

import importlib.util
from argparse import Namespace
from pathlib import Path

spec = importlib.util.spec_from_file_location("bench_run", Path(__file__).resolve().parent.parent / "bench" / "run.py")
bench_run = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_run)


def row(rps, p95=50, **extra):
    return {"rps": rps, "p50": 10, "p95": p95, "p99": 60, "failures": 0, "server_errors": 0, **extra}


def table(results) -> dict[str, list[str]]:
    args = Namespace(db="sqlite", redis="", users=20, think=0, duration="30s", clinics=2, families=5000)
    lines = bench_run.report_pages(args, results).splitlines()
    return {cells[1].strip(): [c.strip() for c in cells[2:-1]] for line in lines[4:] if (cells := line.split("|"))}


def test_each_page_is_judged_against_the_bare_view_beside_it():
    rows = table(
        {
            "bare": row(1000.0),
            # The machine slowed down to half: against the first baseline this reads 25 %, beside it 50 %.
            "lesson": row(250.0, paired_bare=500.0),
            "clinic": row(140.0, paired_bare=1000.0),
            "submit": row(100.0, p95=200, paired_bare=400.0),
        }
    )
    assert rows["lesson"][5:] == ["25.0%", "500.0", "50.0%", "p95 < 150: met; ≥ 40% of bare: met"]
    assert rows["clinic dashboard /clinics/<slug>/"][8] == "p95 < 300: met; ≥ 15% of bare: MISSED"
    assert rows["quiz submit (POST)"][8] == "p95 < 150: MISSED; ≥ 20% of bare: met"


def test_without_runs_beside_it_the_first_baseline_judges():
    rows = table({"bare": row(1000.0), "quiz": row(310.0), "dashboard": row(290.0)})
    assert rows["quiz page"][5:] == ["31.0%", "—", "—", "p95 < 150: met; ≥ 30% of bare: met"]
    assert rows["learner dashboard /my-learning/"][8].endswith("≥ 30% of bare: MISSED")


def test_an_error_fails_the_target():
    rows = table({"bare": row(1000.0), "lesson": row(900.0, failures=1, paired_bare=1000.0)})
    assert rows["lesson"][8] == "p95 < 150: MISSED; ≥ 40% of bare: MISSED"
