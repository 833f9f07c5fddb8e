"""Designating leading topics (선도과제) for a call: the topic screen, the call form and the calls import
all go through `designate_leading`."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from yunghap.core.audit import record_change

from .models import Call, Topic


def designate_leading(topic: Topic, call: Call, *, actor: Any) -> bool:
    """Make `topic` a leading topic of `call`; False if it already was one of it (nothing written).

    A rejected topic cannot lead a call: `ValueError` (the callers show or report it in Korean)."""
    if topic.status == Topic.Status.REJECTED:
        raise ValueError("rejected topic")
    with transaction.atomic():
        already = call.topics.filter(pk=topic.pk).exists()
        if already and topic.status == Topic.Status.LEADING:
            return False
        if topic.status != Topic.Status.LEADING:
            Topic.objects.filter(pk=topic.pk).update(
                status=Topic.Status.LEADING,
                screened_by=actor if getattr(actor, "pk", None) else None,
                screened_at=timezone.now(),
                version=topic.version + 1,
            )
            topic.refresh_from_db()
        call.topics.add(topic)
        record_change(actor, "topic.designate_leading", topic, {"call": call.code})
    return True
