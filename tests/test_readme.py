"""The README's commands run as written from a fresh clone: every ``epianalysis`` line of its shell
examples parses, and the data examples (on the files shipped in examples/real/) import, validate and
brief."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from epianalysis.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]


def _blocks() -> list[list[str]]:
    """The ``epianalysis`` commands of each ```sh block, continuation lines joined, comments removed."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = []
    for body in re.findall(r"^```sh\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL):
        joined = re.sub(r"\\\n\s*", " ", body)
        lines = [shlex.split(line, comments=True) for line in joined.splitlines()]
        blocks.append([line for line in lines if line and line[0] == "epianalysis"])
    return [block for block in blocks if block]


DATA_BLOCKS = [block for block in _blocks() if any(line[1] == "import" for line in block)]


def test_the_readme_has_its_examples():
    assert len(DATA_BLOCKS) >= 3  # official bulletins, DXY archive, city table
    assert sum(len(block) for block in _blocks()) >= 10


@pytest.mark.parametrize("argv", [line[1:] for block in _blocks() for line in block], ids=shlex.join)
def test_every_command_line_of_the_readme_parses(argv):
    build_parser().parse_args(argv)  # argparse exits (a failure here) on an unknown option or value


@pytest.mark.parametrize("block", DATA_BLOCKS, ids=lambda block: block[0][2])
def test_the_data_examples_run_as_written(block, tmp_path, monkeypatch):
    """Each example, in a fresh folder beside the shipped files; only the first block's briefing runs
    (the others are the same briefing on other data), into a reports folder of the test."""
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    for line in block:
        argv = line[1:]
        if argv[0] == "brief":
            if block is not DATA_BLOCKS[0]:
                continue
            argv = [*argv, "--lang", "en", "--out", str(tmp_path / "reports")]
        assert main(argv) == 0, shlex.join(line)
    outputs = [Path(line[line.index("--out") + 1]) for line in block if line[1] == "import"]
    assert all((tmp_path / out / "cases.csv").is_file() or any((tmp_path / out).rglob("cases.csv")) for out in outputs)
