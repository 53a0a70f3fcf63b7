"""Organisations, users and their tokens in the database: what the admin manages.

Nothing here reads candidate data; the admin sees none. A token is stored only
as its hash (:func:`service.auth.issue_token`); the plain token leaves once, in
the answer that issues it.
"""

from __future__ import annotations

import re

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, object_session

from service.auth import issue_token
from service.errors import Refused, not_found
from service.schemas import IssuedToken, Organisation, TokenInfo, UserIn, UserOut
from service.tables import Organisation as OrganisationRow
from service.passwords import hash_password
from service.tables import Token, User, WebSession, utcnow


def find_organisation(session: Session, organisation_id: str) -> OrganisationRow | None:
    return session.get(OrganisationRow, organisation_id)


def create_organisation(session: Session, organisation_id: str, name: str) -> Organisation:
    row = OrganisationRow(id=organisation_id, name=name, created_at=utcnow())
    session.add(row)
    return Organisation(id=row.id, name=row.name, created_at=row.created_at)


def organisations(session: Session) -> list[Organisation]:
    rows = session.execute(select(OrganisationRow).order_by(OrganisationRow.id)).scalars()
    return [Organisation(id=r.id, name=r.name, created_at=r.created_at) for r in rows]


def user_out(u: User) -> UserOut:
    return UserOut(id=u.id, name=u.name, role=u.role, organisation_id=u.organisation_id, active=u.active,
                   created_at=u.created_at)


def issued_token(token: Token, plain: str) -> IssuedToken:
    return IssuedToken(token_id=token.id, user_id=token.user_id, token=plain, expires_at=token.expires_at)


USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


def username_problem(session: Session, username: str, user_id: int | None = None) -> str | None:
    """Why a username cannot be used (Dutch: the admin pages and the CLI show it), or None."""
    if not USERNAME.fullmatch(username):
        return ("2 tot 64 tekens: kleine letters, cijfers, punt, liggend streepje of koppelteken, "
                "beginnend met een letter of cijfer")
    other = session.execute(select(User.id).where(User.username == username)).scalar_one_or_none()
    if other is not None and other != user_id:
        return "deze gebruikersnaam is al in gebruik"
    return None


def username_for(session: Session, name: str) -> str:
    """A free username made from a display name ("Coach Demo" -> "coach.demo")."""
    base = re.sub(r"[^a-z0-9]+", ".", name.lower()).strip(".")[:56] or "gebruiker"
    if len(base) < 2:
        base = f"{base}.gebruiker"
    candidate, n = base, 1
    while session.execute(select(User.id).where(User.username == candidate)).first() is not None:
        n += 1
        candidate = f"{base}.{n}"
    return candidate


def set_login(session: Session, user: User, username: str | None, password: str | None) -> None:
    """Set the web login; a new password ends the user's open browser sessions.

    The caller checked ``username_problem`` and ``password_problem``; the plain
    password is hashed here and kept nowhere."""
    if username is not None:
        user.username = username
    if password is not None:
        user.password_hash = hash_password(password)
        end_sessions(session, user.id)


def end_sessions(session: Session, user_id: int) -> None:
    """Log the user out of every browser (password reset, deactivation)."""
    session.execute(delete(WebSession).where(WebSession.user_id == user_id))


def create_user_row(session: Session, body: UserIn, ttl_days: int,
                    with_token: bool = True) -> tuple[User, Token | None, str]:
    """The user and their first token (row and plain text).

    Refuses an unknown organisation itself, unlike the rest of the store:
    `spoormatch create-user` shares this and answers a refusal the same way.
    """
    if body.organisation_id is not None and session.get(OrganisationRow, body.organisation_id) is None:
        raise Refused("organisation_id: no organisation with this id")
    user = User(name=body.name, role=body.role, organisation_id=body.organisation_id, active=True,
                created_at=utcnow())
    session.add(user)
    # The token refers to the user's id.
    session.flush()
    if not with_token:
        # A person who logs in with a password needs no token; one can be issued later.
        return user, None, ""
    token, plain = issue_token(session, user, ttl_days)
    return user, token, plain


def users(session: Session) -> list[UserOut]:
    return [user_out(u) for u in session.execute(select(User).order_by(User.id)).scalars()]


def user_row(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise not_found("user")
    return user


def find_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def other_active_admins(session: Session, user: User) -> int:
    return session.execute(select(func.count()).select_from(User).where(
        User.role == "admin", User.active.is_(True), User.id != user.id)).scalar_one()


def update_user(user: User, name: str | None, active: bool | None) -> UserOut:
    """Change what is given; ``None`` leaves a field as it is."""
    if name is not None:
        user.name = name
    if active is not None:
        user.active = active
        if not active:
            end_sessions(object_session(user), user.id)
    return user_out(user)


def user_tokens(session: Session, user_id: int) -> list[TokenInfo]:
    """The user's tokens by id: when issued, expiring, revoked; never the tokens themselves."""
    rows = session.execute(select(Token).where(Token.user_id == user_id).order_by(Token.id)).scalars()
    return [TokenInfo(id=t.id, created_at=t.created_at, expires_at=t.expires_at, revoked_at=t.revoked_at)
            for t in rows]


def add_token(session: Session, user: User, ttl_days: int) -> IssuedToken:
    token, plain = issue_token(session, user, ttl_days)
    return issued_token(token, plain)


def revoke_token(session: Session, token_id: int) -> None:
    """Revoked at once; revoking again keeps the first time."""
    token = session.get(Token, token_id)
    if token is None:
        raise not_found("token")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
