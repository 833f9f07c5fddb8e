"""The proposals' pages: who sees what, the answer only once published, attachments checked by their
content, the create form's one-time token, query counts pinned."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.proposals.factories import make_proposal, pdf
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.proposals import services
from yunghap.proposals.models import PolicyProposal

pytestmark = pytest.mark.django_db


def _form(**extra):
    return {
        "title": "수출 바우처 정산 간소화",
        "problem": "증빙이 많습니다.",
        "proposal": "간소화",
        "law": "",
        **extra,
    }


def test_a_private_proposal_is_a_404_for_everyone_but_its_author_and_central_staff(client, network):  # noqa: F811
    p = make_proposal(network.users["firm"], staff=network.users["central"])
    url = reverse("proposals:detail", args=[p.pk])
    assert client.get(url).status_code == 404
    for persona in ("seoul", "officer", "nobody"):
        client.force_login(network.users[persona])
        assert client.get(url).status_code == 404
    for persona in ("firm", "central"):
        client.force_login(network.users[persona])
        assert client.get(url).status_code == 200


def test_the_answer_is_read_only_once_published(client, network):  # noqa: F811
    firm, central = network.users["firm"], network.users["central"]
    p = make_proposal(firm, staff=central, state="answered", is_public=True)
    url = reverse("proposals:detail", args=[p.pk])
    client.force_login(firm)
    page = client.get(url).content.decode()
    assert "아직 공개된 답변이 없습니다." in page and "내년 공고부터 반영" not in page
    client.force_login(central)
    assert "아직 공개하지 않은 답변입니다." in client.get(url).content.decode()
    services.move_proposal(p, "publish_answer", actor=central)
    client.logout()
    page = client.get(url).content.decode()
    assert "내년 공고부터 반영" in page and "수용" in page
    listed = client.get(reverse("proposals:list")).content.decode()
    assert p.title in listed and "답변 공개" in listed


def test_submitting_with_a_spoofed_file_names_it_and_writes_nothing(client, network):  # noqa: F811
    client.force_login(network.users["firm"])
    fake = SimpleUploadedFile("법령.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(reverse("proposals:create"), {**_form(), "attachments": [fake]})
    assert response.status_code == 200
    assert "'법령.pdf': 파일 내용이 확장자(pdf)와 맞지 않습니다." in html.unescape(response.content.decode())
    exe = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client.post(reverse("proposals:create"), {**_form(), "attachments": [exe]})
    assert (
        "'run.exe': PDF, HWP, HWPX, XLSX 또는 이미지(JPG·PNG·GIF) 파일만 올릴 수 있습니다."
        in html.unescape(response.content.decode())
    )
    assert not PolicyProposal.objects.exists()


def test_hwp_hwpx_xlsx_pass_and_the_size_limit_is_a_setting(client, network, settings):  # noqa: F811
    client.force_login(network.users["firm"])
    files = [
        SimpleUploadedFile("a.hwp", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"),
        SimpleUploadedFile("b.hwpx", b"PK\x03\x04rest"),
        SimpleUploadedFile("c.xlsx", b"PK\x03\x04rest"),
        pdf(),
    ]
    response = client.post(reverse("proposals:create"), {**_form(), "attachments": files})
    assert response.status_code == 302
    assert PolicyProposal.objects.get().attachments.count() == 4
    settings.PROPOSAL_ATTACHMENT_MAX_BYTES = 10
    response = client.post(reverse("proposals:create"), {**_form(), "attachments": [pdf("큰파일.pdf")]})
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "'큰파일.pdf': 파일은 10" in page and " 이하여야 합니다." in page
    assert PolicyProposal.objects.count() == 1


def test_three_presses_of_submit_make_one_proposal(client, network):  # noqa: F811
    client.force_login(network.users["firm"])
    form = client.get(reverse("proposals:create")).context["form"]
    token = form.fields["form_token"].initial()
    for _ in range(3):
        response = client.post(reverse("proposals:create"), {**_form(), "form_token": token})
        assert response.status_code == 302
    assert PolicyProposal.objects.count() == 1


def test_on_behalf_of_a_firm_only_ones_own(client, network):  # noqa: F811
    client.force_login(network.users["firm"])
    response = client.post(reverse("proposals:create"), _form(firm=str(network.busan_firm.pk)))
    assert response.status_code == 200 and PolicyProposal.objects.count() == 0
    response = client.post(
        reverse("proposals:create"), _form(firm=str(network.member_firm.pk), is_public="on")
    )
    assert response.status_code == 302
    assert PolicyProposal.objects.get().firm == network.member_firm


def test_an_answers_file_is_served_only_once_the_answer_is_published(client, network):  # noqa: F811
    firm, central = network.users["firm"], network.users["central"]
    p = make_proposal(firm, staff=central, state="in_review", is_public=True)
    services.move_proposal(
        p, "answer", actor=central, text="답변", outcome="partly", attachments=[pdf("답변.pdf")]
    )
    answer_file = p.attachments.get(part="answer")
    url = reverse("proposals:attachment", args=[p.pk, answer_file.pk])
    client.force_login(firm)
    assert client.get(url).status_code == 404
    services.move_proposal(p, "publish_answer", actor=central)
    client.logout()
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_hidden_proposal_tells_its_author(client, network):  # noqa: F811
    firm = network.users["firm"]
    p = make_proposal(firm, staff=network.users["central"], is_public=True)
    for name in ("seoul", "busan", "officer"):
        services.report_proposal(p, actor=network.users[name], reason="광고")
    client.force_login(firm)
    assert (
        "공개 목록에서 숨겨져 있습니다"
        in client.get(reverse("proposals:detail", args=[p.pk])).content.decode()
    )
    client.logout()
    assert client.get(reverse("proposals:detail", args=[p.pk])).status_code == 404
    assert p.title not in client.get(reverse("proposals:list")).content.decode()


def test_the_queue_filters_overdue(client, network):  # noqa: F811
    import datetime

    from django.utils import timezone

    firm, central = network.users["firm"], network.users["central"]
    late = make_proposal(firm, staff=central, title="늦은 건의")
    PolicyProposal.objects.filter(pk=late.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=20)
    )
    make_proposal(firm, staff=central, title="새 건의")
    client.force_login(central)
    page = client.get(reverse("proposals:manage"), {"overdue": "on"}).content.decode()
    assert "늦은 건의" in page and "새 건의" not in page and "기한 초과" in page
    assert client.get(reverse("proposals:manage"), {"state": "nope"}).status_code == 400


@pytest.mark.parametrize("count", [3, 12])
def test_pages_cost_fixed_queries(client, network, django_assert_max_num_queries, count):  # noqa: F811
    firm, central = network.users["firm"], network.users["central"]
    made = [make_proposal(firm, staff=central, is_public=True, title=f"건의 {i}") for i in range(count)]
    for p in made:
        services.support_proposal(p, actor=central)
    with django_assert_max_num_queries(4):
        assert client.get(reverse("proposals:list")).status_code == 200
    client.force_login(central)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("proposals:manage")).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("proposals:detail", args=[made[0].pk])).status_code == 200


def test_the_pages_speak_english_when_chosen(client, network):  # noqa: F811
    from django.conf import settings

    p = make_proposal(
        network.users["firm"], staff=network.users["central"], is_public=True, state="published"
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    listed = client.get(reverse("proposals:list")).content.decode()
    assert "Policy proposals" in listed and "Answer published" in listed
    page = html.unescape(client.get(reverse("proposals:detail", args=[p.pk])).content.decode())
    assert "Outcome: Accepted" in page and "does not change whether or when an answer is given" in page
