"""Property-based fuzzing of every public form and query parameter.

The only acceptable outcomes are a normal page, a redirect, a form error, 400 or 404 —
never a 500 or a traceback — and a person's earlier answers are kept.
"""

import io
import json
from urllib.parse import quote_from_bytes

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening.flow import EXTRAS_PAGE, SESSION_KEY
from screening.rules import pages_of
from tests.factories import make_program
from tests.screening.helpers import V1_DOCUMENT, V2, V2_DOCUMENT

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
OK = {200, 302, 400, 404}

PROGRAM_PARAMS = ["q", "level", "service", "population", "payment", "language", "telehealth",
                  "schedule", "state", "near", "radius", "page"]
NASTY = st.sampled_from([
    "", " ", "0", "-1", "1e309", "NaN", "inf", "99999999999999999999", "%00", "\x00",
    "' OR 1=1 --", "'; DROP TABLE iop_program; --", "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>', "../../etc/passwd", "\u202e\u200b", "😀" * 50,
    "a" * 5000, "10001", "99999", "00000", "1000", "iop", "php", "NY", "zz", "true", "on",
    "evening", "medicaid", "es", "2", "last",
])
TEXT = st.one_of(NASTY, st.text(max_size=300), st.text(
    alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F), max_size=50))
# The live version (2): its questions and pages (a step is split into pages; the keys come
# from the rules, as the form's redirects do).
QUESTIONS = {q["key"]: q for q in V2_DOCUMENT["questions"]}
PAGES = {page.key: page.question_keys for page in pages_of(V2)}
STEPS = list(PAGES)
FIRST = STEPS[0]
# Either published version a session may name.
EVERY_VERSION_QUESTIONS = {
    q["key"]: q for q in [*V1_DOCUMENT["questions"], *V2_DOCUMENT["questions"]]
}


def check(response, where=""):
    body = response.content.decode("utf-8", errors="replace")
    assert response.status_code in OK, (where, response.status_code, body[:300])
    assert "Traceback" not in body, where


@pytest.fixture
def programs(db):
    make_program(name="Fuzz IOP", slug="fuzz-iop", levels=("iop",), telehealth=True)
    make_program(name="Fuzz PHP", slug="fuzz-php", levels=("php",), state="TX",
                 postal_code="73301", latitude=30.27, longitude=-97.74)


# --------------------------------------------------------------------------- catalogue


@FUZZ
@given(params=st.lists(st.tuples(st.sampled_from(PROGRAM_PARAMS), TEXT), max_size=8))
def test_program_list_query_parameters(programs, params):
    response = Client().get("/programs/", params)
    check(response, params)


@FUZZ
@given(raw=st.binary(max_size=300))
def test_program_list_raw_query_string_bytes(programs, raw):
    """Arbitrary bytes, including invalid UTF-8, as the raw query string."""
    response = Client().get("/programs/", QUERY_STRING=raw.decode("latin-1"))
    check(response, raw)


@FUZZ
@given(name=st.sampled_from(PROGRAM_PARAMS), raw=st.binary(min_size=1, max_size=100))
def test_program_list_percent_encoded_invalid_utf8(programs, name, raw):
    response = Client().get("/programs/", QUERY_STRING=f"{name}={quote_from_bytes(raw)}")
    check(response, (name, raw))


@FUZZ
@given(segment=st.binary(min_size=1, max_size=60))
def test_slugs_in_paths(programs, segment):
    encoded = quote_from_bytes(segment, safe="")
    for prefix in ("/programs/", "/levels-of-care/", "/screening/step/"):
        check(Client().get(f"{prefix}{encoded}/"), (prefix, segment))


@FUZZ
@given(q=st.text(min_size=1000, max_size=20000))
def test_very_long_search_text(programs, q):
    check(Client().get("/programs/", {"q": q}))


# --------------------------------------------------------------------------- screening


def valid_values(key):
    return [option["value"] for option in QUESTIONS[key]["options"]]


def step_keys(step):
    return list(PAGES[step])


