"""Chapter 5b in a real browser: train AlphaZero briefly, then play a game by clicking."""

import re

from tests.browser.harness import exceptions_on, open_page, wait_for_script


def cell(page, square: int):
    return page.locator(f".st-key-az_play_cell_{square} button")


def test_train_then_play_a_whole_game_by_clicking(app_server, page, screenshots):
    open_page(
        page, f"{app_server.url.rstrip('/')}/alphazero?az_iterations=2&az_games_per_iteration=4"
    )
    wait_for_script(page)
    page.get_by_role("heading", name="AlphaZero: learning a game by self-play").wait_for()
    assert exceptions_on(page) == []
    main = page.get_by_test_id("stMainBlockContainer")

    main.get_by_role("button", name="Start", exact=True).click()
    page.get_by_text("Finished: 2 iterations").first.wait_for(timeout=240_000)
    wait_for_script(page)
    page.get_by_text(re.compile("Optimal-move rate per iteration")).first.wait_for()

    # play X against the pretrained network: click free squares until the game ends
    for _ in range(5):
        if page.get_by_text(re.compile(r"(A draw|It won|You won)! Press New game")).count():
            break
        free = next(square for square in range(9) if cell(page, square).inner_text().strip() == "")
        cell(page, free).click()
        # the square shows the X once the click's rerun has drawn the board
        page.locator(f".st-key-az_play_cell_{free} button", has_text="X").wait_for()
        wait_for_script(page)
    page.get_by_text(re.compile(r"(A draw|It won)! Press New game")).first.wait_for()
    cell(page, 0).click()  # after the end: nothing happens, and it says why
    wait_for_script(page)
    page.get_by_text("The game is over").first.wait_for()
    assert exceptions_on(page) == []
    for width, height in ((1920, 1080), (1366, 768)):
        page.set_viewport_size({"width": width, "height": height})
        page.get_by_role("heading", name="4 · Play against it").scroll_into_view_if_needed()
        page.screenshot(path=screenshots / f"alphazero-play-{width}.png")
    page.get_by_role(
        "heading", name="2 · Search: what it thinks before a move"
    ).scroll_into_view_if_needed()
    page.screenshot(path=screenshots / "alphazero-search-1366.png")
