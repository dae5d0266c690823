"""The lint cache: warm runs give the same answer, and no stale answer survives a change."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from promptctl.cache import cache_dir
from tests.conftest import Project

GOOD = "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hello {{ name }}.\nvariables:\n  name: {type: string}\n"


@pytest.fixture(autouse=True)
def _always_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """These projects are small; the cache normally starts at 64 files."""
    import promptctl.linter

    monkeypatch.setattr(promptctl.linter, "SMALL_RUN", 0)


def _age(path: Path, seconds: int = 10) -> None:
    """Make a file look older than the cache's racy window."""
    past = time.time_ns() - seconds * 1_000_000_000
    os.utime(path, ns=(past, past))


def _cache_file() -> Path:
    files = list(cache_dir().glob("lint-*.json"))
    assert len(files) == 1
    return files[0]


def test_warm_run_gives_the_same_report(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/a-v1.yaml", GOOD)
    project.write("prompts/b-v1.yaml", GOOD.replace("{{ name }}", "{{ who }}"))
    for p in (project.root / "prompts").iterdir():
        _age(p)
    cold = cli("lint", "--format", "json")
    assert _cache_file().exists()
    warm = cli("lint", "--format", "json")
    assert warm.out == cold.out and warm.code == cold.code == 1
    import json

    entries = json.loads(_cache_file().read_bytes())["entries"]
    assert set(entries) == {"prompts/a-v1.yaml", "prompts/b-v1.yaml"}


def test_a_changed_file_is_linted_again(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    path = project.write("prompts/a-v1.yaml", GOOD)
    _age(path, 20)
    assert cli("lint").code == 0
    # same size, same mtime, new content: the stat matches, but the file is not "older than the cache"
    # by the racy window only if we forge the mtime — forge it and the inode check still needs a match:
    broken = GOOD.replace("Hello", "Hallo").replace("name }}", "nome }}")
    assert len(broken) == len(GOOD)
    path.write_text(broken)
    assert cli("lint").code == 1


def test_forged_mtime_within_the_racy_window_is_rehashed(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    path = project.write("prompts/a-v1.yaml", GOOD)
    assert cli("lint").code == 0  # written just now: racy, so the next run must re-read it
    st = path.stat()
    broken = GOOD.replace("name }}", "nome }}")
    path.write_text(broken)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime
    assert path.stat().st_size == st.st_size
    assert cli("lint").code == 1


def test_settings_and_code_changes_invalidate(project: Project, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    path = project.write("prompts/a-v1.yaml", GOOD + "temperature: 1.5\n")
    _age(path)
    assert cli("lint").code == 0
    project.write("promptctl.toml", "max_file_size = 10\n")
    assert cli("lint").code == 1  # a different limit: the cached result is not used
    (project.root / "promptctl.toml").unlink()
    import promptctl.cache

    monkeypatch.setattr(promptctl.cache, "_code_fingerprint", lambda: "another promptctl")
    assert json.loads(cli("lint", "--format", "json").out)["summary"]["files"] == 1


def test_no_cache_and_a_corrupt_cache(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    path = project.write("prompts/a-v1.yaml", GOOD)
    _age(path)
    assert cli("lint", "--no-cache").code == 0
    assert not list(cache_dir().glob("lint-*.json"))
    cli("lint")
    _cache_file().write_text("{not json")
    assert cli("lint").code == 0
    import json

    _cache_file().write_bytes(json.dumps({"key": "x", "entries": {"prompts/a-v1.yaml": "garbage"}}).encode())
    assert cli("lint").code == 0


def test_cache_location_follows_platform_conventions(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PROMPTCTL_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "promptctl"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == Path.home() / ".cache" / "promptctl"
    monkeypatch.setenv("PROMPTCTL_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"


def test_parallel_lint_matches_serial(project: Project, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import promptctl.linter

    for i in range(60):
        body = GOOD if i % 3 else GOOD.replace("{{ name }}", "{{ nobody }}")
        project.write(f"prompts/p{i:02d}-v1.yaml", body.replace("gpt-4o-2024-08-06", "gpt4o" if i % 7 == 0 else "gpt-4o-2024-08-06"))
    serial = cli("lint", "--no-cache", "--format", "json").out
    monkeypatch.setattr(promptctl.linter, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(promptctl.linter, "_CHUNK", 7)
    parallel = cli("lint", "--no-cache", "--format", "json").out
    assert parallel == serial
    assert json.loads(serial)["summary"]["errors"] == 20 + 9


def test_a_few_files_skip_the_results_cache_but_remember_models(project: Project, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import promptctl.linter

    monkeypatch.setattr(promptctl.linter, "SMALL_RUN", 64)
    project.write("prompts/a-v1.yaml", GOOD)
    assert cli("lint", "prompts/a-v1.yaml").code == 0
    assert not list(cache_dir().glob("lint-*.json"))
    models = json.loads((cache_dir() / "models.json").read_text())["models"]
    assert models["gpt-4o-2024-08-06"]["known"] is True


def test_damaged_entries_are_misses(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    import json

    path = project.write("prompts/a-v1.yaml", GOOD.replace("{{ name }}", "{{ nobody }}"))
    _age(path)
    assert cli("lint").code == 1
    data = json.loads(_cache_file().read_bytes())
    st = path.stat()
    for garbage in (
        [st.st_size, st.st_mtime_ns, st.st_ino, "x", "not a result"],
        "nonsense",
        [st.st_size, st.st_mtime_ns, st.st_ino, "x", [[["a"]], []]],
        [st.st_size, st.st_mtime_ns, st.st_ino, "x", [[[1, 1, "schema", "fatal", "m"]], [], []]],  # no such severity
        [st.st_size, st.st_mtime_ns, st.st_ino, "x", [[[1, 1, "schema", ["error"], "m"]], [], []]],
    ):
        data["entries"]["prompts/a-v1.yaml"] = garbage
        data["written_ns"] = time.time_ns()
        _cache_file().write_bytes(json.dumps(data).encode())
        assert cli("lint").code == 1


def _memo() -> Path:
    files = list(cache_dir().glob("run-*.json"))
    assert len(files) == 1
    return files[0]


def test_an_unchanged_folder_is_answered_by_the_run_memo(project: Project, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import promptctl.cache
    from tests.rules.test_cases import SECRETS

    project.write("prompts/a-v1.yaml", GOOD.replace("{{ name }}", "{{ who }}"))
    # an escaped secret: its quoted line stays cut when the answer comes from the memo
    project.write("prompts/b-v1.yaml", GOOD + f'description: "{SECRETS["escaped"]}"\n')
    for p in (project.root / "prompts").iterdir():
        _age(p)
    cold = cli("lint")
    assert _memo().exists() and cold.code == 1 and "(redacted)" in cold.out

    def no_per_file_cache(*args: object, **kwargs: object) -> None:
        raise AssertionError("the per-file cache was read")

    monkeypatch.setattr(promptctl.cache.LintCache, "__init__", no_per_file_cache)
    warm = cli("lint")
    assert (warm.out, warm.code) == (cold.out, cold.code)


@pytest.mark.parametrize("change", ["edit", "replace", "add", "delete", "link", "config", "damage"])
def test_any_change_voids_the_run_memo(project: Project, cli, change: str) -> None:  # type: ignore[no-untyped-def]
    a = project.write("prompts/a-v1.yaml", GOOD)
    b = project.write("prompts/b-v1.yaml", GOOD.replace("{{ name }}", "{{ who }}"))
    for p in (a, b):
        _age(p, 60)
    assert cli("lint").code == 1 and _memo().exists()
    if change == "edit":  # a new mtime (not racy: aged again, but to another time)
        b.write_text(GOOD)
        _age(b, 30)
    elif change == "replace":  # same size and mtime, another inode (an atomic replace)
        st = b.stat()
        c = project.write("prompts/c.tmp", GOOD.replace("{{ name }}", "{{ nam }}"))
        os.utime(c, ns=(st.st_atime_ns, st.st_mtime_ns))
        c.rename(b)
        assert b.stat().st_size == st.st_size and b.stat().st_ino != st.st_ino
    elif change == "add":
        _age(project.write("prompts/c-v1.yaml", "version: 1\n"), 30)
    elif change == "delete":
        b.unlink()
    elif change == "link":
        (project.root / "prompts" / "d-v1.yaml").symlink_to(a)
    elif change == "config":
        project.write("promptctl.toml", 'ignore = ["undeclared-variable"]\n')
    else:
        _memo().write_bytes(b"\x00garbage")
    expected = cli("lint", "--no-cache", "--format", "json")
    got = cli("lint", "--format", "json")
    assert got.out == expected.out
    assert (change in ("edit", "delete", "config")) == (got.code == 0)


def test_nothing_from_the_cache_folder_is_ever_run(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A CI cache can be written by a pull request: the folder holds JSON data only, the
    schema validator ships with the package, and planted or damaged files are misses."""
    import json as _json
    import subprocess
    import sys

    cache = tmp_path / "cache"
    project = tmp_path / "p"
    (project / "prompts").mkdir(parents=True)
    (project / "prompts/greet-v1.yaml").write_text("version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hi.\n")
    env = {**__import__("os").environ, "PROMPTCTL_CACHE_DIR": str(cache)}

    def lint() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "promptctl", "lint", "--format", "json"], cwd=project, env=env, capture_output=True, text=True
        )

    assert lint().returncode == 0
    written = sorted(p.name for p in cache.iterdir())
    assert written and all(name.endswith(".json") for name in written), written
    for path in cache.iterdir():
        _json.loads(path.read_bytes())  # data, nothing else
    marker = tmp_path / "pwned"
    payloads = [
        b"\xff\x00garbage",
        b"[1, 2",
        b'{"key": 1, "entries": {"prompts/greet-v1.yaml": [1, 2, 3, 4, [[[1, "x"]], 5]]}}',
        b'{"stamp": 1, "written_ns": "x", "findings": [[1, 2]], "redactions": 7}',
        b"[" * 100_000,
    ]
    for payload in payloads:
        for path in cache.iterdir():
            path.write_bytes(payload)
        # a planted validator of the old cache format is never read
        (cache / "validator-prompt-0000.marshal").write_bytes(b"import os; os.system('touch %s')" % str(marker).encode())
        result = lint()
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        assert _json.loads(result.stdout)["findings"] == []
    assert not marker.exists()


def test_the_shipped_validators_match_the_schemas() -> None:
    """promptctl/_validators.py is generated from schemas/*.json: regenerate it with
    `python -m promptctl.schema` after editing a schema."""
    import hashlib

    from promptctl import _validators
    from promptctl.schema import schema_text

    for name in ("prompt", "tags"):
        assert _validators.SCHEMA_SHA256[name] == hashlib.sha256(schema_text(name).encode()).hexdigest(), name


def test_the_generated_validators_are_tidied_and_agree_with_the_shipped_ones() -> None:
    """The generator rewrites two habits of fastjsonschema's code (a dict of every local
    per item, a self-referring helper per call); what it writes still judges as the
    shipped validators do, on valid and invalid prompts and tags files."""
    import yaml

    from promptctl import _validators
    from promptctl.schema import generated_validators

    source = generated_validators()
    assert "locals()" not in source and "def fn(" not in source
    fresh: dict[str, object] = {}
    exec(compile(source, "<generated>", "exec"), fresh)

    prompt = {"version": 1, "model": "gpt-4o-2024-08-06", "owners": ["@team", "a@b.co"], "system": "Hi {{ name }}"}
    cases = {
        "prompt": [
            prompt,
            {**prompt, "owners": ["@team", "@team"]},  # uniqueItems
            {**prompt, "owners": ["has space"]},
            {**prompt, "variables": {"name": {"type": "string"}}, "examples": [{"name": "x"}, "not a map"]},
            {**prompt, "messages": [{"role": "user", "content": "x"}, {"role": "nobody"}]},
            {**prompt, "fallbacks": [{"model": "claude-3-5-sonnet-20241022"}, {"model": ""}]},
            {**prompt, "variables": {"1bad": {}}},
            yaml.safe_load("version: 0\nmodel: [x]\n"),
        ],
        "tags": [{"production": 1, "staging": 2}, {"production": "one"}, {"": 1}, ["x"]],
    }

    def verdict(validate: object, data: object) -> bool:
        try:
            validate(data)  # type: ignore[operator]
        except (_validators.JsonSchemaValueException, fresh["JsonSchemaValueException"]):  # type: ignore[misc]
            return False
        return True

    for name, documents in cases.items():
        for data in documents:
            assert verdict(_validators.VALIDATORS[name], data) == verdict(fresh["VALIDATORS"][name], data), (name, data)  # type: ignore[index]
    assert {verdict(_validators.VALIDATORS["prompt"], d) for d in cases["prompt"]} == {True, False}


def test_the_run_memo_stamp_takes_any_inode_number(project: Project) -> None:
    """Numbers are hashed as 64-bit machine integers; an inode past 2**63 (some file
    systems) takes the slower way, and still stamps every number."""
    from promptctl.cache import RunMemo
    from promptctl.config import load_settings
    from promptctl.layout import Discovery

    def stamp(ino: int, size: int = 10) -> str:
        st = os.stat_result((0o100644, ino, 0, 1, 0, 0, size, 0, 0, 0), {"st_mtime_ns": 1_000})
        return RunMemo(load_settings(project.root), Discovery(["prompts/a-v1.yaml"], [], [], {"prompts/a-v1.yaml": st})).stamp

    assert stamp(5) != stamp(6) != stamp(6, size=11)
    assert stamp(2**64 - 1) != stamp(2**64 - 2) != stamp(2**64 - 2, size=11)
