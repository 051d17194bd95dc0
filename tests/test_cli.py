"""The command line: help for every option, exit codes, and the bad-input paths."""

import pytest

from epianalysis.cli import build_parser, main

FIXTURES = __import__("pathlib").Path(__file__).resolve().parent / "fixtures"


@pytest.mark.parametrize(
    ("argv", "options"),
    [
        (["brief"], ["--date", "--data", "--as-of", "--only", "--lang", "--out"]),
        (["validate"], ["DIR"]),
        (["import", "jhu"], ["--confirmed", "--recovered", "--deaths", "--region", "--country", "--out"]),
        (
            ["import", "tidy"],
            ["--rename", "--table", "--vintage", "--replace", "--derive-province", "--citation", "--source-url"]
            + ["--encoding", "--delimiter", "--out"],
        ),
        (["contracts"], ["TABLE"]),
        (["scenario"], ["--out", "--seed", "--scale", "--quiet"]),
    ],
)
def test_help_documents_every_option(argv, options, capsys):
    with pytest.raises(SystemExit) as done:
        main([*argv, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    for option in options:
        assert option in text


@pytest.mark.parametrize("value", ["en", "zh", "en,zh", "both"])
def test_brief_makes_both_languages_unless_told(value):
    parser = build_parser()
    assert parser.parse_args(["brief", "--date", "2020-03-02"]).lang == "both"
    assert parser.parse_args(["brief", "--date", "2020-03-02", "--lang", value]).lang == value


def test_brief_refuses_another_language(capsys):
    with pytest.raises(SystemExit) as done:
        main(["brief", "--date", "2020-03-02", "--lang", "fr"])
    assert done.value.code == 2


def test_every_option_has_a_help_text():
    parser = build_parser()
    stack = [parser]
    while stack:
        current = stack.pop()
        for action in current._actions:
            if action.dest == "help":
                continue
            if hasattr(action, "choices") and isinstance(action.choices, dict):
                stack.extend(action.choices.values())
                continue
            assert action.help, f"{current.prog}: {action.dest} has no help"


def test_validate_lists_every_violation_and_exits_1(tmp_path, capsys):
    (tmp_path / "cases.csv").write_bytes((FIXTURES / "cases_bad.csv").read_bytes())
    assert main(["validate", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    for rule in ["column_present", "known_region_code", "unique_key"]:  # errors: on stderr
        assert rule in err, rule
    assert "cumulative_decrease" in out  # a flag: kept and marked, on stdout
    assert "cases.csv line 3" in err


def test_validate_a_clean_directory_exits_0(tmp_path, capsys):
    (tmp_path / "cases.csv").write_text(
        "date,region_code,confirmed,discharged,deaths\n2020-03-01,330000,1205,1050,1\n", encoding="utf-8"
    )
    assert main(["validate", str(tmp_path)]) == 0


def test_bad_date_is_a_usage_error(capsys):
    assert main(["brief", "--date", "2 March"]) == 2
    assert "ISO date" in capsys.readouterr().err


def test_brief_with_an_unusable_cjk_font_says_so_in_one_line_before_anything_runs(tmp_path, monkeypatch, capsys):
    from epianalysis.charts import fonts

    monkeypatch.setenv(fonts.CJK_FONT_ENV, str(tmp_path / "missing.ttf"))
    fonts.clear_cache()
    try:
        code = main(
            ["brief", "--date", "2020-03-02", "--only", "recovery", "--lang", "en", "--out", str(tmp_path / "r")]
        )
    finally:
        fonts.clear_cache()
    err = capsys.readouterr().err
    assert code == 1
    assert f"error: {fonts.CJK_FONT_ENV}='{tmp_path / 'missing.ttf'}': no such font file" in err
    assert "Traceback" not in err
    assert not (tmp_path / "r" / "2020-03-02").exists()


def test_import_of_a_bad_file_exits_1_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("as_of_date,unit_code,confirmed\n2020-03-01,339999,x\n", encoding="utf-8")
    out = tmp_path / "out"
    assert (
        main(
            [
                "import",
                "tidy",
                str(bad),
                "--rename",
                "as_of_date=date",
                "--rename",
                "unit_code=region_code",
                "--out",
                str(out),
            ]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "339999" in err and "bad.csv" in err
    assert not out.exists() or not any(out.iterdir())


def test_rename_needs_old_equals_new(capsys):
    with pytest.raises(SystemExit) as done:
        main(["import", "tidy", "f.csv", "--rename", "nonsense", "--out", "x"])
    assert done.value.code == 2
