"""YAML prompt files with 1-based positions.

The file is read from libyaml's event stream (not ``yaml.safe_load``) so that every
key and value keeps its line and column, duplicate keys are seen before the last one
wins, and anchors, aliases and explicit tags are refused *before* anything is expanded
(an alias bomb of a few hundred bytes takes gigabytes once walked).

The loader itself emits the findings that only a parse can see: ``yaml-syntax``,
``yaml-limits``, ``yaml-alias``, ``yaml-tag``, ``duplicate-key`` and ``ambiguous-value``.
Their rule modules hold the documentation.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Union

import yaml

from promptctl.findings import Finding, Severity
from promptctl.newlines import to_lf

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

PathKey = tuple[Union[str, int], ...]

_resolver: Any = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()
_STR = "tag:yaml.org,2002:str"
_MappingNode, _SequenceNode, _ScalarNode = yaml.MappingNode, yaml.SequenceNode, yaml.ScalarNode


_plain_tags: dict[str, str] = {}  # a plain scalar's resolved tag, by its text


class _Composer(_Loader):  # type: ignore[misc]
    """The composer asks Python for the tag of every node it makes. With no path or
    wildcard resolvers registered (PyYAML has none), this answers as
    ``BaseResolver.resolve`` does, in a third of the time."""

    _implicit = _Loader.yaml_implicit_resolvers

    def resolve(self, kind: Any, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is _ScalarNode:
            if implicit[0]:
                tag = _plain_tags.get(value)
                if tag is None:
                    tag = _STR
                    for candidate, regexp in self._implicit.get(value[:1], ()):
                        if regexp.match(value):
                            tag = str(candidate)
                            break
                    if len(value) <= 64:  # keys and short values repeat across files; prose does not
                        if len(_plain_tags) > 4096:
                            _plain_tags.clear()
                        _plain_tags[value] = tag
                return tag
            return _STR
        return "tag:yaml.org,2002:seq" if kind is _SequenceNode else "tag:yaml.org,2002:map"

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


if not _Loader.yaml_path_resolvers and None not in _Loader.yaml_implicit_resolvers:
    _Loader = _Composer
_NUMBER_START = frozenset("+-.0123456789")

# What YAML 1.2 (and most YAML libraries outside Python) reads as a number but
# PyYAML's YAML 1.1 reads as a string, or the other way round.
# Characters YAML does not allow in a stream (YAML 1.1, 5.1: the printable set).
_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_YAML12_NUMBER = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^0o[0-7]+$")


# Findings that mean a file cannot be read as data. Every reader (show, render, export,
# load_prompt, --vars) refuses a file with one of these, and serves a file whose
# findings are all of other rules: a published version keeps its findings forever.
UNREADABLE_RULES = frozenset({"yaml-syntax", "yaml-limits", "yaml-alias", "yaml-tag"})
# What a bundle refuses to serve: a file it cannot read, or whose fields are not the
# format's. Every other finding is served (a published version keeps its findings).
UNSERVABLE_RULES = UNREADABLE_RULES | {"schema"}


def unreadable(findings: list[Finding], also: frozenset[str] = frozenset()) -> Finding | None:
    """The first finding that keeps the file from being read, if any."""
    return next((f for f in findings if f.rule in UNREADABLE_RULES or f.rule in also), None)


def key_label(path: Sequence[Any]) -> str:
    """A key path as people write it: ``messages[0].content`` ("" for the file)."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class Scalar(NamedTuple):
    """Where a scalar value sits in the file: 1-based start, 1-based end line, and its
    style (None plain, ``|`` literal, ``>`` folded, ``'`` or ``"`` quoted). A tuple: one
    is made for every scalar of every file."""

    line: int
    column: int
    end_line: int
    style: str | None


