"""Who uses a service: questions the catalogue asks, and other apps answer.

The catalogue never imports the apps built on it (a test checks it). An app whose data refers
to services connects receivers to these signals in its ``AppConfig.ready()``; the screening
app does (its published rules suggest services by slug).

``service_usage`` — sent with ``service``. A receiver returns the rows that use the service
and must keep it, each in words (a list of str); empty when nothing does. The admin's delete
page lists them and refuses, as it does for a PROTECT foreign key.

``service_slug_check`` — sent with ``service`` and ``new_slug``. A receiver returns a
``ValidationError`` when the slug may not change to ``new_slug``, else None.
"""

from django.core.exceptions import ValidationError
from django.dispatch import Signal

service_usage = Signal()
service_slug_check = Signal()


def service_used_by(service) -> list[str]:
    """Everything that uses ``service`` and keeps it from being deleted, in words."""
    return [
        label
        for _receiver, labels in service_usage.send(sender=type(service), service=service)
        for label in labels or ()
    ]


def service_slug_error(service, new_slug: str) -> ValidationError | None:
    """Why ``service`` may not take ``new_slug``, or None when it may."""
    errors = [
        error
        for _receiver, error in service_slug_check.send(
            sender=type(service), service=service, new_slug=new_slug
        )
        if error is not None
    ]
    if not errors:
        return None
    return errors[0] if len(errors) == 1 else ValidationError(errors)
