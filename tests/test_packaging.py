"""Packaging files: the freedesktop entry, the PyInstaller recipe and its helpers.

PyInstaller itself is not run here (minutes); packaging/build.sh does that and checks the built app.
"""

from __future__ import annotations

import ast
import configparser
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGING = REPO / "packaging"
DESKTOP = PACKAGING / "vigstudio.desktop"
SPEC = PACKAGING / "vigstudio.spec"


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive in desktop entries
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_has_the_required_keys():
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "VIG Studio"
    assert entry["Exec"] == "vigstudio %f"
    assert entry["Icon"] == "vigstudio"
    assert entry["Terminal"] == "false"
    categories = entry["Categories"]
    assert categories.endswith(";")
    assert {"AudioVideo", "Video", "MedicalSoftware"} <= set(filter(None, categories.split(";")))
    # Icon=vigstudio must name a shipped icon (installers copy it into the hicolor theme)
    assert (REPO / "resources" / "icons" / "vigstudio.svg").is_file()


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_desktop_entry_passes_desktop_file_validate():
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    errors = [line for line in result.stdout.splitlines() if "error:" in line]
    assert result.returncode == 0 and not errors, result.stdout


def _spec_tree() -> ast.Module:
    return ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))


def _root_relative_paths(tree: ast.Module) -> list[Path]:
    """Every `ROOT / "a" / "b"` expression in the spec, as a path under the repository."""
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)):
            continue
        parts, left = [], node
        while isinstance(left, ast.BinOp) and isinstance(left.op, ast.Div):
            if not isinstance(left.right, ast.Constant):
                break
            parts.insert(0, left.right.value)
            left = left.left
        if isinstance(left, ast.Name) and left.id == "ROOT" and parts:
            found.append(REPO.joinpath(*parts))
    # keep only outermost chains (inner BinOps of `ROOT / "a" / "b"` are prefixes of it)
    return [p for p in found if not any(q != p and q.is_relative_to(p) for q in found)]


def test_spec_references_paths_that_exist():
    paths = _root_relative_paths(_spec_tree())
    relative = {p.relative_to(REPO).as_posix() for p in paths}
    assert {"vigstudio/__main__.py", "resources/icons", "vigstudio/store/migrations",
            "packaging/bundle_check.py"} <= relative
    missing = [str(p) for p in paths if not p.exists()]
    assert not missing, f"spec points at missing paths: {missing}"


def test_spec_puts_icons_where_the_resolver_looks():
    text = SPEC.read_text(encoding="utf-8")
    assert '(str(ICONS), "resources/icons")' in text  # vigstudio.ui.icons: <_MEIPASS>/resources/icons
    assert '"vigstudio/store/migrations"' in text  # next to vigstudio/store/migrate.py, read by Alembic


def test_spec_hidden_imports_exist():
    """A misspelt hidden import only shows up as a warning in a PyInstaller log; catch it here."""
    hidden = None
    for node in ast.walk(_spec_tree()):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "hiddenimports" for t in node.targets):
            hidden = [e.value for e in node.value.elts if isinstance(e, ast.Constant)]
    assert hidden, "no hiddenimports list in the spec"
    for name in ("sqlcipher3", "sqlalchemy.dialects.sqlite.pysqlcipher", "PySide6.QtMultimedia"):
        assert name in hidden
    missing = [name for name in hidden if importlib.util.find_spec(name) is None]
    assert not missing, f"hidden imports that do not exist: {missing}"


def test_build_script_is_executable_and_valid_bash():
    script = PACKAGING / "build.sh"
    assert os.access(script, os.X_OK)
    subprocess.run(["bash", "-n", str(script)], check=True)
    text = script.read_text()
    assert "pyinstaller>=6.6" in text and "--version" in text and "vigstudio-bundle-check" in text


def test_bundle_check_passes_from_the_source_checkout(tmp_path):
    """The smoke test the build runs against the frozen app must itself pass on a good environment."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, str(PACKAGING / "bundle_check.py")], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "bundle check: ok" in result.stdout
    assert list(tmp_path.iterdir()) == []  # it writes nothing
