"""The belastbaarheid as a form: one fieldset per FML rubriek, as a coach copies it
from the bedrijfsarts's FML, and back to the contract's ``capacity`` dict.

Field names are ``capacity.<item id>``. ORD and LAT items are a select of their
levels, CAT and COND items checkboxes of their codes, BIN items one checkbox
("beperkt"). An item left at the norm is left out of the dict: absent means norm.
Values are checked against the catalogue here, so the form can say in Dutch which
item is wrong instead of passing the library's English message on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData

from matching.reference.fml import BIN, CAT, COND, LAT, ORD, FmlItem, load_catalogue
from service.web.forms import FormErrors, text, texts

PREFIX = "capacity."


@dataclass(frozen=True)
class ItemField:
    """One FML item as the form shows it."""

    id: str
    name: str
    type: str
    options: list[tuple[str, str]]  # (value, Dutch text)

    @property
    def field(self) -> str:
        return PREFIX + self.id


@dataclass(frozen=True)
class Rubriek:
    id: str
    name: str
    items: list[ItemField]


def _level_text(item: FmlItem, code: int) -> str:
    # IV.3's last code carries a note for all codes ("— each ... namelijk"); the form shows the code only.
    return item.levels.get(code, "").split(" — ")[0].strip()


def _options(item: FmlItem) -> list[tuple[str, str]]:
    if item.type in (ORD, LAT):
        out = []
        for level in sorted(item.levels):
            words = _level_text(item, level)
            if level == 0:
                words = "normaalwaarde" + (f": {words}" if words else "")
            out.append((str(level), f"{level} – {words}" if words else str(level)))
        return out
    if item.type in (CAT, COND):
        return [(str(c), _level_text(item, c)) for c in item.codes]
    return [("1", "beperkt")]


def rubrieken() -> list[Rubriek]:
    """The catalogue in FML order, grouped per rubriek."""
    groups: dict[str, Rubriek] = {}
    for item in load_catalogue().items.values():
        group = groups.setdefault(item.rubriek, Rubriek(item.rubriek, item.rubriek_name, []))
        group.items.append(ItemField(item.id, item.name, item.type, _options(item)))
    return list(groups.values())


def field_map() -> dict[str, str]:
    """Item id (as the library's messages name it) -> form field."""
    return {item_id: PREFIX + item_id for item_id in load_catalogue().items}


def values_of(capacity: dict[str, Any]) -> dict[str, Any]:
    """Form values of a capacity dict: a string for ORD/LAT/BIN, a list of strings for CAT/COND."""
    fml = load_catalogue()
    out: dict[str, Any] = {}
    for item_id, value in capacity.items():
        if item_id not in fml:
            continue
        if isinstance(value, list):
            out[item_id] = [str(v) for v in value]
        elif isinstance(value, bool):
            out[item_id] = "1" if value else "0"
        else:
            out[item_id] = str(value)
    return out


def values_from_form(form: FormData) -> dict[str, Any]:
    """What was posted, as the form shows it again after a refusal."""
    fml = load_catalogue()
    out: dict[str, Any] = {}
    for item_id, item in fml.items.items():
        name = PREFIX + item_id
        if item.type in (CAT, COND):
            out[item_id] = texts(form, name, 10)
        else:
            out[item_id] = text(form, name, 10)
    return out


def parse(form: FormData, errors: FormErrors, before: dict[str, Any] | None = None) -> dict[str, Any]:
    """The capacity dict the form describes. An item at the norm is left out, unless
    ``before`` held it: saving an unchanged form then changes nothing (and writes no
    "belastbaarheid gewijzigd" into the dossier), and a limit the coach set back to
    the norm is named at the norm, as lifting a limit must be
    (:mod:`service.capacity_changes`)."""
    before = before or {}
    capacity: dict[str, Any] = {}
    for item_id, item in load_catalogue().items.items():
        name = PREFIX + item_id
        if item.type in (CAT, COND):
            raw = texts(form, name, 10)
            try:
                codes = sorted({int(v) for v in raw})
            except ValueError:
                errors.add(name, f"{item.name}: kies uit de genoemde mogelijkheden")
                continue
            if any(c not in item.codes for c in codes):
                errors.add(name, f"{item.name}: kies uit de genoemde mogelijkheden")
                continue
            if codes or item_id in before:
                capacity[item_id] = codes
            continue
        raw_one = text(form, name, 10)
        if raw_one == "":
            level = 0
        else:
            try:
                level = int(raw_one)
            except ValueError:
                errors.add(name, f"{item.name}: kies een van de niveaus")
                continue
        valid = (0, 1) if item.type == BIN else tuple(item.levels)
        if level not in valid:
            errors.add(name, f"{item.name}: kies een van de niveaus")
            continue
        if level != 0 or item_id in before:
            capacity[item_id] = level
    return capacity


def summary(capacity: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The limits in words, FML order: (item id, item name, what the level means)."""
    fml = load_catalogue()
    out = []
    for item_id, item in fml.items.items():
        if item_id not in capacity:
            continue
        value = capacity[item_id]
        if item.type in (CAT, COND):
            if not value:
                continue
            words = "; ".join(_level_text(item, c) for c in value)
        elif not value:
            continue
        elif item.type == BIN:
            words = "beperkt"
        elif item.type == LAT:
            words = _level_text(item, value)
        else:
            words = f"niveau {value}: {item.phrase(value)}"
        out.append((item_id, item.name, words))
    return out
