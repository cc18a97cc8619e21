"""Published screening versions cannot change through many-to-many fields or the rows they use."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse

from iop.models import LevelOfCare, Service
from screening.models import Flag, Option, Questionnaire, Requirement
from screening.rules import RULES_KEY, live_rules
from screening.services import questionnaire_copy
from tests.security.test_staff import admin_form_data, make_staff, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    return Questionnaire.objects.get(status="published")


@pytest.fixture
def remedy(published):
    requirement = Requirement.objects.filter(
        questionnaire=published, remedies__isnull=False
    ).first()
    return requirement.remedies.first()


def locked(call):
    # Django runs m2m changes and deletes in atomic(savepoint=False): a savepoint of our own
    # keeps the test's transaction usable after the refusal.
    with pytest.raises(ValidationError) as error, transaction.atomic():
        call()
    assert error.value.code == "published_locked"


def protected(call):
    with pytest.raises(ProtectedError), transaction.atomic():
        call()


def test_m2m_changes_on_published_rows_are_refused(published):
    option = Option.objects.filter(question__questionnaire=published).first()
    requirement = Requirement.objects.filter(questionnaire=published).first()
    flag = Flag.objects.get(key="emergency")
    level = LevelOfCare.objects.get(code="outpatient")
    service = Service.objects.exclude(pk__in=requirement.remedies.all()).first()
    before = (set(option.flags.all()), set(requirement.applies_to.all()),
              set(requirement.remedies.all()))

    locked(lambda: option.flags.add(flag) if flag not in before[0] else option.flags.clear())
    locked(lambda: option.flags.set([]) if before[0] else option.flags.set([flag]))
    locked(lambda: requirement.applies_to.clear())
    locked(lambda: requirement.applies_to.add(level))
    locked(lambda: requirement.remedies.add(service))
    locked(lambda: requirement.remedies.set([]))
    # ...and from the other side of the relation.
    option_with_flag = Option.objects.filter(
        question__questionnaire=published, flags__isnull=False).first()
    locked(lambda: option_with_flag.flags.first().options.clear())
    locked(lambda: flag.options.add(option) if flag not in before[0]
           else flag.options.remove(option))

    assert (set(option.flags.all()), set(requirement.applies_to.all()),
            set(requirement.remedies.all())) == before


def test_m2m_changes_on_drafts_still_work(published):
    draft = questionnaire_copy(source=published)
    requirement = Requirement.objects.filter(questionnaire=draft).first()
    requirement.applies_to.add(LevelOfCare.objects.get(code="outpatient"))
    requirement.remedies.clear()
    option = Option.objects.filter(question__questionnaire=draft).first()
    option.flags.add(Flag.objects.get(key="emergency"))
    assert requirement.applies_to.filter(code="outpatient").exists()


def test_a_remedy_service_of_a_published_version_cannot_be_deleted(remedy):
    protected(remedy.delete)
    protected(Service.objects.filter(pk=remedy.pk).delete)
    assert Service.objects.filter(pk=remedy.pk).exists()


def test_flags_and_levels_published_rules_use_cannot_be_deleted(published):
    flag = Flag.objects.filter(options__question__questionnaire=published).first()
    protected(flag.delete)
    protected(LevelOfCare.objects.get(code="iop").delete)


def test_content_editor_deleting_a_remedy_service_is_refused_with_a_clear_message(
    client, django_user_model, remedy, published
):
    client.force_login(make_staff(django_user_model, "ed", "Content editor"))
    url = reverse("admin:iop_service_delete", args=[remedy.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert f"published screening version {published.version}" in text_of(page)
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200  # the same refusal page, not a 500
    assert Service.objects.filter(pk=remedy.pk).exists()
    # The bulk action refuses too.
    response = client.post(reverse("admin:iop_service_changelist"), {
        "action": "delete_selected", "_selected_action": [remedy.pk], "post": "yes",
    })
    assert response.status_code == 200
    assert f"published screening version {published.version}" in text_of(response)
    assert Service.objects.filter(pk=remedy.pk).exists()


def test_unused_service_can_still_be_deleted(admin_client):
    service = Service.objects.create(name="Unused help", slug="unused-help", category="support")
    url = reverse("admin:iop_service_delete", args=[service.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Service.objects.filter(pk=service.pk).exists()


def test_remedy_slug_cannot_change_but_the_name_can(admin_client, remedy):
    url = reverse("admin:iop_service_change", args=[remedy.pk])
    data = admin_form_data(admin_client.get(url))
    data["slug"] = "renamed-slug"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "the slug cannot change" in text_of(response)
    data["slug"] = remedy.slug
    data["name"] = "A clearer name"
    assert admin_client.post(url, data).status_code == 302
    remedy.refresh_from_db()
    assert remedy.name == "A clearer name"
    remedy.slug = "renamed-slug"
    with pytest.raises(ValidationError) as error, transaction.atomic():
        remedy.save()
    assert error.value.code == "remedy_slug_locked"


def test_rules_cache_is_cleared_when_a_service_is_saved_or_deleted(published, remedy):
    live_rules()
    key = RULES_KEY.format(pk=published.pk)
    assert cache.get(key) is not None
    remedy.description = "Edited"
    remedy.save()
    assert cache.get(key) is None
    live_rules()
    Service.objects.create(name="New", slug="new-service", category="support").delete()
    assert cache.get(key) is None


def test_published_rows_survive_queryset_and_cascade_deletes():
    published = Questionnaire.objects.get(status=Questionnaire.Status.PUBLISHED)
    options = Option.objects.filter(question__questionnaire=published)
    count = options.count()
    for delete in (
        lambda: options.filter(pk=options.first().pk).delete(),  # a queryset delete
        lambda: Questionnaire.objects.filter(pk=published.pk).delete(),  # a cascade
    ):
        with pytest.raises((ValidationError, ProtectedError)), transaction.atomic():
            delete()
    assert Option.objects.filter(question__questionnaire=published).count() == count
    assert Questionnaire.objects.filter(pk=published.pk).exists()
