"""The portal's pages: the public home, notices and library, search, terms, robots.txt (cached safely for
anonymous visitors, `caching.public_page`), and the staff's pages to write posts (`manage/`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods

from yunghap.core import onetime
from yunghap.core.confirm import ConfirmForm, confirm_page
from yunghap.core.forms import add_service_errors
from yunghap.core.http import BAD_PARAMETER_STATUS
from yunghap.core.korean import fill
from yunghap.core.versions import StaleEdit, show_conflict

from . import selectors, services
from .caching import public_page
from .forms import KIND_LABELS, PostForm, SearchForm
from .models import Attachment, Kind, Post
from .permissions import may_manage

LIST_URLS: dict[str, str] = {Kind.NOTICE: "portal:notice_list", Kind.LIBRARY: "portal:library_list"}


def home_search_form() -> SearchForm:
    """The home page's search box: the search page's own form, with its own id and hint."""
    form = SearchForm(None)
    field: Any = form.fields["q"]
    field.label = _("공지사항·자료실 검색")
    field.widget.attrs.update({"id": "home-search-q", "placeholder": _("예: 실태조사, 공모")})
    return form


@require_GET
@public_page(120)
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {
            "notices": selectors.home_notices(),
            "library": list(selectors.public_posts(Kind.LIBRARY).listed()[:4]),
            "calls": selectors.open_calls(),
            "events": selectors.upcoming_events(),
            "stories": selectors.latest_stories(),
            "figures": selectors.key_figures(),
            "search_form": home_search_form(),
        },
    )


def _post_list(request: HttpRequest, kind: str) -> HttpResponse:
    form = SearchForm(request.GET or None, kind=kind)
    posts = Post.objects.visible_to(request.user).of_kind(kind).select_related("category")
    status = 200
    if form.is_bound and not form.is_valid():
        posts = posts.none()
        status = BAD_PARAMETER_STATUS
    elif form.is_bound:
        query = form.cleaned_data.get("q", "").strip()
        for word in query.split()[:8]:
            posts = posts.filter(q_filter(word))
        if form.cleaned_data.get("category"):
            posts = posts.filter(category__slug=form.cleaned_data["category"])
    page_obj = Paginator(posts.listed(), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/post_list.html",
        {
            "kind": kind,
            "kind_label": KIND_LABELS[kind],
            "form": form,
            "page_obj": page_obj,
            "posts": page_obj.object_list,
            "may_manage": may_manage(request.user),
            "now": _now(),
        },
        status=status,
    )


def _now() -> Any:
    from django.utils import timezone

    return timezone.now()


def q_filter(word: str) -> Any:
    from django.db.models import Q

    return Q(title__icontains=word) | Q(body__icontains=word)


def _post_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    post = get_object_or_404(
        Post.objects.visible_to(request.user).of_kind(kind).select_related("category"), pk=pk
    )
    return render(
        request,
        "portal/post_detail.html",
        {
            "post": post,
            "kind_label": KIND_LABELS[kind],
            "list_url": reverse(LIST_URLS[kind]),
            "cutoffs": list(post.cutoffs.all()),
            "attachments": list(post.attachments.all()),
            "may_manage": may_manage(request.user),
            "meta_description": post.body[:150].replace("\n", " "),
        },
    )


@require_GET
@public_page(120)
def notice_list(request: HttpRequest) -> HttpResponse:
    return _post_list(request, Kind.NOTICE)


@require_GET
@public_page(120)
def library_list(request: HttpRequest) -> HttpResponse:
    return _post_list(request, Kind.LIBRARY)


@require_GET
@public_page(120)
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_detail(request, Kind.NOTICE, pk)


@require_GET
@public_page(120)
def library_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_detail(request, Kind.LIBRARY, pk)


@require_GET
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A post's file, to whoever sees the post (a scheduled post's files stay hidden until it is public);
    sent with its original (Korean) name (RFC 5987 `filename*`)."""
    found = get_object_or_404(
        Attachment.objects.filter(post__in=Post.objects.visible_to(request.user)).select_related("post"),
        pk=pk,
    )
    try:
        handle = found.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=found.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@public_page(120)
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_query() if form.is_bound else ""
    status = BAD_PARAMETER_STATUS if form.is_bound and not form.is_valid() else 200
    page_obj = None
    if query:
        page_obj = Paginator(selectors.search_posts(query), settings.PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    return render(
        request,
        "portal/search.html",
        {
            "form": form,
            "query": query,
            "page_obj": page_obj,
            "posts": page_obj.object_list if page_obj else [],
        },
        status=status,
    )


@require_GET
@public_page(300)
def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/terms.html", {"effective": settings.TERMS_EFFECTIVE})


@require_GET
@public_page(300)
def robots(request: HttpRequest) -> HttpResponse:
    from .seo import absolute

    lines = [
        "User-agent: *",
        "Disallow: /accounts/",
        "Disallow: /admin/",
        "Disallow: /notices/manage/",
        "Disallow: /my/",
        f"Sitemap: {absolute(request, reverse('portal:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# --- the staff's pages ------------------------------------------------------------------------------------


def _manager(request: HttpRequest) -> None:
    if not may_manage(request.user):
        raise PermissionDenied(_("공지사항과 자료실은 중앙연합회 직원이 관리합니다."))


def _kind(kind: str) -> str:
    if kind not in Kind.values:
        raise Http404(_("알 수 없는 게시판입니다."))
    return kind


def _crumbs() -> list[tuple[str, str]]:
    return [(_("게시글 관리"), reverse("portal:manage"))]


@login_required
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    _manager(request)
    form = SearchForm(request.GET or None)
    posts = Post.objects.visible_to(request.user).select_related("category")
    query = form.cleaned_query() if form.is_bound else ""
    for word in query.split()[:8]:
        posts = posts.filter(q_filter(word))
    page_obj = Paginator(posts.order_by("-publish_at", "-id"), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "portal/manage.html",
        {"form": form, "page_obj": page_obj, "posts": page_obj.object_list, "now": _now()},
        status=BAD_PARAMETER_STATUS if form.is_bound and not form.is_valid() else 200,
    )


def _values(form: PostForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "body": data["body"],
        "category": data.get("category"),
        "pinned": bool(data.get("pinned")),
        "deadline_on": data.get("deadline_on"),
        "deadline_text": data.get("deadline_text") or "",
    }


@login_required
@require_http_methods(["GET", "POST"])
def post_create(request: HttpRequest, kind: str) -> HttpResponse:
    _manager(request)
    kind = _kind(kind)
    posted = request.method == "POST"
    form = PostForm(request.POST if posted else None, request.FILES if posted else None, kind=kind)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = onetime.submit_once(
                request,
                form,
                lambda: services.create_post(
                    actor=request.user,
                    kind=kind,
                    publish_at=data.get("publish_at"),
                    cutoffs=data.get("cutoffs") or [],
                    files=data.get("uploads") or [],
                    **_values(form),
                ),
                result_url=lambda p: reverse("portal:manage"),
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, reverse("portal:manage"))
        except ValidationError as exc:
            add_service_errors(form, exc, rename={"files": "uploads"})
        else:
            messages.success(request, fill(_("'%(title)s'을(를) 등록했습니다."), {"title": post.title}))
            return redirect("portal:manage")
    return render(
        request,
        "portal/post_form.html",
        {"form": form, "kind_label": KIND_LABELS[kind], "post": None, "crumbs": _crumbs()},
    )


def _cutoff_text(post: Post) -> str:
    return "\n".join(f"{c.date.isoformat()} {c.label}".strip() for c in post.cutoffs.all())


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.visible_to(request.user), pk=pk)
    _manager(request)
    conflict: dict[str, Any] = {}
    if request.method == "POST":
        form = PostForm(request.POST, request.FILES, kind=post.kind, post=post, version=post.version)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_post(
                    post,
                    actor=request.user,
                    expected_version=form.expected_version,
                    cutoffs=data.get("cutoffs") or [],
                    files=data.get("uploads") or [],
                    remove_attachment_ids=[a.pk for a in data.get("remove") or []],
                    publish_at=data.get("publish_at") or post.publish_at,
                    **_values(form),
                )
            except StaleEdit as stale:
                conflict = show_conflict(form, stale)
            except ValidationError as exc:
                add_service_errors(form, exc, rename={"files": "uploads"})
            else:
                messages.success(request, _("저장했습니다."))
                return redirect("portal:manage")
    else:
        form = PostForm(
            initial={
                "title": post.title,
                "category": post.category_id,
                "body": post.body,
                "pinned": post.pinned,
                "publish_at": post.publish_at,
                "deadline_on": post.deadline_on,
                "deadline_text": post.deadline_text,
                "cutoffs": _cutoff_text(post),
            },
            kind=post.kind,
            post=post,
            version=post.version,
        )
    return render(
        request,
        "portal/post_form.html",
        {"form": form, "kind_label": KIND_LABELS[post.kind], "post": post, "crumbs": _crumbs(), **conflict},
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.visible_to(request.user), pk=pk)
    _manager(request)
    back = reverse("portal:manage")
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            onetime.submit_once(
                request, form, lambda: services.delete_post(post, actor=request.user), result_url=back
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, back)
        messages.success(request, fill(_("'%(title)s'을(를) 삭제했습니다."), {"title": post.title}))
        return redirect(back)
    count = post.attachments.count()
    return confirm_page(
        request,
        form,
        title=_("게시글 삭제"),
        summary=[
            fill(_("'%(title)s'을(를) 삭제합니다. 되돌릴 수 없습니다."), {"title": post.title}),
            fill(_("첨부파일 %(count)s개도 함께 지웁니다."), {"count": count}),
        ],
        action_label=pgettext("post action", "삭제"),
        cancel_url=back,
        crumbs=_crumbs(),
    )
