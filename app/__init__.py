"""CRE Toolkit: offline child exploitation risk assessments."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cre-toolkit")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
