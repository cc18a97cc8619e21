import pytest


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (crisis lines, sessions, rules)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Each test starts in English: a request for a Spanish page activates Spanish for the
    thread (LocaleMiddleware), which would otherwise carry into the next test's code."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


ARTIFACTS = __import__("pathlib").Path(__file__).resolve().parents[1] / "test-artifacts"


def pytest_collection_modifyitems(items):
    """Browser tests run after the unit and integration tests (a stable sort keeps the rest)."""
    items.sort(key=lambda item: "e2e" in item.keywords)


def pytest_sessionstart(session):
    """The controlling process starts each run with an empty test-artifacts/ folder."""
    if hasattr(session.config, "workerinput"):
        return
    import shutil

    shutil.rmtree(ARTIFACTS, ignore_errors=True)


def pytest_terminal_summary(terminalreporter):
    """Say where the browser tests left screenshots, and list axe findings below serious."""
    shots = sorted((ARTIFACTS / "screenshots").glob("*.png"))
    if shots:
        terminalreporter.write_sep("-", "browser test artifacts")
        terminalreporter.write_line(f"{len(shots)} screenshots in {ARTIFACTS / 'screenshots'}")
    for path in sorted((ARTIFACTS / "measurements").glob("*.txt")):
        terminalreporter.write_line(path.read_text().strip())
    findings = sorted((ARTIFACTS / "axe").glob("*.txt"))
    if findings:
        lines = [line for path in findings for line in path.read_text().splitlines() if line]
        terminalreporter.write_line(
            f"axe findings of moderate or minor impact ({len(lines)}; serious ones fail):"
        )
        for line in lines:
            terminalreporter.write_line(f"  {line}")
