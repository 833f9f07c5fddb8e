"""The permission matrix: every URL of the project × every role × GET and POST (architecture principle 4).

Expected outcomes are data, and exact: `login` = sent to the login page, otherwise the status code —
`404` outside the persona's scope, `403` visible but not permitted, `405` a method the URL does not serve,
`400` an empty form refused, `302` done and sent on, `200` served. Every row names every persona for GET
and for POST. A test also fails when a URL exists that the matrix does not list, so a new page cannot ship
without its permissions being decided here. `MATRIX_DUMP=file.json` writes what the code answers today.
"""

from __future__ import annotations

import datetime
import json
import os
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.api.world import add_api_ledger, add_tokens
from tests.coaching.world import add_coaching
from tests.competitions.world import add_competitions
from tests.directory.world import add_directory
from tests.events_attendance.world import add_attendance
from tests.events_feedback.world import add_feedback
from tests.events_pages.world import add_event_pages
from tests.factories import make_user
from tests.portal.world import add_portal
from tests.programmes.world import programmes_world
from tests.proposals.world import add_proposals
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.accounts.models import Role, RoleGrant
from yunghap.activities import services as ledger
from yunghap.core.messenger import notify
from yunghap.events.feedback import answer_link_token
from yunghap.introductions import services as introductions
from yunghap.matching import posting_services, searches
from yunghap.matching.models import Capability, Posting
from yunghap.network.models import Membership
from yunghap.surveys import services as surveys

ROLES = [
    "anon",
    "central",
    "seoul",
    "busan",
    "officer",
    "firm",
    "coordinator",
    "reviewer",
    "nobody",
    # Personas that attackers and careless users are: a firm that left the Seoul group years ago, a user
    # holding two roles (officer of the Busan group and user of a Seoul member firm), a deactivated user.
    "former",
    "tworoles",
    "inactive",
]
# Exact outcomes: "login" = sent to the login page; otherwise the status code ("302": any other redirect).
OUTCOMES = {"200", "302", "400", "403", "404", "405", "login"}


def signed_in(outcome: str, **overrides: str) -> dict[str, str]:
    """`outcome` for every signed-in persona; the anonymous and the deactivated user go to the login page."""
    return {**dict.fromkeys(ROLES, outcome), "anon": "login", "inactive": "login", **overrides}


def everyone(outcome: str, **overrides: str) -> dict[str, str]:
    """Pages that do not ask who you are (login, language switch)."""
    return {**dict.fromkeys(ROLES, outcome), **overrides}


def row(base: dict[str, str], **overrides: str) -> dict[str, str]:
    return {**base, **overrides}


ALL_200 = signed_in("200")


# A POST-only action answers GET with 405; a read-only page answers POST with 405.
ALL_405 = signed_in("405")
STAFF_ONLY = signed_in("403", central="200", seoul="200", busan="200")
CENTRAL_ONLY = signed_in("403", central="200")
NOT_FOUND = signed_in("404")
# A Seoul group's shared pages: its region, its officer, its current members' users and its coordinator.
# The firm that left the group in 2010 sees none of them any more.
SEOUL_GROUP_READ = signed_in("200", busan="404", reviewer="404", nobody="404", former="404")
# Changing a Seoul group's records: central, Seoul staff and the group's officer. An officer of another
# group who is also the user of a member firm reads as the firm, never as an officer here.
SEOUL_GROUP_WRITE = row(SEOUL_GROUP_READ, firm="403", coordinator="403", tworoles="403")
SEOUL_GROUP_DELETE = row(SEOUL_GROUP_WRITE, central="302", seoul="302", officer="302")
# Statistics of one group: those who keep its records.
SEOUL_STATS = SEOUL_GROUP_WRITE
# The survey is answered by group officers and followed up by federation staff.
SURVEY_PEOPLE = row(STAFF_ONLY, officer="200", tworoles="200")
# A firm's posting: the firm and central staff edit it; staff of its region and its coordinator only see it.
POSTING_EDIT = row(NOT_FOUND, central="200", firm="200", tworoles="200", seoul="403", coordinator="403")
# The account of a Seoul firm's user (the account pages are staff work).
ACCOUNT_OF_SEOUL = row(STAFF_ONLY, busan="404")
# Pages of a firm's own user (postings): every firm user, whether or not the firm is still a member.
FIRM_USERS = signed_in("403", firm="200", former="200", tworoles="200")
# A draft application led by the firm persona's firm: its users change it; staff and its coordinator see it.
LEAD_DRAFT = row(NOT_FOUND, central="403", seoul="403", coordinator="403", firm="200", tworoles="200")


# Coaching (helper 4): coordinators and federation staff; a coordinator's session with the Seoul group.
COACHING_PEOPLE = signed_in("403", central="200", seoul="200", busan="200", coordinator="200")
COORDINATOR_ONLY = signed_in("403", coordinator="200")
SEOUL_SESSION = row(NOT_FOUND, central="200", seoul="200", coordinator="200")
SEOUL_SESSION_WRITE = row(SEOUL_SESSION, central="403", seoul="403")
MENTORING_LIST = row(COACHING_PEOPLE, firm="200", former="200", tworoles="200")
PAIR_READ = row(NOT_FOUND, central="200", seoul="200", coordinator="200", firm="200", tworoles="200")


