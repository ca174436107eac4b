"""Reviewer decisions (pipeline/output/decisions.py): keyed by natural keys, applied when
the tables are written, reported when they no longer apply, surviving re-runs."""
import html
import re

import pandas as pd
import pytest

from pipeline.output.decisions import (DECISION_COLUMNS, apply_decisions, decision_lines, decisions_by_document,
                                       read_decisions, row_key)
from pipeline.run.options import RunOptions
from pipeline.run.runner import run
from pipeline.run.stages import DocumentSettings
from tests.conftest import ROOT

SHA = "ab" * 32


def _membership(mid, member, role="member", process="rcm", confidence=0.9):
    return {"doc_id": "d", "membership_id": mid, "process_id": process, "member_type": "country", "member_id": member,
            "member_name": member, "role": role, "basis": "stated", "year": 2004, "event_id": None, "note": None,
            "page": 1, "char_start": 10, "char_end": 16, "evidence": "…", "rule_id": "list.cue", "confidence": confidence,
            "evidence_ids": ["list.cue"], "n_mentions": 1, "source": "rules", "decision": None}


def _event(eid, title, year):
    return {"doc_id": "d", "event_id": eid, "kind": "seminar", "title": title, "title_as_written": title, "year": year,
            "char_start": 100, "char_end": 120, "page": 1, "source": "rules", "decision": None}


