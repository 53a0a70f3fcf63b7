"""Administration: organisations, users and their tokens. The admin sees no candidate data."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Response
from sqlalchemy import func, select, update

from service import store
from service.auth import Principal, issue_token, role
from service.context import Ctx
from service.errors import Refused, documented, not_found
from service.schemas import (
    DbInt,
    IssuedToken,
    NewUser,
    Organisation,
    OrganisationIn,
    OrganisationList,
    TokenInfo,
    TokenList,
    TransferIn,
    TransferResult,
    UserIn,
    UserList,
    UserOut,
    UserUpdate,
)
from service.tables import CandidateRow, Token, User, utcnow
from service.tables import Organisation as OrganisationRow

router = APIRouter(prefix="/v1/admin", tags=["admin"])
Admin = Annotated[Principal, role("admin")]


def user_out(u: User) -> UserOut:
    return UserOut(id=u.id, name=u.name, role=u.role, organisation_id=u.organisation_id, active=u.active,
                   created_at=u.created_at)


def _user(session, user_id: int) -> User:
    u = session.get(User, user_id)
    if u is None:
        raise not_found("user")
    return u


@router.post("/organisations", status_code=201, response_model=Organisation, responses=documented(401, 403, 422),
             summary="Create an employer organisation")
def create_organisation(ctx: Ctx, admin: Admin, body: OrganisationIn) -> Organisation:
    with ctx.db.write() as tx:
        if tx.get(OrganisationRow, body.id) is not None:
            raise Refused("id: an organisation with this id already exists")
        row = OrganisationRow(id=body.id, name=body.name, created_at=utcnow())
        tx.add(row)
    return Organisation(id=row.id, name=row.name, created_at=row.created_at)


@router.get("/organisations", response_model=OrganisationList, responses=documented(401, 403),
            summary="List organisations")
def list_organisations(ctx: Ctx, admin: Admin) -> OrganisationList:
    with ctx.db.read() as session:
        rows = session.execute(select(OrganisationRow).order_by(OrganisationRow.id)).scalars()
        return OrganisationList(items=[Organisation(id=r.id, name=r.name, created_at=r.created_at) for r in rows])


def create_user_row(session, body: UserIn, ttl_days: int) -> tuple[User, Token, str]:
    """Shared with `spoormatch create-user`."""
    if body.organisation_id is not None and session.get(OrganisationRow, body.organisation_id) is None:
        raise Refused("organisation_id: no organisation with this id")
    user = User(name=body.name, role=body.role, organisation_id=body.organisation_id, active=True,
                created_at=utcnow())
    session.add(user)
    session.flush()
    token, plain = issue_token(session, user, ttl_days)
    return user, token, plain


@router.post("/users", status_code=201, response_model=NewUser, responses=documented(401, 403, 422),
             summary="Create a user; the answer carries their first token, shown once")
def create_user(ctx: Ctx, admin: Admin, body: UserIn) -> NewUser:
    with ctx.db.write() as tx:
        user, token, plain = create_user_row(tx.session, body, ctx.settings.token_ttl_days)
        out = NewUser(user=user_out(user), token=IssuedToken(token_id=token.id, user_id=user.id, token=plain,
                                                             expires_at=token.expires_at))
    return out


@router.get("/users", response_model=UserList, responses=documented(401, 403), summary="List users")
def list_users(ctx: Ctx, admin: Admin) -> UserList:
    with ctx.db.read() as session:
        return UserList(items=[user_out(u) for u in session.execute(select(User).order_by(User.id)).scalars()])


@router.patch("/users/{user_id}", response_model=UserOut, responses=documented(401, 403, 404, 422),
              summary="Rename or (de)activate a user")
def update_user(ctx: Ctx, admin: Admin, user_id: DbInt, body: UserUpdate) -> UserOut:
    with ctx.db.write() as tx:
        user = _user(tx.session, user_id)
        if body.active is False and user.role == "admin" and user.active:
            others = tx.execute(select(func.count()).select_from(User).where(
                User.role == "admin", User.active.is_(True), User.id != user.id)).scalar_one()
            if others == 0:
                raise Refused("active: the last active admin cannot be deactivated")
        if body.name is not None:
            user.name = body.name
        if body.active is not None:
            user.active = body.active
        out = user_out(user)
    return out


@router.get("/users/{user_id}/tokens", response_model=TokenList, responses=documented(401, 403, 404, 422),
            summary="A user's tokens (never the tokens themselves)")
def list_tokens(ctx: Ctx, admin: Admin, user_id: DbInt) -> TokenList:
    with ctx.db.read() as session:
        _user(session, user_id)
        rows = session.execute(select(Token).where(Token.user_id == user_id).order_by(Token.id)).scalars()
        return TokenList(items=[TokenInfo(id=t.id, created_at=t.created_at, expires_at=t.expires_at,
                                          revoked_at=t.revoked_at) for t in rows])


@router.post("/users/{user_id}/tokens", status_code=201, response_model=IssuedToken,
             responses=documented(401, 403, 404, 422), summary="Issue another token for a user")
def add_token(ctx: Ctx, admin: Admin, user_id: DbInt) -> IssuedToken:
    with ctx.db.write() as tx:
        user = _user(tx.session, user_id)
        token, plain = issue_token(tx.session, user, ctx.settings.token_ttl_days)
        out = IssuedToken(token_id=token.id, user_id=user.id, token=plain, expires_at=token.expires_at)
    return out


@router.delete("/tokens/{token_id}", status_code=204, response_class=Response,
               responses=documented(401, 403, 404, 422), summary="Revoke a token (effective at once)")
def revoke_token(ctx: Ctx, admin: Admin, token_id: DbInt) -> Response:
    with ctx.db.write() as tx:
        token = tx.get(Token, token_id)
        if token is None:
            raise not_found("token")
        if token.revoked_at is None:
            token.revoked_at = utcnow()
    return Response(status_code=204)


@router.post("/users/{user_id}/transfer-candidates", response_model=TransferResult,
             responses=documented(401, 403, 404, 422),
             summary="Hand all of a coach's candidates to another coach (e.g. when a coach leaves)")
def transfer_candidates(ctx: Ctx, admin: Admin, user_id: DbInt, body: TransferIn) -> TransferResult:
    with ctx.db.write() as tx:
        source = _user(tx.session, user_id)
        target = tx.get(User, body.to_user_id)
        problems = []
        if source.role != "coach":
            problems.append("user_id: not a coach")
        if target is None or target.role != "coach":
            problems.append("to_user_id: no coach with this id")
        elif target.id == source.id:
            problems.append("to_user_id: the same coach")
        if problems:
            raise Refused(*problems)
        clash = tx.execute(select(CandidateRow.id).where(
            CandidateRow.coach_id == source.id,
            CandidateRow.id.in_(select(CandidateRow.id).where(CandidateRow.coach_id == target.id)))).scalars().all()
        if clash:
            raise Refused(f"to_user_id: that coach already uses candidate ids {sorted(clash)[:20]}; nothing moved")
        pks = tx.execute(select(CandidateRow.pk).where(CandidateRow.coach_id == source.id)).scalars().all()
        tx.execute(update(CandidateRow).where(CandidateRow.coach_id == source.id).values(coach_id=target.id))
        for pk in pks:
            store.record_event(tx, pk, admin, "candidate_transferred", f"Overgedragen van {source.name} aan {target.name}",
                               {"from_user_id": source.id, "to_user_id": target.id})
    return TransferResult(moved=len(pks))
