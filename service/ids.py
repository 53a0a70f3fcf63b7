"""Ids in URL paths: a conforming id as itself, any other stored id in its ``~`` form.

New ids follow the id rule (``matching.contract.ids``) and so round-trip through
a path unchanged. A record stored before the rule may hold an id a path cannot
carry (``p-slash/1``: Starlette decodes ``%2F`` before routing, ``c/../x``
collapses). Its path form is ``~`` followed by the base64url (no padding) of the
UTF-8 id, which never depends on the id's characters; no new id starts with
``~``, so the two forms never clash. Every URL the service builds to a record
goes through :func:`path_id`; every id a route takes from a path through
:func:`from_path`.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator

from matching.contract.ids import ID_MAX_LENGTH, ID_PATTERN, ID_RULE, conforms, id_problem

ESCAPE = "~"
# Four UTF-8 bytes per character at most: the longest id's ~ form, and a bound on decoding.
_ESCAPED_MAX = 1 + (4 * ID_MAX_LENGTH * 4 + 2) // 3
PATH_PATTERN = rf"^(?:{ID_PATTERN[1:-1]}|~[A-Za-z0-9_-]{{2,{_ESCAPED_MAX - 1}}})$"
PATH_RULE = (f"{ID_RULE[:1].upper()}{ID_RULE[1:]}. An id stored before this rule is given as ~ followed by "
             "the base64url (no padding) of its UTF-8 bytes, e.g. p-slash/1 as ~cC1zbGFzaC8x.")
_ESCAPED = re.compile(r"^~[A-Za-z0-9_-]+$")


def path_id(record_id: str) -> str:
    """The path segment that reaches ``record_id``: the id itself when it follows the rule, else its ``~`` form."""
    if conforms(record_id):
        return record_id
    encoded = base64.urlsafe_b64encode(record_id.encode("utf-8", "surrogatepass")).decode("ascii")
    return ESCAPE + encoded.rstrip("=")


def from_path(segment: str) -> str:
    """The id a path segment names; ValueError (the reason in plain words) when it names none."""
    if conforms(segment):
        return segment
    if not segment.startswith(ESCAPE):
        raise ValueError(f"{id_problem(segment)}; an id stored before this rule is given as ~ and "
                         "the base64url of the id")
    if len(segment) > _ESCAPED_MAX or not _ESCAPED.match(segment):
        raise ValueError(f"{segment[:40]!r} is not ~ followed by the base64url (no padding) of an id")
    body = segment[1:]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        record_id = raw.decode("utf-8", "surrogatepass")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValueError(f"{segment[:40]!r} is not ~ followed by the base64url (no padding) of a UTF-8 id") from None
    if conforms(record_id):
        raise ValueError(f"{segment[:40]!r} names {record_id!r}, which a path gives as itself")
    # One spelling per id: what no id was ever stored as (empty, control characters,
    # too long) or a second spelling of an id is refused rather than looked up.
    if not record_id or len(record_id) > ID_MAX_LENGTH or any(
            unicodedata.category(ch) == "Cc" for ch in record_id) or path_id(record_id) != segment:
        raise ValueError(f"{segment[:40]!r} does not name an id (empty, too long, control characters, "
                         "or not the one spelling path_id gives)")
    return record_id


# An id in a web page's path: the page's route gets the id itself; a segment that
# names no id is a page that does not exist (``service.web`` answers 404).
PathId = Annotated[str, AfterValidator(from_path)]
