"""Re-execute the committed notebooks in place on the embedded scenario (their default parameters),
then strip what a repository should not hold.

Notebooks are committed executed so that readers see outputs and nbval can check that the text
outputs reproduce. Run this (``make notebooks``) after changing a notebook or what it shows.
Stripped after the run: images (nbval does not compare them; the charts are re-made by every
briefing), widget views and widget state (random model ids), and papermill's run metadata
(timings and paths differ on every run).

Usage: python scripts/execute_notebooks.py [--strip-only] [NOTEBOOK ...]   (default: every notebook)
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import papermill

from epianalysis.briefing.runner import KERNEL, ipc_kernel_manager

ROOT = Path(__file__).resolve().parents[1]
#: Output data that is not committed: images and widget views (nbval skips them when it compares).
STRIPPED_OUTPUTS = (
    "image/png",
    "image/jpeg",
    "image/svg+xml",
    "application/pdf",
    "application/vnd.jupyter.widget-view+json",
)


def strip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove images, widget views and state, and run metadata from ``nb`` (in place); text outputs stay."""
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            for key in STRIPPED_OUTPUTS:
                output.get("data", {}).pop(key, None)
            if "metadata" in output:
                for key in STRIPPED_OUTPUTS:
                    output["metadata"].pop(key, None)
    return nb


def execute(path: Path) -> None:
    """Execute one notebook with the python3 kernel in its own folder and write it back stripped."""
    papermill.execute_notebook(
        str(path),
        str(path),
        kernel_name=KERNEL,
        kernel_manager_class=ipc_kernel_manager(),
        progress_bar=False,
        cwd=str(path.parent),
    )
    nbformat.write(strip(nbformat.read(path, as_version=4)), path)


if __name__ == "__main__":
    args = sys.argv[1:]
    strip_only = "--strip-only" in args
    paths = [Path(p).resolve() for p in args if p != "--strip-only"] or sorted((ROOT / "notebooks").rglob("*.ipynb"))
    for notebook in paths:
        if strip_only:
            nbformat.write(strip(nbformat.read(notebook, as_version=4)), notebook)
            continue
        print(f"executing {notebook.relative_to(ROOT)}", flush=True)
        execute(notebook)
