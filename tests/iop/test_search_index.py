"""The stored search text is rebuilt once per changed program, not once per saved row."""

import pytest

from iop import services
from iop.demo import demo_programs_load
from iop.models import Program, Service
from tests.factories import make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def rebuilds(monkeypatch):
    calls = []
    monkeypatch.setattr(
        services, "program_search_index_update", lambda ids=None: calls.append(set(ids)) or 0
    )
    return calls


def test_demo_load_rebuilds_every_program_once(rebuilds):
    demo_programs_load()
    assert rebuilds == [set(Program.objects.values_list("pk", flat=True))]
    rebuilds.clear()
    demo_programs_load()
    assert rebuilds == []  # nothing changed, nothing rebuilt


def test_batch_rebuilds_at_the_end_once_and_not_after_an_error(rebuilds):
    with services.search_index_batch():
        services.program_search_index_changed([1, 2, None])
        with services.search_index_batch():  # joins the outer batch
            services.program_search_index_changed([2, 3])
        assert rebuilds == []
    assert rebuilds == [{1, 2, 3}]
    rebuilds.clear()
    with pytest.raises(RuntimeError), services.search_index_batch():
        services.program_search_index_changed([4])
        raise RuntimeError
    assert rebuilds == []
    services.program_search_index_changed([5])  # outside a batch: at once
    assert rebuilds == [{5}]


def test_only_renaming_a_service_rebuilds_its_programs(rebuilds):
    program = make_program(services=("telehealth",))
    rebuilds.clear()
    service = Service.objects.get(slug="telehealth")
    service.description = "Sessions by video or phone."
    service.save()
    assert rebuilds == []
    service.name = "Video sessions"
    service.save()
    assert rebuilds == [{program.pk}]


def test_admin_program_form_rebuilds_once(admin_client, rebuilds):
    program = make_program(services=("telehealth",), locations=2)
    rebuilds.clear()
    response = admin_client.get(f"/admin/iop/program/{program.pk}/change/")
    form = response.context["adminform"].form
    data = {}
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        for inline_form in formset.formset.forms:
            for name, field in inline_form.fields.items():
                value = inline_form.initial.get(name, field.initial)
                if value is not None:
                    data[inline_form.add_prefix(name)] = getattr(value, "pk", value)
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, list | tuple):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif value is not None:
            data[name] = getattr(value, "pk", value)
    data["summary_en"] = "A new summary."
    changed_rows = 0
    for formset in response.context["inline_admin_formsets"]:
        first = formset.formset.forms[0]
        if "note_en" in first.fields:  # a location's and a service's note: each row is saved
            data[first.add_prefix("note_en")] = "Changed in the test."
            changed_rows += 1
    assert changed_rows == 2
    response = admin_client.post(f"/admin/iop/program/{program.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert rebuilds == [{program.pk}]
