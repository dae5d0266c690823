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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=["small", "large"], default="small")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--output", type=Path, default=None, help="write the results as JSON")
    args = parser.parse_args()

    ensure_peers()
    repo = corpus(args.size)
    cache = Path(tempfile.mkdtemp(prefix="promptctl-bench-cache-"))
    env = {**os.environ, "PROMPTCTL_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    # Every tool runs as installed on a developer's machine: Python keeps compiled
    # bytecode (some CI images turn that off, and an editable install would then
    # recompile its sources on every run), and one untimed run on one file first
    # compiles it and brings the interpreter and libraries into the page cache.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    promptctl = [tool("promptctl")]
    # The peers get every file promptctl lints (tags files included: they fail the
    # prompt schema, but are read and validated all the same).
    versions = sorted(str(p.relative_to(repo)) for p in (repo / "prompts").rglob("*.yaml"))
    files = len(versions)
    half = len(versions) // 2
    cjs = [tool("check-jsonschema"), "--schemafile", str(SCHEMA)]
    results: dict[str, dict[str, float]] = {}

    def run(label: str, *a: object, **k: object) -> None:
        print(f"  {label} …", file=sys.stderr, flush=True)
        results[label] = timed(*a, **k)  # type: ignore[arg-type]

    print(f"{args.size} corpus: {files:,} files ({repo})", file=sys.stderr)
    for prime in ([*promptctl, "lint", versions[0]], [*cjs, versions[0]], [tool("yamllint"), versions[0]]):
        subprocess.run(prime, cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run("promptctl lint, cold", [*promptctl, "lint", "--no-cache"], repo, env, args.runs, memory=True)
    subprocess.run([*promptctl, "lint"], cwd=repo, env=env, stdout=subprocess.DEVNULL)  # fill the cache
    run("promptctl lint, warm", [*promptctl, "lint"], repo, env, max(args.runs, 3))
    run("check-jsonschema", [*cjs, *versions], repo, env, args.runs)
    run("check-jsonschema, 2 processes", [], repo, env, args.runs, parallel=[[*cjs, *versions[:half]], [*cjs, *versions[half:]]])
    run("yamllint", [tool("yamllint"), "-f", "parsable", "prompts"], repo, env, args.runs)

    # The pre-commit hook on one changed file.
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

    # check --base with 5 changed files, here and on the small corpus.
    open_pull_request(repo)
    run("check --base, 5 changed files", [*promptctl, "check", "--base", "main"], repo, env, hook_runs)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=repo, check=True)
    if args.size == "large":
        small = corpus("small")
        open_pull_request(small)
        run("check --base, 5 changed files, small repo", [*promptctl, "check", "--base", "main"], small, env, hook_runs)
        subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=small, check=True)
    shutil.rmtree(cache, ignore_errors=True)

    cold = results["promptctl lint, cold"]["median_s"]
    warm = results["promptctl lint, warm"]["median_s"]
    peer = results["check-jsonschema"]["median_s"]
    reference = results["import typer, yaml, jsonschema, jinja2, git"]["median_s"]
    checks = [
        ("cold lint ≥ 7× faster than check-jsonschema", peer / cold, 7.0, peer / cold >= 7),
        ("warm lint ≥ 100× faster than check-jsonschema", peer / warm, 100.0, peer / warm >= 100),
        (
            "hook lint FILE ≤ the reference import",
            results["hook: promptctl lint FILE"]["median_s"] / reference,
            1.0,
            results["hook: promptctl lint FILE"]["median_s"] <= reference,
        ),
        (
            "hook check --staged ≤ the reference import",
            results["hook: promptctl check --staged"]["median_s"] / reference,
            1.0,
            results["hook: promptctl check --staged"]["median_s"] <= reference,
        ),
        (
            "peak memory of a full lint < 200 MB",
            results["promptctl lint, cold"]["peak_mb"],
            200.0,
            results["promptctl lint, cold"]["peak_mb"] < 200,
        ),
    ]
    if "check --base, 5 changed files, small repo" in results:
        scale = results["check --base, 5 changed files"]["median_s"] / results["check --base, 5 changed files, small repo"]["median_s"]
        checks.append(("check --base large repo ≤ 1.5× small repo", scale, 1.5, scale <= 1.5))

    machine = {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": _cpu(),
        "files": files,
        "runs": args.runs,
        "size": args.size,
    }
    print(f"\nMachine: {machine['cores']} cores, {machine['cpu']}, Python {machine['python']}, {machine['platform']}")
    print(f"Corpus: {args.size}, {files:,} files; medians of {args.runs}+ runs\n")
    print("| command | median | vs promptctl lint (cold) |")
    print("| --- | --- | --- |")
    for label, r in results.items():
        ratio = r["median_s"] / cold
        extra = f", peak {r['peak_mb']:.0f} MB" if "peak_mb" in r else ""
        print(f"| {label} | {r['median_s']:.2f} s{extra} | {ratio:.2f}× |")
    if args.size != "large":
        print("\nThe targets are set for the large corpus; on this one they only show the trend.")
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
                    "results": results,
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
