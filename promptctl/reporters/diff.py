"""Diffs as text (rich: red/green words and a settings table; plain markers when not a
TTY), Markdown (for PR comments and job summaries: a collapsible section per prompt,
words as <del>/<ins>, capped at 1 MiB) and JSON."""

from __future__ import annotations

import html
from dataclasses import asdict
from typing import Any, TextIO

from promptctl.diffing import ChangeSet, ProseChange, Verdict, VersionDiff
from promptctl.invisible import escape, json_dumps
from promptctl.reporters import console, safe

MARKDOWN_LIMIT = 1024 * 1024
_CONTEXT = 40


def _show(value: Any) -> str:
    if value is None:
        return "—"
    text = json_dumps(value) if not isinstance(value, str) else value
    return text if len(text) <= 80 else text[:77] + "..."


_PAIRING_CAP = 2_500  # old lines × new lines of one changed block that are paired up


def _word_set(line: str) -> frozenset[str]:
    return frozenset(line.split())


def _similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """How alike two lines are (shared words), in linear time: pairs an edited line with
    its new form."""
    if not a and not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))


def changed_lines(change: ProseChange) -> list[list[tuple[str, str]]]:
    """The lines that hold a change, as (op, text) segments: lines are matched first,
    then words within a changed pair of lines. Long unchanged stretches inside a line
    are elided to a little context, so one changed word in a long paragraph shows that
    word, not the paragraph twice; a line that is mostly rewritten is shown as the old
    line and the new line."""

    from promptctl.diffing import line_opcodes, words

    old_lines = (change.before or "").split("\n")
    new_lines = (change.after or "").split("\n")
    shown: list[list[tuple[str, str]]] = []
    for tag, i1, i2, j1, j2 in line_opcodes(old_lines, new_lines):
        if tag == "equal":
            continue
        olds, news = old_lines[i1:i2], new_lines[j1:j2]
        if len(olds) * len(news) > _PAIRING_CAP:  # a rewritten stretch: shown whole
            shown.extend([("delete", line)] for line in olds if line)
            shown.extend([("insert", line)] for line in news if line)
            continue
        new_words = [_word_set(new) for new in news]
        j = 0
        for old in olds:
            old_words = _word_set(old)
            ratios = [_similarity(old_words, other) for other in new_words[j:]]
            best = max(range(len(ratios)), key=ratios.__getitem__, default=-1)
            if best < 0 or ratios[best] < 0.5:
                if old:
                    shown.append([("delete", old)])
                continue
            shown.extend([("insert", line)] for line in news[j : j + best] if line)
            new = news[j + best]
            j += best + 1
            segments = words(old, new)
            same = sum(len(t) for op, t in segments if op == "equal" and t.strip())
            if max(len(old), len(new)) and same / max(len(old), len(new)) < 0.3:
                shown.extend([[("delete", old)]] if old else [])
                shown.extend([[("insert", new)]] if new else [])
                continue
            trimmed: list[tuple[str, str]] = []
            for i, (op, text) in enumerate(segments):
                if op == "equal" and len(text) > 2 * _CONTEXT:
                    head = text[:_CONTEXT] if i > 0 else ""
                    tail = text[-_CONTEXT:] if i < len(segments) - 1 else ""
                    text = f"{head}…{tail}" if head or tail else "…"
                trimmed.append((op, text))
            shown.append(trimmed)
        shown.extend([("insert", line)] for line in news[j:] if line)
    return shown


def _title(diff: VersionDiff) -> str:
    if diff.new_prompt:
        return f"{diff.name} {diff.after_label} (new prompt)"
    return f"{diff.name} {diff.before_label} → {diff.after_label}"


# -- text ---------------------------------------------------------------------


def render_text(
    changes: list[VersionDiff], out: TextIO, *, color: bool | None = None, header: str | None = None, tag_moves: list[Any] | None = None
) -> None:
    from rich.table import Table
    from rich.text import Text

    con = console(out, color)
    plain = not con.is_terminal and not color or con.no_color
    styles = {"breaking": "bold red", "behavioural": "yellow", "cosmetic": "dim", "none": "green"}
    if header:
        con.print(Text(header, style="bold"))
    for move in tag_moves or []:
        kind = "channel" if move.channel else "tag"
        con.print(Text(f"{kind} {move.name} {move.tag}: {_tag(move.before)} → {_tag(move.after)}"))
    for diff in changes:
        title = Text()
        title.append(safe(_title(diff)), style="bold")
        title.append("  ")
        title.append(f"[{diff.verdict}]", style=styles[diff.verdict])
        con.print(title)
        if diff.identical:
            con.print("  no changes")
        for note in diff.notes:
            con.print(f"  {note}")
        if diff.settings:
            table = Table(box=None, pad_edge=False, show_header=True, header_style="bold", padding=(0, 2, 0, 2))
            for column in ("setting", "before", "after", "verdict"):
                table.add_column(column, overflow="fold")
            for c in diff.settings:
                table.add_row(
                    safe(c.field), safe(_show(c.before)), safe(_show(c.after)), Text(f"{c.verdict}: {c.reason}", style=styles[c.verdict])
                )
            con.print(table)
        for prose in diff.prose:
            label = f"  {prose.field}:" + (" whitespace-only change" if prose.whitespace_only else "")
            con.print(Text(label, style="bold"))
            if diff.new_prompt or prose.before is None or prose.after is None:
                text = prose.after if prose.after is not None else prose.before or ""
                marker = "+" if prose.after is not None else "-"
                for line in text.rstrip("\n").split("\n"):
                    con.print(Text(f"    {marker} {safe(line)}", style="green" if marker == "+" else "red"))
                continue
            for segments in changed_lines(prose):
                rendered = Text("    ")
                for op, piece in segments:
                    shown = safe(piece)
                    if op == "equal":
                        rendered.append(shown)
                    elif plain:
                        rendered.append(f"[-{shown}-]" if op == "delete" else f"{{+{shown}+}}")
                    else:
                        rendered.append(shown, style="red strike" if op == "delete" else "green underline")
                con.print(rendered)
        if diff.cost:
            con.print(f"  cost: {diff.cost.get('summary', '')}")
        con.print()


