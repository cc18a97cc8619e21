from django.urls import path

from hsds.api import api

urlpatterns = [path("", api.urls)]
