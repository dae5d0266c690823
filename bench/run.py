"""Time promptctl and its peers on the same corpus, in one run, and print the ratios.

    python bench/run.py --size small --runs 1    # the CI smoke test (a minute)
    python bench/run.py --size large --runs 3    # the numbers in bench/README.md

Peers (check-jsonschema, yamllint) and GitPython (for the reference import of the hook
target) are installed into the running interpreter when missing. Corpora are generated
once into bench/.corpus/ (deterministic: see bench/corpus.py). Every number printed is
a median of the runs made here, now; ratios are only meaningful within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCHEMA = ROOT / "schemas" / "prompt.schema.json"
PEERS = {"check-jsonschema": "check-jsonschema", "yamllint": "yamllint", "git": "gitpython"}


def ensure_peers() -> None:
    missing = []
    for module, package in PEERS.items():
        if module == "git":
            try:
                __import__("git")
            except ImportError:
                missing.append(package)
        elif shutil.which(module, path=str(Path(sys.executable).parent)) is None:
            missing.append(package)
    if missing:
        print(f"installing peers: {' '.join(missing)}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *missing], check=True)


def tool(name: str) -> str:
    return shutil.which(name, path=str(Path(sys.executable).parent)) or name


def corpus(size: str, profile: str = "baseline") -> Path:
    sys.path.insert(0, str(HERE))
    from corpus import FORMAT, MARKER

    path = HERE / ".corpus" / (size if profile == "baseline" else f"{size}-{profile}")
    marker = path / MARKER
    if not marker.exists() or marker.read_text().strip() != FORMAT:
        shutil.rmtree(path, ignore_errors=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(HERE / "corpus.py"), "--size", size, "--profile", profile, str(path)], check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=path, check=True)
    subprocess.run(["git", "reset", "-q", "--hard"], cwd=path, check=True)
    return path


class PeakMemory:
    """Peak proportional set size (PSS: shared pages split between the processes that
    share them) of a process and all its children, sampled every 20 ms. Linux only."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kb = 0
        self.running = True
        self.thread = threading.Thread(target=self._poll, daemon=True)
        self.thread.start()

    def _tree(self, pid: int) -> list[int]:
        pids = [pid]
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as fh:
                    for child in fh.read().split():
                        pids.extend(self._tree(int(child)))
        except OSError:
            pass
        return pids

    def _poll(self) -> None:
        while self.running:
            total = 0
            for pid in self._tree(self.pid):
                try:
                    with open(f"/proc/{pid}/smaps_rollup") as fh:
                        for line in fh:
                            if line.startswith("Pss:"):
                                total += int(line.split()[1])
                                break
                except OSError:
                    pass
            self.peak_kb = max(self.peak_kb, total)
            time.sleep(0.02)

    def stop(self) -> float:
        self.running = False
        self.thread.join()
        return self.peak_kb / 1024


def timed(
    cmd: list[str], cwd: Path, env: dict[str, str], runs: int, *, memory: bool = False, parallel: list[list[str]] | None = None
) -> dict[str, float]:
    """Median wall time of ``runs`` runs. Peak memory comes from one more, untimed run:
    sampling /proc costs CPU (and page-table locks) that would slow the timed ones."""
    if hasattr(os, "sync"):
        os.sync()  # the previous step's writes are flushed now, not during these runs
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        if parallel:
            procs = [subprocess.Popen(c, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for c in parallel]
            for p in procs:
                p.wait()
        else:
            proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            proc.wait()
            if proc.returncode not in (0, 1):
                raise SystemExit(f"{' '.join(cmd[:3])} … exited {proc.returncode}")
        times.append(time.perf_counter() - start)
    result = {"median_s": statistics.median(times), "runs": len(times)}
    if memory:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        meter = PeakMemory(proc.pid) if sys.platform == "linux" else None
        proc.wait()
        result["peak_mb"] = meter.stop() if meter else 0.0
    return result


def open_pull_request(repo: Path) -> None:
    """A branch with 5 changed files: 3 new versions, a channel move and a new prompt."""
    subprocess.run(["git", "checkout", "-q", "-B", "bench-pr", "main"], cwd=repo, check=True)
    prompts = sorted(p for p in (repo / "prompts").glob("*-v1.yaml"))[:3]
    for first in prompts:
        name = first.name[: -len("-v1.yaml")]
        latest = max(int(p.name[len(name) + 2 : -5]) for p in first.parent.glob(f"{name}-v*.yaml") if p.name[len(name) + 2 : -5].isdigit())
        text = (first.parent / f"{name}-v{latest}.yaml").read_text().replace(f"version: {latest}", f"version: {latest + 1}")
        (first.parent / f"{name}-v{latest + 1}.yaml").write_text(text + "# a new version\n")
    tags = sorted((repo / "prompts").glob("*.tags.yaml"))[0]
    tags.write_text("production: 1\nstaging: 1\n")  # a channel move
    (repo / "prompts" / "brand-new-prompt-v1.yaml").write_text(prompts[0].read_text())
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "-c", "user.name=b", "-c", "user.email=b@x", "commit", "-q", "-m", "pr"], cwd=repo, check=True)


