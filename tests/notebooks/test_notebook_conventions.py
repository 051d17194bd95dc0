"""Every committed notebook follows the conventions that papermill and nbval rely on (docs/conventions.md#notebooks)."""

from pathlib import Path

import nbformat
import papermill
import pytest

from epianalysis.briefing.params import NOTEBOOK_PARAMETERS
from epianalysis.briefing.runner import briefing_notebooks

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").rglob("*.ipynb"))
BRIEFINGS = sorted((ROOT / "notebooks" / "briefings").glob("*.ipynb"))


def test_there_are_notebooks():
    assert BRIEFINGS, "no briefing notebooks found"
    assert set(briefing_notebooks()) == {path.stem for path in BRIEFINGS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_kernelspec_is_python3_and_one_parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    tagged = [cell for cell in nb.cells if "parameters" in cell.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    assert not any("injected-parameters" in cell.metadata.get("tags", []) for cell in nb.cells)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_executed_without_errors(path):
    nb = nbformat.read(path, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code[1:]), "commit the notebook executed"
    for cell in code:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error"
            assert not (output["output_type"] == "stream" and output["name"] == "stderr"), output["text"]


@pytest.mark.parametrize("path", BRIEFINGS, ids=lambda p: p.name)
def test_briefing_parameters_match_the_documented_set(path):
    params = papermill.inspect_notebook(str(path))
    assert tuple(params) == NOTEBOOK_PARAMETERS
    assert all(p["default"][0] in "\"'" for p in params.values()), "parameters are plain string literals"


@pytest.mark.parametrize("path", BRIEFINGS, ids=lambda p: p.name)
def test_briefing_notebooks_hold_no_logic(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            source = cell.source
            assert "def " not in source and "class " not in source, "logic belongs in the package"
            assert "Path(" not in source and "open(" not in source, "paths are resolved in the library"


def test_committed_notebooks_hold_text_outputs_only():
    # nbval compares the text outputs; images and widget state are re-made by every run and would
    # only bloat the repository (`make notebooks` strips them, scripts/execute_notebooks.py)
    assert sum(path.stat().st_size for path in NOTEBOOKS) < 1_000_000
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        assert "widgets" not in nb.metadata and "papermill" not in nb.metadata, path.name
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                kept = set(output.get("data", {}))
                assert not kept & {"image/png", "image/jpeg", "image/svg+xml", "application/pdf"}, path.name
                assert "application/vnd.jupyter.widget-view+json" not in kept, path.name
