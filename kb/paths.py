"""Every file location the package uses, resolved from this file."""

from __future__ import annotations

from pathlib import Path

__all__ = ["BUILD_DIR", "DATA_DIR", "DEFAULT_BIB", "ONTOLOGY", "REPO_ROOT", "SHAPES"]

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
DATA_DIR = PACKAGE_DIR / "data"
DEFAULT_BIB = REPO_ROOT / "references.bib"
ONTOLOGY = REPO_ROOT / "ontology" / "kb.ttl"
SHAPES = REPO_ROOT / "ontology" / "shapes.ttl"
BUILD_DIR = REPO_ROOT / "build"