# url name → (kwargs builder, GET expectations, POST expectations); every persona in every cell.
# An agreement of the firm persona's firm (helper 2's funds): who sees its money.
FUNDS_READ = signed_in("404", central="200", seoul="200", firm="200", coordinator="200", tworoles="200")
# Competitions (helper H5): the Seoul competition's managers; who may enter (a group's officer, a consortium's
# lead firm's users); the Seoul group's entry as its readers and its maker see it.
COMPETITION_MANAGERS = signed_in("403", central="200", seoul="200")
COMPETITION_ENTRANTS = signed_in("403", officer="200", firm="200", tworoles="200")
GROUP_ENTRY_READ = row(NOT_FOUND, central="200", seoul="200", officer="200", reviewer="200")
GROUP_ENTRY_MAKER = row(GROUP_ENTRY_READ, central="403", seoul="403", reviewer="403")
# Events (issue 11, helper H2): the Seoul federation's event — visible to the Seoul region's people, run by
# central and Seoul staff; the `firm` persona's registrations — its person, its firm's users, central staff.
EVENT_SEOUL_RUN = row(
    NOT_FOUND,
    central="200",
    seoul="200",
    officer="403",
    firm="403",
    coordinator="403",
    former="403",
    tworoles="403",
)
REGISTRATION_OF_FIRM = row(NOT_FOUND, central="200", firm="200", tworoles="200")
MATRIX: dict[str, tuple[Any, dict[str, str], dict[str, str]]] = {
    # --- network registry
    "network:home": (None, ALL_200, ALL_200),
    "network:group_list": (None, ALL_200, ALL_200),
    "network:group_create": (None, STAFF_ONLY, STAFF_ONLY),
    "network:group_detail": (lambda w: {"code": "seoul-a"}, SEOUL_GROUP_READ, SEOUL_GROUP_READ),
    "network:group_edit": (lambda w: {"code": "seoul-a"}, SEOUL_GROUP_WRITE, SEOUL_GROUP_WRITE),
    "network:membership_create": (lambda w: {"code": "seoul-a"}, SEOUL_GROUP_WRITE, SEOUL_GROUP_WRITE),
    "network:membership_edit": (lambda w: {"pk": w["membership"].pk}, SEOUL_GROUP_WRITE, SEOUL_GROUP_WRITE),
    "network:firm_list": (None, ALL_200, ALL_200),
    # Staff register firms; an officer (also the two-role user, as officer of the Busan group) a new member's.
    "network:firm_create": (
        None,
        row(STAFF_ONLY, officer="200", tworoles="200"),
        row(STAFF_ONLY, officer="200", tworoles="200"),
    ),
    # A Seoul member firm: its own user edits its profile; only its own federation's staff and central edit it.
    "network:firm_detail": (
        lambda w: {"brn": w["member_firm"].brn},
        row(SEOUL_GROUP_READ, coordinator="200"),
        row(SEOUL_GROUP_READ, coordinator="200"),
    ),
    "network:firm_edit": (
        lambda w: {"brn": w["member_firm"].brn},
        row(SEOUL_GROUP_READ, officer="403", coordinator="403"),
        row(SEOUL_GROUP_READ, officer="403", coordinator="403"),
    ),
    "network:federation_list": (None, ALL_200, ALL_200),
    "network:federation_detail": (lambda w: {"code": "seoul"}, SEOUL_GROUP_READ, SEOUL_GROUP_READ),
    # --- activity ledger of the Seoul group: one of its shared pages, whoever sees the group reads it
    "activities:group_ledger": (lambda w: {"code": "seoul-a"}, SEOUL_GROUP_READ, SEOUL_GROUP_READ),
    "activities:meeting_list": (lambda w: {"code": "seoul-a"}, SEOUL_GROUP_READ, SEOUL_GROUP_READ),
    "activities:meeting_create": (lambda w: {"code": "seoul-a"}, SEOUL_GROUP_WRITE, SEOUL_GROUP_WRITE),
    "activities:trade_list": (lambda w: {"code": "seoul-a"}, SEOUL_GROUP_READ, SEOUL_GROUP_READ),
    "activities:trade_create": (lambda w: {"code": "seoul-a"}, SEOUL_GROUP_WRITE, SEOUL_GROUP_WRITE),
    "activities:outcome_list": (lambda w: {"code": "seoul-a"}, SEOUL_GROUP_READ, SEOUL_GROUP_READ),
    "activities:outcome_create": (lambda w: {"code": "seoul-a"}, SEOUL_GROUP_WRITE, SEOUL_GROUP_WRITE),
    "activities:activity_list": (lambda w: {"code": "seoul-a"}, SEOUL_GROUP_READ, SEOUL_GROUP_READ),
    "activities:activity_create": (lambda w: {"code": "seoul-a"}, SEOUL_GROUP_WRITE, SEOUL_GROUP_WRITE),
    "activities:meeting_detail": (lambda w: {"pk": w["meeting"].pk}, SEOUL_GROUP_READ, SEOUL_GROUP_READ),
    "activities:meeting_edit": (lambda w: {"pk": w["meeting"].pk}, SEOUL_GROUP_WRITE, SEOUL_GROUP_WRITE),
    # Deleting asks first (GET: what will be deleted); a POST without the page's one-time token is a 400.
    "activities:meeting_delete": (
        lambda w: {"pk": w["meeting"].pk},
        SEOUL_GROUP_WRITE,
        row(SEOUL_GROUP_WRITE, central="400", seoul="400", officer="400"),
    ),
    "activities:entry_delete": (
        lambda w: {"kind": "outcome", "pk": w["outcome"].pk},
        SEOUL_GROUP_WRITE,
        row(SEOUL_GROUP_WRITE, central="400", seoul="400", officer="400"),
    ),
    "activities:outcome_evidence": (lambda w: {"pk": w["outcome"].pk}, SEOUL_GROUP_READ, SEOUL_GROUP_READ),
    # --- annual survey
    "surveys:index": (None, SURVEY_PEOPLE, SURVEY_PEOPLE),
    # An empty form opens no year: 400 for central staff, who alone may open one.
    # An empty form is shown again with its errors: 200 on every form (issue 8 §8, docs/decisions.md).
    "surveys:open": (None, ALL_405, row(CENTRAL_ONLY, central="200")),
    "surveys:status": (lambda w: {"year": 2025}, STAFF_ONLY, STAFF_ONLY),
    # Closing and reminding ask first (GET: what will happen); a POST without the page's token is a 400.
    "surveys:close": (lambda w: {"year": 2025}, CENTRAL_ONLY, row(CENTRAL_ONLY, central="400")),
    # Without a region in the form only central staff may remind every group at once.
    "surveys:remind": (lambda w: {"year": 2025}, CENTRAL_ONLY, row(CENTRAL_ONLY, central="400")),
    # The answer page sends each person on to their group's form.
    "surveys:answer": (
        lambda w: {"year": 2025},
        row(SURVEY_PEOPLE, central="302", seoul="302", busan="302", officer="302", tworoles="302"),
        row(SURVEY_PEOPLE, central="302", seoul="302", busan="302", officer="302", tworoles="302"),
    ),
    # Staff follow the answer up; only the group's officer (and central staff) submit it: an empty one is shown
    # again with its errors (200).
    "surveys:group_answer": (
        lambda w: {"year": 2025, "code": "seoul-a"},
        SEOUL_STATS,
        row(SEOUL_GROUP_WRITE, central="200", seoul="403", officer="200"),
    ),
    # --- statistics
    "insights:trends": (None, STAFF_ONLY, STAFF_ONLY),
    "insights:survey": (None, STAFF_ONLY, STAFF_ONLY),
    "insights:print": (None, STAFF_ONLY, STAFF_ONLY),
    "insights:group": (lambda w: {"code": "seoul-a"}, SEOUL_STATS, SEOUL_STATS),
    # --- matching vocabulary (staff keep it)
    "matching:vocabulary_list": (None, STAFF_ONLY, STAFF_ONLY),
    "matching:vocabulary_create": (None, STAFF_ONLY, STAFF_ONLY),
    "matching:vocabulary_edit": (lambda w: {"pk": w["capability"].pk}, STAFF_ONLY, STAFF_ONLY),
    "matching:vocabulary_delete": (
        lambda w: {"pk": w["capability"].pk},
        STAFF_ONLY,
        row(STAFF_ONLY, central="302", seoul="302", busan="302"),
    ),
    # --- postings and introductions
    "introductions:home": (None, signed_in("302"), ALL_405),
    "introductions:caseload": (None, signed_in("403", coordinator="200"), ALL_405),
    # Only coordinators work a caseload: for every other role it is a 403, whatever the firm.
    "introductions:caseload_firm": (
        lambda w: {"pk": w["member_firm"].pk},
        signed_in("403", coordinator="200"),
        ALL_405,
    ),
    # An empty form names no need or partner to introduce: not found, for the coordinator who may introduce.
    "introductions:create": (None, ALL_405, signed_in("403", coordinator="404")),
    "introductions:list": (None, ALL_200, ALL_405),
    "matching:posting_list": (None, FIRM_USERS, ALL_405),
    "matching:posting_create": (
        None,
        FIRM_USERS,
        signed_in("403", firm="200", former="200", tworoles="200"),
    ),
    "matching:posting_edit": (
        lambda w: {"pk": w["posting"].pk},
        POSTING_EDIT,
        POSTING_EDIT,
    ),
    # Review falls to the firm's coordinators, else its region's staff, else central (matching.review):
    # everyone of those three kinds has a queue. The Seoul member's posting is its coordinator's; Seoul staff
    # see it but do not review it, Busan staff do not see it.
    "matching:review_queue": (
        None,
        signed_in("403", central="200", seoul="200", busan="200", coordinator="200"),
        ALL_405,
    ),
    "matching:posting_review": (
        lambda w: {"pk": w["posting"].pk},
        ALL_405,
        signed_in("403", central="302", coordinator="302", busan="404"),
    ),
    "matching:saved_search_list": (
        None,
        signed_in("200", officer="403", reviewer="403", nobody="403"),
        signed_in("200", officer="403", reviewer="403", nobody="403"),
    ),
    "matching:saved_search_detail": (
        lambda w: {"pk": w["search"].pk},
        row(NOT_FOUND, firm="200"),
        row(NOT_FOUND, firm="200"),
    ),
    "matching:saved_search_delete": (
        lambda w: {"pk": w["search"].pk},
        ALL_405,
        row(NOT_FOUND, firm="302"),
    ),
    # The introduction of a Seoul member firm: both firms, its coordinator, Seoul and central staff.
    "introductions:detail": (
        lambda w: {"pk": w["introduction"].pk},
        row(NOT_FOUND, central="200", seoul="200", firm="200", coordinator="200", tworoles="200"),
        ALL_405,
    ),
    "introductions:act": (
        lambda w: {"pk": w["introduction"].pk, "action": "accept"},
        ALL_405,
        row(NOT_FOUND, central="403", seoul="403", firm="302", coordinator="403", tworoles="302"),
    ),
    # --- notifications: everyone signed in has their own
    "core:notifications": (None, ALL_200, ALL_405),
    "core:notifications_unread": (None, everyone("200"), everyone("405")),  # anonymous: an empty count
    "core:notifications_read_all": (None, ALL_405, signed_in("302")),
    "core:notification_open": (lambda w: {"pk": w["notification"].pk}, ALL_405, row(NOT_FOUND, firm="302")),
    # --- spreadsheet import and export (federation staff)
    "transfer:home": (None, STAFF_ONLY, ALL_405),
    "transfer:import_check": (None, ALL_405, STAFF_ONLY),
    # An import job (here Seoul staff's, checked with one error) is its uploader's; for anyone else it is not
    # found. Pressing commit on it sends the uploader back to the job's page, which says why.
    "transfer:import_job": (lambda w: {"pk": w["import_job"].pk}, row(NOT_FOUND, seoul="200"), ALL_405),
    "transfer:import_progress": (
        lambda w: {"pk": w["import_job"].pk},
        row(NOT_FOUND, seoul="200"),
        ALL_405,
    ),
    "transfer:import_commit": (lambda w: {"pk": w["import_job"].pk}, ALL_405, row(NOT_FOUND, seoul="302")),
    "transfer:import_errors": (lambda w: {"pk": w["import_job"].pk}, row(NOT_FOUND, seoul="200"), ALL_405),
    "transfer:export": (lambda w: {"kind": "groups", "fmt": "csv"}, STAFF_ONLY, ALL_405),
    # --- accounts
    "accounts:login": (None, everyone("200"), everyone("200")),
    "accounts:logout": (None, everyone("405"), everyone("login")),  # back to the login page
    "accounts:profile": (None, ALL_200, ALL_200),
    "set_language": (None, everyone("302"), everyone("302")),
    "javascript_catalog": (None, everyone("200"), everyone("405")),
    # --- sessions and passwords
    # The countdown's status answers everyone (0 seconds when signed out); 연장 extends one's own session.
    "accounts:session_status": (None, everyone("200"), everyone("405")),
    "accounts:session_extend": (None, everyone("405"), signed_in("302")),
    "accounts:password_change": (None, ALL_200, ALL_200),
    "accounts:password_change_done": (None, ALL_200, ALL_405),
    # Reset is for people who cannot sign in: open to all; an invalid link is a page saying so.
    "accounts:password_reset": (None, everyone("200"), everyone("200")),
    "accounts:password_reset_done": (None, everyone("200"), everyone("405")),
    "accounts:password_reset_confirm": (
        lambda w: {"uidb64": "MQ", "token": "set-password"},
        everyone("200"),
        everyone("200"),
    ),
    "accounts:password_reset_complete": (None, everyone("200"), everyone("405")),
    # --- membership requests (finding 1): seoul-a asks the Busan firm to join; everyone has a (maybe empty) list
    "network:membership_request_list": (None, ALL_200, ALL_200),
    # Busan staff decide for their firm; Seoul's keepers sent it (visible, not theirs to accept).
    "network:membership_request_decide": (
        lambda w: {"pk": membership_request(w).pk, "action": "accept"},
        ALL_405,
        row(NOT_FOUND, central="302", busan="302", seoul="403", officer="403"),
    ),
    # --- personal-data access log (issue 7, finding 5): read-only pages, POST is 405 for the signed-in
    "accesslog:list": (None, CENTRAL_ONLY, ALL_405),
    "accesslog:download": (None, CENTRAL_ONLY, ALL_405),
    # A firm's own log: the firm and central staff; others who see the firm get 403, the rest 404.
    "accesslog:firm": (
        lambda w: {"brn": w["member_firm"].brn},
        row(SEOUL_GROUP_READ, seoul="403", officer="403", coordinator="403"),
        ALL_405,
    ),
    # --- second factor and account management (finding 6). The second factor is switched off here
    # (tests/conftest.py; tests/accounts test it), so its pages send everyone on.
    "accounts:otp_verify": (None, signed_in("302"), signed_in("302")),
    "accounts:otp_enrol": (None, signed_in("302"), signed_in("302")),
    "accounts:otp_recovery_codes": (None, signed_in("302"), signed_in("302")),
    "accounts:user_list": (None, STAFF_ONLY, STAFF_ONLY),
    "accounts:user_create": (None, STAFF_ONLY, STAFF_ONLY),
    # The account of a Seoul firm's user: central and Seoul staff manage it; Busan staff do not see it.
    "accounts:user_detail": (lambda w: {"pk": w["users"]["firm"].pk}, ACCOUNT_OF_SEOUL, ACCOUNT_OF_SEOUL),
    "accounts:grant_create": (lambda w: {"pk": w["users"]["firm"].pk}, ACCOUNT_OF_SEOUL, ACCOUNT_OF_SEOUL),
    # Revoking and deactivating ask first (GET: the confirmation page), then act (POST).
    "accounts:grant_revoke": (
        lambda w: {"pk": w["users"]["firm"].pk, "grant_pk": w["users"]["firm"].grants.get().pk},
        ACCOUNT_OF_SEOUL,
        row(ACCOUNT_OF_SEOUL, central="302", seoul="302"),
    ),
    "accounts:user_deactivate": (
        lambda w: {"pk": w["users"]["firm"].pk},
        ACCOUNT_OF_SEOUL,
        row(ACCOUNT_OF_SEOUL, central="302", seoul="302"),
    ),
    "accounts:user_reactivate": (
        lambda w: {"pk": w["users"]["firm"].pk},
        ALL_405,
        row(ACCOUNT_OF_SEOUL, central="302", seoul="302"),
    ),
    # Resetting a second factor is central staff's.
    "accounts:otp_reset": (
        lambda w: {"pk": w["users"]["firm"].pk},
        row(ACCOUNT_OF_SEOUL, seoul="403"),
        row(ACCOUNT_OF_SEOUL, central="302", seoul="403"),
    ),
    # --- page shell (issue 8, helper 2): the privacy policy is public, read-only
    "privacy": (None, everyone("200"), everyone("405")),
    # The menu badge's count: empty for those without a queue.
    "matching:review_count": (None, ALL_200, ALL_405),
    # --- issue 8 §6, firms reach matching: the board, profile cards, 소개 요청, coordinators' notes
    # The board: every network member (not reviewers or users without a role).
    "matching:board": (None, signed_in("200", reviewer="403", nobody="403"), ALL_405),
    # The Seoul member firm's card: whoever sees the firm in the registry (or an approved posting of it,
    # or an introduction with it); the firm that left the group no longer does.
    "introductions:firm_card": (
        lambda w: {"pk": w["member_firm"].pk},
        row(SEOUL_GROUP_READ, busan="404"),
        ALL_405,
    ),
    # Requests: firm users see theirs, coordinators and federation staff the ones they handle.
    "introductions:requests": (
        None,
        signed_in("200", officer="403", reviewer="403", nobody="403"),
        ALL_405,
    ),
    # Asking about the Seoul chair firm's approved offer: any firm user; an empty form is refused.
    "introductions:request_create": (
        lambda w: {"posting": approved_offer(w).pk},
        row(FIRM_USERS),
        row(FIRM_USERS),
    ),
    # The Seoul member firm's request: its coordinator (and central staff) introduce; the firm sees it.
    "introductions:request_act": (
        lambda w: {"pk": introduction_request(w).pk, "action": "introduce"},
        ALL_405,
        row(NOT_FOUND, central="302", coordinator="302", firm="403", tworoles="403"),
    ),
    # Notes: the introduction's coordinators write them (an empty one is refused); staff and firms may not.
    "introductions:note_add": (
        lambda w: {"pk": w["introduction"].pk},
        ALL_405,
        row(NOT_FOUND, central="403", seoul="403", firm="403", coordinator="200", tworoles="403"),
    ),
    # --- issue 8 §4, real files: an import kind's XLSX template, for those who may import that kind
    "transfer:import_template": (lambda w: {"kind": "firms"}, STAFF_ONLY, ALL_405),
    # --- issue 8 §2, safe actions (helper 3)
    # Undoing a deletion: those who may change the group's ledger; a POST without the page's token is a 400.
    "activities:entry_restore": (
        lambda w: {"kind": "trade", "pk": w["deleted_trade"].pk},
        SEOUL_GROUP_WRITE,
        row(SEOUL_GROUP_WRITE, central="400", seoul="400", officer="400"),
    ),
    # "수정 요청" of the Busan group's submitted answer: central staff and Busan staff; its officer (the
    # two-role user) sees the group but may not reopen; Seoul staff do not see the group.
    "surveys:response_reopen": (
        lambda w: {"year": 2025, "code": "busan-a"},
        row(NOT_FOUND, central="200", busan="200", tworoles="403"),
        row(NOT_FOUND, central="400", busan="400", tworoles="403"),
    ),
    # --- issue 9 §2, calls (helper 2): published calls are read by everyone signed in; central staff alone
    # create, edit, publish and correct (403 on the open call others see, 404 on the draft they do not).
    "programmes:home": (None, ALL_200, ALL_405),
    "programmes:call_list": (None, ALL_200, ALL_405),
    "programmes:call_detail": (lambda w: {"code": "c-open"}, ALL_200, ALL_405),
    # An empty form is shown again with its errors (200).
    "programmes:call_create": (None, CENTRAL_ONLY, CENTRAL_ONLY),
    "programmes:call_edit": (
        lambda w: {"code": "c-draft"},
        row(NOT_FOUND, central="200"),
        row(NOT_FOUND, central="200"),
    ),
    # Publishing asks first; a POST without the page's one-time token is a 400.
    "programmes:call_publish": (
        lambda w: {"code": "c-draft"},
        row(NOT_FOUND, central="200"),
        row(NOT_FOUND, central="400"),
    ),
    # The open call's correction: an empty form (no reason) is shown again with its errors.
    "programmes:call_correct": (lambda w: {"code": "c-open"}, CENTRAL_ONLY, CENTRAL_ONLY),
    "programmes:cost_category_list": (None, ALL_200, ALL_405),
    # --- Topics (유망과제, issue 9 item 1) -------------------------------------------------------------
    # Every signed-in user lists the topics they may see; proposing needs network access (firm users, group
    # officers, coordinators, staff). The proposed topic (by the `firm` persona for its firm) is seen by
    # staff and the users of that firm (the two-role user is one) only; its proposer may edit it while it is
    # proposed, staff always; screening is staff's (visible to the proposer, but 403).
    "programmes:topic_list": (None, ALL_200, ALL_405),
    "programmes:topic_create": (
        None,
        signed_in("200", reviewer="403", nobody="403"),
        signed_in("200", reviewer="403", nobody="403"),
    ),
    "programmes:topic_detail": (
        lambda w: {"code": w["proposed_topic"].code},
        row(NOT_FOUND, central="200", seoul="200", busan="200", firm="200", tworoles="200"),
        ALL_405,
    ),
    "programmes:topic_edit": (
        lambda w: {"code": w["proposed_topic"].code},
        row(NOT_FOUND, central="200", seoul="200", busan="200", firm="200", tworoles="200"),
        row(NOT_FOUND, central="200", seoul="200", busan="200", firm="200", tworoles="200"),
    ),
    "programmes:topic_screen": (
        lambda w: {"code": w["proposed_topic"].code},
        row(NOT_FOUND, central="200", seoul="200", busan="200", firm="403", tworoles="403"),
        row(NOT_FOUND, central="200", seoul="200", busan="200", firm="403", tworoles="403"),
    ),
    # --- programmes: the staff list of a call's applications and its download (helper 3). Staff only;
    # regional staff see the list restricted to applications led by firms of their region.
    "programmes:call_applications": (lambda w: {"code": w["call"].code}, STAFF_ONLY, ALL_405),
    "programmes:call_applications_download": (lambda w: {"code": w["call"].code}, STAFF_ONLY, ALL_405),
    # --- programmes: consortia and applications in the web interface (helper 4). The lead firm's users (the
    # firm persona and the two-role user) change their draft; staff of its region, central staff and the
    # coordinator of its group see it only (403); reviewers see the submitted one assigned to them.
    "programmes:application_start": (
        lambda w: {"code": w["call"].code},
        signed_in("403", firm="200", tworoles="200"),
        signed_in("403", firm="200", tworoles="200"),
    ),
    "programmes:application_list": (None, ALL_200, ALL_405),
    "programmes:application_detail": (
        lambda w: {"pk": w["application"].pk},
        row(
            NOT_FOUND,
            central="200",
            seoul="200",
            firm="200",
            coordinator="200",
            reviewer="200",
            tworoles="200",
        ),
        ALL_405,
    ),
    "programmes:application_edit": (lambda w: {"pk": w["draft_application"].pk}, LEAD_DRAFT, LEAD_DRAFT),
    "programmes:application_budget_check": (lambda w: {"pk": w["draft_application"].pk}, ALL_405, LEAD_DRAFT),
    "programmes:application_partners": (lambda w: {"pk": w["draft_application"].pk}, LEAD_DRAFT, LEAD_DRAFT),
    "programmes:application_partner_remove": (
        lambda w: {"pk": w["draft_application"].pk, "place": w["draft_partner_place"].pk},
        LEAD_DRAFT,
        row(LEAD_DRAFT, firm="400", tworoles="400"),
    ),
    "programmes:application_submit": (
        lambda w: {"pk": w["draft_application"].pk},
        LEAD_DRAFT,
        row(LEAD_DRAFT, firm="400", tworoles="400"),
    ),
    "programmes:application_withdraw": (
        lambda w: {"pk": w["application"].pk},
        row(LEAD_DRAFT, reviewer="403"),
        row(LEAD_DRAFT, reviewer="403", firm="400", tworoles="400"),
    ),
    # The Seoul chair firm's draft invites the firm persona's firm: its users answer; others who see it, 403.
    "programmes:place_respond": (lambda w: {"pk": w["invited_place"].pk}, LEAD_DRAFT, LEAD_DRAFT),
    # --- issue 9 §4, review without conflicts (helper 5)
    # The reviewer pool and the assignments are central staff's; a reviewer of the pool is 404 to others,
    # a published call's assignment page 403 (they see the call), the draft call's 404.
    "programmes:reviewer_list": (None, CENTRAL_ONLY, ALL_405),
    "programmes:reviewer_detail": (
        lambda w: {"pk": w["reviewer_profile"].pk},
        row(NOT_FOUND, central="200"),
        ALL_405,
    ),
    # An empty form (no 위촉 상태) is shown again with its errors.
    "programmes:reviewer_edit": (
        lambda w: {"pk": w["reviewer_profile"].pk},
        row(NOT_FOUND, central="200"),
        row(NOT_FOUND, central="200"),
    ),
    "programmes:reviewer_conflict_add": (
        lambda w: {"pk": w["reviewer_profile"].pk},
        ALL_405,
        row(NOT_FOUND, central="200"),
    ),
    "programmes:call_assignments": (lambda w: {"code": w["call"].code}, CENTRAL_ONLY, ALL_405),
    # Asks first (GET: what will be assigned); a POST without the page's one-time token is a 400.
    "programmes:call_assign_auto": (
        lambda w: {"code": w["call"].code},
        CENTRAL_ONLY,
        row(CENTRAL_ONLY, central="400"),
    ),
    # By hand: an empty form is shown again on the assignment page with its errors.
    "programmes:call_assign": (lambda w: {"code": w["call"].code}, ALL_405, CENTRAL_ONLY),
    "programmes:call_unassign": (
        lambda w: {"code": w["call"].code, "pk": w["assignment"].pk},
        CENTRAL_ONLY,
        row(CENTRAL_ONLY, central="400"),
    ),
    # The reviewer's side: their own assignments only (404 for everyone else, central staff included).
    "programmes:review_queue": (None, signed_in("403", reviewer="200"), ALL_405),
    # The world's assignment is declared: the page says so; posting again goes on to the scoring page.
    "programmes:review_declare": (
        lambda w: {"pk": w["assignment"].pk},
        row(NOT_FOUND, reviewer="200"),
        row(NOT_FOUND, reviewer="302"),
    ),
    # Open: the application and the score form; an empty form is shown again with its errors.
    "programmes:review_score": (
        lambda w: {"pk": w["assignment"].pk},
        row(NOT_FOUND, reviewer="200"),
        row(NOT_FOUND, reviewer="200"),
    ),
    "programmes:review_recuse": (
        lambda w: {"pk": w["assignment"].pk},
        row(NOT_FOUND, reviewer="200"),
        row(NOT_FOUND, reviewer="400"),
    ),
    # --- programmes: selection (선정). The proposal and its confirmation are central staff's (the call is
    # published: 403 for everyone else); confirming an open call is refused on the page, a POST without the
    # page's token is a 400. The decision record is read by federation staff; an applicant's result by the
    # consortium's firms and the staff who see the application (404 before the decision).
    "programmes:selection_proposal": (lambda w: {"code": w["call"].code}, CENTRAL_ONLY, ALL_405),
    "programmes:selection_confirm": (
        lambda w: {"code": w["closed_call"].code},
        CENTRAL_ONLY,
        row(CENTRAL_ONLY, central="400"),
    ),
    "programmes:selection_record": (lambda w: {"code": w["decided_call"].code}, STAFF_ONLY, ALL_405),
    "programmes:selection_record_download": (
        lambda w: {"code": w["decided_call"].code},
        STAFF_ONLY,
        ALL_405,
    ),
    "programmes:application_result": (
        lambda w: {"pk": w["decided_application"].pk},
        row(NOT_FOUND, central="200", seoul="200", firm="200", tworoles="200", coordinator="403"),
        ALL_405,
    ),
    # --- issue 9, programmes: the coordinator's part of consortia (helper 7)
    # The caseload of consortia: coordinators (their groups' leads) and central staff (all, by coordinator).
    "programmes:coordinator_caseload": (None, signed_in("403", central="200", coordinator="200"), ALL_405),
    # Pre-planning notes of 새영테크's application: its consortium's firm users read them, the Seoul group's
    # coordinator and central staff write them (an empty form is refused in the page); Seoul staff see the
    # application but not the notes; reviewers never, even the assigned one.
    "programmes:pre_planning": (
        lambda w: {"pk": w["application"].pk},
        row(NOT_FOUND, central="200", seoul="403", firm="200", coordinator="200", tworoles="200"),
        row(NOT_FOUND, central="200", seoul="403", firm="403", coordinator="200", tworoles="403"),
    ),
    # --- issue 10, coaching (helper 4)
    # The caseload and the session list: coordinators and federation staff. Only coordinators log sessions.
    "coaching:caseload": (None, COACHING_PEOPLE, ALL_405),
    "coaching:session_list": (None, COACHING_PEOPLE, ALL_405),
    "coaching:session_create": (None, COORDINATOR_ONLY, COORDINATOR_ONLY),
    # The coordinator's session with the Seoul group: central and Seoul staff read it, its coordinator changes
    # it (an empty form is re-shown; a step marked done is sent back to the page).
    "coaching:session_detail": (lambda w: {"pk": w["coaching_session"].pk}, SEOUL_SESSION, ALL_405),
    "coaching:session_edit": (
        lambda w: {"pk": w["coaching_session"].pk},
        SEOUL_SESSION_WRITE,
        SEOUL_SESSION_WRITE,
    ),
    "coaching:next_step_add": (
        lambda w: {"pk": w["coaching_session"].pk},
        ALL_405,
        SEOUL_SESSION_WRITE,
    ),
    "coaching:note_add": (lambda w: {"pk": w["coaching_session"].pk}, ALL_405, SEOUL_SESSION_WRITE),
    "coaching:next_step_done": (
        lambda w: {"pk": w["coaching_step"].pk},
        ALL_405,
        row(SEOUL_SESSION_WRITE, coordinator="302"),
    ),
    "coaching:settings": (None, CENTRAL_ONLY, CENTRAL_ONLY),
    # Mentoring: the Seoul chair firm (senior) and the firm persona's firm (junior), proposed. Managers (staff
    # of the region, the groups' coordinator, central) move it; the firms' users log sessions and reviews.
    "coaching:mentorship_list": (None, MENTORING_LIST, ALL_405),
    "coaching:mentorship_create": (None, COACHING_PEOPLE, COACHING_PEOPLE),
    "coaching:mentor_suggestions": (None, COACHING_PEOPLE, ALL_405),
    "coaching:mentorship_detail": (lambda w: {"pk": w["mentorship"].pk}, PAIR_READ, ALL_405),
    "coaching:mentorship_move": (
        lambda w: {"pk": w["mentorship"].pk, "move": "activate"},
        ALL_405,
        row(PAIR_READ, central="302", seoul="302", coordinator="302", firm="403", tworoles="403"),
    ),
    "coaching:mentoring_session_add": (
        lambda w: {"pk": w["mentorship"].pk},
        ALL_405,
        row(PAIR_READ, central="403", seoul="403", coordinator="403"),
    ),
    "coaching:mentorship_review": (
        lambda w: {"pk": w["mentorship"].pk},
        ALL_405,
        row(PAIR_READ, central="403", seoul="403", coordinator="403"),
    ),
    # --- issue 10 §1, agreements (helper 1). The world's agreement (c-agreed-001) is led by the firm
    # persona's firm: who sees it reads it (visible_to: central, Seoul staff, the group's coordinator, the
    # member firms' users); only member firms' users confirm; the lead firm's users request changes; the
    # lead and central staff keep milestones; central staff decide changes and make agreements. Outside the
    # scope 404, a visible agreement one may not change 403; a POST without the page's token 400.
    "programmes:agreement_list": (None, ALL_200, ALL_405),
    "programmes:agreement_detail": (
        lambda w: {"pk": w["agreed"].pk},
        row(NOT_FOUND, central="200", seoul="200", firm="200", coordinator="200", tworoles="200"),
        ALL_405,
    ),
    "programmes:agreement_confirm": (
        lambda w: {"pk": w["agreed"].pk},
        row(NOT_FOUND, central="403", seoul="403", firm="200", coordinator="403", tworoles="200"),
        row(NOT_FOUND, central="403", seoul="403", firm="400", coordinator="403", tworoles="400"),
    ),
    "programmes:agreement_milestone_add": (
        lambda w: {"pk": w["agreed"].pk},
        row(NOT_FOUND, central="200", seoul="403", firm="200", coordinator="403", tworoles="200"),
        row(NOT_FOUND, central="200", seoul="403", firm="200", coordinator="403", tworoles="200"),
    ),
    "programmes:agreement_milestone_done": (
        lambda w: {"pk": w["agreed"].pk, "milestone": w["agreed_milestone"].pk},
        ALL_405,
        row(NOT_FOUND, central="302", seoul="403", firm="302", coordinator="403", tworoles="302"),
    ),
    "programmes:agreement_change_create": (
        lambda w: {"pk": w["agreed"].pk},
        row(NOT_FOUND, central="403", seoul="403", firm="200", coordinator="403", tworoles="200"),
        row(NOT_FOUND, central="403", seoul="403", firm="200", coordinator="403", tworoles="200"),
    ),
    "programmes:agreement_change_detail": (
        lambda w: {"pk": w["agreed_change"].pk},
        row(NOT_FOUND, central="200", seoul="200", firm="200", coordinator="200", tworoles="200"),
        ALL_405,
    ),
    "programmes:agreement_change_decide": (
        lambda w: {"pk": w["agreed_change"].pk},
        row(NOT_FOUND, central="200", seoul="403", firm="403", coordinator="403", tworoles="403"),
        row(NOT_FOUND, central="400", seoul="403", firm="403", coordinator="403", tworoles="403"),
    ),
    "programmes:agreement_change_withdraw": (
        lambda w: {"pk": w["agreed_change"].pk},
        row(NOT_FOUND, central="403", seoul="403", firm="200", coordinator="403", tworoles="200"),
        row(NOT_FOUND, central="403", seoul="403", firm="400", coordinator="403", tworoles="400"),
    ),
    # The payment plan is central staff's; an empty form is shown again with its errors.
    "programmes:agreement_payment_plan": (
        lambda w: {"pk": w["agreed"].pk},
        row(NOT_FOUND, central="200", seoul="403", firm="403", coordinator="403", tworoles="403"),
        row(NOT_FOUND, central="200", seoul="403", firm="403", coordinator="403", tworoles="403"),
    ),
    "programmes:call_agreements_create": (
        lambda w: {"code": w["decided_call"].code},
        CENTRAL_ONLY,
        row(CENTRAL_ONLY, central="400"),
    ),
    # --- issue 10 §2–3, matching funds and settlement (helper 2). The funds page and the evidence files: those
    # who see the agreement (its firms, the Seoul staff of its lead, the lead's coordinator, central staff);
    # others 404. Members and central staff record deposits and spending, central staff payments (an empty
    # form is shown again on the page, 200); the settlement is federation staff's, closed by central staff.
    "programmes:agreement_funds": (lambda w: {"pk": w["funds_agreement"].pk}, FUNDS_READ, ALL_405),
    "programmes:fund_deposit_add": (
        lambda w: {"pk": w["funds_agreement"].pk},
        ALL_405,
        row(FUNDS_READ, seoul="403", coordinator="403"),
    ),
    "programmes:fund_payment_add": (
        lambda w: {"pk": w["funds_agreement"].pk},
        ALL_405,
        row(FUNDS_READ, seoul="403", coordinator="403", firm="403", tworoles="403"),
    ),
    "programmes:fund_spending_add": (
        lambda w: {"pk": w["funds_agreement"].pk},
        ALL_405,
        row(FUNDS_READ, seoul="403", coordinator="403"),
    ),
    "programmes:spending_evidence": (lambda w: {"pk": w["funds_spending"].pk}, FUNDS_READ, ALL_405),
    "programmes:settlement_detail": (
        lambda w: {"pk": w["funds_agreement"].pk},
        row(FUNDS_READ, firm="403", coordinator="403", tworoles="403"),
        ALL_405,
    ),
    # Asks first; a POST without the page's one-time token is a 400.
    "programmes:settlement_close": (
        lambda w: {"pk": w["funds_agreement"].pk},
        row(FUNDS_READ, seoul="403", firm="403", coordinator="403", tworoles="403"),
        row(FUNDS_READ, central="400", seoul="403", firm="403", coordinator="403", tworoles="403"),
    ),
    "programmes:settlement_overdue": (None, STAFF_ONLY, ALL_405),
    "programmes:receivable_list": (None, STAFF_ONLY, ALL_405),
    "programmes:receivable_repay": (
        lambda w: {"pk": w["receivable"].pk},
        row(FUNDS_READ, seoul="403", firm="403", coordinator="403", tworoles="403"),
        row(FUNDS_READ, seoul="403", firm="403", coordinator="403", tworoles="403"),
    ),
    "programmes:call_settlement_download": (lambda w: {"code": w["funds_call"].code}, STAFF_ONLY, ALL_405),
    # --- issue 10, programmes: reports, grades, results and follow-ups (helper 3). 새영테크 leads the
    # agreement: its users (firm, tworoles) submit reports and record results; central staff review, skip
    # and grade; Seoul staff and the Seoul coordinator read (403 on changes); everyone else, the Busan staff
    # and the officer included, gets a 404. An empty POST re-shows the form (200).
    "programmes:agreement_reports": (
        lambda w: {"pk": w["progress_agreement"].pk},
        row(NOT_FOUND, central="200", seoul="200", firm="200", tworoles="200", coordinator="200"),
        ALL_405,
    ),
    "programmes:report_submit": (
        lambda w: {"pk": w["progress_final"].pk},
        row(NOT_FOUND, central="403", seoul="403", firm="200", tworoles="200", coordinator="403"),
        row(NOT_FOUND, central="403", seoul="403", firm="200", tworoles="200", coordinator="403"),
    ),
    "programmes:report_review": (
        lambda w: {"pk": w["progress_interim"].pk},
        row(NOT_FOUND, central="200", seoul="403", firm="403", tworoles="403", coordinator="403"),
        row(NOT_FOUND, central="200", seoul="403", firm="403", tworoles="403", coordinator="403"),
    ),
    "programmes:report_skip": (
        lambda w: {"pk": w["progress_final"].pk},
        row(NOT_FOUND, central="200", seoul="403", firm="403", tworoles="403", coordinator="403"),
        row(NOT_FOUND, central="200", seoul="403", firm="403", tworoles="403", coordinator="403"),
    ),
    "programmes:report_file": (
        lambda w: {"pk": w["progress_interim"].pk},
        row(NOT_FOUND, central="200", seoul="200", firm="200", tworoles="200", coordinator="200"),
        ALL_405,
    ),
    "programmes:agreement_grade": (
        lambda w: {"pk": w["progress_agreement"].pk},
        row(NOT_FOUND, central="200", seoul="403", firm="403", tworoles="403", coordinator="403"),
        row(NOT_FOUND, central="200", seoul="403", firm="403", tworoles="403", coordinator="403"),
    ),
    "programmes:agreement_indicators": (
        lambda w: {"pk": w["progress_agreement"].pk},
        row(NOT_FOUND, central="200", seoul="403", firm="200", tworoles="200", coordinator="403"),
        row(NOT_FOUND, central="200", seoul="403", firm="200", tworoles="200", coordinator="403"),
    ),
    "programmes:followup_answer": (
        lambda w: {"pk": w["progress_followup"].pk},
        row(NOT_FOUND, central="200", seoul="403", firm="200", tworoles="200", coordinator="403"),
        row(NOT_FOUND, central="200", seoul="403", firm="200", tworoles="200", coordinator="403"),
    ),
    "programmes:report_due_list": (None, STAFF_ONLY, ALL_405),
    # --- issue 10, helper 5: the traceable chain, the funnel and success stories
    # A result's chain: whoever sees its group (or its agreement); the steps inside are filtered per viewer.
    "programmes:result_chain": (lambda w: {"pk": w["chain_outcome"].pk}, SEOUL_GROUP_READ, ALL_405),
    # The funnel is staff's (regional staff their region).
    "programmes:funnel": (None, STAFF_ONLY, ALL_405),
    # Public stories: published only, anonymous allowed.
    "stories:public_list": (None, everyone("200"), everyone("405")),
    "stories:public_detail": (
        lambda w: {"pk": w["story_published"].pk},
        everyone("200"),
        everyone("405"),
    ),
    # The staff view: staff and firm users (stories of their consortia, to consent).
    "stories:list": (
        None,
        signed_in("403", central="200", seoul="200", busan="200", firm="200", former="200", tworoles="200"),
        ALL_405,
    ),
    "stories:detail": (
        lambda w: {"pk": w["story_awaiting"].pk},
        row(NOT_FOUND, central="200", seoul="200", firm="200", tworoles="200"),
        ALL_405,
    ),
    # Starting and writing are central staff's; others who see the agreement/story get 403.
    "stories:start": (
        lambda w: {"agreement": w["story_candidate"].pk},
        row(NOT_FOUND, central="200", seoul="403", firm="403", tworoles="403", coordinator="403"),
        row(NOT_FOUND, central="400", seoul="403", firm="403", tworoles="403", coordinator="403"),
    ),
    "stories:edit": (
        lambda w: {"pk": w["story_draft"].pk},
        row(NOT_FOUND, central="200", seoul="403", firm="403", tworoles="403"),
        row(NOT_FOUND, central="200", seoul="403", firm="403", tworoles="403"),
    ),
    # Consent is the member firms' (a POST without the page's one-time token is a 400).
    "stories:act": (
        lambda w: {"pk": w["story_awaiting"].pk, "action": "consent"},
        row(NOT_FOUND, central="403", seoul="403", firm="200", tworoles="200"),
        row(NOT_FOUND, central="403", seoul="403", firm="400", tworoles="400"),
    ),
    # --- issue 11 §2 §6, events feeds and notice settings (helper 3). The feeds are public GETs (a region's
    # public events; a user's by the secret token, made here for the firm persona); the settings pages are
    # each user's own: an empty POST of the preferences is valid (every box unticked), the feed page's POST
    # without its one-time token is refused (400).
    "events:region_feed": (lambda w: {"code": "seoul"}, everyone("200"), everyone("405")),
    "events:user_feed": (lambda w: {"token": feed_token_of(w)}, everyone("200"), everyone("405")),
    "events:notice_settings": (None, ALL_200, signed_in("302")),
    "events:feed_settings": (None, ALL_200, signed_in("400")),
    # --- issue 11 §5, competitions (helper H5). The Seoul competition (organised by the Seoul federation, for
    # everyone: its page is public) is run by central and Seoul staff. The Seoul group's submitted entry: its
    # officer makes it, its managers and the assigned `reviewer` (no conflict) see it, nobody else does.
    "competitions:detail": (lambda w: {"code": "comp-world"}, everyone("200"), everyone("405")),
    "competitions:setup": (lambda w: {"code": "comp-world"}, COMPETITION_MANAGERS, COMPETITION_MANAGERS),
    "competitions:enter": (lambda w: {"code": "comp-world"}, COMPETITION_ENTRANTS, COMPETITION_ENTRANTS),
    "competitions:my_entries": (None, ALL_200, ALL_405),
    "competitions:entry_detail": (lambda w: {"pk": w["group_entry"].pk}, GROUP_ENTRY_READ, ALL_405),
    "competitions:entry_edit": (
        lambda w: {"pk": w["group_entry"].pk},
        GROUP_ENTRY_MAKER,
        GROUP_ENTRY_MAKER,
    ),
    # Submitting it again is refused with a message on the entry's page.
    "competitions:entry_submit": (
        lambda w: {"pk": w["group_entry"].pk},
        ALL_405,
        row(GROUP_ENTRY_MAKER, officer="302"),
    ),
    "competitions:entry_withdraw": (
        lambda w: {"pk": w["group_entry"].pk},
        GROUP_ENTRY_MAKER,
        row(GROUP_ENTRY_MAKER, officer="400"),
    ),
    # Central staff turn a winning entry into a story (this one has no award: the page says why).
    "competitions:make_story": (
        lambda w: {"pk": w["group_entry"].pk},
        row(GROUP_ENTRY_READ, seoul="403", officer="403", reviewer="403"),
        row(GROUP_ENTRY_READ, central="400", seoul="403", officer="403", reviewer="403"),
    ),
    "competitions:queue": (None, signed_in("403", reviewer="200"), ALL_405),
    "competitions:score": (
        lambda w: {"pk": w["competition_assignment"].pk},
        row(NOT_FOUND, reviewer="200"),
        row(NOT_FOUND, reviewer="200"),
    ),
    "competitions:reviewers": (lambda w: {"code": "comp-world"}, COMPETITION_MANAGERS, COMPETITION_MANAGERS),
    "competitions:auto_assign": (
        lambda w: {"code": "comp-world"},
        COMPETITION_MANAGERS,
        row(COMPETITION_MANAGERS, central="400", seoul="400"),
    ),
    "competitions:ranking": (lambda w: {"code": "comp-world"}, COMPETITION_MANAGERS, ALL_405),
    "competitions:awards": (
        lambda w: {"code": "comp-world"},
        COMPETITION_MANAGERS,
        row(COMPETITION_MANAGERS, central="400", seoul="400"),
    ),
    # --- issue 11 §4, the satisfaction survey (helper 4): the form is the confirmed participant's own
    # (an empty answer is shown again with its errors); others who see the event (everyone's) get 403.
    # The results are the event's managers': central staff and its organiser's (Seoul) staff.
    "events:feedback_form": (
        lambda w: {"code": w["feedback_event"].code},
        signed_in("403", firm="200"),
        signed_in("403", firm="200"),
    ),
    "events:feedback_results": (
        lambda w: {"code": w["feedback_event"].code},
        signed_in("403", central="200", seoul="200"),
        ALL_405,
    ),
    # The survey's settings: the same managers; an empty form is shown again with its errors.
    "events:feedback_settings": (
        lambda w: {"code": w["feedback_event"].code},
        signed_in("403", central="200", seoul="200"),
        signed_in("403", central="200", seoul="200"),
    ),
    # A guest's personal signed link (registered without an account): the link is the proof, for anyone
    # holding it; an empty answer is shown again with its errors.
    "events:feedback_link": (
        lambda w: {"token": answer_link_token(w["feedback_guest"])},
        everyone("200"),
        everyone("200"),
    ),
    # --- issue 11, event pages (helper H2). The calendar and a national event for everyone are public; the
    # Seoul federation's event is run by central and Seoul staff (403 for those who only see it, 404 outside).
    # Registrations: the `firm` persona's (confirmed on ev-public, offered on ev-full) are changed by the
    # person, their firm's users and central staff. An empty form is shown again (200); a confirmation posted
    # without its one-time token is a 400.
    "events:calendar": (None, everyone("200"), everyone("405")),
    "events:event_detail": (lambda w: {"code": w["event_public"].code}, everyone("200"), everyone("405")),
    "events:event_create": (
        None,
        signed_in("403", central="200", seoul="200", busan="200", coordinator="200"),
        signed_in("403", central="200", seoul="200", busan="200", coordinator="200"),
    ),
    "events:my_registrations": (None, ALL_200, ALL_405),
    "events:event_edit": (lambda w: {"code": w["event_seoul"].code}, EVENT_SEOUL_RUN, EVENT_SEOUL_RUN),
    "events:session_add": (lambda w: {"code": w["event_seoul"].code}, EVENT_SEOUL_RUN, EVENT_SEOUL_RUN),
    "events:session_edit": (
        lambda w: {"code": w["event_seoul"].code, "pk": w["event_seoul_session"].pk},
        EVENT_SEOUL_RUN,
        EVENT_SEOUL_RUN,
    ),
    "events:session_delete": (
        lambda w: {"code": w["event_seoul"].code, "pk": w["event_seoul_session"].pk},
        EVENT_SEOUL_RUN,
        row(EVENT_SEOUL_RUN, central="400", seoul="400"),
    ),
    "events:participants": (lambda w: {"code": w["event_seoul"].code}, EVENT_SEOUL_RUN, ALL_405),
    "events:participants_export": (lambda w: {"code": w["event_seoul"].code}, EVENT_SEOUL_RUN, ALL_405),
    "events:register": (lambda w: {"code": w["event_public"].code}, ALL_200, ALL_200),
    "events:register_firm": (lambda w: {"code": w["event_public"].code}, FIRM_USERS, FIRM_USERS),
    "events:registration_cancel": (
        lambda w: {"pk": w["registration_mine"].pk},
        REGISTRATION_OF_FIRM,
        row(REGISTRATION_OF_FIRM, central="400", firm="400", tworoles="400"),
    ),
    "events:registration_take": (
        lambda w: {"pk": w["registration_offered"].pk},
        REGISTRATION_OF_FIRM,
        row(REGISTRATION_OF_FIRM, central="400", firm="400", tworoles="400"),
    ),
    # --- issue 11, helper 1: attendance, check-in, certificates, education history
    # Where check-in starts: staff and coordinators (each sees the sessions of the events they run).
    "events:attendance_index": (None, COACHING_PEOPLE, ALL_405),
    # A Seoul course open to everyone: its managers (central, Seoul staff) check people in; the rest see
    # the event but may not (403).
    "events:attendance_list": (
        lambda w: {"pk": w["attendance_session"].pk},
        signed_in("403", central="200", seoul="200"),
        ALL_405,
    ),
    # An empty POST is shown again with the Korean message (200) to the managers.
    "events:attendance_record": (
        lambda w: {"pk": w["attendance_session"].pk, "registration": w["attendance_holder"].pk},
        ALL_405,
        signed_in("403", central="200", seoul="200"),
    ),
    "events:attendance_scan": (
        lambda w: {"pk": w["attendance_session"].pk},
        signed_in("403", central="200", seoul="200"),
        signed_in("403", central="200", seoul="200"),
    ),
    # The member firm user's pass and certificate: the person, their firm's users and the managers.
    "events:registration_pass": (
        lambda w: {"pk": w["attendance_holder"].pk},
        row(NOT_FOUND, central="200", seoul="200", firm="200", tworoles="200"),
        ALL_405,
    ),
    "events:certificate_download": (
        lambda w: {"pk": w["attendance_certificate"].pk},
        row(NOT_FOUND, central="200", seoul="200", firm="200", tworoles="200"),
        ALL_405,
    ),
    # Public verification: anybody, signed in or not; a GET form only.
    "events:certificate_verify": (None, everyone("200"), everyone("405")),
    "events:my_history": (None, ALL_200, ALL_405),
    # --- issue 12, helper 3: policy proposals (제도개선 건의). The public list is everyone's; all objects are
    # the `firm` persona's proposals: a private one is seen by its author and central staff only (404 for
    # anyone else, anonymous visitors too); central staff alone move the workflow (403 for the author).
    "proposals:list": (None, everyone("200"), everyone("405")),
    "proposals:mine": (None, ALL_200, ALL_405),
    "proposals:create": (None, ALL_200, ALL_200),
    "proposals:detail": (
        lambda w: {"pk": w["proposal_private"].pk},
        row(NOT_FOUND, anon="404", inactive="404", central="200", firm="200"),
        everyone("405"),
    ),
    "proposals:attachment": (
        lambda w: {"pk": w["proposal_private"].pk, "file": w["proposal_file"].pk},
        row(NOT_FOUND, anon="404", inactive="404", central="200", firm="200"),
        everyone("405"),
    ),
    "proposals:edit": (
        lambda w: {"pk": w["proposal_private"].pk},
        row(NOT_FOUND, central="403", firm="200"),
        row(NOT_FOUND, central="403", firm="200"),
    ),
    "proposals:withdraw": (
        lambda w: {"pk": w["proposal_private"].pk},
        row(NOT_FOUND, central="403", firm="200"),
        row(NOT_FOUND, central="403", firm="400"),
    ),
    "proposals:correction_reply": (
        lambda w: {"pk": w["proposal_correction"].pk},
        row(NOT_FOUND, central="403", firm="200"),
        row(NOT_FOUND, central="403", firm="200"),
    ),
    # A public proposal: anyone signed in but its author supports (302 back to it) and reports it.
    "proposals:support": (
        lambda w: {"pk": w["proposal_public"].pk},
        ALL_405,
        signed_in("302", firm="403"),
    ),
    "proposals:report": (
        lambda w: {"pk": w["proposal_public"].pk},
        signed_in("200", firm="403"),
        signed_in("200", firm="403"),
    ),
    "proposals:manage": (None, CENTRAL_ONLY, ALL_405),
    "proposals:ask_correction": (
        lambda w: {"pk": w["proposal_review"].pk},
        row(NOT_FOUND, central="200", firm="403"),
        row(NOT_FOUND, central="200", firm="403"),
    ),
    "proposals:answer": (
        lambda w: {"pk": w["proposal_review"].pk},
        row(NOT_FOUND, central="200", firm="403"),
        row(NOT_FOUND, central="200", firm="403"),
    ),
    "proposals:act": (
        lambda w: {"pk": w["proposal_private"].pk, "action": "start_review"},
        row(NOT_FOUND, central="200", firm="403"),
        row(NOT_FOUND, central="400", firm="403"),
    ),
    # --- issue 12 §3, §4, §6 (helper 2): the public directory, open calls and project discovery. Public pages
    # answer everyone the same; a firm's users manage their own firm's listing consent (staff cannot).
    "directory:group_list": (None, everyone("200"), everyone("405")),
    "directory:group_detail": (lambda w: {"code": "seoul-a"}, everyone("200"), everyone("405")),
    "directory:firm_list": (None, everyone("200"), everyone("405")),
    "directory:firm_detail": (
        lambda w: {"public_id": w["listed_firm"].public_id},
        everyone("200"),
        everyone("405"),
    ),
    "directory:mine": (None, FIRM_USERS, signed_in("405")),
    # The member firm's consent: its users; the former firm's user does not see it (404); no firm: 403. An
    # empty POST (no one-time token) shows the question again (400).
    "directory:consent": (
        lambda w: {"brn": w["member_firm"].brn},
        row(FIRM_USERS, former="404"),
        row(FIRM_USERS, firm="400", tworoles="400", former="404"),
    ),
    "directory:withdraw": (
        lambda w: {"brn": w["member_firm"].brn},
        row(FIRM_USERS, former="404"),
        row(FIRM_USERS, firm="400", tworoles="400", former="404"),
    ),
    "public_programmes:call_list": (None, everyone("200"), everyone("405")),
    "public_programmes:call_detail": (lambda w: {"code": "c-open"}, everyone("200"), everyone("405")),
    "public_programmes:topic_list": (None, everyone("200"), everyone("405")),
    "public_programmes:topic_detail": (
        lambda w: {"code": w["leading_topic"].code},
        everyone("200"),
        everyone("405"),
    ),
    # "관심 있음": firm users (their one firm, toggled); others signed in 403; visitors sign in first.
    "public_programmes:topic_interest": (
        lambda w: {"code": w["leading_topic"].code},
        ALL_405,
        signed_in("403", firm="302", former="302", tworoles="302"),
    ),
    # --- issue 12, API tokens (helper 5): every signed-in user's own tokens; an empty form is shown again;
    # another user's token is not found; revoking asks first (a POST without its one-time token: 400).
    "accounts:token_list": (None, ALL_200, ALL_405),
    "accounts:token_create": (None, ALL_200, ALL_200),
    "accounts:token_revoke": (
        lambda w: {"pk": w["api_token_firm"].pk},
        row(NOT_FOUND, firm="200"),
        row(NOT_FOUND, firm="400"),
    ),
    # Central staff revoke all tokens of an account (Seoul staff see the account but may not).
    "accounts:user_tokens_revoke": (
        lambda w: {"pk": w["users"]["firm"].pk},
        row(ACCOUNT_OF_SEOUL, seoul="403"),
        row(ACCOUNT_OF_SEOUL, central="400", seoul="403"),
    ),
    # --- the public portal (issue 12, helper 1): public pages read-only for everyone; posts are written by
    # central staff only (an empty form is shown again: 200; a delete without its token: 400).
    "portal:home": (None, everyone("200"), everyone("405")),
    "portal:search": (None, everyone("200"), everyone("405")),
    "portal:notice_list": (None, everyone("200"), everyone("405")),
    "portal:notice_feed": (None, everyone("200"), everyone("405")),
    "portal:notice_detail": (lambda w: {"pk": w["portal_notice"].pk}, everyone("200"), everyone("405")),
    "portal:library_list": (None, everyone("200"), everyone("405")),
    "portal:library_detail": (lambda w: {"pk": w["portal_library"].pk}, everyone("200"), everyone("405")),
    "portal:attachment": (lambda w: {"pk": w["portal_attachment"].pk}, everyone("200"), everyone("405")),
    "portal:terms": (None, everyone("200"), everyone("405")),
    "portal:sitemap": (None, everyone("200"), everyone("405")),
    "portal:robots": (None, everyone("200"), everyone("405")),
    "portal:manage": (None, CENTRAL_ONLY, ALL_405),
    "portal:post_create": (lambda w: {"kind": "notice"}, CENTRAL_ONLY, CENTRAL_ONLY),
    "portal:post_edit": (lambda w: {"pk": w["portal_notice"].pk}, CENTRAL_ONLY, CENTRAL_ONLY),
    "portal:post_delete": (
        lambda w: {"pk": w["portal_notice"].pk},
        CENTRAL_ONLY,
        row(CENTRAL_ONLY, central="400"),
    ),
}


