"""Deterministic benchmark corpus: N prompts x V versions of realistic prompt files
(1-3 KB Jinja2 system prompts, variables, owners, examples, tags files) in a git
repository with a history of K commits.

    python bench/corpus.py --size small  OUT   # 100 x 5 = 500 files, 100 commits
    python bench/corpus.py --size large  OUT   # 2,000 x 10 = 20,000 files, 5,000 commits

The history is written with `git fast-import` (seconds, not minutes), packed as `git gc`
would pack it, then checked out.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
from pathlib import Path

SIZES = {"small": (100, 5, 100), "large": (2000, 10, 5000)}
MODELS = [
    "claude-3-5-sonnet-20241022",
    "gpt-4o-2024-08-06",
    "claude-3-5-haiku-20241022",
    "gpt-4o-mini-2024-07-18",
    "claude-3-haiku-20240307",
    "gemini-1.5-pro-002",
]
TEAMS = ["@acme/support", "@acme/billing", "@acme/growth", "@acme/search", "@acme/trust-safety", "@acme/platform"]
WORDS = (
    "customer order refund policy account shipping invoice product support agent answer question "
    "summary concise polite escalate verify identity warranty return delivery billing subscription "
    "cancel upgrade plan issue ticket priority response tone empathy accurate cite source knowledge base "
    "article language translate detect sentiment category label confidence reason step check tool"
).split()
VARIABLES = ["customer_name", "order_id", "product", "language", "account_tier", "ticket_text", "agent_name", "region"]


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    return " ".join(words).capitalize() + "."


def everyday_line(rng: random.Random, variables: list[str]) -> str:
    """A line of the Jinja real prompt repositories use every day (see bench/README.md)."""
    v = rng.choice(variables)
    other = rng.choice(variables)
    return rng.choice(
        [
            f"Greet {{{{ {v} | default('there') | title }}}} by name.",
            f"{{% if {v} is defined and {v} %}}Use {{{{ {v} | replace('_', ' ') }}}}.{{% endif %}}",
            f"{{%- if {v} is none or not {other} -%}} Ask for it first. {{%- endif %}}",
            f"Known items: {{{{ {v} | join(', ') }}}} ({{{{ {v} | length }}}} in all).",
            f"{{% set limit = 3 %}}Offer at most {{{{ limit }}}} options about {{{{ {v} }}}}.",
            f"{{% if {v} == 'gold' or {other} in ['vip', 'partner'] %}}Offer priority help.{{% else %}}Offer standard help.{{% endif %}}",
            f"Context as JSON: {{{{ {v} | tojson }}}}",
            f"Score: {{{{ ({v} | length) / 3 | round(1) }}}}",
            "The customer's plan is {{ account.plan }} (tier {{ account['tier'] }}).",
            f"{{% for item in {v} %}}{{{{ loop.index }}}}. {{{{ item | trim }}}}{{% if not loop.last %}}, {{% endif %}}{{% endfor %}}",
        ]
    )


def system_prompt(rng: random.Random, variables: list[str], target: int, profile: str = "baseline") -> str:
    if profile == "plain":
        return plain_prompt(rng, target)
    lines = [f"You are the Acme Corp assistant for {{{{ {variables[0]} }}}}." if variables else "You are the Acme Corp assistant."]
    size = len(lines[0])
    style = rng.random()
    while size < target:
        r = rng.random()
        if profile == "jinja" and variables and r < 0.35:
            line = everyday_line(rng, variables)
        elif variables and r < 0.12:
            line = f"Always refer to {{{{ {rng.choice(variables)} }}}} when you {rng.choice(WORDS)} the {rng.choice(WORDS)}."
        elif style > 0.7 and r < 0.16 and len(variables) > 1:
            line = f"{{% if {variables[1]} %}}Mention {{{{ {variables[1]} | upper }}}} once.{{% endif %}}"
        elif style > 0.85 and r < 0.19:
            line = "{% for step in ['verify', 'answer', 'confirm'] %}{{ loop.index }}. {{ step }} {% endfor %}"
        else:
            line = sentence(rng)
        lines.append(line)
        size += len(line) + 3
    return "\n  ".join(lines)


def plain_prompt(rng: random.Random, target: int) -> str:
    """Prose with code samples and another tool's braces: no Jinja at all."""
    lines = ["You are the Acme Corp assistant."]
    size = len(lines[0])
    while size < target:
        r = rng.random()
        if r < 0.08:
            line = 'Reply with JSON like {"status": "ok", "items": []} and nothing else.'
        elif r < 0.12:
            line = "Our service reads process.env.OPENAI_API_KEY; never ask the user for it. 🙂"
        else:
            line = sentence(rng)
        lines.append(line)
        size += len(line) + 3
    return "\n  ".join(lines)


