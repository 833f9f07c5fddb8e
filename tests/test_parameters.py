"""Finding 7.3 of issue 7: no parameter value makes a 500.

Every URL of the project (the permission matrix's list, so a new page is fuzzed too) is requested as
central staff with hostile values for each parameter its view reads — found by recording which keys of
`request.GET` / `request.POST` the view looks at — and with hostile path arguments. Bad values are a
400 with a Korean message, or a form error where the page is a filter form; never a 500.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.http import QueryDict
from django.urls import NoReverseMatch, reverse

from tests.test_permission_matrix import MATRIX, world  # noqa: F401  (the fixture)
from tests.web.conftest import network  # noqa: F401  (the fixture)

HUGE = "99999999999999999999999"
HOSTILE: list[Any] = [
    "-1",
    HUGE,
    "\x00",
    "9" * 5000,  # long, and more digits than int() converts
    "²" * 10,  # Unicode digits: str.isdigit() says yes, int() says no
    "abc",
    ["1", "2"],  # the key given twice
    "0",
    "２０２５",  # full-width digits: int() accepts them, the database may not
]
# Read when a view takes the whole query (`request.GET.items()`), which the recorder cannot itemise.
COMMON = {"page", "year", "from", "to", "region", "type", "industry", "format", "period", "state", "q"}


@contextlib.contextmanager
def recording_keys() -> Iterator[set[str]]:
    """Record every key a view reads from a QueryDict (GET or POST)."""
    keys: set[str] = set()
    keyed = ("__getitem__", "get", "getlist", "__contains__")
    whole = ("items", "lists", "dict", "keys", "values", "__iter__")
    originals = {name: getattr(QueryDict, name) for name in keyed + whole}

    def wrap(name: str):
        original = originals[name]

        def reader(self, *args, **kwargs):
            if name in whole:
                keys.add("*")
            elif args and isinstance(args[0], str):
                keys.add(args[0])
            return original(self, *args, **kwargs)

        return reader

    for name in originals:
        setattr(QueryDict, name, wrap(name))
    try:
        yield keys
    finally:
        for name, original in originals.items():
            setattr(QueryDict, name, original)


def _request(client, method: str, url: str, data: dict[str, Any]) -> Any:
    with transaction.atomic():
        try:
            return getattr(client, method)(url, data)
        finally:
            transaction.set_rollback(True)


def _hostile_kwargs(kwargs: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for key, value in kwargs.items():
        if isinstance(value, int):
            for bad in (0, int(HUGE)):
                yield {**kwargs, key: bad}
        else:
            for bad in ("0", "abc", "x" * 300, "%00"):
                yield {**kwargs, key: bad}


@pytest.mark.django_db
def test_no_parameter_value_is_a_server_error(world, client):  # noqa: F811
    client.force_login(world["users"]["central"])
    failures: list[str] = []

    def check(method: str, url: str, data: dict[str, Any]) -> None:
        try:
            response = _request(client, method, url, data)
        except Exception as exc:  # the test client re-raises what the view raised
            failures.append(f"{method.upper()} {url} {data!r:.120}: {type(exc).__name__}: {exc!s:.200}")
            return
        if response.status_code >= 500:
            failures.append(f"{method.upper()} {url} {data!r:.120}: {response.status_code}")
        elif response.status_code == 400:
            body = response.content.decode(errors="replace")
            if not any("\uac00" <= ch <= "\ud7a3" for ch in body):
                failures.append(f"{method.upper()} {url} {data!r:.120}: 400 without a Korean message")

    for name, (kwargs_of, _get, _post) in MATRIX.items():
        if name.startswith("accounts:logout"):
            continue
        kwargs = kwargs_of(world) if kwargs_of else {}
        url = reverse(name, kwargs=kwargs or None)
        for method in ("get", "post"):
            with recording_keys() as keys:
                response = _request(client, method, url, {"_": "1"})
            if response.status_code == 405:
                continue
            keys.discard("_")
            if "*" in keys:
                keys = (keys - {"*"}) | COMMON
            names = sorted(keys)
            # Forms clean every field whatever the others hold, so for POST one request per value covers
            # all fields; views that parse GET by hand may stop at the first bad key, so each key alone.
            if method == "get":
                for key in names:
                    for value in HOSTILE:
                        check(method, url, {key: value})
            for value in HOSTILE:
                check(method, url, dict.fromkeys(names, value))
        for bad in _hostile_kwargs(kwargs):
            try:
                bad_url = reverse(name, kwargs=bad)
            except NoReverseMatch:  # the URL pattern itself refuses the value: a 404 before any view
                continue
            check("get", bad_url, {})
        client.force_login(world["users"]["central"])  # a view may have logged out or switched language
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:80])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("/statistics/", {"from": "-1"}, "시작 연도는 1900부터 2100까지입니다."),
        ("/statistics/", {"to": HUGE}, "끝 연도 값이 올바르지 않습니다: 숫자로 써 주세요."),
        ("/statistics/", {"from": "2020", "to": "2010"}, "시작 연도(2020)가 끝 연도(2010)보다 늦습니다."),
        ("/statistics/survey/", {"year": HUGE}, "연도 값이 올바르지 않습니다: 숫자로 써 주세요."),
        ("/statistics/report/", {"year": "２０２５"}, "연도 값이 올바르지 않습니다: 숫자로 써 주세요."),
        ("/statistics/survey/", {"region": "\x00"}, "요청에 쓸 수 없는 문자(NUL)가 들어 있습니다."),
        ("/network/firms/", {"q": "a\x00b"}, "요청에 쓸 수 없는 문자(NUL)가 들어 있습니다."),
    ],
)
def test_out_of_range_parameters_are_a_korean_400_with_the_message(client, path, params, message):
    from tests.factories import make_user
    from yunghap.accounts.models import Role

    client.force_login(make_user("central", Role.CENTRAL_STAFF))
    response = client.get(path, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'id="krds-header"' in html  # in the page shell
    if path.startswith("/statistics/") and not any("\x00" in value for value in params.values()):
        # A statistics filter says what is wrong beside its field and keeps the values (insights.forms).
        assert 'id="filter-errors"' in html and 'aria-invalid="true"' in html
    else:
        assert 'id="error-home"' in html  # the error page, with a way home
