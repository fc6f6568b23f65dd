from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog

from cooperatives import urls as cooperative_urls
from front import urls as front_urls
from front import views as front_views
from public import staff_views as public_staff_views
from reports import urls as report_urls

from .health import healthz
from .language import set_language

admin.site.site_header = _("Administrasi Registri Koperasi")
admin.site.site_title = _("Registri Koperasi")

# A refused request says what was wrong where Django knows it (text over the limit).
handler400 = "koperasi_registry.errors.bad_request"

urlpatterns = [
    path("", front_views.dashboard, name="home"),
    path("akun/", include("accounts.urls")),
    path(
        "koperasi/",
        include(
            (
                front_urls.cooperative_patterns + cooperative_urls.urlpatterns,
                cooperative_urls.app_name,
            )
        ),
    ),
    path(
        "laporan/",
        include(
            (front_urls.report_patterns + report_urls.urlpatterns, report_urls.app_name)
        ),
    ),
    path("penilaian/", include("health_assessment.urls")),
    path("publik/", include("public.urls")),
    path("pemutakhiran/", include("campaigns.urls")),
    path("pesan/masuk/", front_views.whatsapp_inbox, name="whatsapp_inbox"),
    path("pesan/", include("notifications.urls")),
    path("aduan/", public_staff_views.concern_list, name="concern_list"),
    path(
        "aduan/<int:pk>/ditangani/",
        public_staff_views.concern_handle,
        name="concern_handle",
    ),
    path("i18n/setlang/", set_language, name="set_language"),
    # The strings of static/js/*.js in the user's language (gettext in JavaScript).
    path("i18n/js/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
]
