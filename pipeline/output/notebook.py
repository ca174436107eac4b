"""The exploration notebook executed against a run's output, into that output.

``notebooks/explore.ipynb`` is tracked without outputs; executing it in place left a dirty
``git status`` after every use. It is executed into ``<output>/notebooks/explore.ipynb``,
beside the tables it draws, and the tracked file is only read.
"""
from __future__ import annotations

import os
from pathlib import Path

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "explore.ipynb"
DEFAULT_TIMEOUT_S = 600  # per cell


def executed_notebook(out_dir: Path, notebook: Path = NOTEBOOK, timeout_s: int = DEFAULT_TIMEOUT_S):
    """The notebook run top to bottom with ``RCP_OUTPUT`` naming ``out_dir`` (its cells read
    their tables from there); raises nbclient's CellExecutionError on a failing cell."""
    import nbclient
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    before = os.environ.get("RCP_OUTPUT")
    os.environ["RCP_OUTPUT"] = str(Path(out_dir).resolve())  # the kernel inherits the environment
    try:
        nbclient.NotebookClient(nb, kernel_name="python3", timeout=timeout_s,
                                resources={"metadata": {"path": str(notebook.parent)}}).execute()
    finally:
        if before is None:
            os.environ.pop("RCP_OUTPUT", None)
        else:
            os.environ["RCP_OUTPUT"] = before
    return nb


def write_executed_notebook(out_dir: Path, notebook: Path = NOTEBOOK) -> Path:
    """Execute the notebook against ``out_dir`` and write it to ``out_dir``/notebooks/."""
    import nbformat

    from pipeline.output.storage import write_atomic

    nb = executed_notebook(out_dir, notebook)
    target = Path(out_dir) / "notebooks" / notebook.name
    write_atomic(target, nbformat.writes(nb))
    return target
