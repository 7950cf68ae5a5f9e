"""sayso: on whose say-so? Figures from human-rights reporting, with their sources and evidence.

>>> import sayso
>>> record = sayso.extract("More than 1,500 protesters were killed in November, Reuters reported.")
"""
__version__ = "0.1.0"

from sayso.api import extract, extract_many  # noqa: E402

__all__ = ["extract", "extract_many", "__version__"]
