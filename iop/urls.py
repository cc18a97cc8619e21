from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from iop import views
from iop.cache import catalogue_page

catalogue = [
    path("", views.home, name="home"),
    path("about-iop/", views.about_iop, name="about_iop"),
    path("levels-of-care/", views.level_list_view, name="level_list"),
    path("levels-of-care/<slug:code>/", views.level_detail, name="level_detail"),
    path("programs/", views.program_list, name="program_list"),
    path("programs/<slug:slug>/", views.program_detail, name="program_detail"),
    path(
        "privacy/",
        catalogue_page(TemplateView.as_view(
            template_name="iop/privacy.html",
            extra_context={"retention_days": settings.OUTCOME_RETENTION_DAYS},
        )),
        name="privacy",
    ),
]

# Every public page in English at its address and in Spanish under /es/ (DESIGN §4).
urlpatterns = i18n_patterns(
    path("", include((catalogue, "iop"))),
    path("screening/", include("screening.urls")),
    path("", include("reports.urls")),  # /programs/<slug>/report/
    path("", include("screening.root_urls")),  # /leave/
    prefix_default_language=False,
) + [
    path("admin/", admin.site.urls),
    path("api/hsds/", include("hsds.urls")),  # public HSDS 3.0 API (hsds/api.py)
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]

# The 500 page (or the 503 page when the database is down), rendered without the database.
handler500 = "iop.middleware.server_error"

admin.site.site_header = _("IOP Navigator — staff")
admin.site.site_title = _("IOP Navigator staff")
admin.site.index_title = _("Programs, texts and screening rules")