def approved_offer(w: dict[str, Any]) -> Any:
    from yunghap.network.models import Firm

    posting = Posting.objects.filter(title="정밀 사출 금형 제작").first()
    if posting is None:
        posting = posting_services.create_posting(
            Firm.objects.get(name="광빛차체"),  # the Seoul group's chair firm
            actor=None,
            kind=Posting.Kind.OFFER,
            title="정밀 사출 금형 제작",
            expires_on=datetime.date.today() + datetime.timedelta(days=60),
            review_status=Posting.ReviewStatus.APPROVED,
        )
    return posting


def introduction_request(w: dict[str, Any]) -> Any:
    from yunghap.introductions import requests as intro_requests
    from yunghap.introductions.models import IntroductionRequest

    existing = IntroductionRequest.objects.filter(requester=w["member_firm"]).first()
    return existing or intro_requests.request_introduction(approved_offer(w), actor=w["users"]["firm"])


def membership_request(w: dict[str, Any]) -> Any:
    from yunghap.network.models import ExchangeGroup, Firm, MembershipRequest

    request, _created = MembershipRequest.objects.get_or_create(
        group=ExchangeGroup.objects.get(code="seoul-a"),
        brn=Firm.objects.get(name="부산정밀").brn,
        defaults={"joined_on": datetime.date(2025, 1, 2), "requested_by": w["users"]["officer"]},
    )
    return request


