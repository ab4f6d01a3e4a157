"""Numbering rules and the numbers they issue (文号)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

import oa

BEIJING = timezone(timedelta(hours=8))


def test_rules_issue_numbers_in_sequence(office: oa.Office, admin: oa.Session) -> None:
    year = datetime.now(BEIJING).year
    rule = office.create_numbering_rule(admin, key="office_doc", name="发文字号", pattern="办〔{year}〕{seq}号", reset="yearly")
    assert (rule.key, rule.name, rule.pattern, rule.seq_width, rule.reset) == (
        "office_doc",
        "发文字号",
        "办〔{year}〕{seq}号",
        0,
        "yearly",
    )
    assert rule.created_at.tzinfo is not None and "NumberingRule(key='office_doc'" in repr(rule)
    assert office.preview_next_number(admin, "office_doc") == f"办〔{year}〕1号"
    first = office.issue_number(admin, "office_doc", "document: annual report")
    assert first == f"办〔{year}〕1号"
    assert office.preview_next_number(admin, "office_doc") == f"办〔{year}〕2号"
    issued = office.get_issued_number(admin, "office_doc", first)
    assert (issued.rule, issued.number, issued.seq, issued.period, issued.owner) == (
        "office_doc",
        first,
        1,
        str(year),
        "document: annual report",
    )
    assert issued.issued_by == office.whoami(admin).person and issued.issued_at.tzinfo is not None
    assert "IssuedNumber(rule='office_doc'" in repr(issued)
    changed = office.update_numbering_rule(admin, "office_doc", seq_width=4, name="发文")
    assert (changed.seq_width, changed.name, changed.reset) == (4, "发文", "yearly")
    assert office.issue_number(admin, "office_doc", "document: notice") == f"办〔{year}〕0002号"
    office.create_numbering_rule(admin, key="contract", name="合同编号", pattern="HT-{seq:5}", reset="never")
    assert [r.key for r in office.list_numbering_rules(admin)] == ["contract", "office_doc"]
    assert office.get_numbering_rule(admin, "contract").reset == "never"
    assert office.issue_number(admin, "contract", "contract: supplies") == "HT-00001"


def test_numbering_errors(office: oa.Office, admin: oa.Session) -> None:
    with pytest.raises(oa.ValidationError) as caught:
        office.create_numbering_rule(admin, key="Bad Key", name="", pattern="no sequence", reset="yearly", seq_width=13)
    assert {f.path for f in caught.value.fields} == {"key", "name", "pattern", "seq_width"}
    with pytest.raises(oa.ValidationError, match="reset"):
        office.create_numbering_rule(admin, key="x", name="X", pattern="{seq}", reset="weekly")  # type: ignore[arg-type]
    with pytest.raises(oa.ValidationError, match="seq_width"):
        office.create_numbering_rule(admin, key="x", name="X", pattern="{seq}", reset="never", seq_width=-1)
    with pytest.raises(oa.ValidationError, match="seq_width"):
        office.update_numbering_rule(admin, "x", seq_width=300)
    with pytest.raises(oa.NotFoundError):
        office.get_numbering_rule(admin, "missing")
    with pytest.raises(oa.NotFoundError):
        office.issue_number(admin, "missing", "owner")
    office.create_numbering_rule(admin, key="memo", name="Memo", pattern="M-{seq}", reset="never")
    with pytest.raises(oa.ValidationError, match="owner"):
        office.issue_number(admin, "memo", " ")
    with pytest.raises(oa.NotFoundError):
        office.get_issued_number(admin, "memo", "M-99")
    with pytest.raises(oa.ValidationError, match="pattern"):
        office.update_numbering_rule(admin, "memo", reset="monthly")
