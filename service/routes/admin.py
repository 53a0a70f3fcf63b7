"""Administration: organisations, users and their tokens. The admin sees no candidate data."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Response

from service import store
from service.auth import Principal, role
from service.context import Ctx
from service.errors import Refused, documented
from service.schemas import (
    DbInt,
    IssuedToken,
    NewUser,
    Organisation,
    OrganisationIn,
    OrganisationList,
    TokenList,
    TransferIn,
    TransferResult,
    UserIn,
    UserList,
    UserOut,
    UserUpdate,
)

router = APIRouter(prefix="/v1/admin", tags=["admin"])
Admin = Annotated[Principal, role("admin")]


@router.post("/organisations", status_code=201, response_model=Organisation, responses=documented(401, 403, 422),
             summary="Create an employer organisation")
def create_organisation(ctx: Ctx, admin: Admin, body: OrganisationIn) -> Organisation:
    with ctx.db.write() as tx:
        if store.find_organisation(tx, body.id) is not None:
            raise Refused("id: an organisation with this id already exists")
        out = store.create_organisation(tx, body.id, body.name)
    return out


@router.get("/organisations", response_model=OrganisationList, responses=documented(401, 403),
            summary="List organisations")
def list_organisations(ctx: Ctx, admin: Admin) -> OrganisationList:
    with ctx.db.read() as session:
        return OrganisationList(items=store.organisations(session))


@router.post("/users", status_code=201, response_model=NewUser, responses=documented(401, 403, 422),
             summary="Create a user; the answer carries their first token, shown once")
def create_user(ctx: Ctx, admin: Admin, body: UserIn) -> NewUser:
    with ctx.db.write() as tx:
        user, token, plain = store.create_user_row(tx, body, ctx.settings.token_ttl_days)
        out = NewUser(user=store.user_out(user), token=store.issued_token(token, plain))
    return out


@router.get("/users", response_model=UserList, responses=documented(401, 403), summary="List users")
def list_users(ctx: Ctx, admin: Admin) -> UserList:
    with ctx.db.read() as session:
        return UserList(items=store.users(session))


@router.patch("/users/{user_id}", response_model=UserOut, responses=documented(401, 403, 404, 422),
              summary="Rename or (de)activate a user")
def update_user(ctx: Ctx, admin: Admin, user_id: DbInt, body: UserUpdate) -> UserOut:
    with ctx.db.write() as tx:
        user = store.user_row(tx, user_id)
        if body.active is False and user.role == "admin" and user.active:
            if store.other_active_admins(tx, user) == 0:
                raise Refused("active: the last active admin cannot be deactivated")
        out = store.update_user(user, body.name, body.active)
    return out


@router.get("/users/{user_id}/tokens", response_model=TokenList, responses=documented(401, 403, 404, 422),
            summary="A user's tokens (never the tokens themselves)")
def list_tokens(ctx: Ctx, admin: Admin, user_id: DbInt) -> TokenList:
    with ctx.db.read() as session:
        store.user_row(session, user_id)
        return TokenList(items=store.user_tokens(session, user_id))


@router.post("/users/{user_id}/tokens", status_code=201, response_model=IssuedToken,
             responses=documented(401, 403, 404, 422), summary="Issue another token for a user")
def add_token(ctx: Ctx, admin: Admin, user_id: DbInt) -> IssuedToken:
    with ctx.db.write() as tx:
        user = store.user_row(tx, user_id)
        out = store.add_token(tx, user, ctx.settings.token_ttl_days)
    return out


@router.delete("/tokens/{token_id}", status_code=204, response_class=Response,
               responses=documented(401, 403, 404, 422), summary="Revoke a token (effective at once)")
def revoke_token(ctx: Ctx, admin: Admin, token_id: DbInt) -> Response:
    with ctx.db.write() as tx:
        store.revoke_token(tx, token_id)
    return Response(status_code=204)


@router.post("/users/{user_id}/transfer-candidates", response_model=TransferResult,
             responses=documented(401, 403, 404, 422),
             summary="Hand all of a coach's candidates to another coach (e.g. when a coach leaves)")
def transfer_candidates(ctx: Ctx, admin: Admin, user_id: DbInt, body: TransferIn) -> TransferResult:
    with ctx.db.write() as tx:
        source = store.user_row(tx, user_id)
        target = store.find_user(tx, body.to_user_id)
        problems = []
        if source.role != "coach":
            problems.append("user_id: not a coach")
        if target is None or target.role != "coach":
            problems.append("to_user_id: no coach with this id")
        elif target.id == source.id:
            problems.append("to_user_id: the same coach")
        if problems:
            raise Refused(*problems)
        clash = store.shared_candidate_ids(tx, source.id, target.id)
        if clash:
            raise Refused(f"to_user_id: that coach already uses candidate ids {sorted(clash)[:20]}; nothing moved")
        moved = store.transfer_candidates(tx, admin, source, target)
    return TransferResult(moved=moved)
