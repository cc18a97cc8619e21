from django.urls import path

from screening import views

app_name = "screening"

urlpatterns = [
    path("", views.start, name="start"),
    path("start-over/", views.start_over, name="start_over"),
    path("step/<slug:key>/", views.step, name="step"),
    path("result/", views.result, name="result"),
]
