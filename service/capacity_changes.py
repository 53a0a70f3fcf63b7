"""The belastbaarheid changes only by being stated.

A limit that disappears through an omission (a PUT without ``capacity``, a
``capacity`` dropped to ``null`` in a PATCH, an item left out of a new list) would
let the engine suggest work the candidate cannot do, without anyone having
decided so. So:

- a create or a replace must carry ``capacity`` (``{}`` states: no limits; the
  service's ``CandidateBody`` requires the field and the contract refuses null);
- a PATCH may not set ``capacity`` to ``null``; it lifts an item by naming it
  (``{"capacity": {"IV.13": null}}``) or by giving the norm (``0``, or ``[]``
  for an item of codes);
- a replace that leaves out an item that was limited is refused: the item must be
  given at the norm to lift it.

Every change that passes lands in the dossier, item by item with the old and
new value (``service.store.candidates.update_candidate``).
"""

from __future__ import annotations

from typing import Any, Mapping

from service.errors import Refused

_LIFT = "name the item to lift it, at the norm (0, or [] for codes)"


def _is_limit(value: Any) -> bool:
    return value not in (0, [], None, False)


def named_in_patch(patch: Mapping[str, Any]) -> set[str]:
    """Items a merge patch names for removal (``null``); refuses dropping ``capacity`` whole."""
    if "capacity" not in patch:
        return set()
    value = patch["capacity"]
    if value is None:
        raise Refused(f"capacity: cannot be removed with null; every limit would disappear. To lift a limit, {_LIFT}, "
                      'e.g. {"capacity": {"IV.13": null}}')
    if not isinstance(value, dict):
        return set()  # the model refuses it with its own message
    return {item for item, v in value.items() if v is None}


def refuse_silent_removals(before: Mapping[str, Any], after: Mapping[str, Any], named: set[str]) -> None:
    """Every item limited ``before`` must be in ``after`` or named in ``named``."""
    dropped = sorted(item for item, value in before.items()
                     if _is_limit(value) and item not in after and item not in named)
    if dropped:
        raise Refused(*(f"capacity.{item}: the limit ({before[item]!r}) would disappear without being named; {_LIFT}"
                        for item in dropped))
