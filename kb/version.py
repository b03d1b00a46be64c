"""The package's version (what a persistent store's digest and ``kb --version`` name)."""

__all__ = ["__version__"]

__version__ = "0.1.0"
