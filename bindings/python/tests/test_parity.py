"""Every operation of the core is a method of `Office`, under the same name."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import oa

# The core's `init` and `open` take a store; in Python the store is chosen by the method.
ALIASES = {
    "init": ["init_folder", "init_memory"],
    "open": ["open_folder"],
}

# Operations that cannot fit this frontend, with the reason. None so far.
EXCLUDED: dict[str, str] = {}


def every_operation() -> list[str]:
    """The operations of the core, listed (`operations()`) or not yet (`pending_operations()`):
    both are bound, so nothing changes here when a name moves from one list to the other."""
    return oa.operations() + oa.pending_operations()


def test_every_operation_of_the_core_is_a_method_of_office() -> None:
    operations = every_operation()
    assert len(operations) == len(set(operations)) > 40
    missing = [
        name
        for name in operations
        if name not in EXCLUDED
        for method in ALIASES.get(name, [name])
        if not callable(getattr(oa.Office, method, None))
    ]
    assert missing == []


def test_every_method_but_the_openers_takes_a_session_first() -> None:
    openers = {m for names in ALIASES.values() for m in names} | {"close", "sign_in"}
    for name in every_operation():
        for method in ALIASES.get(name, [name]):
            if method in openers:
                continue
            params = list(inspect.signature(getattr(oa.Office, method)).parameters)
            assert params[:2] == ["self", "session"], method


def test_every_operation_is_called_by_some_test() -> None:
    sources = "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py"))
    untested = [
        method
        for name in every_operation()
        if name not in EXCLUDED
        for method in ALIASES.get(name, [name])
        if not re.search(rf"\.{method}\(", sources)
    ]
    assert untested == []
