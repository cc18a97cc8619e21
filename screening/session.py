"""The screening's request glue: the rules and `flow.ScreeningSession` of a request, saving
it, and the crisis panel's context. Answers live only in the server-side session (cache
backed, never the database) and only until the result is shown (DESIGN §7)."""

from iop.crisis import crisis_lines
from screening import engine
from screening.flow import RESULT_KEY, SESSION_KEY, ScreeningSession
from screening.rules import Rules, live_rules, published_rules


def rules_for(version) -> Rules | None:
    return published_rules(version) if isinstance(version, int) and version > 0 else None


def session_of(request) -> tuple[Rules, ScreeningSession]:
    """The rules this person answers and their answers so far. Someone part way through keeps
    the published version they started with, even when staff publish a new one; a state that
    is not well formed starts afresh on the live version."""
    data = request.session.get(SESSION_KEY)
    rules = rules_for(data.get("version")) if isinstance(data, dict) else None
    if rules is None:
        rules = live_rules()
    return rules, ScreeningSession.load(data, rules)


def session_save(request, session: ScreeningSession) -> None:
    request.session[SESSION_KEY] = session.dump()
    if not session.empty and request.session.pop(RESULT_KEY, None) is not None:
        # New answers begin a new screening: the last result's snapshot goes, and with it
        # the result's shorter lifetime (answers in progress keep the usual session age).
        request.session.set_expiry(None)
    request.session.modified = True


def crisis_of(rules: Rules, answers: dict) -> tuple[bool, bool]:
    """(crisis, emergency) from the shown options chosen so far, by the engine's own rule."""
    shown = rules.shown_keys(answers)
    return engine.crisis_of(
        rules.question(key).option(value)
        for key, values in answers.items() if key in shown
        for value in values
    )


def crisis_context(crisis: bool, emergency: bool) -> dict:
    """What includes/crisis_panel.html needs: 911 first in an emergency, else 988 first."""
    if not crisis:
        return {"crisis": False, "emergency": False, "crisis_panel_lines": ()}
    lines = sorted(crisis_lines(), key=lambda line: line.is_emergency != emergency)
    return {"crisis": True, "emergency": emergency, "crisis_panel_lines": lines}