def prompt_file(rng: random.Random, name: str, version: int, variables: list[str], profile: str = "baseline") -> str:
    model = rng.choice(MODELS)
    if profile == "plain" and rng.random() < 0.8:
        model = rng.choice(["gpt-4o", "claude-3-5-sonnet-latest", "gpt-4o-mini"])  # floating: a warning to quote
    fallback = rng.choice([m for m in MODELS if m.split("-")[0] != model.split("-")[0]])
    if profile == "plain":
        variables = []
    if profile == "jinja" and variables:
        variables = [*variables, "account"]  # an object: attribute and index access
    text = system_prompt(rng, variables, rng.randint(900, 2800), profile)
    out = [
        f"# {name}: generated benchmark prompt",
        f"version: {version}",
        f"model: {model}",
        f"description: {sentence(rng)}",
        f'owners: ["{rng.choice(TEAMS)}"]',
        "system: |",
        f"  {text}",
    ]
    if variables:
        out.append("user: |")
        out.append("  " + " ".join(f"{{{{ {v} }}}}" for v in variables))
        out.append("variables:")
        for v in variables:
            out.append(f"  {v}:")
            out.append(f"    type: {'object' if v == 'account' else 'string'}")
            out.append(f"    description: {sentence(rng)}")
    out.append(f"temperature: {rng.choice([0, 0.2, 0.3, 0.5, 0.7])}")
    out.append(f"max_tokens: {rng.choice([256, 400, 500, 800, 1024])}")
    if rng.random() < 0.4:
        out.append("fallbacks:")
        out.append(f"  - model: {fallback}")
    if variables:
        out.append("examples:")
        for _ in range(rng.randint(1, 2)):
            values = [
                f"{v}: {{plan: {rng.choice(WORDS)}, tier: {rng.randint(1, 3)}}}" if v == "account" else f"{v}: {rng.choice(WORDS)}"
                for v in variables
            ]
            out.append("  - " + "\n    ".join(values))
    if rng.random() < 0.3:
        out.append("metadata:")
        out.append(f"  jira: ACME-{rng.randint(100, 9999)}")
    return "\n".join(out) + "\n"


def diff_pair(kb: int, shape: str, seed: int = 7) -> tuple[str, str]:
    """Two versions of a prompt of about ``kb`` KB: a 2-word edit, a paragraph shuffle or
    a full rewrite (for `diff`'s size series)."""
    rng = random.Random(f"{seed}-{kb}")

    def text() -> str:
        paragraphs = []
        while sum(len(p) for p in paragraphs) < kb * 1024:
            paragraphs.append(" ".join(sentence(rng) for _ in range(rng.randint(2, 6))))
        return "\n\n".join(paragraphs)

    before = text()
    if shape == "2-word edit":
        words = before.split(" ")
        i = len(words) // 2
        return before, " ".join(words[:i] + ["changed", "words"] + words[i + 2 :])
    if shape == "paragraph shuffle":
        paragraphs = before.split("\n\n")
        rng.shuffle(paragraphs)
        return before, "\n\n".join(paragraphs)
    return before, text()


FORMAT = "3"  # bump when a change to this file changes the corpus: the runner rebuilds it
MARKER = Path(".git") / "bench-corpus-format"


PROFILES = ("baseline", "jinja", "plain")


def build(size: str, out: Path, seed: int = 7, profile: str = "baseline") -> None:
    prompts, versions, commits = SIZES[size]
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=False)
    files: list[tuple[str, str]] = []  # in the order they are committed
    for p in range(prompts):
        name = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{p:04d}"
        folder = "" if p % 4 else f"{rng.choice(['billing', 'support', 'growth'])}/"
        variables = rng.sample(VARIABLES, rng.randint(0, 3))
        for v in range(1, versions + 1):
            files.append((f"prompts/{folder}{name}-v{v}.yaml", prompt_file(rng, name, v, variables, profile)))
        files.append((f"prompts/{folder}{name}.tags.yaml", f"production: {max(1, versions - 1)}\nstaging: {versions}\n"))
    # Spread the files over the commits: every version lands in some commit, in order.
    per_commit = max(1, len(files) // commits)
    stream = []
    for c in range(commits):
        chunk = files[c * per_commit : (c + 1) * per_commit] if c < commits - 1 else files[c * per_commit :]
        message = f"commit {c}".encode()
        stream.append(b"commit refs/heads/main\n")
        stream.append(f"committer Bench <bench@example.com> {1700000000 + c * 60} +0000\n".encode())
        stream.append(f"data {len(message)}\n".encode() + message + b"\n")
        for path, text in chunk:
            data = text.encode()
            stream.append(f"M 100644 inline {path}\n".encode() + f"data {len(data)}\n".encode() + data + b"\n")
    # Its own (empty) configuration: the nearest one wins, so a corpus inside another
    # project (this repository) is still a project of its own.
    config = b"# promptctl benchmark corpus: every setting at its default.\n"
    stream.insert(3, f"M 100644 inline promptctl.toml\ndata {len(config)}\n".encode() + config + b"\n")
    subprocess.run(["git", "init", "-q", "-b", "main", str(out)], check=True)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=out, input=b"".join(stream), check=True)
    # fast-import stores each tree as a delta of the one before, so reading the newest
    # means replaying a long chain; a repository built commit by commit (or cloned) has
    # been packed by `git gc`, which computes deltas afresh, newest objects whole.
    subprocess.run(["git", "repack", "-a", "-d", "-f", "-q"], cwd=out, check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=out, check=True)
    subprocess.run(["git", "commit-graph", "write", "--reachable"], cwd=out, check=True, capture_output=True)
    (out / MARKER).write_text(FORMAT + "\n")
    count = sum(1 for _ in (out / "prompts").rglob("*.yaml"))
    print(f"{size}: {count:,} files, {commits:,} commits in {out}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", choices=PROFILES, default="baseline")
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    build(args.size, args.out, args.seed, args.profile)


if __name__ == "__main__":
    main()
