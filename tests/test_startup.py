"""Start-up stays light (issue 9): what a new process imports.  The times themselves are
measured from an installed wheel by benchmarks/startup_bench.py (benchmarks/results/startup.md)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RENDERING_STACK = {"weasyprint", "docx", "docxtpl", "pythainlp", "jinja2", "fontTools", "PIL",
                   "sqlalchemy", "openpyxl", "pikepdf"}


def _imported(code: str, cwd: Path) -> set[str]:
    """The top-level packages a new interpreter has imported after running ``code``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCGEN_")}
    env.update(HOME=str(cwd), XDG_CONFIG_HOME=str(cwd / ".config"))     # no user docgen.toml
    script = code + "\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], cwd=cwd, env=env, check=True,
                         capture_output=True, text=True).stdout.split()
    return {name.split(".")[0] for name in out}


def test_import_docgen_loads_no_rendering_stack(tmp_path):
    assert _imported("import docgen", tmp_path) & RENDERING_STACK == set()


def test_render_without_a_register_never_imports_sqlalchemy(tmp_path):
    """`docgen render` builds every command (the register's too) and checks a numbered draft
    against the register only when one is configured: SQLAlchemy is not needed."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    loaded = _imported(
        "from docgen.cli import main\n"
        "assert main(['render', 'examples/01_external_references.yaml', '-o', 'out']) == 0",
        tmp_path)
    assert {"weasyprint", "docx"} <= loaded               # it did render
    assert "sqlalchemy" not in loaded
    assert (tmp_path / "out" / "01_external_references.pdf").is_file()
