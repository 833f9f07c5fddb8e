"""Storing what `programmes.rules` found on an application: one place for the web submission, the
applications import and a call's correction (which checks the submitted applications again)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from .models import Application
from .rules import Breach, check_application


def apply_breaches(application: Application, breaches: Sequence[Breach], *, revision: int) -> list[str]:
    """Set the eligibility fields from `breaches` (not saved); returns the names of the fields set."""
    application.breaches = [breach.as_data() for breach in breaches]
    application.eligibility = (
        Application.Eligibility.INELIGIBLE if breaches else Application.Eligibility.ELIGIBLE
    )
    application.rules_revision = revision
    application.checked_at = timezone.now()
    return ["breaches", "eligibility", "rules_revision", "checked_at"]


def evaluate(application: Application) -> list[Breach]:
    """Check every rule of the call and store the result on the application (saved)."""
    call: Any = application.call
    breaches = check_application(application)
    fields = apply_breaches(application, breaches, revision=call.revision)
    application.save(update_fields=[*fields, "updated_at"])
    return breaches
