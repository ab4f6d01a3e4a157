"""Parameters."""

from __future__ import annotations

import pytest

import oa


def test_list_and_get(office: oa.Office, admin: oa.Session) -> None:
    settings = {s.key: s for s in office.list_params(admin)}
    name = settings["office.name"]
    assert (name.value, name.is_default, name.def_.key, name.def_.default) == ("Acme", False, "office.name", "Office")
    threshold = office.get_param(admin, "auth.lockout.threshold")
    assert threshold.is_default and threshold.value == 5 and type(threshold.value) is int
    kind = threshold.def_.kind
    assert (kind.type, kind.min, kind.max, kind.max_len, kind.options) == ("int", 1, 100, None, None)
    policy = settings["auth.password.policy"].def_.kind
    assert policy.type == "choice" and policy.options == ["owasp", "dengbao3"]
    assert settings["security.separation_of_duties"].value is False
    assert settings["office.name"].def_.kind.max_len == 100
    assert "ParamSetting(key='office.name'" in repr(name) and "ParamKind(type='int'" in repr(kind)
    with pytest.raises(oa.NotFoundError):
        office.get_param(admin, "no.such.key")


def test_set_and_reset(office: oa.Office, admin: oa.Session) -> None:
    assert office.set_param(admin, "auth.lockout.threshold", 3).value == 3
    assert office.set_param(admin, "office.base_currency", "EUR").value == "EUR"
    assert office.set_param(admin, "security.separation_of_duties", False).value is False
    reset = office.reset_param(admin, "auth.lockout.threshold")
    assert (reset.value, reset.is_default) == (5, True)


def test_bad_values(office: oa.Office, admin: oa.Session) -> None:
    with pytest.raises(oa.ValidationError) as caught:
        office.set_param(admin, "auth.lockout.threshold", 0)
    assert caught.value.fields[0].path == "value" and "1 to 100" in caught.value.fields[0].reason
    with pytest.raises(oa.ValidationError, match="value"):
        office.set_param(admin, "auth.lockout.threshold", True)  # a bool is not a number here
    with pytest.raises(oa.ValidationError, match="key"):
        office.set_param(admin, "no.such.key", 1)
    with pytest.raises(TypeError, match="value"):
        office.set_param(admin, "auth.lockout.threshold", 2.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        office.set_param(admin, "auth.lockout.threshold", None)  # type: ignore[arg-type]
