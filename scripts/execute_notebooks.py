"""Re-execute the committed notebooks in place on the embedded scenario (their default parameters).

Notebooks are committed executed so that readers see outputs and nbval can check that the text
outputs reproduce. Run this (``make notebooks``) after changing a notebook or what it shows.

Usage: python scripts/execute_notebooks.py [NOTEBOOK ...]   (default: every notebook under notebooks/)
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import papermill

from epianalysis.briefing.runner import KERNEL, ipc_kernel_manager

ROOT = Path(__file__).resolve().parents[1]


def execute(path: Path) -> None:
    """Execute one notebook with the python3 kernel in its own folder and write it back without run metadata."""
    papermill.execute_notebook(
        str(path),
        str(path),
        kernel_name=KERNEL,
        kernel_manager_class=ipc_kernel_manager(),
        progress_bar=False,
        cwd=str(path.parent),
    )
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("papermill", None)  # timings and paths differ on every run
    nb.metadata.pop("widgets", None)  # widget state of a past run (random model ids)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)


if __name__ == "__main__":
    paths = [Path(p).resolve() for p in sys.argv[1:]] or sorted((ROOT / "notebooks").rglob("*.ipynb"))
    for notebook in paths:
        print(f"executing {notebook.relative_to(ROOT)}", flush=True)
        execute(notebook)