FIRST_ANSWERS = {"suicide_thoughts": "no"}
assert set(FIRST_ANSWERS) == set(PAGES[FIRST])


def value_strategy(key):
    known = valid_values(key) if key in QUESTIONS else []
    return st.one_of(st.sampled_from(known) if known else NASTY, NASTY, st.text(max_size=40))


@st.composite
def step_posts(draw):
    step = draw(st.sampled_from([*STEPS, EXTRAS_PAGE]))
    keys = step_keys(step) if step != EXTRAS_PAGE else ["payment", "language", "radius", "age"]
    data = []
    # Also answers belonging to other pages (the first page's, the one that shows others).
    for key in draw(st.lists(st.sampled_from([*keys, "action", "zip", "csrfmiddlewaretoken",
                                              "suicide_thoughts", "substances", "x" * 200]),
                             max_size=12)):
        for _ in range(draw(st.integers(min_value=1, max_value=3))):  # repeated fields too
            data.append((key, draw(value_strategy(key))))
    return step, data


def encode(pairs) -> str:
    from urllib.parse import urlencode

    return urlencode(pairs)


@FUZZ
@given(post=step_posts())
def test_screening_steps_accept_anything_and_keep_earlier_answers(post):
    step, pairs = post
    client = Client()
    response = client.post(
        f"/screening/step/{FIRST}/", {**FIRST_ANSWERS, "action": "next"}
    )
    assert response.status_code == 302
    before = client.session[SESSION_KEY]["answers"]
    assert before == {k: [v] for k, v in FIRST_ANSWERS.items()}

    response = client.post(
        f"/screening/step/{step}/", encode(pairs),
        content_type="application/x-www-form-urlencoded",
    )
    check(response, post)
    after = client.session[SESSION_KEY]["answers"]
    if step != FIRST:
        # Answers to other pages are never lost, whatever was sent.
        assert {k: after.get(k) for k in FIRST_ANSWERS} == before
    for key, values in after.items():
        assert key in QUESTIONS
        assert set(values) <= set(valid_values(key))  # nothing forged is ever kept
    check(client.get("/screening/result/"), "result")
    check(client.get(f"/screening/step/{step}/"), "reload")


@FUZZ
@given(
    step=st.sampled_from([*STEPS, EXTRAS_PAGE]),
    raw=st.one_of(
        st.binary(max_size=300),
        st.lists(st.tuples(st.binary(min_size=1, max_size=30), st.binary(max_size=30)),
                 max_size=6).map(lambda pairs: b"&".join(k + b"=" + v for k, v in pairs)),
        st.lists(st.tuples(st.sampled_from([b"suicide_thoughts", b"substances", b"frequency",
                                            b"action", b"zip"]),
                           st.binary(min_size=1, max_size=20)), max_size=6).map(
            lambda pairs: b"&".join(k + b"=" + quote_from_bytes(v).encode()
                                    for k, v in pairs)),
    ),
    charset=st.sampled_from(["", "; charset=utf-8", "; charset=latin-1", "; charset=nope"]),
)
def test_screening_steps_with_invalid_utf8_post_bodies(step, raw, charset):
    """Raw and percent-encoded bytes that are not UTF-8, with any declared charset."""
    client = Client()
    client.post(f"/screening/step/{FIRST}/", {**FIRST_ANSWERS, "action": "next"})
    before = client.session[SESSION_KEY]["answers"]
    # generic() sends the bytes as they are (post() would re-encode them for the charset).
    response = client.generic(
        "POST", f"/screening/step/{step}/", raw,
        content_type=f"application/x-www-form-urlencoded{charset}",
    )
    check(response, (step, raw, charset))
    after = client.session[SESSION_KEY]["answers"]
    if step != FIRST:
        assert {k: after.get(k) for k in FIRST_ANSWERS} == before
    for key, values in after.items():
        assert set(values) <= set(valid_values(key))


@FUZZ
@given(data=st.lists(st.tuples(st.sampled_from(["action", "csrfmiddlewaretoken", "next", "x"]),
                               TEXT), max_size=6),
       raw=st.binary(max_size=100))
