"""Toolkit definitions as data: loading, checking and typed views."""

from app.forms.errors import DefinitionError, ErrorCode
from app.forms.loader import Registry, UnknownToolkitError, load_definition, load_registry
from app.forms.model import Examples, Field, Group, Item, Toolkit

__all__ = [
    "DefinitionError",
    "ErrorCode",
    "Examples",
    "Field",
    "Group",
    "Item",
    "Registry",
    "Toolkit",
    "UnknownToolkitError",
    "load_definition",
    "load_registry",
]