def _decisions(tmp_path, *lines):
    path = tmp_path / "decisions.csv"
    path.write_text(",".join(DECISION_COLUMNS) + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return read_decisions(path)


def _apply(tmp_path, tables, *lines):
    decisions, problems = _decisions(tmp_path, *lines)
    by_doc, unmatched = decisions_by_document(decisions, [{"doc_id": "d", "sha256": SHA}])
    tables = {"documents": [{"doc_id": "d", "sha256": SHA, "language": "es"}]} | tables
    out, rejected, report = apply_decisions(tables, "d", by_doc.get("d", []))
    return out, rejected, sorted(report + unmatched + problems, key=lambda r: r["line"])


def test_each_action_changes_its_row_and_says_so(tmp_path):
    tables = {"memberships": [_membership("mb0001", "MEX"), _membership("mb0002", "CRI")],
              "membership_candidates": [_membership("mc0001", "GTM", confidence=0.3)]}
    out, rejected, report = _apply(
        tmp_path, tables,
        f"{SHA},memberships,process_id=rcm; member_id=MEX; role=member,reject,,ana,a guest",
        f"{SHA},memberships,process_id=rcm; member_id=CRI; role=member,set,role=observer,ana,",
        f"{SHA[:12]},memberships,process_id=rcm; member_id=GTM; role=member,accept,,ana,",
        f"d,memberships,process_id=rcm; member_id=BLZ; role=member,add,year=2004,ana,listed on p. 2")
    main = {(r["member_id"], r["role"]): r for r in out["memberships"]}
    assert set(main) == {("CRI", "observer"), ("GTM", "member"), ("BLZ", "member")}
    assert out["membership_candidates"] == []
    assert (main["CRI", "observer"]["source"], main["CRI", "observer"]["decision"]) == ("reviewer", "set")
    assert (main["GTM", "member"]["source"], main["GTM", "member"]["decision"]) == ("rules", "accept")
    added = main["BLZ", "member"]
    assert (added["rule_id"], added["source"], added["member_type"], added["year"], added["evidence"]) == (
        "reviewer", "reviewer", "country", 2004, "listed on p. 2")
    assert [(r["table"], r["row_id"], r["note"]) for r in rejected] == [("memberships", "mb0001", "a guest")]
    assert '"member_id": "MEX"' in rejected[0]["row"]
    assert [(r["status"], r["row_ids"]) for r in report] == [
        ("applied", ["mb0001"]), ("applied", ["mb0002"]), ("applied", ["mc0001"]), ("applied", [added["membership_id"]])]


def test_a_decision_without_its_row_or_document_is_reported_never_dropped(tmp_path):
    tables = {"memberships": [_membership("mb0001", "MEX")], "membership_candidates": []}
    out, rejected, report = _apply(
        tmp_path, tables,
        f"{SHA},memberships,process_id=rcm; member_id=PER; role=member,reject,,,",
        f"{'cd' * 32},memberships,process_id=rcm; member_id=MEX; role=member,reject,,,",
        f"{SHA},memberships,process_id=rcm; member_id=MEX,reject,,,",
        f"{SHA},memberships,process_id=rcm; member_id=MEX; role=member,drop,,,",
        f"{SHA},memberships,process_id=rcm; member_id=MEX; role=member,set,role=chair,,",
        f"{SHA},memberships,process_id=rcm; member_id=MEX; role=member,add,,,")
    assert [r["status"] for r in report] == ["no_row", "no_document", "invalid", "invalid", "invalid", "row_exists"]
    assert "one of member, observer, participant" in report[4]["detail"]
    assert [r["member_id"] for r in out["memberships"]] == ["MEX"] and rejected == []


def test_a_title_the_rules_now_write_a_little_differently_still_matches(tmp_path):
    tables = {"events": [_event("e001", "Seminario Regional sobre Migración y Salud", 2004)], "event_candidates": []}
    out, _, report = _apply(tmp_path, tables,
                            f"{SHA},events,title=Seminario regional sobre migracion y salud; year=2004,set,location=Antigua,,",
                            f"{SHA},events,title=Seminario Regional sobre Migración y Salud (OIM); year=2004,accept,,,",
                            f"{SHA},events,title=Seminario Regional sobre Migración y Salud; year=2005,accept,,,")
    assert out["events"][0]["location"] == "Antigua"
    assert [r["status"] for r in report] == ["applied", "applied", "no_row"]
    assert report[1]["detail"] == "matched loosely on title"


def test_an_added_row_that_misses_required_fields_says_which(tmp_path):
    _, _, report = _apply(tmp_path, {"events": [], "event_candidates": []},
                          f"{SHA},events,title=Taller sobre trata; year=2005,add,,,")
    assert report[0]["status"] == "invalid" and "kind" in report[0]["detail"]


def test_a_key_value_holding_separators_reads_back():
    row = {"title": "Reunión; Grupo = Consulta, \"GRCM\"", "year": 2003}
    line, changed = decision_lines(SHA, "events", row, [("reject", ""), ("set", "year=2004")])
    import csv

    fields = next(csv.reader([line]))
    assert next(csv.reader([changed]))[2:5] == [fields[2], "set", "year=2004"]  # one writer, rows apart
    assert fields[2] == row_key("events", row) == 'title=Reunión; Grupo = Consulta, "GRCM"; year=2003'
    from pipeline.output.decisions import text_to_pairs

    assert dict(text_to_pairs(fields[2])) == {"title": row["title"], "year": "2003"}


def _page_lines(page, table):
    """The decision lines the review page prints for each row of a table, by row id."""
    text = page.read_text(encoding="utf-8")
    section = text[text.index(f'id="table-{table}"'):]
    section = section[:section.index("</table>")]
    lines = {}
    for row in re.findall(r"<tr id=\"row-.*?</tr>", section, flags=re.S):
        codes = [html.unescape(c) for c in re.findall(r"<code>(.*?)</code>", row, flags=re.S)]
        row_id = re.search(r"<td>(m[bc]\d+)</td>", row).group(1)
        lines[row_id] = codes
    return lines


def test_decisions_pasted_from_the_review_page_survive_a_re_run_with_changed_rules(tmp_path):
    """The round trip: lines copied from a review page into review/decisions.csv are applied
    by the next run, and again by a run whose rules split the rows differently (another
    membership threshold: every row id changes)."""
    source = ROOT / "corpus" / "raw" / "crm-ppt-report_2002-2003_es.txt"
    out, clean = tmp_path / "o", tmp_path / "c"

    def extract(threshold=None, force=False):
        settings = DocumentSettings() if threshold is None else DocumentSettings(min_membership_confidence=threshold)
        return run(RunOptions(inputs=(source,), out_dir=out, clean_dir=clean, quiet=True, workers=1, force=force,
                              executor="serial", document=settings).validated())

    extract()
    decisions = out / "review" / "decisions.csv"
    assert decisions.read_text(encoding="utf-8") == ",".join(DECISION_COLUMNS) + "\n"  # written for the reviewer
    page = out / "review" / "crm-ppt-report_2002-2003_es.html"
    main, candidates = _page_lines(page, "memberships"), _page_lines(page, "membership_candidates")
    assert len(main) >= 2 and candidates
    first = pd.read_parquet(out / "memberships.parquet")
    keyed = lambda frame: {(r.process_id, r.member_id, r.role) for r in frame.itertuples()}
    rejected_key, changed_key = [tuple(first.loc[first.membership_id == i, ["process_id", "member_id", "role"]].iloc[0])
                                 for i in list(main)[:2]]
    accepted = pd.read_parquet(out / "membership_candidates.parquet").iloc[0]
    sha = pd.read_parquet(out / "documents.parquet").sha256.iloc[0]
    reject, = [line for line in main[list(main)[0]] if ",reject," in line]
    observer, = [line for line in main[list(main)[1]] if ",set,role=observer" in line or ",set,role=member" in line][:1]
    accept, = [line for line in candidates[accepted.membership_id] if ",accept," in line]
    with open(decisions, "a", encoding="utf-8") as handle:
        # each printed line ends with the empty reviewer and note: filled in here
        handle.write(f"{reject[:-2]},ana,not a member\n{observer[:-2]},ana,\n{accept[:-2]},ana,\n")
        handle.write(f"{sha},memberships,process_id=rcm; member_id=BLZ; role=member,add,year=2003,ana,p. 2\n")
        handle.write(f"{sha},memberships,process_id=rcm; member_id=ATA; role=member,reject,,ana,\n")
    new_role = observer.split(",set,role=")[1].split(",")[0]

    for rerun in (extract, lambda: extract(threshold=0.2, force=True)):
        summary = rerun()
        memberships = pd.read_parquet(out / "memberships.parquet")
        rows = keyed(memberships) | keyed(pd.read_parquet(out / "membership_candidates.parquet"))
        assert rejected_key not in rows
        assert (changed_key[0], changed_key[1], new_role) in keyed(memberships)
        assert (accepted.process_id, accepted.member_id, accepted.role) in keyed(memberships)
        assert ("rcm", "BLZ", "member") in keyed(memberships)
        assert memberships.loc[memberships.member_id == "BLZ", "rule_id"].tolist() == ["reviewer"]
        report = pd.read_parquet(out / "review_decisions.parquet")
        assert report.status.tolist() == ["applied"] * 4 + ["no_row"]
        assert pd.read_parquet(out / "rejected_rows.parquet").row_key.tolist() == ["; ".join(
            f"{k}={v}" for k, v in zip(("process_id", "member_id", "role"), rejected_key))]
        assert any("line 6" in w and "no_row" in w for w in summary.warnings)
    # the second rules moved candidates into the table (their ids with them)
    assert len(pd.read_parquet(out / "membership_candidates.parquet")) < len(candidates) - 1
    # the page now shows each decision on its row
    text = page.read_text(encoding="utf-8")
    assert "reject (line 2)" in text and f"set role={new_role} (line 3)" in text and "accept (line 4)" in text


def test_the_decisions_header_a_run_writes_leaves_the_next_run_unchanged(tmp_path):
    """bug: the first run wrote the decisions file's header, and the next run took the new
    file for changed decisions and wrote every table again."""
    source = ROOT / "corpus" / "raw" / "crm-ppt-report_2002-2003_es.txt"
    options = RunOptions(inputs=(source,), out_dir=tmp_path / "o", clean_dir=tmp_path / "c", quiet=True, workers=1,
                         executor="serial").validated()
    run(options)
    written = (tmp_path / "o" / "memberships.parquet").stat().st_mtime_ns
    run(options)
    assert (tmp_path / "o" / "memberships.parquet").stat().st_mtime_ns == written
    with open(tmp_path / "o" / "review" / "decisions.csv", "a", encoding="utf-8") as handle:
        handle.write("\n")  # a blank line is no decision either
    run(options)
    assert (tmp_path / "o" / "memberships.parquet").stat().st_mtime_ns == written


def test_the_decided_tables_are_the_declared_ones():
    """rejected_rows.table declares the tables a decided row may leave; decisions.py names
    them with their keys: the two lists are one."""
    from pipeline.output.decisions import ROW_TABLES
    from pipeline.output.tables import DECIDED_TABLE_NAMES

    assert set(ROW_TABLES) == set(DECIDED_TABLE_NAMES)
