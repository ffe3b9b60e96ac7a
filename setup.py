"""Build step of docgen's own: the message catalogs (docgen/locale/*/LC_MESSAGES/docgen.po) are
compiled to .mo with Babel when the package is built, so the wheel ships compiled catalogs and
the repository keeps only the .po sources.  Everything else is in pyproject.toml."""
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


def compile_catalogs(target: Path) -> list[str]:
    from babel.messages import mofile, pofile
    written = []
    for po in sorted(Path("docgen/locale").glob("*/LC_MESSAGES/docgen.po")):
        with po.open("rb") as f:
            catalog = pofile.read_po(f)
        out = target / po.with_suffix(".mo")
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("wb") as f:
            mofile.write_mo(f, catalog)
        written.append(str(out))
    if not written:
        raise SystemExit("docgen: no message catalogs in docgen/locale")
    return written


class BuildWithCatalogs(build_py):
    def run(self):
        super().run()
        # an editable install reads the package from the source tree: compile beside the .po
        target = Path(".") if getattr(self, "editable_mode", False) else Path(self.build_lib)
        self.announce(f"docgen: compiled {', '.join(compile_catalogs(target))}", level=2)

    def get_outputs(self, include_bytecode=True):
        extra = [str(Path(self.build_lib) / po.with_suffix(".mo"))
                 for po in Path("docgen/locale").glob("*/LC_MESSAGES/docgen.po")]
        return super().get_outputs(include_bytecode) + extra


setup(cmdclass={"build_py": BuildWithCatalogs})
