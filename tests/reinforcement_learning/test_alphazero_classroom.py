"""The AlphaZero lesson: walkthrough presets and claims, the quiz, the lab notebook."""

import dataclasses
import re

import numpy as np
import pytest

from course_lib import classroom
from course_lib.reinforcement_learning import alphazero, alphazero_lab, alphazero_lesson, solver
from course_lib.reinforcement_learning.alphazero import AlphaZeroSettings
from course_lib.reinforcement_learning.alphazero_lesson import PlaySettings, SearchSettings
from course_lib.reinforcement_learning.board_games import TIC_TAC_TOE
from course_lib.settings import validate

EXPERIMENTS = {AlphaZeroSettings: "az_", SearchSettings: "az_search_", PlaySettings: "az_play_"}


def test_walkthrough_presets_name_real_settings_in_range():
    steps = alphazero_lesson.WALKTHROUGH
    assert 4 <= len(steps) <= 8
    for step in steps:
        for name, value in step.preset.items():
            settings_class, _, field = classroom.preset_field(EXPERIMENTS, name)
            validate(dataclasses.replace(settings_class(), **{field: value}))
        assert step.text.count(".") >= 2


@pytest.mark.parametrize("title", list(alphazero_lesson.CLAIMS))
def test_every_checked_claim_of_the_walkthrough_holds(title):
    assert title in [step.title for step in alphazero_lesson.WALKTHROUGH]
    assert alphazero_lesson.CLAIMS[title]()


def test_quiz_questions_are_well_formed():
    assert 3 <= len(alphazero_lesson.QUIZ) <= 5
    for question in alphazero_lesson.QUIZ:
        assert len(question.options) >= 3 and question.check(question.answer)


def test_the_pretrained_network_is_nearly_perfect_and_says_how_it_was_made():
    network = alphazero.load_network()
    assert solver.optimal_move_rate(network.policy) >= 0.95
    metadata = alphazero.PRETRAINED_PATH.with_suffix(".json").read_text()
    assert "python -m course_lib.reinforcement_learning.alphazero" in metadata


SMALL = AlphaZeroSettings(
    iterations=2, games_per_iteration=4, simulations=8, evaluation_games=2, train_steps=4
)


def test_the_notebook_runs_without_course_lib_from_the_apps_initial_weights(tmp_path):
    nbclient = pytest.importorskip("nbclient")
    import nbformat

    book = nbformat.reads(
        classroom.notebook(alphazero_lab.notebook_cells(SMALL), title="AlphaZero").decode(),
        as_version=4,
    )
    # prove the kernel cannot import the project
    book.cells.insert(
        1,
        nbformat.v4.new_code_cell(
            "import importlib.util\nassert importlib.util.find_spec('course_lib') is None"
        ),
    )
    executed = nbclient.NotebookClient(
        book, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = "".join(
        output.get("text", "") for cell in executed.cells for output in cell.get("outputs", [])
    )
    notebook_rate = float(re.search(r"optimal-move rate: ([\d.]+)", outputs).group(1))
    app = alphazero.AlphaZeroTrainer(SMALL)
    assert notebook_rate == pytest.approx(solver.optimal_move_rate(app.network.policy), abs=1e-6)
    assert "iteration 2," in outputs and "100 games against the perfect player" in outputs


def test_the_notebook_shows_the_apps_functions_not_copies():
    cells = alphazero_lab.notebook_cells(SMALL)
    text = "\n".join(cell.source for cell in cells)
    import inspect

    for function in (alphazero.self_play, alphazero.build_network, alphazero.NumpyNetwork):
        assert inspect.getsource(function).strip() in text
    assert "SIMULATIONS = 8" in text and "GAME = TIC_TAC_TOE" in text
    for cell in cells:
        if cell.kind == "code":
            compile(cell.source, "<cell>", "exec")


def test_the_search_example_position_is_a_legal_board():
    from course_lib.reinforcement_learning.board_games import parse_board

    board = parse_board(TIC_TAC_TOE, alphazero_lesson.EXAMPLE_POSITION)
    assert TIC_TAC_TOE.to_move(board) == -1 and np.sum(board) == 1
