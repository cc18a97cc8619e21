from django.urls import path

from screening import result_views, views

app_name = "screening"

urlpatterns = [
    path("", views.start, name="start"),
    path("start-over/", views.start_over, name="start_over"),
    path("step/<slug:key>/", views.step, name="step"),
    path("check/", views.check, name="check"),
    path("result/", result_views.result, name="result"),
    path("result/summary.txt", result_views.result_summary, name="result_summary"),
]
