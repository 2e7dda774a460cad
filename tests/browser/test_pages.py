"""Every page in a real browser: it loads, the script finishes, no exception is shown."""

import re

import pytest

from course_lib.chapters import CHAPTERS
from tests.browser.harness import exceptions_on, open_page, running_server, wait_for_script

AVAILABLE = [chapter for chapter in CHAPTERS if chapter.available]


def test_home_shows_the_course_map(app_server, page, screenshots):
    open_page(page, app_server.url)
    assert exceptions_on(page) == []
    page.get_by_role("heading", name="Deep learning, hands on").wait_for()
    for chapter in CHAPTERS:
        page.get_by_text(f"Chapter {chapter.label}").first.wait_for()
    page.screenshot(path=screenshots / "home.png", full_page=True)


@pytest.mark.parametrize("chapter", AVAILABLE, ids=[c.url_path for c in AVAILABLE])
def test_every_chapter_opens_from_the_sidebar(app_server, page, screenshots, chapter):
    open_page(page, app_server.url)
    page.get_by_test_id("stSidebarNav").get_by_text(chapter.label).click()
    page.wait_for_url(re.compile(f"/{chapter.url_path}$"))
    wait_for_script(page)
    assert exceptions_on(page) == []
    page.screenshot(path=screenshots / f"{chapter.url_path}.png", full_page=True)


@pytest.mark.parametrize(
    "path", ["/no-such-chapter", "/?x=%3Cscript%3Ealert(1)%3C%2Fscript%3E&epochs=1e99"]
)
def test_unknown_paths_and_query_strings_show_a_normal_page(app_server, page, path):
    open_page(page, app_server.url + path)
    assert exceptions_on(page) == []
    assert page.get_by_test_id("stApp").is_visible()


def test_training_started_by_a_click_completes(chromium, screenshots):
    """The shared training panel on a tiny page: Start, Pause, Resume, Finished."""
    with running_server(script="tests/apps/tiny_training.py") as server:
        context = chromium.new_context(viewport={"width": 1300, "height": 1200})
        page = context.new_page()
        page.set_default_timeout(120_000)
        open_page(page, server.url + "/?epochs=400")
        page.get_by_role("button", name="Start").click()
        page.get_by_text(re.compile(r"Epoch [1-9]\d* of 400")).wait_for()
        page.get_by_role("button", name="Pause").click()
        page.get_by_text("Paused. Resume to go on from here.").wait_for()
        wait_for_script(page)
        paused_text = page.get_by_test_id("stProgress").inner_text()
        page.get_by_role("button", name="Resume").click()
        page.get_by_text("Finished: 400 epochs").wait_for()
        page.get_by_text("Epochs recorded: 400").wait_for()  # the page below the panel, refreshed
        wait_for_script(page)
        assert exceptions_on(page) == []
        assert paused_text != page.get_by_test_id("stProgress").inner_text()
        page.screenshot(path=screenshots / "tiny_training.png", full_page=True)
        context.close()
