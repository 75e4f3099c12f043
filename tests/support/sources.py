"""The product's source files, found recursively, so moving a module can never hide it from the
checks that scan code (catalogue keys, escaping, layer rules)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_DIRS = ("pages", "components", "employdash")


def product_sources(*dirs: str) -> list[Path]:
    """Every .py file of app.py and the given top-level folders (all product folders by default)."""
    chosen = dirs or PRODUCT_DIRS
    files = [ROOT / "app.py"] if not dirs else []
    for folder in chosen:
        files += sorted((ROOT / folder).rglob("*.py"))
    return files
