"""Every walkthrough step of every chapter, run with its real preset: does it show what it says?

For each chapter package that has ``lesson.WALKTHROUGH`` and ``lesson.step_result(step)``,
runs every step that makes a claim (``Step.claim``): ``step_result`` trains or computes the
step's experiment as the page would, headless, and returns the numbers the claim talks
about; the claim's predicate then checks them. Prints one JSON object: per step, passed or
not, the seconds it took and the numbers. Targets: every step passes, and every step's
training finishes within 60 s on 2 cores.

    python benchmarks/walkthroughs.py [--chapter reinforcement_learning ...]
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CHAPTERS = (
    "fundamentals",
    "deep_supervised_learning",
    "convolutional_networks",
    "recurrent_networks",
    "reinforcement_learning",
)
TARGET_SECONDS = 60.0


def _plain(value):
    """Numbers and text only, for the JSON."""
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value][:20]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)[:80]


def run(chapters: list[str]) -> dict:
    report: dict = {"target_seconds_per_step": TARGET_SECONDS, "chapters": {}}
    for chapter in chapters:
        lesson = importlib.import_module(f"course_lib.{chapter}.lesson")
        step_result = getattr(lesson, "step_result", None)
        steps = []
        for number, step in enumerate(lesson.WALKTHROUGH, start=1):
            entry = {"step": number, "title": step.title}
            if step.claim is None or step_result is None:
                entry["claim"] = None
                steps.append(entry)
                continue
            started = time.perf_counter()
            try:
                result = step_result(step)
                entry["passed"] = bool(step.claim.check(result))
                entry["result"] = _plain(dict(result))
            except Exception as error:  # a benchmark reports, it does not stop
                entry["passed"] = False
                entry["error"] = f"{type(error).__name__}: {error}"
            entry["seconds"] = round(time.perf_counter() - started, 2)
            entry["claim"] = step.claim.says
            steps.append(entry)
        checked = [s for s in steps if s.get("claim")]
        report["chapters"][chapter] = {
            "steps": steps,
            "claims": len(checked),
            "passed": sum(s["passed"] for s in checked),
            "within_target": sum(s["seconds"] <= TARGET_SECONDS for s in checked),
        }
    report["all_passed"] = all(c["passed"] == c["claims"] for c in report["chapters"].values())
    return report


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapter", nargs="*", default=list(CHAPTERS))
    print(json.dumps(run(parser.parse_args().chapter)))
