"""Published screening versions cannot change through many-to-many fields or the rows they use."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from iop.models import LevelOfCare, Service
from screening.models import Flag, Option, Questionnaire, Requirement, Rule, ScoreBand
from screening.rules import RULES_KEY, live_rules
from screening.services import questionnaire_copy
from tests.security.test_staff import admin_form_data, make_staff, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    """The live version (the latest published one)."""
    return Questionnaire.objects.filter(status="published").order_by("-version").first()


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


def test_m2m_changes_to_published_rule_and_score_band_flags_are_refused(published):
    rule = Rule.objects.filter(questionnaire=published, flags__isnull=False).first()
    band = ScoreBand.objects.filter(score__questionnaire=published, flags__isnull=False).first()
    flag = Flag.objects.get(key="emergency")
    before = (set(rule.flags.all()), set(band.flags.all()))
    for row in (rule, band):
        locked(lambda row=row: row.flags.add(flag))
        locked(lambda row=row: row.flags.remove(row.flags.first()))
        locked(lambda row=row: row.flags.clear())
        locked(lambda row=row: row.flags.set([flag]))
    assert (set(rule.flags.all()), set(band.flags.all())) == before


def test_m2m_changes_on_drafts_still_work(published):
    draft = questionnaire_copy(source=published)
    requirement = Requirement.objects.filter(questionnaire=draft).first()
    requirement.applies_to.add(LevelOfCare.objects.get(code="outpatient"))
    requirement.remedies.clear()
    option = Option.objects.filter(question__questionnaire=draft).first()
    option.flags.add(Flag.objects.get(key="emergency"))
    assert requirement.applies_to.filter(code="outpatient").exists()
    rule = Rule.objects.filter(questionnaire=draft).first()
    rule.flags.add(Flag.objects.get(key="emergency"))
    band = ScoreBand.objects.filter(score__questionnaire=draft).first()
    band.flags.set([Flag.objects.get(key="naloxone")])
    assert {flag.key for flag in band.flags.all()} == {"naloxone"}


def test_a_remedy_service_of_a_published_version_cannot_be_deleted(remedy):
    protected(remedy.delete)
    protected(Service.objects.filter(pk=remedy.pk).delete)
    assert Service.objects.filter(pk=remedy.pk).exists()


def test_flags_and_levels_published_rules_use_cannot_be_deleted(published):
    flag = Flag.objects.filter(options__question__questionnaire=published).first()
    protected(flag.delete)
    protected(LevelOfCare.objects.get(code="iop").delete)


@pytest.mark.parametrize("owner", ["rule", "score band"])
def test_a_flag_only_a_published_rule_or_score_band_uses_cannot_be_deleted(published, owner):
    draft = questionnaire_copy(source=published)
    flag = Flag.objects.create(key="only_here", name="Only here")
    if owner == "rule":
        Rule.objects.filter(questionnaire=draft).first().flags.add(flag)
    else:
        ScoreBand.objects.filter(score__questionnaire=draft).first().flags.add(flag)
    Questionnaire.objects.filter(pk=draft.pk).update(status="published",
                                                     published_at=timezone.now())
    with pytest.raises(ProtectedError) as error, transaction.atomic():
        flag.delete()
    assert f"published screening version {draft.version}" in str(error.value)
    protected(Flag.objects.filter(pk=flag.pk).delete)
    assert Flag.objects.filter(pk=flag.pk).exists()


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
    data["name_en"] = "A clearer name"
    assert admin_client.post(url, data).status_code == 302
    remedy.refresh_from_db()
    assert remedy.name == "A clearer name"
    remedy.slug = "renamed-slug"
    with pytest.raises(ValidationError) as error, transaction.atomic():
        remedy.save()
    assert error.value.code == "remedy_slug_locked"


def test_rules_cache_is_cleared_when_a_service_is_saved_or_deleted(published, remedy):
    live_rules()
    key = RULES_KEY.format(version=published.version, language="en")
    assert cache.get(key) is not None
    remedy.description = "Edited"
    remedy.save()
    assert cache.get(key) is None
    live_rules()
    Service.objects.create(name="New", slug="new-service", category="support").delete()
    assert cache.get(key) is None


def test_published_rows_survive_queryset_and_cascade_deletes(published):
    from screening.models import Clause, Score

    options = Option.objects.filter(question__questionnaire=published)
    clauses = Clause.objects.filter(rule__questionnaire=published)
    bands = ScoreBand.objects.filter(score__questionnaire=published)
    counts = (options.count(), clauses.count(), bands.count())
    for delete in (
        lambda: options.filter(pk=options.first().pk).delete(),  # a queryset delete
        lambda: clauses.filter(pk=clauses.first().pk).delete(),
        lambda: bands.filter(pk=bands.first().pk).delete(),
        lambda: Rule.objects.filter(questionnaire=published).delete(),  # cascades
        lambda: Score.objects.filter(questionnaire=published).delete(),
        lambda: Questionnaire.objects.filter(pk=published.pk).delete(),
    ):
        with pytest.raises((ValidationError, ProtectedError)), transaction.atomic():
            delete()
    assert (options.count(), clauses.count(), bands.count()) == counts
    assert Questionnaire.objects.filter(pk=published.pk).exists()


def test_published_rule_and_score_rows_refuse_changes(published):
    from screening.models import Clause, Score

    for row in (Rule.objects.filter(questionnaire=published).first(),
                Clause.objects.filter(rule__questionnaire=published).first(),
                Clause.objects.filter(shown_question__questionnaire=published).first(),
                Score.objects.filter(questionnaire=published).first(),
                ScoreBand.objects.filter(score__questionnaire=published).first()):
        locked(row.save)
        locked(row.delete)