def diff_series(env: dict[str, str], runs: int) -> dict[str, dict[str, float]]:
    """`promptctl diff NAME 1 2` on prompts of 1 to 150 KB, three edits each; `git diff
    --word-diff` on the same two files for reference."""
    sys.path.insert(0, str(HERE))
    from corpus import diff_pair

    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="promptctl-bench-diff-") as tmp:
        root = Path(tmp)
        (root / "promptctl.toml").write_text("")
        (root / "prompts").mkdir()
        for kb in (1, 10, 100, 150):
            for shape in ("2-word edit", "paragraph shuffle", "full rewrite"):
                before, after = diff_pair(kb, shape)
                for n, text in ((1, before), (2, after)):
                    body = "\n".join("  " + line if line else "" for line in text.split("\n"))
                    (root / "prompts" / f"p-v{n}.yaml").write_text(
                        f"version: {n}\nmodel: gpt-4o-2024-08-06\ntemplate_format: none\nsystem: |\n{body}\n"
                    )
                label = f"diff, {kb} KB, {shape}"
                print(f"  {label} …", file=sys.stderr, flush=True)
                results[label] = timed([tool("promptctl"), "diff", "p", "1", "2"], root, env, runs)
                results[f"git diff --word-diff, {kb} KB, {shape}"] = timed(
                    ["git", "diff", "--no-index", "--word-diff", "prompts/p-v1.yaml", "prompts/p-v2.yaml"], root, env, runs
                )
    return results


