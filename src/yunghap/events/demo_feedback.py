"""Satisfaction survey demo data (`yunghap demo`, wired in by the events demo): for every demo event whose
last session has ended, about seven in ten of its confirmed participants have answered (scores leaning
to 4–5, some comments) and every confirmed participant was invited. Deterministic for a seed; skipped
when answers exist already. Rebuilds the stored yearly education and event figures at the end.

Rows are written directly rather than through `submit_feedback`: past demo events are mostly outside
their answer window, which is the point of showing results.
"""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .models import Event, FeedbackAnswer, FeedbackInvitation, FeedbackReceipt, FeedbackSurvey, Registration
from .models.feedback import ITEMS
from .statistics import refresh_event_figures

COMMENTS = [
    "현장 사례가 많아 바로 적용할 수 있었습니다.",
    "실습 시간이 조금 더 있었으면 좋겠습니다.",
    "다른 업종 회원사와 이야기할 시간이 유익했습니다.",
    "자료를 미리 받아 볼 수 있으면 좋겠습니다.",
    "강의실이 좁아 뒤쪽에서는 화면이 잘 보이지 않았습니다.",
    "후속 심화 과정이 열리면 꼭 참석하겠습니다.",
]
# Weights of the scores 1..5: most participants are satisfied, a few are not.
WEIGHTS = [2, 5, 18, 40, 35]


def build_feedback_demo(*, seed: int, stdout: Any) -> None:
    if FeedbackAnswer.objects.exists():
        stdout.write("만족도 조사: 응답이 이미 있어 시연 데이터를 만들지 않았습니다.")
        return
    rng = random.Random(seed)
    now = timezone.now()
    ended = (
        Event.objects.annotate(last_end=Max("sessions__ends_at")).filter(last_end__lte=now).order_by("code")
    )
    answered = events = 0
    with transaction.atomic():
        for event in ended:
            confirmed = list(
                Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).order_by(
                    "queue_position"
                )
            )
            if not confirmed:
                continue
            events += 1
            survey, _created = FeedbackSurvey.objects.get_or_create(event=event)
            last_end = event.last_end  # type: ignore[attr-defined]
            FeedbackInvitation.objects.bulk_create(
                [FeedbackInvitation(registration=r, sent_at=last_end) for r in confirmed],
                ignore_conflicts=True,
            )
            for registration in confirmed:
                if rng.random() > 0.7:
                    continue
                base = rng.choices(range(1, 6), weights=WEIGHTS)[0]
                scores = {item: min(5, max(1, base + rng.choice([-1, 0, 0, 1]))) for item, _label in ITEMS}
                comment = rng.choice(COMMENTS) if rng.random() < 0.4 else ""
                FeedbackReceipt.objects.create(
                    survey=survey, registration=registration, submitted_on=timezone.localdate(last_end)
                )
                FeedbackAnswer.objects.create(survey=survey, comment=comment, **scores)
                answered += 1
    stdout.write(f"만족도 조사: 행사 {events}건에 응답 {answered}건을 만들었습니다.")
    # The trend pages read stored figures: rebuild them with the answers (whatever order the demo runs in).
    refresh_event_figures()