def project_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str = "") -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                # The REST API has its own matrix, of tokens rather than sessions (tests/api/test_api_matrix.py).
                if pattern.namespace in ("admin", "api"):
                    continue
                walk(pattern.url_patterns, namespace + (f"{pattern.namespace}:" if pattern.namespace else ""))
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_url_is_in_the_matrix():
    assert project_url_names() == set(MATRIX), "add the new URL's permissions to MATRIX"


@pytest.fixture
def world(network, django_capture_on_commit_callbacks):  # noqa: F811
    """The web tests' two-region network plus one object of every kind the URLs take."""
    users = dict(network.users)
    users["reviewer"] = make_user("reviewer", Role.REVIEWER)
    users["former"] = make_user("former", Role.FIRM_USER, firm=network.former_firm)
    users["tworoles"] = make_user("tworoles", Role.GROUP_OFFICER, group=network.busan_group)
    RoleGrant.objects.create(user=users["tworoles"], role=Role.FIRM_USER, firm=network.member_firm)
    users["inactive"] = make_user("inactive", Role.CENTRAL_STAFF)
    users["inactive"].is_active = False
    users["inactive"].save(update_fields=["is_active"])
    central = users["central"]
    group = network.seoul_group
    membership = Membership.objects.get(group=group, firm=network.member_firm)
    meeting = ledger.record_meeting(
        group, actor=central, held_on=datetime.date(2025, 5, 14), present_firm_ids=[network.member_firm.pk]
    )
    outcome = ledger.record_outcome(
        group,
        actor=central,
        kind="patent",
        title="센서 하우징 특허",
        achieved_on=datetime.date(2025, 6, 1),
        firms=[network.member_firm, network.chair_firm],
        evidence=SimpleUploadedFile("patent.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf"),
    )
    survey = surveys.open_survey(2025, actor=central)
    # Safe actions (issue 8 §2): a trade deleted a moment ago (restorable) and a submitted Busan answer.
    deleted_trade = ledger.record_trade(
        group,
        actor=central,
        buyer=network.member_firm,
        seller=network.chair_firm,
        item="센서 하우징",
        amount_krw=1_000_000,
        traded_on=datetime.date(2025, 5, 20),
    )
    ledger.delete_entry(deleted_trade, actor=central)
    busan_answer = surveys.save_response(
        survey, network.busan_group, actor=None, members=10, meetings=11, attendance_rate=80
    )
    surveys.submit_response(busan_answer, actor=None)
    capability = Capability.objects.create(name="사출금형", synonyms=["몰드"])
    with django_capture_on_commit_callbacks(execute=True):
        posting = posting_services.create_posting(
            network.member_firm,
            actor=None,
            kind=Posting.Kind.NEED,
            title="센서 하우징 금형 제작",
            description="IoT 센서용 플라스틱 하우징의 사출 금형 파트너를 찾습니다.",
            expires_on=datetime.date.today() + datetime.timedelta(days=60),
        )
        search = searches.create_saved_search(actor=users["firm"], name="금형", query="사출 금형")
        introduction = introductions.create_introduction(
            actor=users["coordinator"], seeker=network.member_firm, partner=network.chair_firm, need=posting
        )
        notify([users["firm"]], message="테스트 알림", link="/", email=False)
    from yunghap.core.models import ImportJob, Notification

    import_job = ImportJob.objects.create(
        user=users["seoul"],
        kind="groups",
        filename="groups.xlsx",
        sha256="0" * 64,
        state=ImportJob.State.CHECKED,
        report={"total": 1, "created": 0, "updated": 0, "unchanged": 0, "errors": [[2, "code", "오류"]]},
    )

    world = {
        "users": users,
        "membership": membership,
        "member_firm": network.member_firm,
        "meeting": meeting,
        "outcome": outcome,
        "capability": capability,
        "posting": posting,
        "search": search,
        "introduction": introduction,
        "notification": Notification.objects.filter(recipient=users["firm"]).latest("pk"),
        "import_job": import_job,
        "deleted_trade": deleted_trade,
    }
    world.update(programmes_world(world, network))
    world.update(add_coaching(world, network))
    world.update(add_competitions(world, network))
    world.update(add_feedback(world, network))
    world.update(add_event_pages(world, network))
    world.update(add_attendance(world, network))
    world.update(add_proposals(world, network))
    world.update(add_api_ledger(world, network))
    world.update(add_directory(world, network))
    world.update(add_tokens(world, network))
    world.update(add_portal(world, network))
    return world


