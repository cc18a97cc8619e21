"""schema.org JSON-LD for a program page: ``{% program_jsonld program %}``.

A ``<script type="application/ld+json">`` is data, not script: browsers never run it, so the
strict CSP (``script-src 'self'``) needs no exception. Every value is escaped so that text
from the database (or an import) cannot close the tag.
"""

import json

from django import template
from django.utils.safestring import mark_safe

# healthPlanNetworkId is left out: listings do not record insurers' network ids yet.

register = template.Library()

# The characters that could end the script element or start markup, as JSON escapes
# (replaced one by one: str.translate with a table looks up every character in Python).
_ESCAPES = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
            ("\u2029", "\\u2029"))


def _escaped(text: str) -> str:
    for character, escape in _ESCAPES:
        if character in text:
            text = text.replace(character, escape)
    return text


def program_schema(program, request=None) -> dict:
    def absolute(path):
        return request.build_absolute_uri(path) if request is not None else path

    data = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "name": program.name,
        "description": program.summary,
        "url": absolute(program.get_absolute_url()),
        "isAcceptingNewPatients": program.accepting == program.Accepting.YES,
    }
    if program.website:
        data["sameAs"] = program.website
    if program.phone:
        data["telephone"] = program.phone
    if program.email:
        data["email"] = program.email
    locations = list(program.locations.all())
    if locations:
        first = locations[0]
        data["address"] = {
            "@type": "PostalAddress", "streetAddress": first.street,
            "addressLocality": first.city, "addressRegion": first.state,
            "postalCode": first.postal_code, "addressCountry": "US",
        }
        if first.latitude is not None and first.longitude is not None:
            data["geo"] = {"@type": "GeoCoordinates", "latitude": first.latitude,
                           "longitude": first.longitude}
    services = [link.service.name for link in program.program_services.all()]
    services += [f"Medication: {name}" for name in program.medications]
    if services:
        data["availableService"] = [{"@type": "MedicalTherapy", "name": str(name)}
                                    for name in services]
    # The program page reads these once (iop.selectors.program_lookups); else the relations.
    lookups = getattr(program, "lookups", None) or {
        "languages": program.languages.all(), "payment_options": program.payment_options.all()
    }
    languages = [language.code for language in lookups["languages"]]
    if languages:
        data["knowsLanguage"] = languages
    payments = [option.name for option in lookups["payment_options"]]
    if payments:
        data["paymentAccepted"] = ", ".join(payments)
    return data


@register.simple_tag(takes_context=True)
def program_jsonld(context, program):
    text = json.dumps(program_schema(program, context.get("request")), ensure_ascii=False)
    # Safe: JSON with <, > and & escaped cannot end the element or start markup.
    return mark_safe(  # noqa: S308
        '<script type="application/ld+json">' + _escaped(text) + "</script>"
    )
