from course_lib import charts, cosmos


def test_fields_are_nested_in_the_lecture_order():
    names = [field.name for field in cosmos.FIELDS]
    assert names == ["Artificial intelligence", "Machine learning", "Deep learning"]
    # deep learning is machine learning's definition plus multi-layered representations
    assert cosmos.FIELDS[2].definition.startswith(cosmos.FIELDS[1].definition)
    assert "multi-layered representations" in cosmos.FIELDS[2].definition


def test_milestones_match_the_lecture():
    by_name = {m.name: m for m in cosmos.MILESTONES}
    assert {name: m.year for name, m in by_name.items()} == {
        "AlexNet": 2012,
        "AlphaGo": 2016,
        "AlphaZero": 2018,
        "AlphaFold": 2020,
        "GPT-3": 2020,
    }
    assert (
        "1.46 million images" in by_name["AlexNet"].what
        and "1000 classes" in by_name["AlexNet"].what
    )
    assert "4–1" in by_name["AlphaGo"].what and "Lee Sedol" in by_name["AlphaGo"].what
    assert "rules alone" in by_name["AlphaZero"].what
    assert "175-billion" in by_name["GPT-3"].what


def test_timeline_labels_do_not_collide_in_2020():
    frame = cosmos.milestones_frame()
    same_year = frame[frame["year"] == 2020]
    assert same_year["lane"].nunique() == 2  # one label above the axis, one below


def test_parameter_counts_alexnet_vs_gpt3():
    counts = cosmos.parameter_counts_frame().set_index("network")["parameters"]
    assert counts["AlexNet"] == 6.0e7
    assert counts["GPT-3"] == 1.75e11
    spec = charts.readable(cosmos.parameter_chart()).to_dict()
    assert spec["layer"][0]["encoding"]["x"]["scale"]["type"] == "log"


def test_charts_build():
    for chart in (cosmos.nested_fields_chart(), cosmos.timeline_chart()):
        assert "layer" in charts.readable(chart).to_dict()


def test_parameter_counts_in_words():
    assert cosmos.in_words(6.0e7) == "60 million"
    assert cosmos.in_words(1.75e11) == "175 billion"
    assert cosmos.in_words(6.0e4) == "60 thousand"