def test_start_over_accepts_anything_and_erases_the_answers(data, raw):
    client = Client()
    client.post(f"/screening/step/{FIRST}/", {**FIRST_ANSWERS, "action": "next"})
    assert client.session[SESSION_KEY]["answers"]
    response = client.post("/screening/start-over/", encode(data) if data else raw,
                           content_type="application/x-www-form-urlencoded")
    check(response, (data, raw))
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


@FUZZ
@given(order=st.lists(st.sampled_from([*STEPS, EXTRAS_PAGE, "check", "result"]), max_size=6))
def test_screening_steps_out_of_order(order):
    client = Client()
    for step in order:
        path = f"/screening/{step}/" if step in ("check", "result") else f"/screening/step/{step}/"
        check(client.get(path), path)


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


@FUZZ
@given(junk=st.one_of(
    JSONISH,
    st.fixed_dictionaries({"version": st.integers(0, 3) | st.text(max_size=3),
                           "answers": JSONISH, "extras": JSONISH}),
    st.fixed_dictionaries({"version": st.sampled_from([1, 2]), "extras": st.just({}),
                           "answers": st.dictionaries(
                               st.sampled_from([*EVERY_VERSION_QUESTIONS, "zzz"]),
                               st.lists(st.text(max_size=15) | NASTY, max_size=3) | JSONISH,
                               max_size=6)}),
))
def test_tampered_session_state(junk):
    client = Client()
    session = client.session
    session[SESSION_KEY] = junk
    session.save()
    for path in ["/screening/", *[f"/screening/step/{key}/" for key in [*STEPS, EXTRAS_PAGE]],
                 "/screening/check/", "/screening/result/"]:
        check(client.get(path), (path, junk))
    check(client.post("/screening/step/frequency/", {"frequency": "daily"}))
    check(client.post("/screening/check/"))


# --------------------------------------------------------------------------- admin sign-in


@FUZZ
@given(
    fields=st.lists(st.tuples(
        st.sampled_from(["username", "password", "next", "otp_token", "otp_device",
                         "this_is_the_login_form"]),
        TEXT), max_size=8),
    raw=st.binary(max_size=200),
    use_raw=st.booleans(),
)
def test_admin_login_form_accepts_anything(fields, raw, use_raw):
    """Never a 500, never signed in, and `next` never leads to another site."""
    client = Client()
    body = raw if use_raw else encode(fields)
    response = client.post("/admin/login/?next=/admin/", body,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code in {200, 302, 400, 429}, response.status_code
    assert "Traceback" not in response.content.decode("utf-8", errors="replace")
    if response.status_code == 302:
        assert response["Location"].startswith("/admin/")
    assert "_auth_user_id" not in client.session


# --------------------------------------------------------------------------- manage.py screen


@FUZZ
@given(payload=st.one_of(
    st.text(max_size=200),
    JSONISH.map(json.dumps),
    st.dictionaries(st.sampled_from([*QUESTIONS, "zip", "payment", "language", "bogus"]),
                    st.text(max_size=12) | st.lists(st.text(max_size=12), max_size=3)
                    | JSONISH, max_size=8).map(json.dumps),
    st.lists(st.dictionaries(st.sampled_from(list(QUESTIONS)), st.text(max_size=8),
                             max_size=4), max_size=3).map(json.dumps),
))
def test_screen_command_input(payload):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("screen", "-", stdin=io.StringIO(payload), stdout=out, stderr=err)
    except CommandError as error:
        assert error.returncode == 2, str(error)
        assert out.getvalue() == ""
    else:
        json.loads(out.getvalue())


def test_screen_command_invalid_utf8_file(tmp_path):
    path = tmp_path / "answers.json"
    path.write_bytes(b'{"suicide_thoughts": "\xff\xfe"}')
    with pytest.raises(CommandError) as error:
        call_command("screen", str(path), stdout=io.StringIO())
    assert error.value.returncode == 2
