"""What `import` did or would do, and what `export` left out: plain lines on the
terminal, every name and text passed through :func:`safe`."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from promptctl.reporters import reporter, safe

if TYPE_CHECKING:
    from promptctl.interop.adoption import Planned
    from promptctl.interop.exporting import Exported


def import_plan(planned: list[Planned], out: TextIO, err: TextIO, *, root: str, dry_run: bool) -> None:
    from promptctl.findings import Report

    for item in planned:
        source = safe(str(item.source))
        if item.same_as:
            out.write(f"unchanged: {source} is {safe(item.same_as)} already\n")
            continue
        if item.refused:
            err.write(f"not imported: {safe(item.refused)}\n")
        elif dry_run:
            out.write(f"would write {safe(item.target or '')} (from {source}):\n")
            out.write("".join(f"  | {safe(line)}\n" for line in (item.raw or b"").decode("utf-8").splitlines()))
        else:
            out.write(f"imported {source} -> {safe(item.target or '')}\n")
        if item.draft is not None and not item.refused:
            if item.draft.kept:
                out.write(f"  kept under metadata.{item.draft.kept_under}: {safe(', '.join(item.draft.kept))}\n")
            for note in item.draft.notes:
                out.write(f"  note: {safe(note)}\n")
        if item.findings and item.target and item.raw is not None:
            text = item.raw.decode("utf-8")
            reporter("text")(Report(item.findings, 1, root, {item.target: text}), err)


def left_out(exports: list[Exported], target: str, err: TextIO) -> None:
    """One warning per set of fields left out, naming every version it is about."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for export in exports:
        if export.left_out:
            groups.setdefault(tuple(export.left_out), []).append(export.prompt.id)
    for fields, ids in groups.items():
        who = ids[0] if len(ids) == 1 else f"{len(ids)} prompts ({', '.join(ids)})"
        err.write(f"promptctl: warning: {safe(who)}: {target} has no place for {safe(', '.join(fields))}\n")
