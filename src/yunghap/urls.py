from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy
from django.views.i18n import JavaScriptCatalog

from yunghap.accounts import views as accounts_views
from yunghap.accounts.scope import scope_of
from yunghap.api.api import api
from yunghap.core import pages as core_pages

admin.site.site_header = gettext_lazy("융합 관리자")
admin.site.site_title = gettext_lazy("융합")
# Django's admin is for central staff only, whatever is_staff says.
admin.site.has_permission = lambda request: bool(  # type: ignore[method-assign]
    request.user.is_active and scope_of(request.user).central
)

# A database error outside a view (the session, the user) is a Korean 503 too (core.middleware_errors).
handler500 = "yunghap.core.middleware_errors.server_error"
# Every error page is one Korean design with the ways back (core/error.html).
handler400 = "yunghap.core.middleware_errors.bad_request"
handler403 = "yunghap.core.middleware_errors.permission_denied"
handler404 = "yunghap.core.middleware_errors.page_not_found"

urlpatterns = [
    path("", include("yunghap.network.urls")),
    path("activities/", include("yunghap.activities.urls")),
    path("surveys/", include("yunghap.surveys.urls")),
    path("statistics/", include("yunghap.insights.urls")),
    path("matching/", include("yunghap.matching.urls")),
    path("introductions/", include("yunghap.introductions.urls")),
    path("programmes/", include("yunghap.programmes.urls")),
    path("notifications/", include("yunghap.core.urls")),
    path("data/", include("yunghap.core.transfer_urls")),
    path("access-log/", include("yunghap.network.access_log_urls")),
    path("accounts/", include("yunghap.accounts.urls")),
    path("privacy/", core_pages.privacy, name="privacy"),
    # The language switch also keeps a signed-in user's choice for their mail (accounts.views).
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript_catalog"),
    path("admin/", admin.site.urls),
    path("coaching/", include("yunghap.coaching.urls")),
    path("stories/", include("yunghap.stories.urls")),
    path("events/", include("yunghap.events.urls")),
    path("competitions/", include("yunghap.competitions.urls")),
    path("api/v1/", api.urls),
    path("proposals/", include("yunghap.proposals.urls")),
    path("directory/", include("yunghap.network.directory_urls")),
    # /open-calls/ and /discovery/ (namespace `public_programmes`).
    path("", include("yunghap.programmes.public_urls")),
    # The public portal at the root (issue 12): home, notices, library, search, terms, sitemap, robots.txt.
    path("", include("yunghap.portal.urls")),
]
