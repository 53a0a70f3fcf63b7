"""The dossier's event log as people read it: labels, changes and the CSV export.

The re-integratiedossier must show what was tried: which places were suggested
and to whom, the coach's feedback, introductions with their motivations, and
changes of the belastbaarheid. Storing and reading the events is
:mod:`service.store.dossier`; this module needs no database.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from service.schemas import DossierEvent

CODE_LABELS = {
    "interesting": "interessant",
    "not_relevant": "niet relevant",
    "applied": "gesolliciteerd",
    "introduced": "voorgesteld aan de werkgever",
    "detachering_started": "detachering gestart",
    "placed": "geplaatst",
    "rejected_by_employer": "afgewezen door de werkgever",
    "withdrawn": "teruggetrokken",
}
FIELD_LABELS = {
    "home": "woonplaats", "max_travel_km": "maximale reisafstand", "capacity": "belastbaarheid",
    "education": "opleiding", "experience": "werkervaring", "skills": "vaardigheden", "wishes": "wensen",
    "sick_since": "eerste ziektedag", "first_year_evaluation": "eerstejaarsevaluatie",
    "spoor2_started": "start spoor 2",
}
CSV_COLUMNS = ("tijdstip", "gebeurtenis", "door", "rol", "omschrijving", "gegevens")
# Spreadsheet programs run a cell that starts with these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_csv(events: list[DossierEvent]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in events:
        writer.writerow([
            e.at.isoformat(), e.kind, _cell(e.actor), e.actor_role, _cell(e.summary),
            _cell(json.dumps(e.data, ensure_ascii=False, sort_keys=True)),
        ])
    return out.getvalue()


def changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Top-level fields whose value differs."""
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


def capacity_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        item: {"before": before.get(item), "after": after.get(item)}
        for item in sorted(set(before) | set(after))
        if before.get(item) != after.get(item)
    }