def outcome_of(response: Any) -> str:
    """The exact status; a redirect to the login page is "login", any other redirect "302"."""
    status = response.status_code
    if status in (301, 302) and "/accounts/login/" in response.get("Location", ""):
        return "login"
    return str(status)


def walk_matrix(world: Any, client: Any) -> dict[tuple[str, str, str], str]:
    """Every URL × method × persona, as (name, method, role) → outcome."""
    got: dict[tuple[str, str, str], str] = {}
    for name, (kwargs_of, _get, _post) in MATRIX.items():
        url = reverse(name, kwargs=kwargs_of(world) if kwargs_of else None)
        for method in ("get", "post"):
            for role in ROLES:
                client.logout()
                if role != "anon":
                    client.force_login(world["users"][role])
                # Each request is rolled back, so a delete as one role leaves the object for the next.
                with transaction.atomic():
                    response = getattr(client, method)(url)
                    transaction.set_rollback(True)
                got[name, method, role] = outcome_of(response)
    return got


def test_every_row_states_every_persona():
    """No cell is left to chance: each method of each URL names the outcome for every persona."""
    incomplete = [
        f"{name} {method}: {sorted(set(ROLES) - set(expected))}"
        for name, (_kwargs, get_expected, post_expected) in MATRIX.items()
        for method, expected in (("GET", get_expected), ("POST", post_expected))
        if set(expected) != set(ROLES)
    ]
    assert not incomplete, "rows without every persona:\n" + "\n".join(incomplete)
    unknown = {
        value
        for _kwargs, get_expected, post_expected in MATRIX.values()
        for value in [*get_expected.values(), *post_expected.values()]
    } - OUTCOMES
    assert not unknown, f"unknown outcomes {unknown}"


