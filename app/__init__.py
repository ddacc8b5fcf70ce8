"""CRE Toolkit: offline child exploitation risk assessments."""

from typing import Any


def __getattr__(name: str) -> Any:
    """`__version__` on first use: importlib.metadata costs ~40-80 ms of every start."""
    if name != "__version__":
        raise AttributeError(f"module 'app' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("cre-toolkit")
    except PackageNotFoundError:  # running from a source tree that was never installed
        found = "0.0.0+source"
    globals()["__version__"] = found
    return found