@dataclass
class Document:
    path: str
    text: str
    data: dict[str, Any]
    key_positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    values: dict[PathKey, Scalar] = field(default_factory=dict)
    node_positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def position(self, path: PathKey) -> tuple[int, int]:
        """The position of the key (or sequence item) at ``path``; the nearest ancestor's
        when the path does not exist (a missing required key points at its parent)."""
        path = tuple(path)
        while path:
            if path in self.key_positions:
                return self.key_positions[path]
            if path in self.node_positions:
                return self.node_positions[path]
            if path in self.values:
                return self.values[path].line, self.values[path].column
            path = path[:-1]
        return (1, 1)

    def value_position(self, path: PathKey) -> tuple[int, int]:
        path = tuple(path)
        if path in self.values:
            scalar = self.values[path]
            return scalar.line, scalar.column
        if path in self.node_positions:
            return self.node_positions[path]
        return self.position(path)

    def value_at(self, path: PathKey) -> Any:
        value: Any = self.data
        for part in path:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return None
        return value

    def written(self, path: PathKey) -> str | None:
        """The text of a plain one-line scalar exactly as the author wrote it."""
        scalar = self.values.get(tuple(path))
        if scalar is None or scalar.style not in (None, "") or scalar.end_line != scalar.line:
            return None
        line = self.lines[scalar.line - 1][scalar.column - 1 :]
        return line.split(" #")[0].strip() or None

    def locate_in_value(self, path: PathKey, value_line: int, needle: str | None = None) -> tuple[int, int]:
        """Map a 1-based line inside a string value (a template's ``lineno``) to the file,
        pointing at ``needle`` on that line when it is there."""
        scalar = self.values.get(tuple(path))
        if scalar is None:
            return self.position(path)
        lines = self.lines
        if scalar.style == "|":
            # A literal block keeps every line break: value line k is file line header+k.
            line = min(scalar.line + value_line, scalar.end_line, len(lines))
            text = lines[line - 1]
            indent = len(text) - len(text.lstrip(" "))
            col = text.find(needle, indent) if needle else -1
            return line, (col if col >= 0 else indent) + 1
        # Plain, quoted and folded scalars fold lines: search the needle in the value's span.
        first, last = scalar.line, max(scalar.line, min(scalar.end_line, len(lines)))
        if needle:
            for line in range(first, last + 1):
                start = scalar.column - 1 if line == first else 0
                col = lines[line - 1].find(needle, start)
                if col >= 0:
                    return line, col + 1
        return scalar.line, scalar.column


@dataclass
class _Frame:
    container: Any
    path: PathKey
    key: Any = None
    key_mark: tuple[int, int] | None = None
    expecting_key: bool = True
    first_seen: dict[str, int] = field(default_factory=dict)


def _mark(mark: Any) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def decode(raw: bytes, path: str) -> tuple[str | None, Finding | None]:
    """UTF-8 only (a BOM is tolerated); CRLF and CR line breaks are read as LF."""

    def syntax(line: int, col: int, message: str) -> Finding:
        return Finding(path, line, col, "yaml-syntax", Severity.ERROR, message)

    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, syntax(1, 1, "the file is UTF-16; save it as UTF-8")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        return None, syntax(line, col, f"not valid UTF-8: byte 0x{raw[exc.start]:02x}; save the file as UTF-8")
    return to_lf(text), None


def load(path: str, raw: bytes, *, max_size: int = 256 * 1024, max_depth: int = 32) -> tuple[Document | None, list[Finding]]:
    """Parse one prompt or tags file. Returns ``(None, findings)`` when it cannot be read
    as a single YAML mapping."""
    if len(raw) > max_size:
        return None, [
            Finding(
                path,
                1,
                1,
                "yaml-limits",
                Severity.ERROR,
                f"the file is {len(raw):,} bytes; the limit is {max_size:,} (config `max_file_size`)",
            )
        ]
    text, problem = decode(raw, path)
    if text is None:
        assert problem is not None
        return None, [problem]
    if _plain_enough(text, max_depth):
        fast = _compose(path, text)
        if fast is not None:
            return fast
    return _Builder(path, text, max_depth).run()


