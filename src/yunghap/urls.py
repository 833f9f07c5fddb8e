from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

admin.site.site_header = "융합 관리자"
admin.site.site_title = "융합"

urlpatterns = [
    path("", include("yunghap.network.urls")),
    path("accounts/", include("yunghap.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
]
