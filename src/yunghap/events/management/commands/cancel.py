"""`yunghap cancel registration --event CODE --email EMAIL`: cancel a person's active registration (until
the event's cancellation deadline); a freed seat is offered to the first person waiting."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from yunghap.events.models import Event, Registration, email_key
from yunghap.events.registration import cancel, kst


class Command(BaseCommand):
    help = "행사 신청을 취소합니다. 빈 좌석은 첫 번째 대기자에게 제안됩니다."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["registration"], help="취소할 대상 (registration: 행사 신청)")
        parser.add_argument("--event", required=True, help="행사 코드")
        parser.add_argument("--email", required=True, help="참가자 이메일")
        parser.add_argument("--at", help="기준 일시(YYYY-MM-DD HH:MM, KST, 기본값: 지금)")

    def handle(self, *args: Any, **options: Any) -> None:
        event = Event.objects.filter(code=options["event"]).first()
        if event is None:
            raise CommandError(f"행사를 찾을 수 없습니다: {options['event']}")
        registration = (
            Registration.objects.filter(event=event, email_key=email_key(options["email"]))
            .filter(status__in=Registration.ACTIVE)
            .first()
        )
        if registration is None:
            raise CommandError(f"이 행사에 {options['email']}의 유효한 신청이 없습니다.")
        now = parse_kst(options["at"]) if options["at"] else None
        try:
            cancel(registration, actor=None, now=now)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        offered = Registration.objects.filter(event=event, status=Registration.Status.OFFERED).order_by(
            "queue_position"
        )
        self.stdout.write(f"취소했습니다: {registration.email}")
        for offer in offered:
            if offer.offer_expires_at is not None:
                self.stdout.write(f"좌석 제안: {offer.email} ({kst(offer.offer_expires_at)}까지)")


def parse_kst(text: str) -> datetime.datetime:
    """`YYYY-MM-DD HH:MM` in Korean time, as in the issue's files."""
    from django.utils import timezone

    try:
        naive = datetime.datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    except ValueError as exc:
        raise CommandError("일시는 YYYY-MM-DD HH:MM 형식이어야 합니다.") from exc
    return timezone.make_aware(naive)
