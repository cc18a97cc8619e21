from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from iop import views
from screening import result_views as screening_result_views

catalogue = [
    path("", views.home, name="home"),
    path("about-iop/", views.about_iop, name="about_iop"),
    path("levels-of-care/", views.level_list_view, name="level_list"),
    path("levels-of-care/<slug:code>/", views.level_detail, name="level_detail"),
    path("programs/", views.program_list, name="program_list"),
    path("programs/<slug:slug>/", views.program_detail, name="program_detail"),
    path(
        "privacy/",
        TemplateView.as_view(
            template_name="iop/privacy.html",
            extra_context={"retention_days": settings.OUTCOME_RETENTION_DAYS},
        ),
        name="privacy",
    ),
]

urlpatterns = [
    path("", include((catalogue, "iop"))),
    path("screening/", include("screening.urls")),
    path("leave/", screening_result_views.leave, name="leave"),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]

# The 500 page (or the 503 page when the database is down), rendered without the database.
handler500 = "iop.middleware.server_error"

admin.site.site_header = _("IOP Navigator — staff")
admin.site.site_title = _("IOP Navigator staff")
admin.site.index_title = _("Programs, texts and screening rules")
