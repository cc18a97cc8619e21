from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from iop import views

catalogue = [
    path("", views.home, name="home"),
    path("about-iop/", views.about_iop, name="about_iop"),
    path("levels-of-care/", views.level_list_view, name="level_list"),
    path("levels-of-care/<slug:code>/", views.level_detail, name="level_detail"),
    path("programs/", views.program_list, name="program_list"),
    path("programs/<slug:slug>/", views.program_detail, name="program_detail"),
]

urlpatterns = [
    path("", include((catalogue, "iop"))),
    path("screening/", include("screening.urls")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]

admin.site.site_header = _("IOP Navigator — staff")
admin.site.site_title = _("IOP Navigator staff")
admin.site.index_title = _("Programs, texts and screening rules")
