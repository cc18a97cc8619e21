"""Shared helpers for the safety, privacy and security tests."""

import pytest

from tests.factories import make_program

# Every public page a person can reach without signing in (program detail needs a program).
PUBLIC_PAGES = [
    "/",
    "/about-iop/",
    "/levels-of-care/",
    "/levels-of-care/iop/",
    "/programs/",
    "/programs/?q=anxiety&level=iop&telehealth=on&page=1",
    "/privacy/",
    "/screening/",
    "/screening/step/suicide_thoughts/",
]


@pytest.fixture
def program(db):
    return make_program(
        name="Safe Harbour IOP", slug="safe-harbour-iop", website="https://safe-harbour.example",
        description="We offer **group therapy**.",
    )


@pytest.fixture
def public_pages(program):
    return [*PUBLIC_PAGES, f"/programs/{program.slug}/"]
