"""Keep analysis and the index in step with changes made outside the matching services.

Connected by `MatchingConfig.ready()` (`connect_signals`); docs/reactions.md lists every reaction to a write.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from yunghap.network.models import Firm

from .models import Posting


def queue_profile_analysis(sender: Any, instance: Firm, raw: bool = False, **kwargs: Any) -> None:
    # Profile technologies and products count as offers; the task skips unchanged text by its hash.
    if raw or not (instance.technologies or instance.products):
        return
    from .tasks import analyse_firm_profile

    firm_id = instance.pk
    transaction.on_commit(lambda: analyse_firm_profile.enqueue(firm_id))


def forget_posting(sender: Any, instance: Posting, **kwargs: Any) -> None:
    from .store import mark_dirty

    mark_dirty(instance.firm_id)


def connect_signals() -> None:
    post_save.connect(queue_profile_analysis, sender=Firm, dispatch_uid="matching_firm_profile")
    post_delete.connect(forget_posting, sender=Posting, dispatch_uid="matching_posting_deleted")