def small_repo(env: dict[str, str], runs: int) -> dict[str, dict[str, float]]:
    """Every command on the shipped prompts/ (a branch with one new version), against a
    warm lint of the same repository."""
    promptctl = tool("promptctl")
    with tempfile.TemporaryDirectory(prefix="promptctl-bench-small-") as tmp:
        root = Path(tmp)
        shutil.copytree(ROOT / "prompts", root / "prompts")
        (root / "promptctl.toml").write_text("")
        git = ["git", "-c", "user.name=b", "-c", "user.email=b@x"]
        for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "prompts"], ["checkout", "-q", "-b", "pr"]):
            subprocess.run([*git, *args], cwd=root, check=True)
        subprocess.run([promptctl, "bump", "customer-support"], cwd=root, env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([*git, "add", "-A"], cwd=root, check=True)
        subprocess.run([*git, "commit", "-q", "-m", "v4"], cwd=root, check=True)
        summary = root / "summary.md"
        commands = {
            "lint": ["lint"],
            "diff --base main": ["diff", "--base", "main"],
            "cost": ["cost"],
            "ci (with the job summary)": ["ci", "--base", "main"],
            "list": ["list"],
            "show": ["show", "customer-support"],
            "log": ["log", "customer-support"],
            "render": ["render", "customer-support", "--var", "customer_name=Ann", "--var", "issue=refund"],
            "tags": ["tags"],
        }
        for command in commands.values():  # each cache filled once, as after a first run
            subprocess.run([promptctl, *command], cwd=root, env={**env, "GITHUB_STEP_SUMMARY": str(summary)}, stdout=subprocess.DEVNULL)
        # In turns, a run of each command per round: drift on a shared machine hits every
        # command and the warm lint they are compared with alike.
        print("  small repo: every command, in turns …", file=sys.stderr, flush=True)
        times: dict[str, list[float]] = {label: [] for label in commands}
        for _ in range(max(runs, 5)):
            for label, command in commands.items():
                times[label].append(timed([promptctl, *command], root, {**env, "GITHUB_STEP_SUMMARY": str(summary)}, 1)["median_s"])
        results: dict[str, dict[str, float]] = {label: {"median_s": statistics.median(t), "runs": len(t)} for label, t in times.items()}
    return results


def profile_run(profile: str, size: str, runs: int, env: dict[str, str], peers: bool) -> dict[str, dict[str, float]]:
    """Cold and warm lint of one corpus profile, and check-jsonschema on the same files."""
    repo = corpus(size, profile)
    cache = Path(tempfile.mkdtemp(prefix="promptctl-bench-cache-"))
    env = {**env, "PROMPTCTL_CACHE_DIR": str(cache)}
    promptctl = [tool("promptctl")]
    versions = sorted(str(p.relative_to(repo)) for p in (repo / "prompts").rglob("*.yaml"))
    half = len(versions) // 2
    cjs = [tool("check-jsonschema"), "--schemafile", str(SCHEMA)]
    results: dict[str, dict[str, float]] = {}

    def run(label: str, *a: object, **k: object) -> None:
        print(f"  {profile}: {label} …", file=sys.stderr, flush=True)
        results[label] = timed(*a, **k)  # type: ignore[arg-type]

    for prime in ([*promptctl, "lint", versions[0]], [*cjs, versions[0]]):
        subprocess.run(prime, cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run("promptctl lint, cold", [*promptctl, "lint", "--no-cache"], repo, env, runs, memory=True)
    subprocess.run([*promptctl, "lint"], cwd=repo, env=env, stdout=subprocess.DEVNULL)  # fill the cache
    run("promptctl lint, warm", [*promptctl, "lint"], repo, env, max(runs, 3), memory=True)
    run("check-jsonschema", [*cjs, *versions], repo, env, runs)
    if peers:
        run("check-jsonschema, 2 processes", [], repo, env, runs, parallel=[[*cjs, *versions[:half]], [*cjs, *versions[half:]]])
        run("yamllint", [tool("yamllint"), "-f", "parsable", "prompts"], repo, env, runs)
        # tables in text and JSON, run in turns (drift on a shared machine hits both
        # alike), and the memory of the commands that read every file
        for label, command in (("list", ["list"]), ("cost --all", ["cost", "--all"]), ("tags", ["tags"])):
            subprocess.run([*promptctl, *command], cwd=repo, env=env, stdout=subprocess.DEVNULL)
            print(f"  {profile}: {label}, text and json in turns …", file=sys.stderr, flush=True)
            text_times, json_times = [], []
            for _ in range(max(runs, 5)):
                text_times.append(timed([*promptctl, *command], repo, env, 1)["median_s"])
                json_times.append(timed([*promptctl, *command, "-f", "json"], repo, env, 1)["median_s"])
            text_mem = timed([*promptctl, *command], repo, env, 1, memory=True)["peak_mb"]
            json_mem = timed([*promptctl, *command, "-f", "json"], repo, env, 1, memory=True)["peak_mb"]
            results[label] = {"median_s": statistics.median(text_times), "runs": len(text_times), "peak_mb": text_mem}
            results[f"{label}, json"] = {"median_s": statistics.median(json_times), "runs": len(json_times), "peak_mb": json_mem}
    shutil.rmtree(cache, ignore_errors=True)
    return results


def main() -> None:
    sys.path.insert(0, str(HERE))
    from corpus import PROFILES

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=["small", "large"], default="small")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profiles", default=",".join(PROFILES), help=f"comma-separated, of {', '.join(PROFILES)}")
    parser.add_argument("--output", type=Path, default=None, help="write the results as JSON")
    args = parser.parse_args()
    profiles = [p for p in args.profiles.split(",") if p]

    ensure_peers()
    base_env = {**os.environ, "NO_COLOR": "1"}
    # Every tool runs as installed on a developer's machine: Python keeps compiled
    # bytecode (some CI images turn that off, and an editable install would then
    # recompile its sources on every run), and one untimed run on one file first
    # compiles it and brings the interpreter and libraries into the page cache.
    base_env.pop("PYTHONDONTWRITEBYTECODE", None)
    by_profile = {p: profile_run(p, args.size, args.runs, base_env, peers=(p == "baseline")) for p in profiles}

    # The pre-commit hook and check --base, on the baseline profile.
    repo = corpus(args.size)
    cache = Path(tempfile.mkdtemp(prefix="promptctl-bench-cache-"))
    env = {**base_env, "PROMPTCTL_CACHE_DIR": str(cache)}
    promptctl = [tool("promptctl")]
    versions = sorted(str(p.relative_to(repo)) for p in (repo / "prompts").rglob("*.yaml"))
    hooks: dict[str, dict[str, float]] = {}

    def run(label: str, *a: object, **k: object) -> None:
        print(f"  {label} …", file=sys.stderr, flush=True)
        hooks[label] = timed(*a, **k)  # type: ignore[arg-type]

    one = repo / versions[len(versions) // 2]
    original = one.read_bytes()
    one.write_bytes(original.replace(b"description: ", b"description: Edited. ", 1))
    subprocess.run(["git", "add", str(one)], cwd=repo, check=True)
    hook_runs = max(args.runs, 5)
    run(
        "import typer, yaml, jsonschema, jinja2, git",
        [sys.executable, "-c", "import typer, yaml, jsonschema, jinja2, git"],
        repo,
        env,
        hook_runs,
    )
    run("hook: promptctl lint FILE", [*promptctl, "lint", str(one.relative_to(repo))], repo, env, hook_runs)
    run("hook: promptctl check --staged", [*promptctl, "check", "--staged"], repo, env, hook_runs)
    subprocess.run(["git", "reset", "-q", "--hard"], cwd=repo, check=True)
    open_pull_request(repo)
    run("check --base, 5 changed files", [*promptctl, "check", "--base", "main"], repo, env, hook_runs, memory=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=repo, check=True)
    if args.size == "large":
        small = corpus("small")
        open_pull_request(small)
        run("check --base, 5 changed files, small repo", [*promptctl, "check", "--base", "main"], small, env, hook_runs)
        subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=small, check=True)
    shutil.rmtree(cache, ignore_errors=True)
    small_cache = Path(tempfile.mkdtemp(prefix="promptctl-bench-cache-"))
    shipped = small_repo({**base_env, "PROMPTCTL_CACHE_DIR": str(small_cache)}, args.runs)
    shutil.rmtree(small_cache, ignore_errors=True)
    diffs = diff_series(base_env, args.runs)

    checks = []
    for profile, results in by_profile.items():
        cold = results["promptctl lint, cold"]["median_s"]
        warm = results["promptctl lint, warm"]["median_s"]
        peer = results["check-jsonschema"]["median_s"]
        checks.append((f"{profile}: cold lint ≥ 7× faster than check-jsonschema", peer / cold, 7.0, peer / cold >= 7))
        checks.append((f"{profile}: warm lint ≥ 100× faster than check-jsonschema", peer / warm, 100.0, peer / warm >= 100))
    reference = hooks["import typer, yaml, jsonschema, jinja2, git"]["median_s"]
    for label in ("hook: promptctl lint FILE", "hook: promptctl check --staged"):
        ratio = hooks[label]["median_s"] / reference
        checks.append((f"{label} ≤ the reference import", ratio, 1.0, ratio <= 1))
    if "check --base, 5 changed files, small repo" in hooks:
        scale = hooks["check --base, 5 changed files"]["median_s"] / hooks["check --base, 5 changed files, small repo"]["median_s"]
        checks.append(("check --base large repo ≤ 1.5× small repo", scale, 1.5, scale <= 1.5))
    lint_small = shipped["lint"]["median_s"]
    worst_label, worst = max(((k, v["median_s"] / lint_small) for k, v in shipped.items() if k != "lint"), key=lambda kv: kv[1])
    checks.append((f"small repo: every command ≤ 1.5× a warm lint (slowest: {worst_label})", worst, 1.5, worst <= 1.5))
    slowest_diff = max(v["median_s"] for k, v in diffs.items() if k.startswith("diff, 150 KB"))
    checks.append(("diff of a 150 KB prompt (each edit) < 1 s", slowest_diff, 1.0, slowest_diff < 1))
    if "baseline" in by_profile and "list" in by_profile["baseline"]:
        base = by_profile["baseline"]
        for table in ("list", "cost --all", "tags"):
            ratio = base[table]["median_s"] / base[f"{table}, json"]["median_s"]
            checks.append((f"{table}: text ≤ 1.2× its JSON", ratio, 1.2, ratio <= 1.2))
    peaks = [
        (f"{p}: {k}", v["peak_mb"])
        for p, r in by_profile.items()
        for k, v in r.items()
        if "peak_mb" in v and "promptctl" in k or k in ("list", "cost --all", "tags", "list, json", "cost --all, json", "tags, json")
    ]
    peaks = [(label, mb) for label, mb in peaks if mb]
    if peaks:
        label, mb = max(peaks, key=lambda kv: kv[1])
        checks.append((f"peak memory of any command < 200 MB (largest: {label})", mb, 200.0, mb < 200))

    machine = {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": _cpu(),
        "files": len(versions),
        "runs": args.runs,
        "size": args.size,
        "profiles": profiles,
    }
    print(f"\nMachine: {machine['cores']} cores, {machine['cpu']}, Python {machine['python']}, {machine['platform']}")
    print(f"Corpus: {args.size}, {len(versions):,} files per profile; medians of {args.runs}+ runs, all in this one run\n")
    for profile, results in by_profile.items():
        cold = results["promptctl lint, cold"]["median_s"]
        print(f"#### Profile: {profile}\n")
        print("| command | median | vs promptctl lint (cold) |")
        print("| --- | --- | --- |")
        for label, r in results.items():
            extra = f", peak {r['peak_mb']:.0f} MB" if "peak_mb" in r else ""
            print(f"| {label} | {r['median_s']:.2f} s{extra} | {r['median_s'] / cold:.2f}× |")
        print()
    print("#### The pre-commit hook and check --base (baseline profile)\n")
    print("| command | median |")
    print("| --- | --- |")
    for label, r in hooks.items():
        extra = f", peak {r['peak_mb']:.0f} MB" if "peak_mb" in r else ""
        print(f"| {label} | {r['median_s']:.2f} s{extra} |")
    print("\n#### Every command on the shipped prompts/ (a branch with one new version)\n")
    print("| command | median | vs a warm lint |")
    print("| --- | --- | --- |")
    for label, r in shipped.items():
        print(f"| {label} | {r['median_s']:.2f} s | {r['median_s'] / lint_small:.2f}× |")
    print("\n#### diff by prompt size (whole command, start-up included)\n")
    print("| size | edit | promptctl diff | git diff --word-diff |")
    print("| --- | --- | --- | --- |")
    for label, r in diffs.items():
        if label.startswith("diff, "):
            _, kb, shape = label.split(", ", 2)
            git = diffs[f"git diff --word-diff, {kb}, {shape}"]["median_s"]
            print(f"| {kb} | {shape} | {r['median_s']:.2f} s | {git:.2f} s |")
    if args.size != "large":
        print("\nThe lint targets are set for the large corpus; on this one they only show the trend.")
    print("\n| target | measured | goal | met |")
    print("| --- | --- | --- | --- |")
    for label, value, goal, met in checks:
        print(f"| {label} | {value:.2f} | {goal:g} | {'yes' if met else 'NO'} |")
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(
            json.dumps(
                {
                    "machine": machine,
                    "profiles": by_profile,
                    "hooks": hooks,
                    "small_repo": shipped,
                    "diff": diffs,
                    "targets": [{"target": c[0], "measured": c[1], "goal": c[2], "met": c[3]} for c in checks],
                },
                indent=2,
            )
        )


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


if __name__ == "__main__":
    main()
