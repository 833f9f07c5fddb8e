"""Demo notices and library items (`yunghap demo`): 12 notices and 6 library items with categories, one
pinned, one scheduled for next week, one whose deadline is "추후 공지", one with three cut-off dates, and
real small attachments (a valid PDF and a valid XLSX made here). Idempotent: skipped when posts exist."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from .models import Attachment, Category, CutOff, Kind, Post

CATEGORIES = [
    (Kind.NOTICE, "call", "공모", "Calls"),
    (Kind.NOTICE, "event", "행사", "Events"),
    (Kind.NOTICE, "survey", "실태조사", "Survey"),
    (Kind.NOTICE, "general", "일반", "General"),
    (Kind.LIBRARY, "form", "서식", "Forms"),
    (Kind.LIBRARY, "guide", "안내서", "Guides"),
    (Kind.LIBRARY, "report", "보고서", "Reports"),
]


def tiny_pdf(text: str = "Yunghap demo") -> bytes:
    """A minimal valid one-page PDF (with a correct cross-reference table)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def tiny_xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


NOTICES = [
    (
        "2026년 이업종교류 활성화 지원사업 공모",
        "call",
        "2026년 이업종교류 활성화 지원사업 참여 교류회를 모집합니다.\n\n지원 내용: 교류회당 최대 2,000만 원\n신청 방법: 정보망에서 온라인 신청",
    ),
    (
        "2026년 교류회 연례 실태조사 안내",
        "survey",
        "모든 교류회는 3월 말까지 연례 실태조사에 답해 주세요.\n회원 수, 모임 횟수, 출석률을 적습니다.",
    ),
    (
        "전국 이업종교류 한마당 개최 안내",
        "event",
        "올해 전국 이업종교류 한마당을 엽니다. 세부 일정은 추후 공지합니다.",
    ),
    ("기술세미나: 스마트공장 도입 사례", "event", "회원사의 스마트공장 도입 사례를 나누는 세미나입니다."),
    (
        "정보망 개편 안내",
        "general",
        "정보망이 새로 바뀌었습니다. 공지사항, 자료실, 성과사례를 로그인 없이 볼 수 있습니다.",
    ),
    ("설 연휴 고객센터 운영 안내", "general", "설 연휴 기간에는 고객센터를 운영하지 않습니다."),
    ("R&D 공동과제 수요조사", "call", "교류회 회원사의 공동 R&D 수요를 조사합니다."),
    ("지역연합회 임원 연수 안내", "event", "지역연합회 임원 연수를 진행합니다."),
    (
        "개인정보처리방침 개정 안내",
        "general",
        "개인정보처리방침이 개정되었습니다. 주요 변경 사항을 확인해 주세요.",
    ),
    ("우수 교류회 포상 후보 추천", "call", "올해의 우수 교류회 후보를 추천해 주세요."),
    ("교류회 모임 기록 입력 기간 안내", "survey", "상반기 모임 기록을 6월 말까지 입력해 주세요."),
    (
        "신규 회원사 가입 절차 안내",
        "general",
        "교류회 신규 회원사 가입은 교류회 임원이 정보망에서 신청합니다.",
    ),
]
LIBRARY = [
    ("지원사업 신청서 서식", "form"),
    ("교류회 모임 기록 양식(엑셀)", "form"),
    ("정보망 이용 안내서", "guide"),
    ("실태조사 작성 요령", "guide"),
    ("2025년 이업종교류 실태조사 결과 보고서", "report"),
    ("성과사례집 2025", "report"),
]


def _file(name: str) -> SimpleUploadedFile:
    if name.endswith(".xlsx"):
        content = tiny_xlsx([["교류회", "모임일", "참석 회원사 수"], ["서울 A 교류회", "2026-01-15", 12]])
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = tiny_pdf(name.rsplit(".", 1)[0].encode("ascii", "ignore").decode() or "Yunghap demo")
        kind = "application/pdf"
    return SimpleUploadedFile(name, content, content_type=kind)


def build_demo(*, seed: int, stdout: Any) -> None:
    from yunghap.accounts.models import User

    from . import services

    if Post.objects.exists():
        stdout.write("공지사항·자료실: 이미 있어 시연 데이터를 만들지 않았습니다.")
        return
    categories = {}
    for kind, slug, name, name_en in CATEGORIES:
        categories[kind, slug], _created = Category.objects.get_or_create(
            kind=kind, slug=slug, defaults={"name": name, "name_en": name_en}
        )
    central = User.objects.filter(username="central").first()
    now = timezone.now()
    today = timezone.localdate()
    for index, (title, slug, body) in enumerate(NOTICES):
        extra: dict[str, Any] = {"publish_at": now - datetime.timedelta(days=3 * (index + 1))}
        files = []
        cutoffs: list[tuple[datetime.date, str]] = []
        if index == 0:
            extra["pinned"] = True
            extra["deadline_on"] = today + datetime.timedelta(days=30)
            files = [_file("2026년_지원사업_공고문.pdf")]
        if index == 1:
            cutoffs = [
                (today + datetime.timedelta(days=10), "1차 마감"),
                (today + datetime.timedelta(days=40), "2차 마감"),
                (today + datetime.timedelta(days=70), "3차 마감"),
            ]
            files = [_file("실태조사_입력양식.xlsx")]
        if index == 2:
            extra["deadline_text"] = "추후 공지"
        if index == 4:
            extra["publish_at"] = now + datetime.timedelta(days=7)  # scheduled: not public yet
        services.create_post(
            actor=central,
            kind=Kind.NOTICE,
            title=title,
            body=body,
            category=categories[Kind.NOTICE, slug],
            cutoffs=cutoffs,
            files=files,
            **extra,
        )
    for index, (title, slug) in enumerate(LIBRARY):
        name = f"{title}.xlsx" if "엑셀" in title else f"{title}.pdf"
        services.create_post(
            actor=central,
            kind=Kind.LIBRARY,
            title=title,
            body=f"{title}을 내려받아 쓰세요.",
            category=categories[Kind.LIBRARY, slug],
            publish_at=now - datetime.timedelta(days=5 * (index + 1)),
            files=[_file(name.replace(" ", "_"))],
        )
    stdout.write(
        f"공지사항·자료실: 공지 {Post.objects.filter(kind=Kind.NOTICE).count()}건(고정 1, 게시 예정 1), "
        f"자료 {Post.objects.filter(kind=Kind.LIBRARY).count()}건, 첨부 {Attachment.objects.count()}개"
    )


def reset_demo() -> None:
    for attachment in Attachment.objects.all():
        attachment.file.delete(save=False)
    CutOff.objects.all().delete()
    Attachment.objects.all().delete()
    Post.objects.all().delete()
    Category.objects.all().delete()
