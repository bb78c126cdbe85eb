"""The default corpus: news releases shipped inside the package (read-only)."""

from importlib.resources import files
from pathlib import Path


def seeds_path() -> Path:
    """Folder holding the packaged seed articles."""
    return Path(str(files(__name__)))
