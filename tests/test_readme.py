"""The README's two commands are true: the app command runs the router, CI runs the test command."""

import re

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()


def bash_blocks(section: str) -> list[str]:
    body = README.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.*?)\n```", body, flags=re.S)


def test_exactly_one_command_to_run_the_app():
    (command,) = bash_blocks("Run the app")
    assert command == "pip install -r requirements.txt && streamlit run streamlit_app.py"
    assert (ROOT / "streamlit_app.py").is_file()


def test_ci_runs_the_readme_test_command_verbatim():
    (command,) = bash_blocks("Run the tests")
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert command in ci_lines


def test_the_screenshot_in_the_readme_exists():
    for path in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README):
        assert (ROOT / path).is_file(), path


def test_requirements_are_pinned():
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            assert "==" in line, line
    assert "tensorflow-cpu==" in (ROOT / "requirements.txt").read_text()