# Anything the fast path below does not handle the way the event builder does: anchors,
# aliases and tags (a token starting with & * !), document markers, and nesting that
# could be deep. Prose with "R&D" or "Hello!" does not match: those are not tokens.
_QUESTION_KEY = re.compile(r"^[ \t]*\?[ \t\n]", re.M)


def _plain_enough(text: str, max_depth: int) -> bool:
    if text.startswith(("---", "...")) or "\n---" in text or "\n..." in text:
        return False
    if "?" in text and _QUESTION_KEY.search(text):
        return False
    if _no_tokens(text, text.count("[") + text.count("{"), max_depth):
        return True
    # Templates put `!=`, `*` and many `{{` in block scalars, where they are text: judge
    # the lines outside them.
    structure = _structure_lines(text)
    if structure is None:
        return False
    return _no_tokens(structure, structure.count("[") + structure.count("{"), max_depth)


def _no_tokens(text: str, brackets: int, max_depth: int) -> bool:
    """No anchor, alias or tag token in ``text``, and nesting within the limit."""
    for ch in "&*!":
        i = text.find(ch)
        while i != -1:
            if i == 0 or text[i - 1] in " \t\n[]{},:":
                return False
            i = text.find(ch, i + 1)
    # Nesting is at most the brackets plus the deepest indentation (spaces and "- ").
    indent_budget = max_depth - 2 - brackets
    return indent_budget >= 0 and "\n" + " " * (indent_budget + 1) not in "\n" + text.replace("-", " ")


# `key: |` or `- >-` alone on its line: a block scalar starts. Anything more (a comment,
# an indentation indicator, a quoted key) and the lines below are judged as structure.
_BLOCK_HEADER = re.compile(r"( *)(?:- +)?(?:[A-Za-z_][A-Za-z0-9_.-]*: +)?[|>][-+]?[ \t]*")
_OPEN_QUOTE = re.compile(r"""(?:^|[:-] +|^ *)(["'])""")
_CLOSED_QUOTE = {'"': re.compile(r'"(?:[^"\\\n]|\\.)*"'), "'": re.compile(r"'(?:[^'\n]|'')*'")}


def _structure_lines(text: str) -> str | None:
    """``text`` without the content of its block scalars (their lines kept, emptied, so
    the indentation test still counts them); None when a quoted value runs over a line,
    where a line that looks like a block scalar's header may be inside the quotes."""
    lines = text.split("\n")
    out = []
    header_indent = -1  # inside a block scalar whose header line is indented this much
    content_indent = -1
    for line in lines:
        if header_indent >= 0:
            stripped = line.lstrip(" ")
            indent = len(line) - len(stripped)
            if not stripped:
                out.append(line)
                continue
            if content_indent < 0 and indent > header_indent:
                content_indent = indent
            if content_indent >= 0 and indent >= content_indent:
                out.append(" " * indent)
                continue
            header_indent = content_indent = -1
        # (substring tests first: most lines have no quote and no block indicator)
        opened = _OPEN_QUOTE.search(line) if '"' in line or "'" in line else None
        if opened is not None:
            quote = opened.group(1)
            if _CLOSED_QUOTE[quote].match(line, opened.start(1)) is None:
                return None
        header = _BLOCK_HEADER.fullmatch(line) if "|" in line or ">" in line else None
        if header is not None:
            header_indent = len(header.group(1))
        out.append(line)
    return "\n".join(out)


