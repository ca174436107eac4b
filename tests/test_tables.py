import pandas as pd
import pyarrow as pa
import pytest

from pipeline.run.runner import run
from pipeline.run.options import RunOptions
from pipeline.errors import TableError
from pipeline.output.tables import DOCUMENTS, PAGES, RUN_TABLES, TABLES, arrow_schema, data_dictionary, rows_to_frame
from tests.conftest import RAW


def doc_row(**over):
    row = {"doc_id": "d", "source_path": "p", "sha256": "x", "format": "txt", "n_pages": 1, "n_ocr_pages": 0,
           "n_chars": 3, "status": "ok", "error": None, "pipeline_version": "v"}
    return row | over


def test_declared_dtypes_reach_the_frame_and_parquet_schema():
    frame = rows_to_frame(DOCUMENTS, [doc_row()])
    assert str(frame["n_pages"].dtype) == "Int64" and frame["doc_id"].dtype == pd.StringDtype()
    schema = arrow_schema(PAGES)
    assert schema.field("ocr_confidence").type == pa.float64() and schema.field("ocr_confidence").nullable
    assert not schema.field("page").nullable


@pytest.mark.parametrize("bad", [doc_row(doc_id=None), doc_row(n_pages="three"), doc_row(extra=1)])
def test_rows_violating_the_declaration_are_refused(bad):
    with pytest.raises(TableError):
        rows_to_frame(DOCUMENTS, [bad])


def test_written_files_follow_the_declaration(tmp_path):
    import pandas as pd
    import pyarrow.parquet as pq

    run(RunOptions(inputs=(RAW / "crm-ppt-report_2002-2003_es.txt",), out_dir=tmp_path / "o",
                   clean_dir=tmp_path / "c", quiet=True).validated())
    for name, table in RUN_TABLES.items():
        assert pq.read_schema(tmp_path / "o" / f"{name}.parquet").names == table.column_names
        assert pq.read_schema(tmp_path / "o" / f"{name}.parquet").types == arrow_schema(table).types
        assert list(pd.read_csv(tmp_path / "o" / f"{name}.csv").columns) == table.column_names
    assert (tmp_path / "o" / "README.md").read_text(encoding="utf-8") == data_dictionary()


def test_data_dictionary_lists_every_column():
    text = data_dictionary()
    for table in TABLES.values():
        assert f"## {table.name}" in text
        for column in table.columns:
            assert f"| {column.name} | {column.dtype} |" in text


def test_a_table_written_in_chunks_equals_one_written_at_once(tmp_path):
    import pyarrow.parquet as pq

    from pipeline import load
    from pipeline.output.storage import TableWriter, write_table

    rows = [doc_row(doc_id=f"d{i}", n_pages=i, error=None if i % 3 else "bad") for i in range(10)]
    write_table(DOCUMENTS, rows, tmp_path / "once")
    with TableWriter(DOCUMENTS, tmp_path / "chunks", chunk_rows=4) as writer:
        for i in range(0, 10, 3):  # documents of 3 rows, flushed every 4 or more
            writer.write(rows[i:i + 3])
    assert (tmp_path / "once" / "documents.csv").read_bytes() == (tmp_path / "chunks" / "documents.csv").read_bytes()
    assert pq.ParquetFile(tmp_path / "chunks" / "documents.parquet").metadata.num_row_groups == 2
    assert load(tmp_path / "once")["documents"].equals(load(tmp_path / "chunks")["documents"])


def test_a_chunk_violating_the_declaration_leaves_the_previous_files(tmp_path):
    from pipeline.output.storage import TableWriter, write_table

    write_table(DOCUMENTS, [doc_row()], tmp_path)
    before = (tmp_path / "documents.parquet").read_bytes(), (tmp_path / "documents.csv").read_bytes()
    with pytest.raises(TableError):
        with TableWriter(DOCUMENTS, tmp_path, chunk_rows=1) as writer:
            writer.write([doc_row(doc_id="e")])
            writer.write([doc_row(doc_id=None)])
    assert ((tmp_path / "documents.parquet").read_bytes(), (tmp_path / "documents.csv").read_bytes()) == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_text_cells_a_spreadsheet_would_run_are_escaped_in_the_csv_only(tmp_path):
    """bug: a file named '+cmd calc.txt' and a report line '=HYPERLINK(…) Taller …' reached
    documents.source_path and events.evidence as cells a spreadsheet runs as formulas."""
    import pyarrow.parquet as pq

    from pipeline.output.storage import read_tables, write_table
    from pipeline.output.tables import CORRECTIONS

    rows = [doc_row(doc_id="a", source_path="+cmd calc.txt"), doc_row(doc_id="b", source_path="=1+2"),
            doc_row(doc_id="c", source_path="'quoted"), doc_row(doc_id="d", source_path="plain - text"),
            doc_row(doc_id="e", source_path="@SUM(A1)", error="-2+3")]
    write_table(DOCUMENTS, rows, tmp_path)
    csv = pd.read_csv(tmp_path / "documents.csv", dtype=str, keep_default_na=False)
    assert list(csv["source_path"]) == ["'+cmd calc.txt", "'=1+2", "''quoted", "plain - text", "'@SUM(A1)"]
    assert csv["error"].iloc[-1] == "'-2+3" and csv["n_pages"].iloc[0] == "1"  # numbers are not text cells
    assert list(pq.read_table(tmp_path / "documents.parquet")["source_path"].to_pylist()) == [r["source_path"] for r in rows]
    (tmp_path / "documents.parquet").unlink()  # read back from the CSV alone: the true values
    assert list(read_tables(tmp_path, ["documents"])["documents"]["source_path"]) == [r["source_path"] for r in rows]
    assert "apostrophe" in data_dictionary({"corrections": CORRECTIONS})


