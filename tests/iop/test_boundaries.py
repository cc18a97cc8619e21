"""The catalogue (iop/) stands alone: it never imports the screening app, which is built on
it. The screening app answers the catalogue's questions through iop.usage instead."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from iop.models import Service
from iop.usage import service_slug_check, service_slug_error, service_usage, service_used_by
from screening.signals import published_rows_using

IOP_DIR = Path(__file__).resolve().parents[2] / "iop"


def _iop_modules() -> list[Path]:
    return sorted(IOP_DIR.rglob("*.py"))


def _imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            modules.add(node.module or "")
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(
                node.func, "id", None)) in {"import_module", "__import__", "import_string"}
              and node.args and isinstance(node.args[0], ast.Constant)):
            modules.add(str(node.args[0].value))
    return modules


def test_no_catalogue_module_imports_screening():
    modules = _iop_modules()
    assert len(modules) > 20 and IOP_DIR / "admin.py" in modules
    assert any(path.parent.name == "migrations" for path in modules)
    offending = {
        str(path.relative_to(IOP_DIR)): sorted(imported)
        for path in modules
        if (imported := {module for module in _imported_modules(path)
                         if module.split(".")[0] == "screening"})
    }
    assert offending == {}, f"these modules in iop/ import the screening app: {offending}"


def test_the_import_check_catches_every_form(tmp_path):
    source = tmp_path / "example.py"
    source.write_text(
        "import screening\n"
        "from screening.signals import x\n"
        "def f():\n"
        "    from screening import rules\n"
        "    importlib.import_module('screening.engine')\n"
    )
    assert _imported_modules(source) == {
        "screening", "screening.signals", "screening.engine"}


@pytest.mark.django_db
def test_screening_answers_the_catalogues_service_questions():
    """Connected in ScreeningConfig.ready(): the admin's refusals still come from the rules."""
    assert service_usage.has_listeners(Service)
    assert service_slug_check.has_listeners(Service)
    remedy = next(service for service in Service.objects.all() if published_rows_using(service))
    assert all("published screening version" in label for label in service_used_by(remedy))
    assert service_used_by(remedy)
    assert service_slug_error(remedy, "another-slug").code == "remedy_slug_locked"
    assert service_slug_error(remedy, remedy.slug) is None
    unused = Service.objects.create(name="Unused", slug="unused", category="support")
    assert service_used_by(unused) == []


def test_leave_keeps_its_address():
    assert reverse("leave") == "/leave/"
