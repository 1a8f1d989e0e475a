"""The rules the codebase keeps about its own shape (docs/architecture.md): what the README starts
with and how long it is, tests that share code only through ``tests/helpers``, and the contract's
constants defined in one module."""

import ast
import re
from pathlib import Path

from tests.helpers.environment import REPO

#: the issue that split the documents asked for a README of "at most about 220 lines"
README_MAX_LINES = 220


def _fenced_blocks(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)]


def test_readme_starts_with_the_two_commands_and_stays_short():
    text = (REPO / "README.md").read_text("utf-8")
    assert len(text.splitlines()) <= README_MAX_LINES
    run_app, run_tests = _fenced_blocks(text)[:2]
    assert run_app.endswith(".venv/bin/composer") and "pip install ." in run_app
    assert run_tests.endswith("python -m pytest")
    first_block = text.index("```sh")
    assert text[:first_block].count("\n## ") == 0, "the commands come before any section"
    ci_commands = [line for line in (REPO / ".ci" / "run").read_text("utf-8").splitlines() if line and not line.startswith("#")]
    assert ci_commands[-1] == run_tests, ".ci/run ends with exactly the README's test command"


def _imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.append("." * node.level + (node.module or ""))
    return names


def test_no_test_module_imports_another():
    offenders = []
    for path in sorted((REPO / "tests").rglob("*.py")):
        for name in _imported_modules(path):
            if name.startswith(".") or (name.startswith("tests") and not name.startswith("tests.helpers")):
                offenders.append(f"{path.relative_to(REPO)} imports {name}")
    assert not offenders, "share code through tests/helpers, not between test modules:\n" + "\n".join(offenders)


def _module_constants(path: Path) -> set[str]:
    """The UPPER_CASE names a module assigns at its top level."""
    names = set()
    for node in ast.parse(path.read_text("utf-8")).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        names.update(t.id for t in targets if isinstance(t, ast.Name) and t.id.isupper())
    return names


def test_the_contract_constants_are_defined_once():
    contract = REPO / "composer" / "core" / "contract.py"
    facts = _module_constants(contract)
    assert {"PROVIDERS", "REDACTED", "DEFAULT_DATA_CENTER"} <= facts
    redefined = []
    for path in sorted((REPO / "composer").rglob("*.py")):
        if path != contract:
            redefined.extend(f"{path.relative_to(REPO)}: {name}" for name in sorted(_module_constants(path) & facts))
    assert not redefined, "import these from composer.core.contract instead:\n" + "\n".join(redefined)


def test_no_module_selects_a_pyside6_feature():
    """gui/startup.py lets PySide6 ignore every module that is not ours, which is sound only while
    no module of the app or its tests imports from ``__feature__`` (snake_case, true_property)."""
    selecting = [
        f"{path.relative_to(REPO)}"
        for folder in ("composer", "tests", "benchmarks")
        for path in sorted((REPO / folder).rglob("*.py"))
        if any(name.lstrip(".").partition(".")[0] == "__feature__" for name in _imported_modules(path))
    ]
    assert not selecting, "these select a PySide6 __feature__; gui/startup.py must then change:\n" + "\n".join(selecting)
