"""notebooks/explore.ipynb runs top to bottom against a fresh pipeline output, so it never rots."""
from __future__ import annotations

import re
import sys

import pytest

from pipeline import load
from pipeline.run.options import RunOptions
from pipeline.run.runner import run
from tests.conftest import RAW, ROOT

nbformat = pytest.importorskip("nbformat", reason="the notebook test needs the test extra: pip install -e '.[test]'")
nbclient = pytest.importorskip("nbclient", reason="the notebook test needs the test extra: pip install -e '.[test]'")

NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    """The five text documents of the seed corpus (no OCR) through the pipeline."""
    folder = tmp_path_factory.mktemp("notebook")
    inputs = tuple(sorted(RAW.glob("*.txt")))
    assert len(inputs) == 5
    options = RunOptions(inputs=inputs, out_dir=folder / "output", clean_dir=folder / "clean", quiet=True)
    run(options.validated())
    return options.out_dir


def outputs_text(cell) -> str:
    """Everything a cell printed or displayed as text."""
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", ""))
        parts += [out.get("data", {}).get(kind, "") for kind in ("text/plain", "text/html")]
    return "\n".join(parts)


def tagged(nb, tag: str):
    (cell,) = [c for c in nb.cells if tag in c.metadata.get("tags", [])]
    return cell


def test_notebook_runs_against_a_fresh_output(output, tmp_path):
    """`make notebook` (python -m pipeline notebook) executes the notebook into the output
    folder and never writes the tracked file (executing it in place left a dirty git status)."""
    from pipeline.output.notebook import write_executed_notebook

    tracked = tmp_path / "explore.ipynb"
    source = nbformat.read(NOTEBOOK, as_version=4)
    # Which interpreter the kernel runs: the kernel spec "python3" must resolve to this venv.
    source.cells.append(nbformat.v4.new_code_cell("import sys; print(sys.prefix)", metadata={"tags": ["interpreter"]}))
    nbformat.write(source, tracked)
    before = tracked.read_bytes()
    written = write_executed_notebook(output, tracked)  # raises CellExecutionError on any failing cell

    assert tracked.read_bytes() == before and written == output / "notebooks" / "explore.ipynb"
    nb = nbformat.read(written, as_version=4)
    assert outputs_text(tagged(nb, "interpreter")).strip() == sys.prefix
    assert str(output.resolve()) in outputs_text(tagged(nb, "setup")), "RCP_OUTPUT was not used"
    memberships = load(output)["memberships"]
    members = set(memberships.loc[memberships["role"] == "member", "member_id"])
    shown = set(re.findall(r"\b[A-Z]{3}\b", outputs_text(tagged(nb, "matrix"))))
    assert shown & members, "the matrix shows no member country's ISO3 code"
    assert "ocr_confusion" in outputs_text(tagged(nb, "corrections"))
    # one figure per view, each with something drawn (`make screenshots` writes them out)
    from PIL import Image

    from pipeline.output.screenshots import notebook_figures

    figures = notebook_figures(written, tmp_path / "figures")
    assert [p.stem for p in figures] == [f"notebook-{tag}" for tag in ("matrix", "timeline", "language", "corrections")]
    for path in figures:
        colours = Image.open(path).convert("RGB").getcolors(maxcolors=1 << 16)
        assert colours is None or len(colours) > 20, f"{path.name}: blank"


def test_notebook_is_valid_and_uses_the_python3_kernel():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
