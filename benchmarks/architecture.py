"""The architecture issue's measurements, taken from the code as it is.

Prints, for ``forum/`` (migrations left out):
- imports that go upwards in the layers (import-linter's contract in pyproject.toml);
- imports inside functions, other than ``TYPE_CHECKING`` blocks and ``AppConfig.ready()``
  (Django's place for start-up registration);
- modules over 500 lines and functions over 80 lines, longest first;
- claim/lease queue mechanisms (a module that locks rows with ``skip_locked`` or leases them
  itself, i.e. sets ``leased_until``/``lease_token``), which should be only ``forum/core/jobs.py``;
  the tables that use it (``jobs.Queue(...)``); and rate limiters.

    .venv/bin/python benchmarks/architecture.py
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULE_MAX, FUNCTION_MAX = 500, 80


def _sources() -> list[Path]:
    return sorted(p for p in (ROOT / "forum").rglob("*.py") if "migrations" not in p.parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _function_imports(path: Path, tree: ast.Module) -> list[str]:
    found = []
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if path.name == "apps.py" and func.name == "ready":
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.Import | ast.ImportFrom):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} in {func.name}()")
    return found


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    long_modules, long_functions, inner_imports = [], [], []
    queues, limiters, tables = [], [], []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n") + 1
        rel = str(path.relative_to(ROOT))
        if lines > MODULE_MAX:
            long_modules.append((lines, rel))
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > FUNCTION_MAX:
                    long_functions.append((length, f"{rel}:{node.lineno} {node.name}()"))
        inner_imports += _function_imports(path, tree)
        if "skip_locked" in text or re.search(r"leased_until=(?!None)|lease_token=token", text):
            queues.append(rel)
        if re.search(r"jobs\.Queue\(", text):
            tables.append(rel)
        if (
            "class " in text
            and ("Limiter" in text or "TokenBucket" in text)
            and ("def wait" in text or "def take" in text)
        ):
            limiters.append(rel)

    lint = subprocess.run(
        [str(ROOT / ".venv/bin/lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    verdict = [line for line in lint.stdout.splitlines() if "kept" in line or "broken" in line]
    print(f"layer contract (import-linter): {verdict[-1] if verdict else lint.stdout[-300:]}")
    print(f"imports inside functions (not TYPE_CHECKING, not ready()): {len(inner_imports)}")
    for item in inner_imports:
        print(f"  {item}")
    print(f"modules over {MODULE_MAX} lines: {len(long_modules)}")
    for n, rel in sorted(long_modules, reverse=True):
        print(f"  {n:5d}  {rel}")
    print(f"functions over {FUNCTION_MAX} lines: {len(long_functions)}")
    for n, where in sorted(long_functions, reverse=True):
        print(f"  {n:5d}  {where}")
    print(f"modules with a claim/lease mechanism of their own: {len(queues)}")
    for rel in queues:
        print(f"  {rel}")
    print(f"modules declaring job tables on it (jobs.Queue): {len(tables)}")
    for rel in tables:
        print(f"  {rel}")
    print(f"modules defining a rate limiter: {len(limiters)}")
    for rel in limiters:
        print(f"  {rel}")
    sys.exit(0)


if __name__ == "__main__":
    main()
