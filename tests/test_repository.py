"""Facts about the repository that CI and a fresh machine depend on."""

import os
import shutil
import subprocess
import sys

from conftest import REPO


def test_ci_runs_the_readme_test_command():
    readme_commands = (REPO / "README.md").read_text().split("```bash\n", 1)[1].split("```", 1)[0].splitlines()
    assert len(readme_commands) == 2
    ci_lines = [line for line in (REPO / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    assert readme_commands[1] in ci_lines


def test_raw_holds_the_seed_capture_unchanged():
    shared_seed = REPO.parent / "shared" / "seed" / "000_bc1de7ad9c5001b1.txt"
    if shared_seed.is_file():
        assert (REPO / "raw" / shared_seed.name).read_bytes() == shared_seed.read_bytes()
    assert (REPO / "raw" / "000_bc1de7ad9c5001b1.json").is_file()


def test_every_command_is_documented_with_an_example():
    from builder.cli import app

    readme = (REPO / "README.md").read_text()
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"| `{name} " in readme and f"`dprk-corpus {name} " in readme
        assert "Example: dprk-corpus " + name in command.callback.__doc__


def test_the_c_extension_is_optional_so_an_install_without_a_compiler_works(tmp_path):
    """`setup.py` marks `_words` optional: with a compiler that fails (`CC=/bin/false`) the build still succeeds,
    and `builder.extract.words` falls back to its Python twins (tests/extract/test_words.py compares them)."""
    copy = tmp_path / "repo"
    shutil.copytree(REPO / "builder", copy / "builder", ignore=shutil.ignore_patterns("*.so", "__pycache__"))
    for name in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copy(REPO / name, copy / name)
    environment = {**os.environ, "CC": "/bin/false"}
    built = subprocess.run(
        [sys.executable, "setup.py", "build_ext", "--inplace"],
        cwd=copy,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    assert "failed" in built.stderr and not list((copy / "builder").rglob("*.so"))
    probe = "from builder.extract import words; print(words.COMPILED, words.word_count('a b  c'))"
    ran = subprocess.run([sys.executable, "-c", probe], cwd=copy, capture_output=True, text=True, check=True)
    assert ran.stdout.split() == ["False", "3"]


def _python_files():
    for folder in ("builder", "benchmarks", "tests"):
        yield from sorted((REPO / folder).rglob("*.py"))


def test_modules_and_functions_stay_short():
    """House rules: no module over 400 lines, no function over 60, at most 8 modules directly in builder/."""
    import ast

    too_long = []
    for path in _python_files():
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(REPO).as_posix()
        if len(text.splitlines()) > 400:
            too_long.append(f"{name}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno >= 60:
                too_long.append(f"{name}:{node.lineno} {node.name}: {node.end_lineno - node.lineno + 1} lines")
    assert too_long == []
    assert len(list((REPO / "builder").glob("*.py"))) <= 8
