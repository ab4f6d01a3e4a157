"""Forms (表单): definitions and their versions, validating data, and attachments (附件)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

import oa
from conftest import signed_in

# A purchase request: line items (明细) whose amounts the form adds up into a money total.
PURCHASE: list[dict[str, Any]] = [
    {"key": "title", "label": "事由", "type": "text", "required": True, "max_length": 100},
    {"key": "needed_by", "label": "需用日期", "type": "date"},
    {
        "key": "items",
        "label": "明细",
        "type": "table",
        "min_rows": 1,
        "fields": [
            {"key": "item", "label": "物品", "type": "text", "required": True},
            {"key": "quantity", "label": "数量", "type": "number", "min": 1, "decimals": 0},
            {"key": "amount", "label": "金额", "type": "money", "required": True, "min": Decimal("0")},
        ],
    },
    {"key": "total", "label": "合计", "type": "total", "of": "items.amount"},
    {"key": "files", "label": "附件", "type": "attachment", "max_files": 3},
]

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def define_purchase(office: oa.Office, admin: oa.Session, fields: list[dict[str, Any]] = PURCHASE) -> oa.Form:
    return office.define_form(admin, key="purchase", name="采购申请", description="办公用品采购", fields=fields)


def test_a_form_is_defined_read_and_listed(office: oa.Office, admin: oa.Session) -> None:
    form = define_purchase(office, admin)
    assert (form.key, form.version, form.name, form.description) == ("purchase", 1, "采购申请", "办公用品采购")
    assert form.created_by == office.whoami(admin).person and form.created_at.tzinfo is not None
    assert repr(form) == "Form(key='purchase', version=1, name='采购申请', fields=['title', 'needed_by', 'items', 'total', 'files'])"
    # The fields come back as the core's JSON: kinds flattened beside key and label, money
    # normalised to name its currency, decimal bounds as text.
    fields = form.fields
    assert [f["key"] for f in fields] == ["title", "needed_by", "items", "total", "files"]
    assert fields[0] == {
        "key": "title",
        "label": "事由",
        "required": True,
        "help": "",
        "type": "text",
        "min_length": None,
        "max_length": 100,
        "pattern": None,
    }
    columns = fields[2]["fields"]
    assert (fields[2]["type"], [c["key"] for c in columns]) == ("table", ["item", "quantity", "amount"])
    assert (columns[2]["type"], columns[2]["currency"], columns[2]["min"]) == ("money", "CNY", "0")
    assert fields[3] == {"key": "total", "label": "合计", "required": False, "help": "", "type": "total", "of": "items.amount"}
    fields.clear()  # a new list on every access: the record does not change
    assert len(form.fields) == 5
    assert office.get_form(admin, "purchase") == form
    assert office.get_form(admin, " purchase ", 1) == form
    office.define_form(admin, key="leave", name="请假单", fields=[{"key": "days", "label": "天数", "type": "number"}])
    first = office.list_forms(admin, limit=1)
    assert [f.key for f in first] == ["leave"] and first.next_cursor is not None
    rest = office.list_forms(admin, cursor=first.next_cursor, limit=10)
    assert [(f.key, f.version) for f in rest] == [("purchase", 1)] and rest.next_cursor is None
    with pytest.raises(oa.NotFoundError):
        office.get_form(admin, "missing")
    with pytest.raises(oa.NotFoundError):
        office.get_form(admin, "purchase", 7)
    with pytest.raises(oa.ValidationError, match="version"):
        office.get_form(admin, "purchase", -1)


def test_a_changed_definition_is_the_next_version_and_the_same_one_changes_nothing(
    office: oa.Office, admin: oa.Session
) -> None:
    v1 = define_purchase(office, admin)
    assert define_purchase(office, admin) == v1  # the same definition again: unchanged
    changed = [dict(f) for f in PURCHASE]
    changed[0]["label"] = "采购事由"
    v2 = define_purchase(office, admin, changed)
    assert (v2.version, v2.fields[0]["label"]) == (2, "采购事由")
    assert define_purchase(office, admin, changed) == v2
    assert office.get_form(admin, "purchase").version == 2
    assert office.get_form(admin, "purchase", 1) == v1
    versions = office.form_versions(admin, "purchase")
    assert [(v.version, v.name) for v in versions] == [(1, "采购申请"), (2, "采购申请")]
    assert versions[0].created_by == v1.created_by and versions[1].created_at >= versions[0].created_at
    assert repr(versions[0]).startswith("FormVersion(version=1, name='采购申请', created_at=datetime.datetime(")
    # Data is checked against the version asked for.
    assert "title" in office.validate_form_data(admin, "purchase", {"title": "x", "items": [{"item": "a", "amount": "1"}]}, 1)


def test_good_data_is_normalised_and_the_total_computed(office: oa.Office, admin: oa.Session) -> None:
    define_purchase(office, admin)
    data = {
        "title": "打印纸",
        "needed_by": date(2026, 3, 2),
        "items": [
            {"item": "A4 纸", "quantity": 10, "amount": "259.5"},
            {"item": "订书机", "quantity": "2", "amount": Decimal("45.005")},
            {"item": "墨盒", "amount": {"amount": "100", "currency": "CNY"}},
        ],
        "total": "1",  # computed by the form: a value given is replaced
    }
    out = office.validate_form_data(admin, "purchase", data)
    assert out == {
        "title": "打印纸",
        "needed_by": "2026-03-02",
        "items": [
            {"item": "A4 纸", "quantity": 10, "amount": {"amount": "259.50", "currency": "CNY"}},
            {"item": "订书机", "quantity": 2, "amount": {"amount": "45.01", "currency": "CNY"}},
            {"item": "墨盒", "amount": {"amount": "100.00", "currency": "CNY"}},
        ],
        "total": {"amount": "404.51", "currency": "CNY"},
    }
    assert Decimal(out["total"]["amount"]) == Decimal("259.50") + Decimal("45.01") + Decimal("100.00")
    assert data["total"] == "1"  # the argument is not changed


def test_bad_data_reports_every_failing_field_with_its_path(office: oa.Office, admin: oa.Session) -> None:
    define_purchase(office, admin)
    with pytest.raises(oa.ValidationError) as caught:
        office.validate_form_data(
            admin,
            "purchase",
            {
                "needed_by": "next week",
                "items": [
                    {"item": "A4 纸", "quantity": 0, "amount": "12.00"},
                    {"item": "订书机", "amount": 45.5},  # money as a float is refused
                    {"amount": "-1"},
                ],
            },
        )
    reasons = {f.path: f.reason for f in caught.value.fields}
    assert sorted(reasons) == [
        "items[0].quantity",
        "items[1].amount",
        "items[2].amount",
        "items[2].item",
        "needed_by",
        "title",
    ]
    assert reasons["items[1].amount"] == "money must be given as a decimal string, not a float"
    assert reasons["items[2].item"] == "required"
    with pytest.raises(oa.ValidationError) as caught:
        office.validate_form_data(admin, "purchase", {"title": "x", "items": [{"item": "a", "amount": {"amount": 3.5}}]})
    assert [f.path for f in caught.value.fields] == ["items[0].amount.amount"]
    with pytest.raises(oa.NotFoundError):
        office.validate_form_data(admin, "missing", {})


def test_bad_definitions_name_the_field(office: oa.Office, admin: oa.Session) -> None:
    with pytest.raises(oa.ValidationError) as caught:
        office.define_form(
            admin,
            key="bad",
            name="Bad",
            fields=[
                {"key": "ok", "label": "OK", "type": "text"},
                {"key": "kindless", "label": "No kind"},
                {"key": "odd", "label": "Odd", "type": "hologram"},
            ],
        )
    assert [f.path for f in caught.value.fields] == ["fields[1]", "fields[2]"]
    assert caught.value.fields[0].reason == "missing field `type`"
    assert caught.value.fields[1].reason.startswith("unknown variant `hologram`, expected one of `text`")
    with pytest.raises(oa.ValidationError) as caught:
        office.define_form(admin, key="bad", name="Bad", fields=[{"key": "n", "label": "N", "type": "number", "decimals": -1}])
    assert [(f.path, f.reason) for f in caught.value.fields] == [
        ("fields[0]", "invalid value: integer `-1`, expected a whole number of 0 or more")
    ]
    # Definitions that read as fields are checked by the core, which names the setting.
    with pytest.raises(oa.ValidationError) as caught:
        office.define_form(admin, key="bad", name="Bad", fields=[{"key": "x", "label": "X", "type": "text", "pattern": "("}])
    assert [f.path for f in caught.value.fields] == ["fields[0].pattern"]
    with pytest.raises(oa.ValidationError) as caught:
        office.define_form(admin, key="Bad Key", name="", fields=[])
    assert {"key", "name"} <= {f.path for f in caught.value.fields}


def test_values_json_cannot_hold_are_refused_with_their_path(office: oa.Office, admin: oa.Session) -> None:
    define_purchase(office, admin)
    naive = datetime(2026, 3, 2, 9, 0)
    deep: list[Any] = []
    deep.append(deep)  # a list that contains itself
    cases: list[tuple[dict[str, Any], str]] = [
        ({"title": float("nan")}, "title"),
        ({"title": 10**30}, "title"),
        ({"items": [{"amount": naive}]}, "items[0].amount"),
        ({"items": deep}, "items" + "[0]" * 64),
    ]
    for data, path in cases:
        with pytest.raises(oa.ValidationError) as caught:
            office.validate_form_data(admin, "purchase", data)
        assert [f.path for f in caught.value.fields] == [path]
    with pytest.raises(TypeError, match=r"`items\[0\].tags` in argument `data`"):
        office.validate_form_data(admin, "purchase", {"items": [{"tags": {"a", "b"}}]})
    with pytest.raises(TypeError, match="^the keys of argument `data` must be str, got `int`$"):
        office.validate_form_data(admin, "purchase", {1: "x"})  # type: ignore[dict-item]
    # An aware datetime is sent as RFC 3339 in UTC; a date field refuses it as a date.
    aware = datetime(2026, 3, 2, 9, 0, tzinfo=timezone(timedelta(hours=8)))
    with pytest.raises(oa.ValidationError, match="2026-03-02T01:00:00Z"):
        office.validate_form_data(admin, "purchase", {"needed_by": aware})


@pytest.mark.parametrize(
    "call",
    [
        lambda o, s: o.validate_form_data(s, "purchase", [("title", "x")]),
        lambda o, s: o.validate_form_data(s, "purchase", '{"title": "x"}'),
        lambda o, s: o.define_form(s, key="k", name="K", fields={"key": "x"}),
        lambda o, s: o.define_form(s, key="k", name="K", fields=["text"]),
        lambda o, s: o.define_form(s, key="k", name="K", fields=[{"key": "x", "label": "X", "type": "text", "pattern": object()}]),
        lambda o, s: o.upload_attachment(s, "a.txt", "text/plain", "text"),
        lambda o, s: o.upload_attachment(s, "a.txt", "text/plain", None),
        lambda o, s: o.get_form(s, "purchase", "1"),
        lambda o, s: o.list_forms(s, limit=1.5),
    ],
)
def test_a_wrong_python_type_is_a_type_error(
    office: oa.Office, admin: oa.Session, call: Callable[[oa.Office, oa.Session], object]
) -> None:
    with pytest.raises(TypeError):
        call(office, admin)


def test_attachments_are_stored_once_by_content(office: oa.Office, admin: oa.Session) -> None:
    info = office.upload_attachment(admin, "报价单.pdf", "application/pdf", PDF)
    assert info.hash == hashlib.sha256(PDF).hexdigest()
    assert (info.file_name, info.content_type, info.size) == ("报价单.pdf", "application/pdf", len(PDF))
    assert info.created_by == office.whoami(admin).person and info.created_at.tzinfo is not None
    assert repr(info) == (
        f"AttachmentInfo(hash='{info.hash}', file_name='报价单.pdf', content_type='application/pdf', size={len(PDF)})"
    )
    again = office.upload_attachment(admin, "copy.pdf", "application/octet-stream", bytearray(PDF))
    assert again == info  # the same content: stored once, under its first name
    got, content = office.get_attachment(admin, info.hash.upper())
    assert (got, content, type(content)) == (info, PDF, bytes)
    assert office.attachment_info(admin, info.hash) == info
    # Form data refers to attachments by hash.
    define_purchase(office, admin)
    out = office.validate_form_data(admin, "purchase", {"title": "x", "items": [{"item": "a", "amount": "1"}], "files": info.hash})
    assert out["files"] == [info.hash]
    with pytest.raises(oa.ValidationError) as caught:
        office.get_attachment(admin, "not a hash")
    assert [f.path for f in caught.value.fields] == ["hash"]
    with pytest.raises(oa.NotFoundError):
        office.attachment_info(admin, "b" * 64)


def test_uploads_of_a_wrong_type_or_size_are_refused(office: oa.Office, admin: oa.Session) -> None:
    for name, content_type, data, path in [
        ("setup.exe", "application/octet-stream", b"MZ\x90\x00", "file_name"),
        ("报价单.pdf", "application/x-msdownload", PDF, "content_type"),
        ("photo.png", "image/png", PDF, "data"),  # the content is not what it says
        ("empty.txt", "text/plain", b"", "data"),
    ]:
        with pytest.raises(oa.ValidationError) as caught:
            office.upload_attachment(admin, name, content_type, data)
        assert [f.path for f in caught.value.fields] == [path], name
    too_big = b"x" * (20 * 1024 * 1024 + 1)
    with pytest.raises(oa.ValidationError) as caught:
        office.upload_attachment(admin, "big.txt", "text/plain", too_big)
    assert [(f.path, f.reason) for f in caught.value.fields] == [
        ("data", "the file is 20 MiB (20971521 bytes); the limit is 20 MiB (20971520 bytes)")
    ]


def test_people_fill_forms_in_but_only_administrators_define_them(
    office: oa.Office, admin: oa.Session, root: oa.Department
) -> None:
    mine = office.upload_attachment(admin, "报价单.pdf", "application/pdf", PDF)
    define_purchase(office, admin)
    _, clerk = signed_in(office, admin, "clerk", root.id)
    assert office.get_form(clerk, "purchase").version == 1
    assert [f.key for f in office.list_forms(clerk)] == ["purchase"]
    assert [v.version for v in office.form_versions(clerk, "purchase")] == [1]
    out = office.validate_form_data(clerk, "purchase", {"title": "x", "items": [{"item": "a", "amount": "2"}]})
    assert out["total"] == {"amount": "2.00", "currency": "CNY"}
    with pytest.raises(oa.PermissionDeniedError):
        define_purchase(office, clerk)
    with pytest.raises(oa.PermissionDeniedError):
        office.upload_attachment(clerk, "a.pdf", "application/pdf", PDF)
    with pytest.raises(oa.PermissionDeniedError):
        office.get_attachment(clerk, mine.hash)
    with pytest.raises(oa.ValidationError) as caught:
        office.validate_form_data(clerk, "purchase", {"title": "x", "items": [{"item": "a", "amount": "2"}], "files": [mine.hash]})
    assert [f.path for f in caught.value.fields] == ["files[0]"]