@pytest.mark.django_db
def test_permission_matrix(world, client):
    """One walk over every URL × persona × method; all mismatches are reported together."""
    got = walk_matrix(world, client)
    if os.environ.get("MATRIX_DUMP"):
        # `MATRIX_DUMP=matrix.json pytest tests/test_permission_matrix.py` writes what the code does today.
        with open(os.environ["MATRIX_DUMP"], "w", encoding="utf-8") as out:
            json.dump({f"{n} {m} {r}": v for (n, m, r), v in got.items()}, out, indent=0)
    mismatches = [
        f"{method.upper()} {name} as {role}: expected {wanted}, got {got[name, method, role]}"
        for name, (_kwargs, get_expected, post_expected) in MATRIX.items()
        for method, expected in (("get", get_expected), ("post", post_expected))
        for role, wanted in expected.items()
        if got[name, method, role] != wanted
    ]
    assert not mismatches, "\n".join(mismatches)


def feed_token_of(w: dict[str, Any]) -> str:
    """The firm persona's calendar feed token (issued once, as the feed page's POST does)."""
    from yunghap.events.models import NoticePreference
    from yunghap.events.notice_services import renew_feed_token

    found = NoticePreference.objects.filter(user=w["users"]["firm"], feed_token__isnull=False).first()
    return str((found or renew_feed_token(w["users"]["firm"])).feed_token)
