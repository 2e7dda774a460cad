"""Hostile uploads in a real browser: each gets a sentence on the page, never a traceback."""

from tests.browser.harness import exceptions_on, open_page, wait_for_script
from tests.test_uploads import hostile


def test_hostile_csvs_on_the_playground_get_a_message(app_server, page, tmp_path, screenshots):
    page.set_viewport_size({"width": 1366, "height": 768})
    open_page(page, app_server.url + "/deep-supervised-learning")
    page.get_by_test_id("stSelectbox").filter(has_text="Data set").click()
    page.get_by_role("option", name="your CSV").click()
    page.get_by_text("Upload a CSV file of labelled points").wait_for()
    uploader = page.get_by_test_id("stFileUploaderDropzoneInput")

    colliding = tmp_path / "colliding.csv"
    colliding.write_bytes(b"x1,X1,x2,label\n1,2,3,a\n4,5,6,b\n")
    uploader.set_input_files(colliding)
    page.get_by_text("names the column 'x1' 2 times").wait_for()
    wait_for_script(page)
    assert exceptions_on(page) == []

    wide = tmp_path / "wide.csv"
    wide.write_bytes(hostile.wide_csv(rows=5, columns=1_000_000))
    uploader.set_input_files(wide)
    page.get_by_text("has 1,000,000 columns; at most 100 are read").wait_for()
    wait_for_script(page)
    assert exceptions_on(page) == []
    page.get_by_text("has 1,000,000 columns").scroll_into_view_if_needed()
    page.screenshot(path=screenshots / "hostile_wide_csv_1366.png")


def test_a_zip_listing_one_image_thousands_of_times_gets_a_message(
    app_server, page, tmp_path, screenshots
):
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_page(page, app_server.url + "/convolutional-networks")
    page.get_by_test_id("stSelectbox").filter(has_text="Data set").click()
    page.get_by_role("option", name="Your own images (ZIP)").click()
    page.get_by_text("Upload a ZIP to train on your own images").wait_for()
    forged = tmp_path / "forged.zip"
    forged.write_bytes(hostile.repeated_entry_zip(4000))
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(forged)
    page.get_by_text("lists 'cats/a.png' 4,000 times").wait_for()
    wait_for_script(page)
    assert exceptions_on(page) == []
    page.get_by_text("lists 'cats/a.png' 4,000 times").scroll_into_view_if_needed()
    page.screenshot(path=screenshots / "hostile_zip_1920.png")


def test_a_link_with_a_markdown_link_and_many_bad_fields(app_server, page):
    query = "rnn_%5Blog%20in%20again%5D(https://example.com/login)=1&"  # named first
    query += "&".join(f"rnn_field{i}=x" for i in range(200))
    open_page(page, f"{app_server.url}/recurrent-networks?{query}")
    alerts = page.get_by_test_id("stAlertContentWarning")
    page.get_by_text("more fields of the link ignored").wait_for()
    texts = [alerts.nth(i).inner_text() for i in range(alerts.count())]
    link_notices = [t for t in texts if "from the link" in t or "of the link" in t]
    assert len(link_notices) <= 6, link_notices  # five named, one summary
    # the app's own warnings hold no link a student could be tricked into following
    anchors = page.locator("[data-testid='stAlertContentWarning'] a")
    assert anchors.count() == 0, [
        anchors.nth(i).evaluate("a => a.outerHTML") for i in range(anchors.count())
    ]
    assert exceptions_on(page) == []
