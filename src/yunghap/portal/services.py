"""Every change of the portal's posts: create, update, delete (with their cut-offs and attachments).

Each is one transaction with one audit row; the public page cache is dropped after the commit, so the
change shows at once on every public page.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.core.audit import record_change
from yunghap.core.versions import bump_version, lock_version

from .caching import forget_public_pages
from .files import attachment_errors, max_files
from .models import Attachment, Category, CutOff, Kind, Post
from .permissions import may_manage

EDITABLE = ("kind", "title", "body", "category", "pinned", "publish_at", "deadline_on", "deadline_text")


def _check(actor: Any) -> None:
    if actor is not None and not may_manage(actor):
        raise PermissionDenied(_("공지사항과 자료실은 중앙연합회 직원이 관리합니다."))


def _validate(post: Post, cutoffs: Sequence[tuple[datetime.date, str]], uploads: Iterable[Any]) -> None:
    errors: dict[str, list[str]] = {}
    try:
        post.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if post.category_id and post.category and post.category.kind != post.kind:
        errors.setdefault("category", []).append(_("이 게시판의 분류가 아닙니다."))
    dates = [date for date, _label in cutoffs]
    if len(dates) != len(set(dates)):
        errors.setdefault("cutoffs", []).append(_("같은 날짜의 차수별 마감일이 두 번 있습니다."))
    for upload in uploads:
        for message in attachment_errors(upload):
            errors.setdefault("files", []).append(message)
    if errors:
        raise ValidationError(errors)


def _snapshot(post: Post) -> dict[str, Any]:
    values = {name: getattr(post, f"{name}_id" if name == "category" else name) for name in EDITABLE}
    values["cutoffs"] = [f"{c.date.isoformat()} {c.label}".strip() for c in post.cutoffs.all()]
    return values


def _attach(post: Post, uploads: Iterable[Any]) -> list[Attachment]:
    made = []
    for upload in uploads:
        upload.seek(0)
        made.append(
            Attachment.objects.create(post=post, file=upload, name=upload.name[:200], size=upload.size)
        )
    return made


def create_post(
    *,
    actor: Any,
    kind: str = Kind.NOTICE,
    title: str,
    body: str,
    category: Category | None = None,
    pinned: bool = False,
    publish_at: datetime.datetime | None = None,
    deadline_on: datetime.date | None = None,
    deadline_text: str = "",
    cutoffs: Sequence[tuple[datetime.date, str]] = (),
    files: Sequence[Any] = (),
) -> Post:
    _check(actor)
    if len(files) > max_files():
        raise ValidationError(
            {"files": [_("첨부파일은 %(count)s개까지 올릴 수 있습니다.") % {"count": max_files()}]}
        )
    post = Post(
        kind=kind,
        title=title,
        body=body,
        category=category,
        pinned=pinned,
        publish_at=publish_at or timezone.now(),
        deadline_on=deadline_on,
        deadline_text=deadline_text.strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _validate(post, cutoffs, files)
    with transaction.atomic():
        post.save()
        CutOff.objects.bulk_create([CutOff(post=post, date=date, label=label) for date, label in cutoffs])
        attached = _attach(post, files)
        record_change(
            actor, "portal.post.create", post, {**_snapshot(post), "attachments": [a.name for a in attached]}
        )
        transaction.on_commit(forget_public_pages)
    return post


def update_post(
    post: Post,
    *,
    actor: Any,
    expected_version: int | None = None,
    cutoffs: Sequence[tuple[datetime.date, str]] | None = None,
    files: Sequence[Any] = (),
    remove_attachment_ids: Iterable[int] = (),
    **values: Any,
) -> Post:
    """Change the fields given in `values` (of EDITABLE); replace the cut-offs when given; add and remove
    attachments. A stale version raises `StaleEdit`."""
    _check(actor)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        lock_version(post, expected_version)
        before = _snapshot(post)
        for name, value in values.items():
            setattr(post, name, value.strip() if name == "deadline_text" else value)
        removing = list(post.attachments.filter(pk__in=list(remove_attachment_ids)))
        kept = post.attachments.count() - len(removing)
        if kept + len(files) > max_files():
            raise ValidationError(
                {"files": [_("첨부파일은 %(count)s개까지 올릴 수 있습니다.") % {"count": max_files()}]}
            )
        _validate(post, cutoffs if cutoffs is not None else [], files)
        if cutoffs is not None:
            post.cutoffs.all().delete()
            CutOff.objects.bulk_create([CutOff(post=post, date=date, label=label) for date, label in cutoffs])
        after = _snapshot(post)
        changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
        if removing:
            changes["attachments_removed"] = [a.name for a in removing]
            for attachment in removing:
                attachment.file.delete(save=False)
                attachment.delete()
        attached = _attach(post, files)
        if attached:
            changes["attachments_added"] = [a.name for a in attached]
        if changes:
            bump_version(post)
            post.save()
            record_change(actor, "portal.post.update", post, changes)
            transaction.on_commit(forget_public_pages)
    return post


def delete_post(post: Post, *, actor: Any) -> None:
    _check(actor)
    with transaction.atomic():
        record_change(
            actor,
            "portal.post.delete",
            post,
            {**_snapshot(post), "attachments": list(post.attachments.values_list("name", flat=True))},
        )
        files = [a.file for a in post.attachments.all()]
        post.delete()

        def remove_files() -> None:
            for stored in files:
                stored.delete(save=False)

        transaction.on_commit(remove_files)
        transaction.on_commit(forget_public_pages)
