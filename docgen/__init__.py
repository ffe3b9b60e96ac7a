"""docgen: Thai official correspondence (หนังสือราชการ) from structured data to DOCX and PDF/A.

The library API (docs/api.md) is loaded lazily, so ``import docgen`` stays light:

>>> import docgen, sys
>>> docgen.__version__ == _installed_version() or docgen.__version__ == "0+unknown"
True
>>> sorted(docgen.__all__)
['InputError', 'Problem', 'Rendered', '__version__', 'check', 'render']
"""
from importlib import metadata as _metadata


def _installed_version() -> str:
    try:
        return _metadata.version("docgen")
    except _metadata.PackageNotFoundError:      # run from a source tree that was never installed
        return "0+unknown"


__version__ = _installed_version()
__all__ = ["render", "check", "Rendered", "Problem", "InputError", "__version__"]
# ``render`` is the docgen.render package itself, made callable (docgen/render/__init__.py):
# ``from . import render`` inside docgen must keep meaning the package
_LAZY = {"check": ("api", "check_letter"),
         "Rendered": ("api", "Rendered"), "Problem": ("errors", "Problem"),
         "InputError": ("errors", "InputError")}


def __getattr__(name: str):
    if name == "render":
        from importlib import import_module
        return import_module(f"{__name__}.render")
    if name in _LAZY:
        from importlib import import_module
        module, attr = _LAZY[name]
        value = getattr(import_module(f"{__name__}.{module}"), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'docgen' has no attribute {name!r}")