def test_csv_cells_of_lists_dates_and_text_with_their_missing_values():
    """The CSV's cells come from the declared values without a DataFrame (issue 33): lists
    joined, dates as days, text made safe, and None, empty and missing values as before."""
    import csv
    import io

    from pipeline.output.tables import Column, Table, columns_to_csv_rows, rows_to_columns

    table = Table("t", "a test table", (
        Column("items", "list", "items", separator="; ", nullable=True), Column("day", "date", "a day", nullable=True),
        Column("text", "string", "text", nullable=True), Column("n", "int", "a number", nullable=True)))
    rows = [{"items": ["a", "=b"], "day": "2004-03", "text": "=x", "n": 1},
            {"items": [], "day": None, "text": None, "n": None},
            {"items": None, "day": "2004-03-05", "text": "plain, with comma", "n": 3}]
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows([table.column_names, *columns_to_csv_rows(table, rows_to_columns(table, rows))])
    assert text.getvalue() == 'items,day,text,n\na; =b,2004-03-01,\'=x,1\n,,,\n,2004-03-05,"plain, with comma",3\n'


def test_declared_values_are_coerced_and_refused_as_pandas_did():
    """The writer converts rows itself (issue 33), as pandas' astype did before: whole
    floats, numpy numbers and number text are numbers, NaN and pd.NA are empty, 0/1 are truth
    values; a fraction in an int column, a word in a number column, 2 or text in a bool
    column are refused."""
    import numpy
    import pandas as pd

    from pipeline.output.tables import Column, Table, rows_to_columns

    table = Table("t", "a test table", (
        Column("n", "int", "a number", nullable=True), Column("x", "float", "a figure", nullable=True),
        Column("ok", "bool", "a truth", nullable=True), Column("s", "string", "a text", nullable=True)))
    rows = [{"n": 3.0, "x": numpy.float32(0.5), "ok": 1, "s": 7}, {"n": numpy.int64(4), "x": 2, "ok": numpy.bool_(False)},
            {"n": float("nan"), "x": pd.NA, "ok": None, "s": pd.NA}, {"n": " 5", "x": "1e3", "s": 1.0}]
    assert rows_to_columns(table, rows) == {"n": [3, 4, None, 5], "x": [0.5, 2.0, None, 1000.0],
                                            "ok": [True, False, None, None], "s": ["7", None, None, "1.0"]}
    assert list(rows_to_frame(table, rows)["n"]) == [3, 4, pd.NA, 5]
    for bad in ({"n": 1.5}, {"n": "3.0"}, {"x": "half"}, {"ok": 2}, {"ok": "True"}):
        with pytest.raises(TableError):
            rows_to_columns(table, [bad])
    with pytest.raises(TableError, match="t.n"):  # beyond 64 bits: Arrow refuses it, as pandas' cast did
        rows_to_frame(table, [{"n": 2 ** 70}])


def test_parquet_is_read_into_the_declared_dtypes_by_arrow(tmp_path):
    """Speed (issue 33): loading converted every list, text and nullable number of a Parquet
    file again in pandas, value by value (Parquet names a list's items 'element', so the
    declared list<item: string> never matched), most of `load`'s time. Arrow now gives
    every column its declared dtype, and `load` has nothing left to convert."""
    import datetime as dt

    import pyarrow.parquet as pq

    from pipeline.output.storage import write_table
    from pipeline.output.tables import Column, Table, arrow_to_frame, pandas_dtype

    table = Table("every_dtype", "one column of each declared dtype", (
        Column("text", "string", "t", nullable=True), Column("count", "int", "n", nullable=True),
        Column("share", "float", "s", nullable=True), Column("flag", "bool", "b", nullable=True),
        Column("day", "date", "d", nullable=True), Column("names", "list", "l", nullable=True),
        Column("kind", "category", "k", categories=("b", "a"), nullable=True)))
    rows = [{"text": "x", "count": 2, "share": 0.5, "flag": True, "day": "2002-10", "names": ["A", "B"], "kind": "a"},
            {"text": None, "count": None, "share": None, "flag": None, "day": None, "names": None, "kind": None}]
    write_table(table, rows, tmp_path)
    frame = arrow_to_frame(pq.read_table(tmp_path / "every_dtype.parquet"))
    assert {c.name: frame[c.name].dtype for c in table.columns} == {c.name: pandas_dtype(c) for c in table.columns}
    assert list(frame["kind"].cat.categories) == ["b", "a"]  # the declared order, as written
    assert frame["names"][0] == ["A", "B"] and frame["day"][0] == dt.date(2002, 10, 1)
    assert int(frame["count"][0]) == 2 and frame["count"].isna()[1] and frame["text"].isna()[1]
