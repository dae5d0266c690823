"""Template dialects: what other tools write in a prompt's text, and promptctl's Jinja2.

A conversion keeps the meaning or refuses (:class:`Untranslatable`, with the line and a
hint); it never guesses. Into Jinja2: substitution-only ``{{var}}`` (GitHub Models,
Langfuse), Handlebars (Dotprompt) and Mustache (Prompty's other format) — their literal
text is escaped where Jinja2 would read it. Out of Jinja2: ``{{var}}`` substitution, and
Handlebars for the plain conditionals and loops that mean the same there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from promptctl.errors import PromptctlError

KEEP_LITERAL = "`template_format: none` keeps the text literal (no variables)"
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_JINJA_OPENERS = re.compile(r"\{[{%#]")
# Names a template cannot declare as variables (the schema's list).
_RESERVED = frozenset({"self", "loop", "caller", "varargs", "kwargs", "super", "true", "false", "none", "True", "False", "None"})


class Untranslatable(PromptctlError):
    """The text uses something the other dialect cannot say with the same meaning."""

    def __init__(self, message: str, line: int, hint: str = KEEP_LITERAL) -> None:
        super().__init__(message, hint)
        self.line = line


@dataclass
class Converted:
    """A template in the target dialect and the variables it reads."""

    text: str
    names: list[str] = field(default_factory=list)  # in order of first use

    def use(self, name: str) -> None:
        if name not in self.names:
            self.names.append(name)


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def variable_name(name: str, text: str, offset: int) -> str:
    if not _IDENTIFIER.match(name) or name in _RESERVED:
        raise Untranslatable(f"`{{{{{name}}}}}` is not a name a Jinja2 variable can have", _line_at(text, offset), "rename it to a_word")
    return name


def jinja_literal(text: str) -> str:
    """``text`` as Jinja2 source that renders to exactly ``text``, whatever tag follows
    it (a `{` at the end would join the next tag's `{{` or `{%`)."""
    escaped = _JINJA_OPENERS.sub(lambda m: "{{ '" + m.group(0) + "' }}", text)
    return escaped[:-1] + "{{ '{' }}" if escaped.endswith("{") else escaped


def has_jinja_syntax(text: str) -> bool:
    return bool(_JINJA_OPENERS.search(text))


# -- into Jinja2 -------------------------------------------------------------------------

GITHUB_VARIABLE = re.compile(r"\{\{([\w.-]+)\}\}")  # gh-models: exact "{{key}}", no spaces
LANGFUSE_VARIABLE = re.compile(r"\{\{(.*?)\}\}", re.S)  # Langfuse: the text between, stripped


def substitution_to_jinja(text: str, pattern: re.Pattern[str]) -> Converted:
    """A substitution-only template: each match of ``pattern`` is a variable, the rest is
    literal text (including anything Jinja2 would read)."""
    out = Converted("")
    parts: list[str] = []
    at = 0
    for match in pattern.finditer(text):
        parts.append(jinja_literal(text[at : match.start()]))
        name = variable_name(match.group(1).strip(), text, match.start())
        out.use(name)
        parts.append("{{ " + name + " }}")
        at = match.end()
    parts.append(jinja_literal(text[at:]))
    out.text = "".join(parts)
    return out


# Handlebars and Mustache share the tag grammar promptctl converts.
_TAG = re.compile(r"\\\{\{|\{\{\{\s*(?P<raw>[^{}]*?)\s*\}\}\}|\{\{(?P<body>!--.*?--|[^{}]*?)\}\}", re.S)


@dataclass
class _Tag:
    kind: str  # "text", "var", "raw", "open", "else", "close", "comment", "role"
    value: str
    start: int
    end: int
    arg: str = ""


def _literal(text: str, start: int, end: int) -> _Tag:
    chunk = text[start:end]
    if "{{" in chunk:
        raise Untranslatable("a `{{` that no `}}` closes", _line_at(text, start + chunk.index("{{")), "fix the source file first")
    return _Tag("text", chunk, start, end)


def _tags(text: str, *, mustache: bool) -> Iterator[_Tag]:
    at = 0
    for m in _TAG.finditer(text):
        if m.start() > at:
            if text[m.start() - 1] == "{":
                raise Untranslatable(
                    "a `{` right before a tag: the two read as `{{{`", _line_at(text, m.start()), "put a space between them"
                )
            yield _literal(text, at, m.start())
        token = m.group(0)
        if token == "\\{{":
            if mustache:
                raise Untranslatable("`\\{{` is not an escape in Mustache", _line_at(text, m.start()))
            yield _Tag("text", "{{", m.start(), m.end())
        elif m.group("raw") is not None:
            yield _Tag("raw", m.group("raw"), m.start(), m.end())
        else:
            body = m.group("body").strip()
            line = _line_at(text, m.start())
            if body.startswith("~") or body.endswith("~"):
                raise Untranslatable("whitespace control `~` has no exact Jinja2 equivalent here", line)
            if body.startswith("!"):
                yield _Tag("comment", body, m.start(), m.end())
            elif body.startswith("&"):
                yield _Tag("raw", body[1:].strip(), m.start(), m.end())
            elif body[:1] in "#^":
                head, _, rest = body[1:].strip().partition(" ")
                yield _Tag("open", body[0] + head, m.start(), m.end(), rest.strip())
            elif body.startswith("/"):
                yield _Tag("close", body[1:].strip(), m.start(), m.end())
            elif body == "else" and not mustache:
                yield _Tag("else", body, m.start(), m.end())
            elif not mustache and (role := re.fullmatch(r'role\s+"(\w+)"', body)):
                yield _Tag("role", role.group(1), m.start(), m.end())
            else:
                yield _Tag("var", body, m.start(), m.end())
        at = m.end()
    if at < len(text):
        yield _literal(text, at, len(text))


def _merged(tags: list[_Tag]) -> list[_Tag]:
    """Adjacent text (a Handlebars `\\{{` escape is text) as one piece."""
    out: list[_Tag] = []
    for t in tags:
        if t.kind == "text" and out and out[-1].kind == "text":
            out[-1] = _Tag("text", out[-1].value + t.value, out[-1].start, t.end)
        else:
            out.append(_Tag(t.kind, t.value, t.start, t.end, t.arg))
    return out


def _chevron_standalone(out: list[_Tag]) -> list[_Tag]:
    """Mustache's rule as Prompty's renderer (chevron) applies it, left to right: a tag
    may stand alone when the text before it, since the last line break (or the last
    standalone tag), is blank and the rest of its line is blank; then the blanks
    before it go, and the rest of its line up to and including the line break."""
    previous_alone = True
    for i, tag in enumerate(out):
        if tag.kind == "text":
            continue
        literal = out[i - 1].value if i > 0 and out[i - 1].kind == "text" else ""
        padding = literal.split("\n")[-1]
        left = ("\n" in literal or previous_alone) and (padding.isspace() or padding == "")
        if tag.kind in ("var", "raw"):
            previous_alone = False
            continue
        after = out[i + 1] if i + 1 < len(out) else None
        if after is None:
            line = ""
        elif after.kind == "text":
            line = after.value.split("\n", 1)[0] + ("{{" if "\n" not in after.value and i + 2 < len(out) else "")
        else:
            line = "{{"
        previous_alone = left and (line.isspace() or not line)
        if previous_alone:
            if after is not None and after.kind == "text" and "\n" in after.value:
                after.value = after.value.split("\n", 1)[1]
            if i > 0 and out[i - 1].kind == "text":
                out[i - 1].value = out[i - 1].value.rstrip(" ")
    return out


def _standalone(tags: list[_Tag], *, chevron: bool = False) -> list[_Tag]:
    """Apply the Mustache/Handlebars rule: a section or comment tag alone on its line
    takes the line with it (its indentation and its line break). Handlebars judges
    which tags stand alone on the source as written, before any line is taken."""
    out = _merged(tags)
    if chevron:
        return _chevron_standalone(out)
    tags = [_Tag(t.kind, t.value, t.start, t.end, t.arg) for t in out]
    alone = []
    for i, tag in enumerate(tags):
        if tag.kind not in ("open", "else", "close", "comment"):
            continue
        before = tags[i - 1] if i > 0 else None
        after = tags[i + 1] if i + 1 < len(tags) else None
        if before is not None and before.kind != "text" or after is not None and after.kind != "text":
            continue  # another tag on the same line
        if before is not None:
            _, newline, indent = before.value.rpartition("\n")
            if indent.strip(" \t") or not newline and i != 1:
                continue
        if after is not None and not re.match(r"[ \t]*(\r?\n|\Z)", after.value):
            continue
        alone.append(i)
    for i in alone:
        if i > 0:
            out[i - 1].value = re.sub(r"[ \t]*\Z", "", out[i - 1].value)
        if i + 1 < len(out):
            out[i + 1].value = re.sub(r"\A[ \t]*(\r?\n)?", "", out[i + 1].value)
    return out


@dataclass
class Sections:
    """Which names a Mustache section loops over (arrays) rather than tests."""

    lists: frozenset[str] = frozenset()
    escape: bool = False  # Mustache's {{x}} HTML-escapes (chevron: & < > ")


# Dotprompt's helpers that look like variables: they insert history, media, sections.
_HELPERS = frozenset({"history", "media", "section", "json", "role", "ifEquals", "unlessEquals", "lookup", "log"})
_HELPER_HINT = "promptctl renders text from variables: write that part as a variable or as `messages`"
_MUSTACHE_ESCAPE = " | string | replace('&', '&amp;') | replace('<', '&lt;') | replace('>', '&gt;') | replace('\"', '&quot;')"
_LOOP_LOCALS = {"@index": "loop.index0", "@first": "loop.first", "@last": "loop.last"}


def logic_to_jinja(text: str, *, mustache: bool, sections: Sections | None = None) -> list[tuple[str | None, Converted]]:
    """Handlebars (``mustache=False``) or Mustache into Jinja2, split at Handlebars'
    ``{{role "…"}}`` markers: ``[(role or None, converted), …]``."""
    sections = sections or Sections()
    parts: list[tuple[str | None, Converted]] = [(None, Converted(""))]
    stack: list[tuple[str, str, str | None]] = []  # (tag, name, loop variable)

    def line(tag: _Tag) -> int:
        return _line_at(text, tag.start)

    def reference(expr: str, tag: _Tag, *, output: bool) -> str:
        frames = [var for _, _, var in stack if var]  # the loop items, innermost last
        if expr in _LOOP_LOCALS and frames:
            if output and expr != "@index":
                raise Untranslatable(f"`{{{{{expr}}}}}` prints true/false in Handlebars, True/False in Jinja2", line(tag))
            return _LOOP_LOCALS[expr]
        if mustache:
            if frames and expr == ".":
                return frames[-1]
            if frames:
                raise Untranslatable(
                    f"`{expr}` inside a section may be the item's field or an outer variable", line(tag), "write it as `{{.}}`"
                )
            return _path(None, expr, tag)
        # Handlebars: a name is looked up in the current item (`this`), `../` climbs one
        # loop out, `@root.` starts from the variables.
        if expr.startswith("@root."):
            return _path(None, expr[len("@root.") :], tag)
        up = 0
        while expr.startswith("../"):
            up, expr = up + 1, expr[3:]
        if up > len(frames):
            raise Untranslatable("`../` climbs out of the template", line(tag), "fix the source file first")
        scope = frames[: len(frames) - up]
        if expr in ("this", "."):
            if not scope:
                raise Untranslatable("`{{this}}` outside a loop is the whole input", line(tag), "name the variable")
            return scope[-1]
        for prefix in ("this.", "./"):
            if expr.startswith(prefix):
                expr = expr[len(prefix) :]
        return _path(scope[-1] if scope else None, expr, tag)

    def _path(item: str | None, expr: str, tag: _Tag) -> str:
        head, _, rest = expr.partition(".")
        if rest and not all(_IDENTIFIER.match(p) for p in rest.split(".")):
            raise Untranslatable(f"`{expr}` is not an attribute path", line(tag))
        if item is not None:
            if not _IDENTIFIER.match(head):
                raise Untranslatable(f"`{expr}` is not an attribute path", line(tag))
            return f"{item}.{expr}"
        parts[-1][1].use(variable_name(head, text, tag.start))
        return expr

    for tag in _standalone(list(_tags(text, mustache=mustache)), chevron=mustache):
        current = parts[-1][1]
        if tag.kind == "text":
            current.text += jinja_literal(tag.value)
        elif tag.kind == "comment":
            continue
        elif tag.kind == "role":
            if stack:
                raise Untranslatable("a `{{role}}` marker inside a block", line(tag))
            parts.append((tag.value, Converted("")))
        elif tag.kind in ("var", "raw"):
            if not mustache and tag.value.split(" ")[0] in _HELPERS:
                raise Untranslatable(f"the Dotprompt helper `{{{{{tag.value}}}}}` has no promptctl equivalent", line(tag), _HELPER_HINT)
            if " " in tag.value:
                if mustache:  # no helpers in Mustache: the whole tag is one key, never a name (often JSON in the text)
                    raise Untranslatable(f"`{{{{{tag.value}}}}}` is not a variable name: Mustache looks it up as one key", line(tag))
                helper = tag.value.split()[0]
                raise Untranslatable(f"the helper `{helper}` has no Jinja2 equivalent here", line(tag))
            expr = reference(tag.value, tag, output=True)
            escape = _MUSTACHE_ESCAPE if sections.escape and tag.kind == "var" else ""
            current.text += "{{ " + expr + escape + " }}"
        elif tag.kind == "open":
            kind, arg = tag.value, tag.arg
            if mustache:
                if arg:
                    raise Untranslatable(f"`{{{{{kind} {arg}}}}}` is not a plain section", line(tag))
                name = reference(kind[1:], tag, output=False)
                if kind[0] == "^":
                    current.text += "{% if not " + name + " %}"
                    stack.append(("^", kind[1:], None))
                elif kind[1:] in sections.lists:
                    current.text += "{% for item in " + name + " %}"
                    stack.append(("#", kind[1:], "item"))
                else:
                    raise Untranslatable(
                        f"`{{{{{kind}}}}}` is a Mustache section over a value that is not declared as an array",
                        line(tag),
                        "declare the input's kind (array for a loop), or use a conditional in Jinja2 by hand",
                    )
            elif kind in ("#if", "#unless"):
                if not arg or " " in arg:
                    raise Untranslatable(f"`{{{{{kind} {arg}}}}}` needs exactly one value", line(tag))
                test = reference(arg, tag, output=False)
                current.text += "{% if " + ("not " if kind == "#unless" else "") + test + " %}"
                stack.append((kind, kind[1:], None))
            elif kind == "#each":
                if not arg or " " in arg:
                    raise Untranslatable(f"`{{{{#each {arg}}}}}` needs exactly one list", line(tag))
                iterable = reference(arg, tag, output=False)
                depth = sum(1 for _, _, var in stack if var)
                var = "item" if depth == 0 else f"item{depth + 1}"
                current.text += "{% for " + var + " in " + iterable + " %}"
                stack.append((kind, "each", var))
            else:
                raise Untranslatable(f"the block helper `{kind}` has no Jinja2 equivalent here", line(tag))
        elif tag.kind == "else":
            if not stack or stack[-1][0] not in ("#if", "#unless"):
                raise Untranslatable("`{{else}}` outside an `#if` or `#unless`", line(tag))
            current.text += "{% else %}"
        elif tag.kind == "close":
            if not stack or stack[-1][1] != tag.value:
                raise Untranslatable(f"`{{{{/{tag.value}}}}}` closes no open block", line(tag), "fix the source file first")
            opened = stack.pop()
            current.text += "{% endfor %}" if opened[2] else "{% endif %}"
    if stack:
        raise Untranslatable(f"`{stack[-1][0]}` is never closed", _line_at(text, len(text)), "fix the source file first")
    return parts


# -- out of Jinja2 -----------------------------------------------------------------------


def _parse(text: str) -> Any:
    import jinja2

    try:
        return jinja2.Environment(keep_trailing_newline=True).parse(text)
    except jinja2.TemplateSyntaxError as exc:
        raise Untranslatable(f"not a valid Jinja2 template: {exc.message}", exc.lineno or 1, "run `promptctl lint`") from None


def _printed(node: Any) -> str | None:
    """The text an output node prints when it is literal: template text, or a quoted
    string (how :func:`jinja_literal` escapes braces)."""
    from jinja2 import nodes

    if isinstance(node, nodes.TemplateData):
        return str(node.data)
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        return node.value
    return None


def jinja_to_substitution(text: str, *, kinds: Mapping[str, str], reads: Callable[[str], bool] | None = None) -> Converted:
    """A Jinja2 template that only prints variables, as ``{{var}}`` substitution.
    ``reads`` says whether literal text holds something the target would substitute
    (by default any `{{`)."""
    from jinja2 import nodes

    collides = reads or (lambda literal: "{{" in literal)
    out = Converted("")
    pending: list[tuple[str, int]] = []  # literal text not yet judged, with its line

    def flush() -> None:
        literal = "".join(part for part, _ in pending)
        if pending and collides(literal):
            raise Untranslatable("the text has a literal `{{`, which the target reads as a variable", pending[0][1], _LOGIC_HINT)
        out.text += literal
        pending.clear()

    for node in _parse(text).body:
        if not isinstance(node, nodes.Output):
            raise Untranslatable(f"`{{% {_statement(node)} %}}`: the target only substitutes `{{{{var}}}}`", node.lineno, _LOGIC_HINT)
        for child in node.nodes:
            literal = _printed(child)
            if literal is not None:
                pending.append((literal, child.lineno))
            elif isinstance(child, nodes.Name) and kinds.get(child.name) in ("string", "integer"):
                flush()
                out.use(child.name)
                out.text += "{{" + child.name + "}}"
            elif isinstance(child, nodes.Name):
                raise Untranslatable(
                    f"`{child.name}` is {kinds.get(child.name, 'undeclared')}: the target substitutes text only", child.lineno, _LOGIC_HINT
                )
            else:
                raise Untranslatable("an expression: the target only substitutes `{{var}}`", child.lineno, _LOGIC_HINT)
    flush()
    return out


def github_reads(kinds: Mapping[str, str]) -> Callable[[str], bool]:
    """gh-models substitutes exactly `{{name}}` for the variables it is given."""
    return lambda literal: any(m.group(1) in kinds for m in GITHUB_VARIABLE.finditer(literal))


_LOGIC_HINT = "keep this prompt in promptctl (`promptctl render` / `load_prompt`), or simplify the template to `{{ var }}`"


def _statement(node: Any) -> str:
    return type(node).__name__.lower()


class _Handlebars:
    """Jinja2's tree of a plain template as Handlebars text that renders the same."""

    def __init__(self, text: str, kinds: Mapping[str, str]) -> None:
        self.kinds = kinds
        self.out: list[str] = []
        self.loops: list[str] = []
        self.names = Converted("")
        self._walk(_parse(text).body)

    def _refuse(self, what: str, node: Any) -> Untranslatable:
        return Untranslatable(f"{what} has no exact Handlebars equivalent", node.lineno, _LOGIC_HINT)

    def _path(self, node: Any, *, output: bool) -> str:
        from jinja2 import nodes

        if isinstance(node, nodes.Getattr):
            return self._path(node.node, output=False) + "." + node.attr
        if isinstance(node, nodes.Name):
            if self.loops and node.name == self.loops[-1]:
                return "this"
            if node.name in self.loops:
                raise self._refuse(f"the outer loop variable `{node.name}`", node)
            if node.name not in self.kinds:
                raise self._refuse(f"`{node.name}`, which is not a declared variable,", node)
            if output and self.kinds.get(node.name) not in ("string", "integer"):
                raise self._refuse(f"printing `{node.name}` ({self.kinds.get(node.name, 'undeclared')})", node)
            self.names.use(node.name)
            # inside {{#each}} a bare name is the item's field: variables are @root's
            return "@root." + node.name if self.loops else node.name
        raise self._refuse("this expression", node)

    def _block(self, text: str) -> None:
        # Handlebars drops the line of a block tag that stands alone on it (whitespace
        # around it counts as alone); Jinja2 keeps it. An empty comment right after each
        # block tag means no tag stands alone, so every line stays as in Jinja2.
        self.out.append(text + "{{!}}")

    def _walk(self, body: list[Any]) -> None:
        from jinja2 import nodes

        for node in body:
            if isinstance(node, nodes.Output):
                for child in node.nodes:
                    literal = _printed(child)
                    if literal is not None:
                        if literal.endswith("\\"):
                            raise self._refuse("a backslash before a tag", child)
                        self.out.append(literal.replace("{{", "\\{{"))
                    else:
                        self.out.append("{{" + self._path(child, output=True) + "}}")
            elif isinstance(node, nodes.If):
                test, helper = node.test, "if"
                if isinstance(test, nodes.Not):
                    test, helper = test.node, "unless"
                if node.elif_:
                    raise self._refuse("`elif`", node)
                if isinstance(test, nodes.Getattr) and isinstance(test.node, nodes.Name) and test.node.name == "loop":
                    locals_ = {"first": "@first", "last": "@last"}
                    if not self.loops or test.attr not in locals_:
                        raise self._refuse(f"`loop.{test.attr}`", node)
                    path = locals_[test.attr]
                else:
                    path = self._path(test, output=False)
                self._block("{{#" + helper + " " + path + "}}")
                self._walk(node.body)
                if node.else_:
                    self._block("{{else}}")
                    self._walk(node.else_)
                self._block("{{/" + helper + "}}")
            elif isinstance(node, nodes.For):
                if node.else_ or node.test or node.recursive or not isinstance(node.target, nodes.Name):
                    raise self._refuse("this loop", node)
                iterable = self._path(node.iter, output=False)
                self._block("{{#each " + iterable + "}}")
                self.loops.append(node.target.name)
                self._walk(node.body)
                self.loops.pop()
                self._block("{{/each}}")
            else:
                raise self._refuse(f"`{{% {_statement(node)} %}}`", node)


def jinja_to_handlebars(text: str, *, kinds: Mapping[str, str]) -> Converted:
    walk = _Handlebars(text, kinds)
    walk.names.text = "".join(walk.out)
    return walk.names


def jinja_to_jinja(text: str, *, literal: bool) -> str:
    """A promptctl template for a tool that renders Jinja2 itself: as it is, or wrapped in
    ``{% raw %}`` when promptctl keeps it literal (``template_format: none``)."""
    if not literal or not has_jinja_syntax(text):
        return text
    if "endraw" in text:
        raise Untranslatable("the literal text contains `endraw`", 1, "keep this prompt in promptctl")
    return "{% raw %}" + text + "{% endraw %}"
