"""Who an event is for, as one rule (`audience_error`) used by the registration service, and later by the
form, the import and the CLI; and the audience codes of files (`parse_audience`).

An event's audience is judged for a firm: the firm registering its employees, or the firm of the person
registering themselves (their firm-user grants). `everyone` takes anybody, also people without a firm.
Membership is judged on the day of the registration (`Membership.objects.current(on)`), as everywhere."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.accounts.scope import scope_of
from yunghap.core.korean import fill
from yunghap.network.models import ExchangeGroup, Federation, Firm, Membership

from .models import Event


def _firms_of(firm: Firm | None, user: Any) -> list[int]:
    if firm is not None:
        return [firm.pk]
    if user is None:
        return []
    return sorted(scope_of(user).firm_ids)


def audience_error(
    event: Event, *, firm: Firm | None = None, user: Any = None, on: datetime.date | None = None
) -> str | None:
    """None when the firm (or, without one, the user's firms) is in the event's audience on `on`
    (today by default); else the Korean message saying whom the event is for."""
    if event.audience == Event.Audience.EVERYONE:
        return None
    on = on or timezone.localdate()
    firm_ids = _firms_of(firm, user)
    members = Membership.objects.current(on).filter(firm_id__in=firm_ids)
    if event.audience == Event.Audience.MEMBERS:
        if members.exists():
            return None
        return _("이 행사는 교류회 회원사만 신청할 수 있습니다.")
    if event.audience == Event.Audience.REGION:
        region = event.audience_region
        in_region = (
            Firm.objects.filter(pk__in=firm_ids, federation=region).exists()
            or members.filter(group__federation=region).exists()
        )
        if in_region:
            return None
        return _("이 행사는 %(region)s 소속 회원사만 신청할 수 있습니다.") % {"region": region}
    if event.audience == Event.Audience.GROUP:
        if members.filter(group=event.audience_group).exists():
            return None
        return _("이 행사는 %(group)s 회원사만 신청할 수 있습니다.") % {"group": event.audience_group}
    consortium = event.audience_consortium
    assert consortium is not None
    in_consortium = (
        consortium.lead_id in firm_ids
        or consortium.members.filter(firm_id__in=firm_ids, state="accepted").exists()
    )
    if in_consortium:
        return None
    return _("이 행사는 협력체 '%(consortium)s'의 참여기업만 신청할 수 있습니다.") % {
        "consortium": consortium
    }


@dataclass(frozen=True)
class AudienceSpec:
    """A parsed audience code: the kind and its target (the fields of `Event` of the same names)."""

    audience: str
    audience_region: Federation | None = None
    audience_group: ExchangeGroup | None = None
    audience_consortium: Any = None

    def as_fields(self) -> dict[str, Any]:
        return {
            "audience": self.audience,
            "audience_region": self.audience_region,
            "audience_group": self.audience_group,
            "audience_consortium": self.audience_consortium,
        }


def parse_audience(text: str) -> AudienceSpec:
    """`everyone`, `members`, `region:CODE`, `group:CODE` or `consortium:REF` (the 접수번호 of the
    consortium's application) → the spec; a ValidationError with a Korean message otherwise."""
    from yunghap.programmes.models import Application

    raw = (text or "").strip()
    if not raw:
        raise ValidationError(
            _(
                "대상이 비어 있습니다. everyone, members, region:코드, group:코드, "
                "consortium:접수번호 중 하나로 적어 주세요."
            ),
            code="audience",
        )
    kind, _sep, target = raw.partition(":")
    kind, target = kind.strip().lower(), target.strip()
    if kind in (Event.Audience.EVERYONE, Event.Audience.MEMBERS) and not target:
        return AudienceSpec(kind)
    if kind == Event.Audience.REGION and target:
        region = Federation.objects.filter(code=target).first()
        if region is None:
            raise ValidationError(
                fill(_("지역 연합회 코드 '%(code)s'을(를) 찾을 수 없습니다."), {"code": target}),
                code="region",
            )
        return AudienceSpec(kind, audience_region=region)
    if kind == Event.Audience.GROUP and target:
        group = ExchangeGroup.objects.filter(code=target).first()
        if group is None:
            raise ValidationError(
                fill(_("교류회 코드 '%(code)s'을(를) 찾을 수 없습니다."), {"code": target}), code="group"
            )
        return AudienceSpec(kind, audience_group=group)
    if kind == Event.Audience.CONSORTIUM and target:
        found = list(Application.objects.filter(Q(ref=target)).select_related("consortium")[:2])
        if not found:
            raise ValidationError(
                _("접수번호 '%(ref)s'의 협력체를 찾을 수 없습니다.") % {"ref": target}, code="consortium"
            )
        if len(found) > 1:
            raise ValidationError(
                fill(
                    _("접수번호 '%(ref)s'이(가) 여러 공모에 있어 협력체를 정할 수 없습니다."), {"ref": target}
                ),
                code="consortium_ambiguous",
            )
        return AudienceSpec(kind, audience_consortium=found[0].consortium)
    raise ValidationError(
        fill(
            _(
                "대상 '%(value)s'을(를) 알 수 없습니다. everyone, members, region:코드, group:코드, "
                "consortium:접수번호 중 하나로 적어 주세요."
            ),
            {"value": raw},
        ),
        code="audience",
    )
