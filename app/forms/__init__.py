"""Toolkit definitions as data: loading, checking and typed views."""

from app.forms.errors import DefinitionError, ErrorCode
from app.forms.loader import Registry, UnknownToolkitError, load_definition, load_registry
from app.forms.marking import SCHEMES, MarkingScheme
from app.forms.model import LOST_ADDRESS, NO_RISK_LABEL, Examples, Field, Group, Item, Toolkit
from app.forms.shared_files import (
    load_monitoring_fields,
    load_partnership,
    load_partnership_lists,
    shared_categories,
)

__all__ = [
    "LOST_ADDRESS",
    "NO_RISK_LABEL",
    "SCHEMES",
    "DefinitionError",
    "ErrorCode",
    "Examples",
    "Field",
    "Group",
    "Item",
    "MarkingScheme",
    "Registry",
    "Toolkit",
    "UnknownToolkitError",
    "load_definition",
    "load_monitoring_fields",
    "load_partnership",
    "load_partnership_lists",
    "load_registry",
    "shared_categories",
]
