"""The permission matrix's objects for reports, grades, indicators and follow-ups (helper 3, issue 10).

새영테크 (the `firm` persona's firm) leads an agreement with the Seoul chair firm and 구로전자: an interim
report submitted with a file (review, file), a final report still scheduled (submit, skip), and a follow-up
opened one year after an earlier agreement of the same firm ended (answer)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.programmes.factories import make_agreement, make_application, make_call
from yunghap.network.models import Firm
from yunghap.programmes.models import FollowUp, Report


def add_progress(w: dict[str, Any], network: Any) -> dict[str, Any]:
    today = timezone.localdate()
    call = make_call(
        code="c-progress",
        opens_on=today - datetime.timedelta(days=400),
        closes_on=today - datetime.timedelta(days=370),
        published_at=timezone.now() - datetime.timedelta(days=401),
    )
    partners = [network.chair_firm, Firm.objects.get(name="구로전자")]
    application = make_application(call, network.member_firm, partners, ref="c-progress-001")
    agreement = make_agreement(
        application,
        starts_on=today - datetime.timedelta(days=200),
        ends_on=today + datetime.timedelta(days=60),
    )
    interim = Report.objects.create(
        agreement=agreement,
        kind=Report.Kind.INTERIM,
        due_on=today - datetime.timedelta(days=20),
        status=Report.Status.SUBMITTED,
        summary="중간 점검: 시제품 설계 완료",
        file=SimpleUploadedFile("interim.pdf", b"%PDF-1.4\n%interim\n", content_type="application/pdf"),
        submitted_at=timezone.now() - datetime.timedelta(days=21),
    )
    final = Report.objects.create(
        agreement=agreement, kind=Report.Kind.FINAL, due_on=today + datetime.timedelta(days=60)
    )
    ended_application = make_application(call, network.member_firm, partners, ref="c-progress-002")
    ended = make_agreement(
        ended_application,
        starts_on=today - datetime.timedelta(days=800),
        ends_on=today - datetime.timedelta(days=400),
    )
    followup = FollowUp.objects.create(
        agreement=ended,
        years_after=1,
        due_on=today - datetime.timedelta(days=35),
        status=FollowUp.Status.OPEN,
        opened_at=timezone.now(),
    )
    return {
        "progress_agreement": agreement,
        "progress_interim": interim,
        "progress_final": final,
        "progress_followup": followup,
    }
