"""The permission matrix: every URL of the project × every role × GET and POST (architecture principle 4).

Expected outcomes are data. `login` = sent to the login page, `404` = outside the role's scope, `403` =
visible but not permitted, `ok` = served (for POST with an empty form: a page with errors, a redirect or
405 for read-only pages). A test also fails when a URL exists that the matrix does not list, so a new page
cannot ship without its permissions being decided here.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import make_user
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.accounts.models import Role
from yunghap.activities import services as ledger
from yunghap.core.messenger import notify
from yunghap.introductions import searches
from yunghap.introductions import services as introductions
from yunghap.matching import posting_services
from yunghap.matching.models import Capability, Posting
from yunghap.network.models import Membership
from yunghap.surveys import services as surveys

ROLES = ["anon", "central", "seoul", "busan", "officer", "firm", "coordinator", "reviewer", "nobody"]
ALL_OK = dict.fromkeys(ROLES[1:], "ok") | {"anon": "login"}
# Frequent rows, written once. Keys missing from a row inherit from its base.
STAFF_ONLY = {
    **dict.fromkeys(ROLES[1:], "403"),
    "anon": "login",
    "central": "ok",
    "seoul": "ok",
    "busan": "ok",
}
CENTRAL_ONLY = {**dict.fromkeys(ROLES[1:], "403"), "anon": "login", "central": "ok"}
# A Seoul group's page: its region, its officer, its members' users and its coordinator see it.
SEOUL_GROUP_READ = {**ALL_OK, "busan": "404", "reviewer": "404", "nobody": "404"}
# Changing a Seoul group's records: central, Seoul staff and the group's officer.
SEOUL_GROUP_WRITE = {**SEOUL_GROUP_READ, "firm": "403", "coordinator": "403"}
SEOUL_STATS = {**SEOUL_GROUP_READ, "firm": "403", "coordinator": "403"}
# The ledger is one of a group's shared pages: whoever sees the group reads it.
SEOUL_LEDGER_READ = SEOUL_GROUP_READ
NOT_FOUND = {**dict.fromkeys(ROLES, "404"), "anon": "login"}
# A firm's posting: the firm and central staff edit it; staff of its region and its coordinator only see it.
POSTING_EDIT = {**NOT_FOUND, "central": "ok", "firm": "ok", "seoul": "403", "coordinator": "403"}
SURVEY_PEOPLE = {**STAFF_ONLY, "officer": "ok"}
# Actions that only accept POST answer GET with 405 for everyone (counted as "ok": nothing is served).
POST_ONLY_GET = {**dict.fromkeys(ROLES[1:], "ok"), "anon": "login"}
# The account of a Seoul firm's user: central and Seoul staff manage it; Busan staff do not see it.
ACCOUNT_OF_SEOUL = {**STAFF_ONLY, "busan": "404"}


def row(base: dict[str, str], **overrides: str) -> dict[str, str]:
    return {**base, **overrides}


# url name → (kwargs builder, GET expectations, POST expectations)
MATRIX: dict[str, tuple[Any, dict[str, str], dict[str, str]]] = {
    # --- network registry
    "network:home": (None, ALL_OK, row(ALL_OK)),
    "network:group_list": (None, ALL_OK, ALL_OK),
    "network:group_create": (None, STAFF_ONLY, STAFF_ONLY),
    "network:group_detail": (lambda w: {"code": "seoul-a"}, SEOUL_GROUP_READ, SEOUL_GROUP_READ),
    "network:group_edit": (lambda w: {"code": "seoul-a"}, SEOUL_GROUP_WRITE, SEOUL_GROUP_WRITE),
    "network:membership_create": (lambda w: {"code": "seoul-a"}, SEOUL_GROUP_WRITE, SEOUL_GROUP_WRITE),
    "network:membership_edit": (lambda w: {"pk": w["membership"].pk}, SEOUL_GROUP_WRITE, SEOUL_GROUP_WRITE),
    "network:firm_list": (None, ALL_OK, ALL_OK),
    "network:firm_create": (None, row(STAFF_ONLY, officer="ok"), row(STAFF_ONLY, officer="ok")),
    "network:firm_detail": (lambda w: {"brn": w["member_firm"].brn}, SEOUL_GROUP_READ, SEOUL_GROUP_READ),
    "network:firm_edit": (
        lambda w: {"brn": w["member_firm"].brn},
        row(SEOUL_GROUP_READ, officer="403", coordinator="403"),
        row(SEOUL_GROUP_READ, officer="403", coordinator="403"),
    ),
    "network:federation_list": (None, ALL_OK, ALL_OK),
    "network:federation_detail": (lambda w: {"code": "seoul"}, SEOUL_GROUP_READ, SEOUL_GROUP_READ),
    # --- activity ledger of the Seoul group
    "activities:group-ledger": (lambda w: {"code": "seoul-a"}, SEOUL_LEDGER_READ, SEOUL_LEDGER_READ),
    "activities:meeting-list": (lambda w: {"code": "seoul-a"}, SEOUL_LEDGER_READ, SEOUL_LEDGER_READ),
    "activities:meeting-create": (lambda w: {"code": "seoul-a"}, SEOUL_GROUP_WRITE, SEOUL_GROUP_WRITE),
    "activities:trade-list": (lambda w: {"code": "seoul-a"}, SEOUL_LEDGER_READ, SEOUL_LEDGER_READ),
    "activities:trade-create": (lambda w: {"code": "seoul-a"}, SEOUL_GROUP_WRITE, SEOUL_GROUP_WRITE),
    "activities:outcome-list": (lambda w: {"code": "seoul-a"}, SEOUL_LEDGER_READ, SEOUL_LEDGER_READ),
    "activities:outcome-create": (lambda w: {"code": "seoul-a"}, SEOUL_GROUP_WRITE, SEOUL_GROUP_WRITE),
    "activities:activity-list": (lambda w: {"code": "seoul-a"}, SEOUL_LEDGER_READ, SEOUL_LEDGER_READ),
    "activities:activity-create": (lambda w: {"code": "seoul-a"}, SEOUL_GROUP_WRITE, SEOUL_GROUP_WRITE),
    "activities:meeting-detail": (lambda w: {"pk": w["meeting"].pk}, SEOUL_LEDGER_READ, SEOUL_LEDGER_READ),
    "activities:meeting-edit": (lambda w: {"pk": w["meeting"].pk}, SEOUL_GROUP_WRITE, SEOUL_GROUP_WRITE),
    "activities:meeting-delete": (lambda w: {"pk": w["meeting"].pk}, POST_ONLY_GET, SEOUL_GROUP_WRITE),
    "activities:entry-delete": (
        lambda w: {"kind": "outcome", "pk": w["outcome"].pk},
        POST_ONLY_GET,
        SEOUL_GROUP_WRITE,
    ),
    "activities:outcome-evidence": (lambda w: {"pk": w["outcome"].pk}, SEOUL_LEDGER_READ, SEOUL_LEDGER_READ),
    # --- annual survey
    # The survey is answered by group officers and followed up by federation staff.
    "surveys:index": (None, SURVEY_PEOPLE, SURVEY_PEOPLE),
    "surveys:open": (None, POST_ONLY_GET, CENTRAL_ONLY),
    "surveys:status": (lambda w: {"year": 2025}, STAFF_ONLY, STAFF_ONLY),
    "surveys:close": (lambda w: {"year": 2025}, POST_ONLY_GET, CENTRAL_ONLY),
    # Without a region in the form only central staff may remind every group at once.
    "surveys:remind": (lambda w: {"year": 2025}, POST_ONLY_GET, CENTRAL_ONLY),
    "surveys:answer": (lambda w: {"year": 2025}, SURVEY_PEOPLE, SURVEY_PEOPLE),
    "surveys:group-answer": (
        lambda w: {"year": 2025, "code": "seoul-a"},
        SEOUL_STATS,
        row(SEOUL_GROUP_WRITE, seoul="403"),
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
    "matching:vocabulary_delete": (lambda w: {"pk": w["capability"].pk}, STAFF_ONLY, STAFF_ONLY),
    # --- postings and introductions
    "introductions:home": (None, ALL_OK, ALL_OK),
    "introductions:caseload": (None, {**CENTRAL_ONLY, "central": "403", "coordinator": "ok"}, {}),
    "introductions:caseload-firm": (
        lambda w: {"pk": w["member_firm"].pk},
        # Only coordinators work a caseload: for every other role it is a 403, whatever the firm.
        {**dict.fromkeys(ROLES, "403"), "anon": "login", "coordinator": "ok"},
        {},
    ),
    # An empty form names no need or partner to introduce: not found.
    "introductions:create": (None, {}, {**CENTRAL_ONLY, "central": "403", "coordinator": "404"}),
    "introductions:list": (None, ALL_OK, ALL_OK),
    "introductions:my-postings": (None, {**CENTRAL_ONLY, "central": "403", "firm": "ok"}, {}),
    "introductions:posting-create": (
        None,
        {**CENTRAL_ONLY, "central": "403", "firm": "ok"},
        {**CENTRAL_ONLY, "central": "403", "firm": "ok"},
    ),
    "introductions:posting-edit": (
        lambda w: {"pk": w["posting"].pk},
        POSTING_EDIT,
        POSTING_EDIT,
    ),
    "introductions:review-queue": (None, {**CENTRAL_ONLY, "coordinator": "ok"}, {}),
    "introductions:posting-review": (
        lambda w: {"pk": w["posting"].pk},
        {},
        {**dict.fromkeys(ROLES, "403"), "anon": "login", "central": "ok", "coordinator": "ok"},
    ),
    "introductions:saved-searches": (
        None,
        row(CENTRAL_ONLY, central="ok", seoul="ok", busan="ok", firm="ok", coordinator="ok"),
        {},
    ),
    "introductions:saved-search": (
        lambda w: {"pk": w["search"].pk},
        {**dict.fromkeys(ROLES, "404"), "anon": "login", "firm": "ok"},
        {},
    ),
    "introductions:saved-search-delete": (
        lambda w: {"pk": w["search"].pk},
        {},
        {**dict.fromkeys(ROLES, "404"), "anon": "login", "firm": "ok"},
    ),
    "introductions:detail": (
        lambda w: {"pk": w["introduction"].pk},
        {
            **dict.fromkeys(ROLES, "404"),
            "anon": "login",
            "central": "ok",
            "seoul": "ok",
            "firm": "ok",
            "coordinator": "ok",
        },
        {},
    ),
    "introductions:act": (
        lambda w: {"pk": w["introduction"].pk, "action": "accept"},
        {},
        {
            **dict.fromkeys(ROLES, "404"),
            "anon": "login",
            "central": "403",
            "seoul": "403",
            "firm": "ok",
            "coordinator": "403",
        },
    ),
    # --- notifications: everyone signed in has their own
    "core:notifications": (None, ALL_OK, {}),
    "core:notifications-unread": (None, dict.fromkeys(ROLES, "ok"), {}),  # anonymous: an empty count
    "core:notifications-read-all": (None, {}, ALL_OK),
    "core:notification-open": (
        lambda w: {"pk": w["notification"].pk},
        POST_ONLY_GET,
        {**dict.fromkeys(ROLES, "404"), "anon": "login", "firm": "ok"},
    ),
    # --- spreadsheet import and export (federation staff)
    "transfer:home": (None, STAFF_ONLY, {}),
    "transfer:import-check": (None, POST_ONLY_GET, STAFF_ONLY),
    # An unknown upload token is not found, for everyone: tokens are per user.
    "transfer:import-commit": (None, {}, NOT_FOUND),
    "transfer:import-errors": (lambda w: {"token": "0" * 32}, NOT_FOUND, {}),
    "transfer:export": (lambda w: {"kind": "groups", "fmt": "csv"}, STAFF_ONLY, {}),
    # --- accounts
    "accounts:login": (None, dict.fromkeys(ROLES, "ok"), {}),
    "accounts:logout": (None, {}, dict.fromkeys(ROLES, "login")),  # back to the login page
    "accounts:profile": (None, ALL_OK, {}),
    "set_language": (None, {}, dict.fromkeys(ROLES, "ok")),
    "javascript-catalog": (None, dict.fromkeys(ROLES, "ok"), {}),
    # --- second factor and account management (issue 7, finding 6; the second factor is off here, see
    # tests/conftest.py: the code pages send everyone on; the account pages are staff only, a Seoul firm
    # user's account is outside Busan's scope, and resetting a second factor is central staff's)
    "accounts:otp_verify": (None, ALL_OK, ALL_OK),
    "accounts:otp_enrol": (None, ALL_OK, ALL_OK),
    "accounts:otp_recovery_codes": (None, ALL_OK, ALL_OK),
    "accounts:user_list": (None, STAFF_ONLY, STAFF_ONLY),
    "accounts:user_create": (None, STAFF_ONLY, STAFF_ONLY),
    "accounts:user_detail": (lambda w: {"pk": w["users"]["firm"].pk}, ACCOUNT_OF_SEOUL, ACCOUNT_OF_SEOUL),
    "accounts:grant_create": (lambda w: {"pk": w["users"]["firm"].pk}, ACCOUNT_OF_SEOUL, ACCOUNT_OF_SEOUL),
    "accounts:grant_revoke": (
        lambda w: {"pk": w["users"]["firm"].pk, "grant_pk": w["users"]["firm"].grants.get().pk},
        ACCOUNT_OF_SEOUL,
        ACCOUNT_OF_SEOUL,
    ),
    "accounts:user_deactivate": (lambda w: {"pk": w["users"]["firm"].pk}, ACCOUNT_OF_SEOUL, ACCOUNT_OF_SEOUL),
    "accounts:user_reactivate": (lambda w: {"pk": w["users"]["firm"].pk}, POST_ONLY_GET, ACCOUNT_OF_SEOUL),
    "accounts:otp_reset": (
        lambda w: {"pk": w["users"]["firm"].pk},
        row(ACCOUNT_OF_SEOUL, seoul="403"),
        row(ACCOUNT_OF_SEOUL, seoul="403"),
    ),
}


def project_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str = "") -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
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
    surveys.open_survey(2025, actor=central)
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
    from yunghap.core.models import Notification

    return {
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
    }


def outcome_of(response: Any) -> str:
    status = response.status_code
    if status in (301, 302) and "/accounts/login/" in response.get("Location", ""):
        return "login"
    if status in (403, 404):
        return str(status)
    assert status < 500, f"server error {status}"
    return "ok"


@pytest.mark.django_db
def test_permission_matrix(world, client):
    """One walk over every URL × role × method; all mismatches are reported together."""
    mismatches = []
    for name, (kwargs_of, get_expected, post_expected) in MATRIX.items():
        url = reverse(name, kwargs=kwargs_of(world) if kwargs_of else None)
        for method, expected in (("get", get_expected), ("post", post_expected)):
            for role, wanted in expected.items():
                client.logout()
                if role != "anon":
                    client.force_login(world["users"][role])
                # Each request is rolled back, so a delete as one role leaves the object for the next.
                with transaction.atomic():
                    response = getattr(client, method)(url)
                    transaction.set_rollback(True)
                got = outcome_of(response)
                if got != wanted:
                    mismatches.append(f"{method.upper()} {name} as {role}: expected {wanted}, got {got}")
    assert not mismatches, "\n".join(mismatches)
