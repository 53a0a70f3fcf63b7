"""The service's database access: what the routes read and write, one module per resource.

Routes parse the request, call the store inside the transaction they open
(``ctx.db.read()`` or ``ctx.db.write()``), raise the HTTP refusals and shape the
answer. The store never opens, commits or rolls back a transaction: where one
request reads and writes is decided by the route, so the transaction
boundaries stay visible in one place.

Conventions:

- Functions take the session (or the write transaction, which offers the same
  API) first, then typed arguments; they return rows or API objects.
- A record the request names by id that does not exist *or is not the
  caller's* raises :func:`service.errors.not_found` here, in the look-up that
  filters by owner (``*_row``, ``employer_introduction``,
  ``require_candidate_pk``), so no route can forget that someone else's record
  is a 404. Look-ups whose absence is not a 404 (``find_*``, ``has_*``,
  ``active_introduction``) return ``None`` or a bool and leave the answer to
  the route.
- Rule checks (:class:`service.errors.Refused`) are the routes', with one
  exception: :func:`create_user_row`, which the command line shares.
- A write records its dossier event in the same call, so the event cannot be
  forgotten and commits (or not) with the change.
"""

from service.store.accounts import (
    add_token,
    create_organisation,
    create_user_row,
    end_sessions,
    find_organisation,
    find_user,
    issued_token,
    organisations,
    other_active_admins,
    revoke_token,
    set_login,
    update_user,
    user_out,
    user_row,
    user_tokens,
    username_for,
    username_problem,
    users,
)
from service.store.candidates import (
    candidate_body,
    candidate_page,
    candidate_row,
    create_candidate,
    erase_candidate,
    finish_erasure,
    has_candidate,
    own_employer_places,
    require_candidate_pk,
    set_candidate_body,
    shared_candidate_ids,
    timeline_dates,
    transfer_candidates,
    update_candidate,
)
from service.store.digests import coach_digest_items
from service.store.dossier import dossier_export, record_export, record_served
from service.store.dossier_log import events_of, record_event
from service.store.feedback import (
    add_feedback,
    feedback_list,
    feedback_out,
    feedback_row,
    hidden_places,
    introduction_state,
    record_feedback,
    undo_feedback,
)
from service.store.introductions import (
    active_introduction,
    active_introduction_count,
    create_introduction,
    decide_introduction,
    employer_introduction,
    employer_introductions,
    employer_view,
    pseudonym_for,
    withdraw_introduction,
)
from service.store.nightly import nightly_list, recent_runs
from service.store.placements import (
    create_placement,
    find_placement,
    placement_body,
    placement_json,
    placement_of,
    placement_page,
    placement_row,
    write_placement,
)

__all__ = [
    "active_introduction",
    "active_introduction_count",
    "add_feedback",
    "add_token",
    "candidate_body",
    "candidate_page",
    "candidate_row",
    "coach_digest_items",
    "create_candidate",
    "create_introduction",
    "create_organisation",
    "create_placement",
    "create_user_row",
    "end_sessions",
    "set_login",
    "username_for",
    "username_problem",
    "decide_introduction",
    "dossier_export",
    "employer_introduction",
    "employer_introductions",
    "employer_view",
    "erase_candidate",
    "events_of",
    "feedback_list",
    "feedback_out",
    "feedback_row",
    "find_organisation",
    "find_placement",
    "find_user",
    "finish_erasure",
    "has_candidate",
    "hidden_places",
    "introduction_state",
    "issued_token",
    "nightly_list",
    "organisations",
    "other_active_admins",
    "own_employer_places",
    "placement_body",
    "placement_json",
    "placement_of",
    "placement_page",
    "placement_row",
    "pseudonym_for",
    "recent_runs",
    "record_event",
    "record_export",
    "record_feedback",
    "record_served",
    "require_candidate_pk",
    "revoke_token",
    "set_candidate_body",
    "shared_candidate_ids",
    "timeline_dates",
    "transfer_candidates",
    "undo_feedback",
    "update_candidate",
    "update_user",
    "user_out",
    "user_row",
    "user_tokens",
    "users",
    "withdraw_introduction",
    "write_placement",
]
