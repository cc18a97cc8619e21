"""Screening pages that live at the top of the site, outside /screening/ (included by the
project URLconf, which names this module but never imports it)."""

from django.urls import path

from screening import result_views

urlpatterns = [
    path("leave/", result_views.leave, name="leave"),
]
