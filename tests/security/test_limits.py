"""Request size limits: too many fields, files or bytes are refused with 4xx, never 500."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db


def test_limits_are_set():
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 1000
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES is not None
    assert settings.MAX_REQUEST_BODY_BYTES <= 10 * 1024 * 1024


def test_too_many_post_fields_is_400(client):
    data = {f"field{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 10)}
    response = client.post("/screening/step/suicide_thoughts/", data)
    assert response.status_code == 400


def test_too_many_query_parameters_is_400(client):
    query = "&".join(f"q{i}=x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 10))
    response = client.get("/programs/", QUERY_STRING=query)
    assert response.status_code == 400


def test_post_body_over_the_memory_limit_is_400(client):
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post("/screening/step/suicide_thoughts/", {"suicide_thoughts": big})
    assert response.status_code == 400


def test_body_over_the_request_limit_is_413_before_reading(client):
    response = client.post(
        "/screening/step/suicide_thoughts/", b"x" * (settings.MAX_REQUEST_BODY_BYTES + 1),
        content_type="application/octet-stream",
    )
    assert response.status_code == 413


def test_file_uploads_beyond_the_limit_are_400(client):
    files = {
        f"file{i}": SimpleUploadedFile(f"f{i}.txt", b"hello")
        for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    }
    response = client.post("/screening/step/suicide_thoughts/", files)
    assert response.status_code == 400


def test_oversized_admin_login_is_refused(client):
    response = client.post(
        "/admin/login/", {"username": "u" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
                          "password": "p"},
    )
    assert response.status_code == 400
