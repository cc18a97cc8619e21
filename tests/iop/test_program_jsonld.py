"""schema.org JSON-LD (MedicalClinic) on program pages: data, escaped, CSP unchanged."""

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import make_program

pytestmark = pytest.mark.django_db


def _jsonld(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_program_page_has_medical_clinic_jsonld(client):
    program = make_program(
        name="Riverbend IOP", services=["cbt", "group-counselling"], languages=["en", "es"],
        payments=["medicaid"], phone="555-0100", website="https://riverbend.example.org",
        offers_buprenorphine=True,
    )
    response = client.get(program.get_absolute_url())
    data = _jsonld(response.content.decode())
    assert data["@context"] == "https://schema.org" and data["@type"] == "MedicalClinic"
    assert data["name"] == "Riverbend IOP"
    assert data["url"] == f"http://testserver{program.get_absolute_url()}"
    assert data["telephone"] == "555-0100"
    assert data["isAcceptingNewPatients"] is True
    assert data["address"] == {
        "@type": "PostalAddress", "streetAddress": "100 Main Street",
        "addressLocality": "New York", "addressRegion": "NY", "postalCode": "10001",
        "addressCountry": "US"}
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 40.75, "longitude": -73.99}
    names = {service["name"] for service in data["availableService"]}
    assert {"Cognitive behavioral therapy (CBT)", "Medication: buprenorphine"} <= names
    assert all(service["@type"] == "MedicalTherapy" for service in data["availableService"])
    assert sorted(data["knowsLanguage"]) == ["en", "es"]
    assert "healthPlanNetworkId" not in data  # not known for any listing yet


def test_waitlist_is_not_accepting_and_text_cannot_break_out(client):
    program = make_program(name="</script><script>alert(1)</script> & Co", accepting="waitlist",
                           latitude=None, longitude=None)
    html = client.get(program.get_absolute_url()).content.decode()
    data = _jsonld(html)
    assert data["name"] == "</script><script>alert(1)</script> & Co"
    assert data["isAcceptingNewPatients"] is False
    assert "<script>alert(1)" not in html
    assert "geo" not in data


def test_csp_still_forbids_inline_script(client):
    program = make_program()
    response = client.get(program.get_absolute_url())
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert re.search(r"script-src 'self'(;|$)", policy)


@given(st.text())
def test_any_text_reads_back_and_cannot_end_the_element(text):
    """The escaped JSON reads back as the same text, and holds none of the characters that
    could end the script element, start markup or end a line in old JavaScript parsers."""
    from iop.templatetags.program_jsonld import _escaped

    escaped = _escaped(json.dumps({"name": text}, ensure_ascii=False))
    assert json.loads(escaped) == {"name": text}
    assert not set(escaped) & {"<", ">", "&", "\u2028", "\u2029"}
