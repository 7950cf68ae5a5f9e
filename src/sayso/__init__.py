"""sayso: on whose say-so? Figures from human-rights reporting, with their sources and evidence.

>>> import sayso
>>> record = sayso.extract("More than 1,500 protesters were killed in November, Reuters reported.")

spaCy loads on the first extraction, not on ``import sayso``: the ledger's commands and the
workbench start without it.
"""
__version__ = "0.1.0"

import sayso.extract  # noqa: E402,F401  (the extraction stage, a package: bound before the function named alike)
from sayso.api import extract, extract_many  # noqa: E402

__all__ = ["extract", "extract_many", "__version__"]
