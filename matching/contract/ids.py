"""The one rule for ids: which characters a candidate, place, employer or organisation id may hold.

An id ends up in URL paths (``/v1/placements/{id}``), file names and web links, so
it must round-trip through a URL path unchanged and two different ids must never
look alike. The rule is the URL "unreserved" set: ``A-Z a-z 0-9 . _ ~ -``, 1 to 128
characters, starting with a letter or digit (so ``.`` and ``..``, which a path
would collapse, are impossible, and so is a leading ``~``, which marks the path
form of an id stored before the rule: see ``service.ids``).
"""

from __future__ import annotations

import re

ID_MAX_LENGTH = 128
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$"
ID_RULE = ("an id may hold only A-Z, a-z, 0-9 and . _ ~ - "
           f"(1 to {ID_MAX_LENGTH} characters, starting with a letter or digit)")

_VALID = re.compile(ID_PATTERN)
_ALLOWED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-")
# How much of a refused id a message echoes: enough to recognise it, never a whole essay.
_SHOWN = 40


def conforms(value: str) -> bool:
    return _VALID.match(value) is not None


def _shown(value: str) -> str:
    # repr() escapes what cannot be seen (a zero-width space, a right-to-left override),
    # so the message shows the difference the id hides.
    return repr(value if len(value) <= _SHOWN else value[:_SHOWN] + "…")


def id_problem(value: str) -> str | None:
    """Why ``value`` breaks the rule, in plain words with the rule itself; None when it conforms."""
    if conforms(value):
        return None
    if not value:
        reason = "'' is empty"
    elif len(value) > ID_MAX_LENGTH:
        reason = f"{_shown(value)} is {len(value)} characters long"
    else:
        bad = list(dict.fromkeys(ch for ch in value if ch not in _ALLOWED))
        if bad:
            reason = f"{_shown(value)} has " + ", ".join(repr(ch) for ch in bad[:5])
        else:
            reason = f"{_shown(value)} starts with {value[0]!r}"
    return f"{reason}; {ID_RULE}"
