"""Typed read-only views over a loaded toolkit definition.

The raw dict (`Toolkit.data`) is what the schema validated; these views give the rest of
the app (rules, wizard, PDFs) one way to walk Section 1 and Section 2 without knowing
each toolkit's layout.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from app.forms.marking import SCHEMES, MarkingScheme

NO_RISK_LABEL = "No risk identified"
# Where the published text lost an e-mail address (the web copy replaced it with a scraping
# placeholder), the definitions say so in these words instead of showing the placeholder.
LOST_ADDRESS = "address not given in the toolkit's published text: use your local address"
Band = Literal["low", "medium", "high"]
Marking = Literal["risk_evidenced", "cce_cse_level", "tick_comment"]


@dataclass(frozen=True)
class Examples:
    title: str | None
    low: str
    medium: str
    high: str


@dataclass(frozen=True)
class Item:
    """One Section 1 indicator or Section 2 factor."""

    id: str
    text: str
    section: int
    group_id: str
    group_title: str
    band: Band | None
    other: bool = False
    detail: tuple[str, ...] = ()
    examples: Examples | None = None
    implies: tuple[str, ...] = ()
    implies_column: str | None = None
    implies_reading: str | None = None


@dataclass(frozen=True)
class Field:
    id: str
    label: str
    type: str
    required: bool = False
    help: str | None = None
    options: tuple[tuple[str, str], ...] = ()
    columns: tuple[Mapping[str, Any], ...] = ()
    computed: str | None = None
    monitoring: bool = False
    implies: tuple[str, ...] = ()
    option_implies: tuple[tuple[str, tuple[str, ...]], ...] = ()
    subheading: str | None = None  # the printed form's heading above this field

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Field:
        return cls(
            id=raw["id"],
            label=raw["label"],
            type=raw["type"],
            required=bool(raw.get("required", False)),
            help=raw.get("help"),
            options=tuple((o["id"], o["label"]) for o in raw.get("options", ())),
            columns=tuple(raw.get("columns", ())),
            computed=raw.get("computed"),
            monitoring=bool(raw.get("monitoring", False)),
            implies=tuple(raw.get("implies", ())),
            option_implies=tuple(
                (o["id"], tuple(o["implies"])) for o in raw.get("options", ()) if o.get("implies")
            ),
            subheading=raw.get("subheading"),
        )

    def option_label(self, option_id: str) -> str | None:
        return dict(self.options).get(option_id)


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    band: Band | None
    items: tuple[Item, ...]
    kind: str | None = None  # "summary": entries only a summary form lists (Portsmouth Step 4)


@dataclass(frozen=True)
class Toolkit:
    """One version of one toolkit, as loaded and checked."""

    id: str
    title: str
    short_title: str
    version: str
    partnership: str
    source_date: str
    marking: Marking
    content_hash: str
    file: str
    data: Mapping[str, Any] = field(repr=False)
    section1_groups: tuple[Group, ...] = field(repr=False, default=())
    section2_groups: tuple[Group, ...] = field(repr=False, default=())

    @cached_property  # built once: the rules read them per case
    def section1_items(self) -> tuple[Item, ...]:
        return tuple(i for g in self.section1_groups for i in g.items)

    @cached_property  # built once: the rules read them per case
    def section2_items(self) -> tuple[Item, ...]:
        return tuple(i for g in self.section2_groups for i in g.items)

    def item(self, item_id: str) -> Item:
        for it in self.section1_items + self.section2_items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    @property
    def has_bands(self) -> bool:
        return any(g.band is not None for g in self.section1_groups)

    @cached_property  # built once: the rules read them per case
    def child_fields(self) -> tuple[Field, ...]:
        return tuple(Field.from_dict(f) for f in self.data["child_fields"])

    @cached_property  # built once: the rules read them per case
    def section1_fields(self) -> tuple[Field, ...]:
        return tuple(Field.from_dict(f) for f in self.data["section1"].get("fields", ()))

    @cached_property  # built once: the rules read them per case
    def section2_fields(self) -> tuple[Field, ...]:
        return tuple(Field.from_dict(f) for f in self.data["section2"].get("fields", ()))

    @cached_property  # built once: the rules read them per case
    def section2_columns(self) -> tuple[Mapping[str, Any], ...]:
        return tuple(self.data["section2"]["columns"])

    @cached_property  # built once: the rules read them per case
    def section3_fields(self) -> tuple[Field, ...]:
        return tuple(Field.from_dict(f) for f in self.data["section3"]["fields"])

    @cached_property  # built once: the rules read them per case
    def analysis_fields(self) -> tuple[Field, ...]:
        """Fields whose answers live under the case file's `analysis` key."""
        return self.section1_fields + self.section2_fields + self.section3_fields

    @property
    def rules(self) -> Mapping[str, Any]:
        rules: Mapping[str, Any] = self.data.get("rules", {})
        return rules

    def notes(self, where: str) -> Iterator[Mapping[str, Any]]:
        for note in self.data.get("notes", ()):
            if where in note["where"]:
                yield note

    def level_label(self, level: str) -> str:
        """The toolkit's own name for a level ("Low Risk" in Portsmouth), used everywhere."""
        levels: Mapping[str, Any] = self.data["levels"]
        if level in levels:
            return str(levels[level]["label"])
        if level == "none":
            return NO_RISK_LABEL
        return level.capitalize()

    @property
    def final_levels(self) -> tuple[str, ...]:
        """The levels a practitioner may record as final, in the toolkit's order."""
        default = ("none", *(k for k in self.data["levels"] if k != "none"))
        return tuple(self.data.get("final_levels", default))

    @property
    def marking_scheme(self) -> MarkingScheme:
        return SCHEMES[self.marking]

    @property
    def page_order(self) -> tuple[str, ...]:
        """The wizard's pages in the toolkit's own step order (Portsmouth: Step 2 first)."""
        default = ("child", "section1", "section2", "section3", "finish")
        return tuple(self.data.get("page_order", default))

    @property
    def intervention_strategies(self) -> Mapping[str, Any] | None:
        """The toolkit's intervention strategies (title and blocks of text and items), if any."""
        found: Mapping[str, Any] | None = self.data.get("intervention_strategies")
        return found

    @property
    def contacts(self) -> tuple[Mapping[str, Any], ...]:
        return tuple(self.data.get("contacts", ()))

    def contact_groups(self) -> list[tuple[str, list[Mapping[str, Any]]]]:
        """Contacts under their headings, in the toolkit's order."""
        groups: list[tuple[str, list[Mapping[str, Any]]]] = []
        for contact in self.contacts:
            heading = str(contact.get("group", ""))
            if not groups or groups[-1][0] != heading:
                groups.append((heading, []))
            groups[-1][1].append(contact)
        return groups
