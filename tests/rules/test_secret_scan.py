"""The secret scan skips most text after a cheap look for key-shaped runs; it must find
exactly what running every pattern over the whole text finds."""

from __future__ import annotations

import random
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from promptctl import redaction as secret

ALNUM = string.ascii_letters + string.digits
# Each kind at the shortest length its pattern accepts (generated here, never committed).
SHAPES = [
    ("sk-ant-api03-", 32, ALNUM + "_-", ""),
    ("sk-proj-", 20, ALNUM + "_-", ""),
    ("sk-", 32, ALNUM, ""),
    ("AKIA", 16, string.ascii_uppercase + "234567", ""),
    ("aws_secret_access_key = ", 40, ALNUM + "/+", ""),
    ("AIza", 35, ALNUM + "_-", ""),
    ("GOCSPX-", 28, ALNUM, ""),
    ("ghp_", 36, ALNUM, ""),
    ("github_pat_", 60, ALNUM, ""),
    ("glpat-", 20, ALNUM, ""),
    ("xoxb-123456-", 10, ALNUM, ""),
    ("https://hooks.slack.com/services/", 20, ALNUM, ""),
    ("sk_live_", 20, ALNUM, ""),
    ("hf_", 34, ALNUM, ""),
    ("gsk_", 48, ALNUM, ""),
    ("xai-", 60, ALNUM, ""),
    ("npm_", 36, ALNUM, ""),
    ("pypi-AgEIcHlwaS5vcmc", 50, ALNUM, ""),
    ("eyJ", 10, ALNUM, ".eyJabcdefghij.klmnopqrst"),
    ("-----BEGIN RSA PRIVATE KEY-----\n  ", 40, ALNUM + "+/", ""),
    ("sk-ant-oat01-", 32, ALNUM + "_-", ""),
    ("sk-ant-ort01-", 32, ALNUM + "_-", ""),
    ("sk-None-", 20, ALNUM, ""),
    ("xapp-1-A0BCDEFGH-123456-", 20, ALNUM, ""),
    ("Authorization: Bearer ", 20, ALNUM, ""),
    ("postgres://app:", 2, ALNUM, "@db.internal/app"),
    ("password: ", 20, ALNUM, ""),
    ("accesstoken=", 24, ALNUM, ""),
    ("API-KEY: '", 20, ALNUM, "'"),
    ('AWS_Secret_Key\t=\n  "', 40, ALNUM + "/+", '"'),
    ("client_secret\u2003=\u00a0", 20, ALNUM, ""),
    ("x-api_key=", 24, ALNUM, ""),
]


def _everywhere(text: str) -> list[tuple[int, int, str, str]]:
    """Every pattern over the whole text: what the scan did before it skipped anything."""
    taken: list[tuple[int, int]] = []
    found = []
    for kind, pattern in secret._compiled():
        for match in pattern.finditer(text):
            start, end = match.span("s")
            if any(start < e and s < end for s, e in taken):
                continue
            if secret._real(kind, match.group("s")):
                taken.append((start, end))
                found.append((start, end, kind, match.group("s")))
    return found


def _key(shape: tuple[str, int, str, str], seed: int) -> str:
    prefix, n, alphabet, suffix = shape
    rng = random.Random(seed)
    return prefix + "".join(rng.choice(alphabet) for _ in range(n)) + suffix


PROSE = st.text(alphabet=string.ascii_letters + " \n\t:=\"'-_/.é€\u200b", max_size=40)
# References to secrets, which real prompts hold (README snippets, config examples): the
# scan skips text whose long runs are all references, and must still find the rest.
REFERENCES = st.lists(
    st.sampled_from(
        [
            "api_key: process.env.OPENAI_API_KEY_PRODUCTION",
            'token = os.environ["GITHUB_TOKEN_FOR_RELEASES"]',
            "password: ${{ secrets.DATABASE_PASSWORD_MAIN }}",
            "secret_key=$DJANGO_SECRET_KEY_PRODUCTION",
            "Authorization: Bearer process.env.SERVICE_TOKEN_VALUE",
            "api_key=env.OPENAI_API_KEY=Zx81Lq0PmN7vB3cD5eF9gH2j",
            "process.env.api_key=Zx81Lq0PmN7vB3cD5eF9gH2jK",  # a real value inside a reference's run
            "aws_secret_access_key: import.meta.env.AWS_SECRET_ACCESS",
            " ",
            "\n",
        ]
    ),
    max_size=4,
).map("".join)


# Long key-shaped runs as a report or a big prompt holds them: past `_FEW_RUNS` of them,
# the scan first looks for credential words in the whole text.
MANY_RUNS = "".join(f"prompts/support/refund-triage-v{n}.yaml: claude-3-5-sonnet-20241022\n" for n in range(1, 7))


@settings(max_examples=600, deadline=None)
@given(PROSE | REFERENCES, st.sampled_from(SHAPES), st.integers(0, 10**6), PROSE | REFERENCES, st.booleans(), st.booleans())
def test_the_scan_finds_what_every_pattern_finds(
    before: str, shape: tuple[str, int, str, str], seed: int, after: str, truncate: bool, many_runs: bool
) -> None:
    key = _key(shape, seed)
    if truncate:  # one character short of the shortest: nothing may be found either way
        key = key[:-1]
    text = (MANY_RUNS if many_runs else "") + before + key + after
    assert sorted(secret.find(text)) == sorted(_everywhere(text))


def test_every_shape_is_found() -> None:
    for i, shape in enumerate(SHAPES):
        text = "model: gpt-4o-2024-08-06\nsystem: |\n  " + _key(shape, i) + "\n"
        assert list(secret.find(text)), shape[0]


@settings(max_examples=300, deadline=None)
@given(REFERENCES, PROSE)
def test_references_alone_are_skipped_exactly(references: str, prose: str) -> None:
    text = references + prose
    assert sorted(secret.find(text)) == sorted(_everywhere(text))
    text = MANY_RUNS + text
    assert sorted(secret.find(text)) == sorted(_everywhere(text))


def test_a_value_after_a_reference_in_one_run_is_still_found() -> None:
    assert [kind for _, _, kind, _ in secret.find("process.env.api_key=Zx81Lq0PmN7vB3cD5eF9gH2jK\n")] == ["credential"]