def _tag(value: Any) -> str:
    return f"v{value}" if isinstance(value, int) else ("(none)" if value is None else str(value))


# -- markdown ------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    return "`" + _show(value).replace("`", "'").replace("|", "\\|").replace("\n", " ") + "`"


def markdown_section(diff: VersionDiff) -> str:
    badge = {"breaking": "🔴 breaking", "behavioural": "🟡 behavioural", "cosmetic": "⚪ cosmetic", "none": "no changes"}[diff.verdict]
    parts = [f"<details{' open' if diff.verdict == 'breaking' else ''}><summary><b>{html.escape(_title(diff))}</b> — {badge}</summary>", ""]
    if diff.identical:
        parts += ["No changes.", ""]
    for note in diff.notes:
        parts += [f"_{html.escape(note)}_", ""]
    if diff.settings:
        parts += ["| setting | before | after | verdict |", "| --- | --- | --- | --- |"]
        parts += [f"| `{c.field}` | {_cell(c.before)} | {_cell(c.after)} | {c.verdict}: {html.escape(c.reason)} |" for c in diff.settings]
        parts.append("")
    for prose in diff.prose:
        heading = f"**{html.escape(prose.field)}**" + (" — whitespace-only change" if prose.whitespace_only else "")
        parts.append(heading)
        parts.append("")
        if diff.new_prompt or prose.before is None or prose.after is None:
            text = prose.after if prose.after is not None else prose.before or ""
            marker = "+" if prose.after is not None else "-"
            body = "\n".join(f"{marker} {line}" for line in text.rstrip("\n").split("\n"))
            fence = "````" if "```" in body else "```"
            parts += [f"{fence}diff", body, fence, ""]
            continue
        rows = []
        for line in changed_lines(prose):
            row = ""
            for op, text in line:
                escaped = html.escape(text)
                row += escaped if op == "equal" else (f"<del>{escaped}</del>" if op == "delete" else f"<ins>{escaped}</ins>")
            rows.append(row)
        if rows:
            parts += ["<pre>" + "\n".join(rows) + "</pre>", ""]
    if diff.cost:
        parts += [f"Cost: {html.escape(str(diff.cost.get('summary', '')))}", ""]
    parts += ["</details>", ""]
    return "\n".join(parts)


def render_markdown(changes: ChangeSet | list[VersionDiff], out: TextIO, *, limit: int = MARKDOWN_LIMIT) -> None:
    diffs = changes.diffs if isinstance(changes, ChangeSet) else changes
    head = ["### Prompt changes", ""]
    if isinstance(changes, ChangeSet):
        head[0] += f" (against {html.escape(changes.base_label)})"
        counts: dict[str, int] = {}
        for d in diffs:
            counts[d.verdict] = counts.get(d.verdict, 0) + 1
        summary = ", ".join(f"{n} {v}" for v, n in sorted(counts.items(), key=lambda kv: -Verdict(kv[0]).level))
        head += [f"{len(diffs)} change{'s' if len(diffs) != 1 else ''}" + (f": {summary}" if summary else "") + ".", ""]
        if changes.tag_moves:
            head += ["**Tag and channel moves** (they change what runs):", ""]
            head += [
                f"- `{html.escape(m.name)}` {'channel' if m.channel else 'tag'} `{html.escape(m.tag)}`: {_tag(m.before)} → {_tag(m.after)}"
                for m in changes.tag_moves
            ]
            head.append("")
        if changes.removed:
            head += [
                "**Deleted published versions** (refused by `promptctl check`): "
                + ", ".join(f"`{html.escape(r)}`" for r in changes.removed),
                "",
            ]
    text = escape("\n".join(head), keep_lines=True) + "\n"
    note = "\n_Truncated: the rest would not fit here. Run `promptctl diff --base REF` locally for everything._\n"
    shown = 0
    for diff in diffs:
        section = escape(markdown_section(diff), keep_lines=True) + "\n"  # hidden characters shown, not rendered
        if len((text + section).encode("utf-8")) + len(note) > limit:
            text += note.replace("the rest", f"{len(diffs) - shown} more change{'s' if len(diffs) - shown != 1 else ''}")
            break
        text += section
        shown += 1
    out.write(text)


# -- json ----------------------------------------------------------------------


def as_json(diff: VersionDiff) -> dict[str, Any]:
    data = asdict(diff)
    data["verdict"] = diff.verdict
    data["reasons"] = diff.reasons
    for prose in data["prose"]:
        prose["ops"] = [list(op) for op in prose["ops"]]
    return data


def render_json(changes: ChangeSet | list[VersionDiff], out: TextIO) -> None:
    if isinstance(changes, ChangeSet):
        payload: dict[str, Any] = {
            "base": changes.base_label,
            "verdict": changes.verdict,
            "changes": [as_json(d) for d in changes.diffs],
            "tag_moves": [asdict(m) for m in changes.tag_moves],
            "removed": changes.removed,
        }
    else:
        payload = {
            "verdict": max((d.verdict for d in changes), key=lambda v: Verdict(v).level, default=Verdict.NONE),
            "changes": [as_json(d) for d in changes],
        }
    out.write(json_dumps(payload, indent=2, default=str) + "\n")
