from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("programs/<slug:slug>/report/", views.report_form, name="report"),
    path("programs/<slug:slug>/report/sent/", views.report_sent, name="sent"),
]
