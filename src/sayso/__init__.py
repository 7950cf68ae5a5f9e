"""sayso: on whose say-so? Figures from human-rights reporting, with their sources and evidence."""
__version__ = "0.1.0"