def _compose(path: str, text: str) -> tuple[Document | None, list[Finding]] | None:
    """libyaml composes the node tree (in C); Python only walks it. Same result as the
    event builder for the files `_plain_enough` lets through; None sends the file to
    the builder (which also gives syntax errors their exact wording and position)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    if node is None:
        return None  # empty: let the builder word it
    doc = Document(path, text, {})
    findings: list[Finding] = []
    key_positions, node_positions, values = doc.key_positions, doc.node_positions, doc.values

    def report(mark: Any, rule: str, message: str) -> None:
        findings.append(Finding(path, mark.line + 1, mark.column + 1, rule, Severity.ERROR, message))

    # One call per node of every file: the common cases (a string key, a quoted or block
    # string, a plain word) are answered inline, the rest by _scalar_value.
    def walk(n: Any, where: PathKey) -> Any:
        kind = type(n)
        if kind is _MappingNode:
            mark = n.start_mark
            node_positions.setdefault(where, (mark.line + 1, mark.column + 1))
            result: dict[Any, Any] = {}
            first_seen: dict[Any, int] = {}
            for key_node, value_node in n.value:
                mark = key_node.start_mark
                kpos = (mark.line + 1, mark.column + 1)
                if type(key_node) is not _ScalarNode:
                    report(mark, "yaml-syntax", "keys must be plain strings, not collections")
                    key: Any = f"<complex key at line {kpos[0]}>"
                elif key_node.tag == _STR:
                    key = key_node.value
                else:
                    key = _scalar_value(key_node.value, key_node.style in (None, ""), mark, True, report, key_node.tag)
                    if not isinstance(key, str):
                        report(
                            mark, "yaml-syntax", f"key `{key_node.value}` is read as {_kind(type(key).__name__)}, not a string; quote it"
                        )
                        key = key_node.value
                if key in result:
                    report(
                        mark,
                        "duplicate-key",
                        f"duplicate key `{key}` (first at line {first_seen.get(key, 0)}); YAML keeps only the last one",
                    )
                else:
                    first_seen[key] = kpos[0]
                child = (*where, key)
                key_positions.setdefault(child, kpos)
                result[key] = walk(value_node, child)
            return result
        if kind is _SequenceNode:
            mark = n.start_mark
            node_positions.setdefault(where, (mark.line + 1, mark.column + 1))
            return [walk(item, (*where, i)) for i, item in enumerate(n.value)]
        mark = n.start_mark
        style = n.style
        values[where] = Scalar(mark.line + 1, mark.column + 1, n.end_mark.line + 1, style)
        value = n.value
        if style and n.tag == _STR:
            return value  # quoted or block: a string as written
        if n.tag == _STR and value[:1] not in _NUMBER_START:
            return value  # a plain word cannot be a YAML 1.2 number
        return _scalar_value(value, style in (None, ""), mark, False, report, n.tag)

    try:
        data = walk(node, ())
    finally:  # walk refers to itself: a cycle that would keep every position alive until the collector runs
        walk = None  # type: ignore[assignment]
    if not isinstance(data, dict):
        return None
    doc.data = data
    return doc, findings


def _scalar_value(value: str, plain: bool, mark: Any, is_key: bool, report: Any, tag: str | None = None) -> Any:
    """A scalar as YAML 1.1 reads it, reporting the surprises (shared by both loaders;
    the composer has already resolved the tag)."""
    if not plain:
        return value  # quoted or block: a string as written
    if tag is None:
        tag = _resolver.resolve(yaml.ScalarNode, value, (True, False))
    if tag == _STR:
        if not is_key and _YAML12_NUMBER.match(value):
            report(
                mark,
                "ambiguous-value",
                f"`{value}` is a string in YAML 1.1 but a number in YAML 1.2; quote it or write it as a decimal number",
            )
        return value
    if tag == "tag:yaml.org,2002:merge":
        report(mark, "yaml-alias", "merge keys (<<) are not allowed; write the keys out")
        return value
    node = yaml.ScalarNode(tag, value, mark, mark)
    try:
        result = _constructor.yaml_constructors[tag](_constructor, node)
    except (ValueError, OverflowError) as exc:
        # An integer of more than 4,300 digits (Python's conversion limit), a date that
        # does not exist: a finding on this file, never an error for the whole run.
        shown = value if len(value) <= 40 else f"{value[:37]}… ({len(value):,} characters)"
        if tag.endswith("timestamp"):
            report(mark, "ambiguous-value", f"`{shown}` looks like a date but is none ({exc}); it is read as a string: quote it")
        else:
            report(mark, "yaml-limits", f"`{shown}` cannot be read as a number: {str(exc).split(';')[0]}; quote it")
        return value
    if is_key:
        return result
    surprise = _surprise(value, tag, result)
    if surprise:
        report(mark, "ambiguous-value", surprise)
    if isinstance(result, (datetime.date, datetime.datetime)):
        return value
    return result


class _Abort(Exception):
    pass


class _Builder:
    def __init__(self, path: str, text: str, max_depth: int) -> None:
        self.path = path
        self.text = text
        self.max_depth = max_depth
        self.findings: list[Finding] = []
        self.doc = Document(path, text, {})
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.documents = 0

    def finding(self, pos: tuple[int, int], rule: str, message: str) -> None:
        self.findings.append(Finding(self.path, pos[0], pos[1], rule, Severity.ERROR, message))

    def run(self) -> tuple[Document | None, list[Finding]]:
        loader = _Loader(self.text)
        try:
            while loader.check_event():
                self.event(loader.get_event())
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            pos = _mark(mark) if mark is not None else (1, 1)
            message = " ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
            self.finding(pos, "yaml-syntax", message)
            return None, self.findings
        except yaml.YAMLError as exc:
            bad = _NON_PRINTABLE.search(self.text)
            if bad:
                before = self.text[: bad.start()]
                pos = (before.count("\n") + 1, bad.start() - (before.rfind("\n") + 1) + 1)
                self.finding(pos, "yaml-syntax", f"character U+{ord(bad.group()):04X} is not allowed in YAML; remove it")
            else:
                self.finding((1, 1), "yaml-syntax", str(exc).splitlines()[0])
            return None, self.findings
        except _Abort:
            return None, self.findings
        finally:
            loader.dispose()
        if self.documents == 0:
            self.finding((1, 1), "yaml-syntax", "the file is empty; a prompt file is a YAML mapping")
            return None, self.findings
        if not isinstance(self.root, dict):
            kind = type(self.root).__name__ if self.root is not None else "empty"
            self.finding((1, 1), "yaml-syntax", f"the top level must be a mapping, not {_kind(kind)}")
            return None, self.findings
        self.doc.data = self.root
        return self.doc, self.findings

    # -- events ---------------------------------------------------------------

    def event(self, event: Any) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.finding(_mark(event.start_mark), "yaml-syntax", "a second YAML document starts here; a prompt file holds exactly one")
                raise _Abort
        elif isinstance(event, yaml.ScalarEvent):
            self.check_node(event)
            self.add(self.scalar(event), event)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self.check_node(event)
            container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
            path = self.child_path()
            pos = _mark(event.start_mark)
            self.add(container, event)
            if len(self.stack) >= self.max_depth:
                self.finding(pos, "yaml-limits", f"nesting is deeper than {self.max_depth} levels (config `max_depth`)")
                raise _Abort
            self.doc.node_positions.setdefault(path, pos)
            self.stack.append(_Frame(container, path))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.stack.pop()
        elif isinstance(event, yaml.AliasEvent):
            self.finding(_mark(event.start_mark), "yaml-alias", f"alias *{event.anchor} is not allowed; write the value out")
            self.add(None, event)

    def check_node(self, event: Any) -> None:
        if event.anchor is not None:
            self.finding(
                _mark(event.start_mark), "yaml-alias", f"anchor &{event.anchor} is not allowed; anchors and aliases hide what a value is"
            )
        if event.tag is not None and event.tag != "!":
            self.finding(_mark(event.start_mark), "yaml-tag", f"explicit tag {event.tag} is not allowed; prompt files hold plain data")

    def child_path(self) -> PathKey:
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return (*frame.path, len(frame.container))
        return (*frame.path, frame.key) if not frame.expecting_key else frame.path

    def scalar(self, event: Any) -> Any:
        value: str = event.value
        if event.tag is not None and event.tag != "!":
            return value  # explicitly tagged (reported): a string as written

        def report(mark: Any, rule: str, message: str) -> None:
            self.finding(_mark(mark), rule, message)

        is_key = bool(self.stack) and self.expecting_key()
        return _scalar_value(value, bool(event.implicit[0]), event.start_mark, is_key, report)

    def expecting_key(self) -> bool:
        frame = self.stack[-1]
        return isinstance(frame.container, dict) and frame.expecting_key

    def add(self, value: Any, event: Any) -> None:
        pos = _mark(event.start_mark)
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            path = (*frame.path, len(frame.container))
            frame.container.append(value)
            self.record(path, value, event)
            return
        if frame.expecting_key:
            if not isinstance(value, str):
                written = getattr(event, "value", None)
                if isinstance(event, yaml.ScalarEvent) and written is not None:
                    self.finding(pos, "yaml-syntax", f"key `{written}` is read as {_kind(type(value).__name__)}, not a string; quote it")
                    value = written
                else:
                    self.finding(pos, "yaml-syntax", "keys must be plain strings, not collections")
                    value = f"<complex key at line {pos[0]}>"
            frame.key, frame.key_mark, frame.expecting_key = value, pos, False
            return
        key = frame.key
        path = (*frame.path, key)
        if key in frame.container:
            first = frame.first_seen.get(key, 0)
            assert frame.key_mark is not None
            self.finding(frame.key_mark, "duplicate-key", f"duplicate key `{key}` (first at line {first}); YAML keeps only the last one")
        else:
            assert frame.key_mark is not None
            frame.first_seen[key] = frame.key_mark[0]
        frame.container[key] = value
        assert frame.key_mark is not None
        self.doc.key_positions.setdefault(path, frame.key_mark)
        self.record(path, value, event)
        frame.expecting_key = True

    def record(self, path: PathKey, value: Any, event: Any) -> None:
        if isinstance(event, yaml.ScalarEvent):
            start: Any = event.start_mark
            end: Any = event.end_mark
            self.doc.values[path] = Scalar(start.line + 1, start.column + 1, end.line + 1, event.style)


def yaml_scalar(value: str) -> str:
    """``value`` as a YAML scalar, quoted only where YAML would misread it."""
    dumped = yaml.safe_dump(value, default_flow_style=True, width=10_000, allow_unicode=True).strip()
    return dumped[: -len("...")].strip() if dumped.endswith("...") else dumped


def _kind(name: str) -> str:
    return {
        "bool": "a boolean",
        "int": "an integer",
        "float": "a number",
        "NoneType": "null",
        "list": "a list",
        "str": "a string",
        "dict": "a mapping",
        "date": "a date",
        "datetime": "a timestamp",
        "empty": "empty",
    }.get(name, name)


def _surprise(written: str, tag: str, value: Any) -> str | None:
    """What a YAML 1.1 reader makes of a plain scalar that an author (or a YAML 1.2
    reader) would read differently; None when it is unremarkable."""
    if tag == "tag:yaml.org,2002:bool" and written.lower() not in ("true", "false"):
        return f"`{written}` is read as the boolean {str(value).lower()}; quote it if you meant the word"
    if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        digits = written.lstrip("+-")
        if ":" in written:
            return f"`{written}` is read as the base-60 number {value}; quote it if you meant text"
        if "_" in written:
            return f"`{written}` is read as {value} in YAML 1.1 but as a string in YAML 1.2; write {value} or quote it"
        if tag.endswith("int") and len(digits) > 1 and digits.startswith("0") and digits[1:2].isdigit():
            return f"`{written}` is read as the octal number {value}; write {int(digits, 10) if digits.isdigit() else digits.lstrip('0')} or quote it"
        if digits.startswith("0b"):
            return f"`{written}` is read as the binary number {value} in YAML 1.1 but as a string in YAML 1.2; write {value}"
    if tag == "tag:yaml.org,2002:timestamp":
        return f"`{written}` is read as a date/time, not text; quote it"
    return None
