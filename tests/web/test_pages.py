"""The registry pages: what each role sees, how many queries it costs, masking and the access log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, industry
from yunghap.core.models import AccessLog
from yunghap.network.models import Membership

pytestmark = pytest.mark.django_db


def names_in(response, table_id):
    html = response.content.decode()
    start = html.index(f'id="{table_id}"')
    return html[start : html.index("</table>", start)]


# --- query counts: few and fixed, whatever the number of rows -------------------------------------------

# Every signed-in page reads its server-side session row first (SESSION_ENGINE `db` without a shared cache;
# with Redis, `cached_db` serves it from the cache). Counts below include that one query.
# session + user + grants + 3 reference choices (cold cache) + count + page + exchange-type prefetch
# + page counts + the newest audit id of the page-cache key
GROUP_LIST_MAX = 11


@pytest.mark.parametrize(
    "query",
    ["", "?region=seoul&exchange_type=info&status=active&division=26&q=테헤란", "?page=2"],
)
def test_group_list_query_count_does_not_grow_with_rows(network, login, django_assert_max_num_queries, query):
    for n in range(30):
        group = GroupFactory(name=f"추가교류회{n:02d}")
        MembershipFactory(group=group, firm=FirmFactory(industry=industry("26")))
    client = login(network.users["seoul"])
    with django_assert_max_num_queries(GROUP_LIST_MAX):
        response = client.get(reverse("network:group_list") + query)
    assert response.status_code == 200


def test_group_list_page_cache_miss_is_eight_queries(network, login, django_assert_num_queries):
    client = login(network.users["central"])
    client.get(reverse("network:group_list"))
    with django_assert_num_queries(8):
        client.get(reverse("network:group_list") + "?status=active")


def with_csrf_cookie(client):
    # Pages are cached only for browsers holding a CSRF cookie (their forms' tokens must stay valid).
    client.get(reverse("accounts:login"))
    client.cookies["csrftoken"] = "a" * 32
    return client


def test_group_list_page_cache_serves_repeats_and_sees_changes(network, login, django_assert_num_queries):
    from yunghap.network import services

    client = with_csrf_cookie(login(network.users["seoul"]))
    first = client.get("/groups/?region=seoul").content.decode()
    # session + user + grants + newest audit id, then the cached page
    with django_assert_num_queries(4):
        again = client.get("/groups/?region=seoul")
    assert again.content.decode() == first
    assert again["Cache-Control"] == "private, no-store"
    services.update_group(network.seoul_other, actor=network.users["central"], name="구로융합교류회(새이름)")
    assert "구로융합교류회(새이름)" in client.get("/groups/?region=seoul").content.decode()


def test_page_cache_is_per_scope(network, login):
    seoul = with_csrf_cookie(login(network.users["seoul"]))
    assert "해운대교류회" not in seoul.get("/groups/").content.decode()
    central = with_csrf_cookie(login(network.users["central"]))
    assert "해운대교류회" in central.get("/groups/").content.decode()


@pytest.mark.parametrize(
    ("url", "role", "limit"),
    [
        ("/my/", "central", 10),
        ("/my/", "seoul", 10),
        ("/my/", "firm", 9),
        # The access log is two INSERTs: the row and its targets (one per firm shown, in one statement).
        ("/groups/seoul-a/", "central", 8),
        ("/groups/seoul-a/", "seoul", 9),
        ("/groups/seoul-a/", "firm", 7),
        ("/firms/", "seoul", 9),
        ("/firms/?region=seoul&division=26&size=small&q=새영", "seoul", 9),
        ("/federations/", "central", 8),  # + firms of several regions counted once in the total
        ("/federations/seoul/", "seoul", 11),
        ("/accounts/profile/", "officer", 4),
    ],
)
def test_page_query_counts(network, login, django_assert_max_num_queries, url, role, limit):
    client = login(network.users[role])
    with django_assert_max_num_queries(limit):
        response = client.get(url)
    assert response.status_code == 200


def test_group_page_query_count_does_not_grow_with_members(network, login, django_assert_max_num_queries):
    for _n in range(40):
        MembershipFactory(
            group=network.seoul_group, firm=FirmFactory(industry=industry("58")), joined_on="2006-01-01"
        )
    client = login(network.users["seoul"])
    # session, user, grants, group, memberships, access log (row, targets), exchange types, visible firms
    with django_assert_max_num_queries(9):
        response = client.get("/groups/seoul-a/")
    assert len(response.context["current"]) == 42


def test_firm_detail_query_count(network, login, django_assert_max_num_queries):
    client = login(network.users["seoul"])
    # session, user, grants, firm, permission check, access log, memberships, visible groups,
    # secondary industries, and the firm's education history (issue 11: one grouped query)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("network:firm_detail", args=[network.member_firm.brn]))
    assert response.status_code == 200


# --- group list ----------------------------------------------------------------------------------------


def test_group_list_counts_current_members_and_divisions(network, login):
    response = login(network.users["central"]).get(reverse("network:group_list"))
    row = next(g for g in response.context["groups"] if g.code == "seoul-a")
    # The chair (division 30) and a member (26) are current; the firm that left in 2010 is not counted.
    assert row.member_count == 2
    assert row.division_count == 2


def test_group_list_filters(network, login):
    client = login(network.users["central"])
    by_region = client.get("/groups/?region=busan")
    assert [g.code for g in by_region.context["groups"]] == ["busan-a"]
    by_division = client.get("/groups/?division=29")
    assert [g.code for g in by_division.context["groups"]] == ["busan-a"]
    # Division filter is about current members: the only 26-member of seoul-a's past does not matter,
    # its current 26 member does.
    assert {g.code for g in client.get("/groups/?division=26").context["groups"]} == {"seoul-a", "seoul-b"}
    assert [g.code for g in client.get("/groups/?exchange_type=newproduct").context["groups"]] == ["seoul-a"]
    assert [g.code for g in client.get("/groups/?q=구로").context["groups"]] == ["seoul-b"]


def test_group_list_bad_filter_is_a_korean_error_not_a_500(network, login):
    response = login(network.users["central"]).get("/groups/?region=atlantis&status=zzz")
    assert response.status_code == 200
    assert "올바르게 선택해 주세요" in response.content.decode()
    assert len(response.context["groups"]) == 3  # invalid filters are not applied


def test_group_list_is_scoped(network, login):
    seoul = login(network.users["seoul"]).get("/groups/")
    assert {g.code for g in seoul.context["groups"]} == {"seoul-a", "seoul-b"}


def test_group_list_htmx_returns_only_the_results(network, login):
    response = login(network.users["central"]).get("/groups/?region=busan", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html
    assert "해운대교류회" in html


def test_group_list_pagination_keeps_filters(network, login, settings):
    settings.PAGE_SIZE = 2
    for n in range(3):
        GroupFactory(name=f"서울추가{n}")
    response = login(network.users["central"]).get("/groups/?region=seoul")
    assert 'href="?region=seoul&amp;page=2"' in response.content.decode()


# --- group page ----------------------------------------------------------------------------------------


def test_group_page_shows_members_officers_history_and_make_up(network, login):
    response = login(network.users["seoul"]).get("/groups/seoul-a/")
    html = response.content.decode()
    members = names_in(response, "member-table")
    assert "광빛차체" in members and "새영테크" in members and "떠난기업" not in members
    assert "떠난기업" in names_in(response, "former-table")
    assert response.context["chair"].firm.id == network.chair_firm.pk
    assert response.context["secretary"] is None
    make_up = response.context["make_up"]
    assert make_up.divisions == 2
    assert make_up.evenness == pytest.approx(1.0)
    assert "정보교환형" in html and "신제품개발형" in html


def test_group_page_masks_members_personal_data_for_firm_users(network, login):
    response = login(network.users["firm"]).get("/groups/seoul-a/")
    members = names_in(response, "member-table")
    assert "김*민" in members and "010-****-1954" in members
    assert "김혜민" not in members and "010-6278-1954" not in members
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("role", ["central", "seoul", "officer"])
def test_group_page_unmasks_for_those_who_keep_the_list_and_logs_it_once(network, login, role):
    user = network.users[role]
    response = login(user).get("/groups/seoul-a/")
    members = names_in(response, "member-table")
    assert "김혜민" in members and "010-6278-1954" in members
    log = AccessLog.objects.get()
    assert log.user == user
    assert log.kind == AccessLog.Kind.VIEW
    assert sorted(log.object_ids) == sorted([str(network.chair_firm.pk), str(network.member_firm.pk)])
    assert log.path == "/groups/seoul-a/"


def test_group_page_links_firms_only_when_visible(network, login):
    # A coordinator sees the group's shared page; firms are linked only if the coordinator may open them.
    response = login(network.users["coordinator"]).get("/groups/seoul-a/")
    assert response.context["linkable_firms"] == {
        network.chair_firm.pk,
        network.member_firm.pk,
    }  # not the firm that left in 2010: scope comes from current memberships (issue 7, finding 2)
    busan_member = FirmFactory(name="외부기업")
    MembershipFactory(group=network.seoul_group, firm=busan_member)
    response = login(network.users["firm"]).get("/groups/seoul-a/")
    assert busan_member.pk not in response.context["linkable_firms"]
    assert f"/firms/{busan_member.brn}/" not in response.content.decode()


# --- firm pages ----------------------------------------------------------------------------------------


def test_firm_list_filters_and_scope(network, login):
    client = login(network.users["seoul"])
    names = {f.name for f in client.get("/firms/").context["firms"]}
    assert "부산정밀" not in names and "새영테크" in names
    by_brn = client.get(f"/firms/?q={network.member_firm.brn_display}").context["firms"]
    assert [f.name for f in by_brn] == ["새영테크"]
    assert {f.name for f in client.get("/firms/?division=30").context["firms"]} == {"광빛차체"}
    assert client.get("/firms/?size=micro").context["page_obj"].paginator.count == 0
    assert "올바르게 선택해 주세요" in client.get("/firms/?size=huge").content.decode()


def test_firm_page_shows_profile_and_membership_history(network, login):
    network.member_firm.technologies = ["레이저 용접", "센서 융합"]
    network.member_firm.revenue_krw = 1234567890
    network.member_firm.save()
    MembershipFactory(group=network.busan_group, firm=network.member_firm, role=Membership.Role.SECRETARY)
    response = login(network.users["firm"]).get(f"/firms/{network.member_firm.brn}/")
    html = response.content.decode()
    assert "1,234,567,890원" in html
    assert "레이저 용접" in html
    history = names_in(response, "firm-membership-table")
    assert "테헤란기술교류회" in history and "해운대교류회" in history and "총무" in history


def test_firm_page_masks_for_coordinator_and_logs_for_own_firm_user(network, login):
    url = f"/firms/{network.member_firm.brn}/"
    masked = login(network.users["coordinator"]).get(url).content.decode()
    assert "홍*동" in masked and "010-****-5678" in masked and "홍길동" not in masked
    assert not AccessLog.objects.exists()
    shown = login(network.users["firm"]).get(url).content.decode()
    assert "홍길동" in shown and "010-1234-5678" in shown
    log = AccessLog.objects.get()
    assert log.object_ids == [str(network.member_firm.pk)] and log.object_type == "network.firm"


# --- federations and home ------------------------------------------------------------------------------


def test_federation_list_counts(network, login):
    response = login(network.users["central"]).get("/federations/")
    stats = {s.federation.code: s for s in response.context["stats"]}
    assert len(stats) == 13
    assert (stats["seoul"].groups, stats["seoul"].firms, stats["seoul"].members) == (2, 4, 3)
    assert (stats["busan"].groups, stats["busan"].firms, stats["busan"].members) == (1, 1, 1)


def test_federation_scope(network, login):
    seoul = login(network.users["seoul"])
    assert [s.federation.code for s in seoul.get("/federations/").context["stats"]] == ["seoul"]
    assert seoul.get("/federations/busan/").status_code == 404
    firm = login(network.users["firm"])
    assert [s.federation.code for s in firm.get("/federations/").context["stats"]] == ["seoul"]
    detail = firm.get("/federations/seoul/")
    assert [g.code for g in detail.context["groups"]] == ["seoul-a"]


def test_home_shows_scope_counts_and_own_groups(network, login):
    seoul = login(network.users["seoul"]).get("/my/")
    assert seoul.context["counts"] == {"groups": 2, "firms": 4, "members": 3}
    assert [s.federation.code for s in seoul.context["federation_stats"]] == ["seoul"]
    officer = login(network.users["officer"]).get("/my/")
    assert [g.code for g in officer.context["own_groups"]] == ["seoul-a"]
    assert "federation_stats" not in officer.context
    firm = login(network.users["firm"]).get("/my/")
    assert [f.name for f in firm.context["own_firms"]] == ["새영테크"]


def test_anonymous_users_go_to_login(client, network):
    for url in ["/my/", "/groups/", "/groups/seoul-a/", "/firms/", "/federations/", "/accounts/profile/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_profile_lists_roles(network, login):
    html = login(network.users["officer"]).get("/accounts/profile/").content.decode()
    assert "교류회 임원(회장·총무)" in html and "테헤란기술교류회" in html


def test_language_switch_to_english(network, login):
    client = login(network.users["seoul"])
    assert '<html lang="ko">' in client.get("/groups/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/groups/"})
    assert response.status_code == 302 and response["Location"] == "/groups/"
    assert '<html lang="en">' in client.get("/groups/").content.decode()
