#!/usr/bin/env python3
"""Writes docs/PARITY.md: every operation of the core and its name in each frontend.

The list of operations and the CLI's commands come from `oa operations --json` (the CLI reads
the core's own list); the other frontends follow fixed naming rules, which their own parity
tests enforce. With --check, compares instead of writing and fails when the file is stale.
"""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "PARITY.md"

# Where a frontend names an operation differently from its rule, and why.
PYTHON = {"init": "Office.init_folder / Office.init_memory", "open": "Office.open_folder", "close": "Office.close"}
WASM = {"init": "Office.init", "open": "Office.open (snapshot bytes)", "close": "office.close"}
KOTLIN = {"init": "Office.initFolder / Office.initMemory", "open": "Office.openFolder", "close": "office.close"}


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def render(operations: list) -> str:
    lines = [
        "# Operations in every frontend",
        "",
        "Every public operation of the core and its name in each frontend. This file is written by",
        "`scripts/parity.py` and checked by the test command; each frontend's own tests also fail",
        "when it lacks an operation of the core.",
        "",
        "| core (Rust `Oa`) | Python `oa.Office` | Web `Office` | Kotlin / Swift `Office` | CLI |",
        "| --- | --- | --- | --- | --- |",
    ]
    for op in operations:
        name = op["operation"]
        exposure = op["exposure"]
        cli = exposure["detail"] if exposure["kind"] != "not_in_cli" else "not in the CLI: " + exposure["detail"]
        core = f"`{name}`" + (" (pending: not yet in every frontend)" if op.get("pending") else "")
        lines.append(
            f"| {core} | `{PYTHON.get(name, 'office.' + name)}` | `{WASM.get(name, 'office.' + camel(name))}` "
            f"| `{KOTLIN.get(name, 'office.' + camel(name))}` | {cli} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    out = subprocess.run(
        ["cargo", "run", "-q", "--locked", "-p", "oa-cli", "--", "operations", "--json"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    text = render(json.loads(out))
    if "--check" in sys.argv:
        if DOC.read_text(encoding="utf-8") != text:
            print("docs/PARITY.md is stale: run scripts/parity.py", file=sys.stderr)
            return 1
        pending = text.count("(pending")
        print(f"docs/PARITY.md lists all {text.count(chr(10)) - 8} operations, {pending} of them pending")
        return 0
    DOC.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
