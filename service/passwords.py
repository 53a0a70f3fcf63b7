"""Password hashes for the web app's users (argon2id, via argon2-cffi).

Only the hash is stored; the plain password is never logged or kept. A check
against an unknown user still spends the time of one verification, so the
answer's timing does not tell which usernames exist.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10
MAX_LENGTH = 200
_hasher = PasswordHasher()
_DUMMY = _hasher.hash("not a password of anyone: spends the time of one check")


def hash_password(plain: str) -> str:
    return _hasher.hash(plain)


def verify_password(stored: str | None, plain: str) -> bool:
    if not stored:
        try:
            _hasher.verify(_DUMMY, plain)
        except VerificationError:
            pass
        return False
    try:
        return _hasher.verify(stored, plain)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_problem(plain: str) -> str | None:
    """Why a new password is refused (Dutch, for the form), or None."""
    if len(plain) < MIN_LENGTH:
        return f"minstens {MIN_LENGTH} tekens"
    if len(plain) > MAX_LENGTH:
        return f"hoogstens {MAX_LENGTH} tekens"
    if plain.strip() != plain:
        return "begint of eindigt met een spatie"
    return None


def new_password() -> str:
    """A random password of about 96 bits that can be read out and typed."""
    return "-".join(secrets.token_urlsafe(6) for _ in range(3))
