"""Every page registered in the router renders in AppTest without an exception."""

import json
import subprocess
import sys

import pytest

from course_lib.chapters import CHAPTERS
from tests.conftest import ROOT, app_page

PAGES = ["pages/home.py"] + [chapter.page for chapter in CHAPTERS if chapter.available]


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_exception(page):
    at = app_page(page, timeout=300)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "every page opens with a title"


def test_home_lists_every_chapter_and_links_the_ones_that_exist():
    at = app_page("pages/home.py")
    text = " ".join(m.value for m in at.markdown)
    for chapter in CHAPTERS:
        if not chapter.available:
            assert f"Chapter {chapter.label}** · *coming soon*" in text
    links = [el for el in at.get("page_link")]
    assert len(links) == sum(chapter.available for chapter in CHAPTERS)


def _run_isolated(code: str) -> dict:
    """Run AppTest code in a fresh interpreter (this one has TensorFlow loaded already)."""
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_home_renders_without_importing_tensorflow():
    outcome = _run_isolated(
        "import sys, json\n"
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file('streamlit_app.py', default_timeout=120).run()\n"
        "print(json.dumps({'exceptions': [e.value for e in at.exception],"
        " 'tensorflow': 'tensorflow' in sys.modules, 'keras': 'keras' in sys.modules}))\n"
    )
    assert outcome == {"exceptions": [], "tensorflow": False, "keras": False}


def test_a_broken_tensorflow_leaves_home_working_and_chapters_explain():
    pages = [chapter.page for chapter in CHAPTERS if chapter.available]
    outcome = _run_isolated(
        "import sys, json\n"
        "sys.modules['tensorflow'] = None  # any `import tensorflow` now raises ImportError\n"
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file('streamlit_app.py', default_timeout=120).run()\n"
        "result = {'home': [e.value for e in at.exception]}\n"
        f"for page in {pages!r}:\n"
        "    at.switch_page(page).run()\n"
        "    result[page] = {'exceptions': [e.value for e in at.exception],\n"
        "                    'errors': [e.value for e in at.error]}\n"
        "print(json.dumps(result))\n"
    )
    assert outcome.pop("home") == []
    for page, result in outcome.items():
        assert result["exceptions"] == [], page
        assert any("TensorFlow could not be loaded" in error for error in result["errors"]), page
