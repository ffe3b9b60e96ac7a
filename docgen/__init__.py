"""docgen: Thai official correspondence (หนังสือราชการ) from structured data to DOCX and PDF/A.

The library API (docs/api.md) is loaded lazily, so ``import docgen`` stays light:

>>> import docgen, importlib.metadata
>>> docgen.__version__ == importlib.metadata.version("docgen")      # the one version, pyproject's too
True
>>> sorted(docgen.__all__)       # doctest: +NORMALIZE_WHITESPACE
['BatchSummary', 'DocgenError', 'Entry', 'InputError', 'Issued', 'MessageError', 'Problem',
 'Register', 'Rendered', '__version__', 'check', 'issue', 'issue_batch', 'render']
"""
# The version, written once: pyproject.toml reads it from here (``dynamic = ["version"]``),
# so asking for it costs nothing (importlib.metadata alone takes ~0.1 s to import).
__version__ = "0.1.0"
__all__ = ["render", "check", "Rendered", "Problem", "InputError", "__version__",
           "Register", "issue", "issue_batch", "Entry", "Issued", "BatchSummary",
           "DocgenError", "MessageError"]
# ``render`` is the docgen.render package itself, made callable (docgen/render/__init__.py):
# ``from . import render`` inside docgen must keep meaning the package.  (So the batch entry
# point is ``issue_batch``: ``docgen.batch`` is the docgen.batch package.)
_LAZY = {"check": ("api", "check_letter"),
         "Rendered": ("api", "Rendered"), "Problem": ("errors", "Problem"),
         "InputError": ("errors", "InputError"), "DocgenError": ("errors", "DocgenError"),
         "MessageError": ("errors", "MessageError"),
         "Register": ("api", "Register"), "issue": ("api", "issue_letter"),
         "issue_batch": ("api", "issue_batch"), "Entry": ("api", "Entry"),
         "Issued": ("api", "Issued"), "BatchSummary": ("batch.run", "Summary")}


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
