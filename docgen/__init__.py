"""docgen: Thai official correspondence (หนังสือราชการ) from structured data to DOCX and PDF/A.

>>> import docgen
>>> docgen.__version__ == _installed_version() or docgen.__version__ == "0+unknown"
True
"""
from importlib import metadata as _metadata


def _installed_version() -> str:
    try:
        return _metadata.version("docgen")
    except _metadata.PackageNotFoundError:      # run from a source tree that was never installed
        return "0+unknown"


__version__ = _installed_version()
