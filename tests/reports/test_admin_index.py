"""The staff admin index is grouped by task, in plain words, without audit-history lists."""

import pytest

pytestmark = pytest.mark.django_db


def test_admin_index_groups_by_task(admin_client):
    response = admin_client.get("/admin/")
    groups = [app["name"] for app in response.context["app_list"]]
    assert groups[:4] == ["Listings", "Screening rules", "Site texts", "People and security"]
    listings = [model["object_name"] for model in response.context["app_list"][0]["models"]]
    assert listings[:2] == ["Program", "ListingReport"]
    body = response.content.decode()
    for jargon in ("AXES", "Axes", "OTP_TOTP", "TOTP", "Historical"):
        assert jargon not in body, jargon


def test_app_pages_keep_their_app_and_hide_history(admin_client):
    screening = admin_client.get("/admin/screening/")
    assert screening.status_code == 200
    names = [model["object_name"] for model in screening.context["app_list"][0]["models"]]
    assert names and not any(name.startswith("Historical") for name in names)
    axes = admin_client.get("/admin/axes/").content.decode()
    assert "Sign-in protection" in axes and "Axes" not in axes
    # The history lists still open for whoever has the link.
    assert admin_client.get("/admin/screening/historicaloption/").status_code == 200
