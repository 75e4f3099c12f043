"""User text is never read as Markdown: every value interpolated into a Streamlit call that
renders Markdown goes through `components.common.text.plain`.

The scan reads every module under components/ and pages/ (recursively, so it follows files into
subfolders) and app.py. The text handed to st.markdown, st.caption, st.toast, st.info, st.success,
st.warning, st.error, st.write, st.subheader, st.title or st.header must be built only from:
literals, catalogue texts (`tr`/`t`, whose parameters obey the same rule), numbers and dates
formatted by `fmt_*`, counts (`len`, `int`, ...) and `plain(...)`. A name counts when every
assignment to it in its function (or module) obeys the rule. Anything else (an attribute, an
item of a record, a parameter, a loop variable) is user text until proven otherwise.

Widgets draw Markdown too: the label of every widget (a button, a checkbox, an input, an
expander, a metric...), its help and captions, the names of tabs, and the options of a radio,
pills or segmented control (or what their `format_func` returns) obey the same rule: a person's
name or a link's title drawn there could load a remote image.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from components.common.text import plain

ROOT = Path(__file__).resolve().parents[2]
MARKDOWN_CALLS = {
    "markdown",
    "caption",
    "toast",
    "info",
    "success",
    "warning",
    "error",
    "write",
    "subheader",
    "title",
    "header",
}
# Widgets whose label, help and (for some) options Streamlit draws as Markdown: a label built from
# data obeys the same rule as the text above.
WIDGETS = {
    "button",
    "checkbox",
    "toggle",
    "radio",
    "text_input",
    "text_area",
    "number_input",
    "date_input",
    "time_input",
    "slider",
    "select_slider",
    "selectbox",
    "multiselect",
    "file_uploader",
    "download_button",
    "link_button",
    "page_link",
    "form_submit_button",
    "expander",
    "popover",
    "metric",
    "pills",
    "segmented_control",
    "color_picker",
}
LABEL_KEYWORDS = {"label", "help", "captions"}
# Widgets whose options (and so what `format_func` returns) are Markdown too.
MARKDOWN_OPTIONS = {"radio", "pills", "segmented_control"}
CATALOGUE = {"tr", "t", "plural"}  # a catalogue text; its named parameters are judged
NUMBERS = {"len", "int", "float", "round", "abs", "sum", "min", "max", "bool"}
ESCAPE = "plain"
PASS_THROUGH = {"required"}  # a label with the required mark: as safe as the label


def _sources() -> list[Path]:
    files = [ROOT / "app.py"]
    for folder in ("components", "pages"):
        files += sorted((ROOT / folder).rglob("*.py"))
    return files


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


class _Scope:
    """Assignments by name within one function (or the module), to judge a variable."""

    def __init__(self, node: ast.AST, parent: _Scope | None = None) -> None:
        self.parent = parent
        self.assigned: dict[str, list[ast.expr | None]] = {}
        # The module's own functions: a call of one is judged by what it returns.
        self.functions: dict[str, ast.FunctionDef] = (
            parent.functions
            if parent
            else {f.name: f for f in ast.walk(node) if isinstance(f, ast.FunctionDef)}
        )
        for child in _walk_scope(node):
            if isinstance(child, ast.Assign):
                for target in child.targets:
                    self._bind(target, child.value)
            elif isinstance(child, ast.AnnAssign | ast.AugAssign):
                self._bind(child.target, child.value)
            elif isinstance(child, ast.For | ast.comprehension):
                self._bind_loop(child.target, child.iter)
            elif isinstance(child, ast.With):
                for item in child.items:
                    if item.optional_vars is not None:
                        self._bind(item.optional_vars, self._yielded(item.context_expr))
            elif isinstance(child, ast.NamedExpr):
                self._bind(child.target, child.value)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            args = node.args
            for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
                self.assigned.setdefault(arg.arg, []).append(None)

    def _bind(self, target: ast.expr, value: ast.expr | None) -> None:
        if isinstance(target, ast.Name):
            self.assigned.setdefault(target.id, []).append(value)
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self._bind(element, None)

    def _yielded(self, context: ast.expr) -> ast.expr | None:
        """What a `with` binds, where the scan knows: a form field's `labelled(field, label)`
        yields its label (with the required mark); a context manager of the module, what it
        yields (judged as a call of it)."""
        if not isinstance(context, ast.Call):
            return None
        name = _name(context.func)
        if name == "labelled" and len(context.args) > 1:
            return context.args[1]
        if name in self.functions:
            return ast.Call(func=ast.Name(id=name), args=[], keywords=[])
        return None

    def _bind_loop(self, target: ast.expr, items: ast.expr) -> None:
        """A loop's names: the counter of `enumerate` and the numbers of `range` are numbers, and
        the items of a constant (a module's UPPER_CASE table, a literal) are constants."""
        number = ast.Constant(0)
        kind = _name(items.func) if isinstance(items, ast.Call) else ""
        if kind == "range":
            self._bind(target, number)
        elif kind == "enumerate" and isinstance(target, ast.Tuple) and len(target.elts) == 2:
            self._bind(target.elts[0], number)
            self._bind_loop(target.elts[1], items.args[0])  # type: ignore[attr-defined]
        elif _constant(items) or _literal(items):
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    self.assigned.setdefault(name.id, []).append(number)
        else:
            self._bind(target, None)

    def values(self, name: str) -> list[ast.expr | None] | None:
        if name in self.assigned:
            return self.assigned[name]
        return self.parent.values(name) if self.parent else None


def _walk_scope(node: ast.AST):  # type: ignore[no-untyped-def]
    """The nodes of one scope, not descending into nested functions."""
    for child in ast.iter_child_nodes(node):
        yield child
        if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield from _walk_scope(child)


def _safe(expr: ast.expr | None, scope: _Scope, seen: frozenset[str] = frozenset()) -> bool:
    if expr is None:
        return False
    if isinstance(expr, ast.Constant):
        return True
    if isinstance(expr, ast.JoinedStr):
        return all(
            _safe(v.value, scope, seen) for v in expr.values if isinstance(v, ast.FormattedValue)
        )
    if isinstance(expr, ast.BinOp):
        return _safe(expr.left, scope, seen) and _safe(expr.right, scope, seen)
    if isinstance(expr, ast.List | ast.Tuple):
        return all(_safe(e, scope, seen) for e in expr.elts)
    if isinstance(expr, ast.IfExp):
        return _safe(expr.body, scope, seen) and _safe(expr.orelse, scope, seen)
    if isinstance(expr, ast.BoolOp):
        return all(_safe(v, scope, seen) for v in expr.values)
    if isinstance(expr, ast.Compare | ast.UnaryOp):
        return True  # a bool or a number
    if _constant(expr):
        return True
    if isinstance(expr, ast.Name):
        if expr.id in seen:
            return True
        values = scope.values(expr.id)
        return (
            values is not None
            and bool(values)
            and all(_safe(v, scope, seen | {expr.id}) for v in values)
        )
    if isinstance(expr, ast.Call):
        return _safe_call(expr, scope, seen)
    return False


def _literal(expr: ast.expr) -> bool:
    try:
        ast.literal_eval(expr)
    except ValueError:
        return False
    return True


def _constant(expr: ast.expr) -> bool:
    """A module constant (UPPER_CASE) or a setting (`config.X`, `get_config().X`)."""
    if isinstance(expr, ast.Name):
        return expr.id.isupper()
    if isinstance(expr, ast.Subscript):  # an entry of a constant table
        return _constant(expr.value)
    if isinstance(expr, ast.Call) and _name(expr.func) == "get":
        return isinstance(expr.func, ast.Attribute) and _constant(expr.func.value)
    if isinstance(expr, ast.Attribute):
        root = expr.value
        if isinstance(root, ast.Call) and _name(root.func) == "get_config":
            return True
        return isinstance(root, ast.Name) and root.id == "config"
    return False


def _safe_kwargs(call: ast.Call, scope: _Scope, seen: frozenset[str]) -> bool:
    """Named parameters safe; `**{k: plain(v) ...}` counts by its values."""
    for kw in call.keywords:
        if kw.arg is None:
            if not (isinstance(kw.value, ast.DictComp) and _safe(kw.value.value, scope, seen)):
                return False
        elif not _safe(kw.value, scope, seen):
            return False
    return True


def _safe_call(call: ast.Call, scope: _Scope, seen: frozenset[str]) -> bool:
    name = _name(call.func)
    if name == ESCAPE or name in NUMBERS or name.startswith("fmt_"):
        return True
    if name in CATALOGUE:
        return _safe_kwargs(call, scope, seen)
    if name in PASS_THROUGH:
        return all(_safe(a, scope, seen) for a in call.args)
    function = scope.functions.get(name) if isinstance(call.func, ast.Name) else None
    if function is not None and f"{name}()" not in seen:
        inner = _Scope(function, scope)
        returned = [
            r.value
            for r in ast.walk(function)
            if isinstance(r, ast.Return | ast.Yield) and r.value is not None
        ]
        return bool(returned) and all(_safe(r, inner, seen | {f"{name}()"}) for r in returned)
    if name == "format" and isinstance(call.func, ast.Attribute):
        parts = [call.func.value, *call.args, *(kw.value for kw in call.keywords)]
        return all(_safe(p, scope, seen) for p in parts)
    if name == "join" and isinstance(call.func, ast.Attribute) and call.args:
        items = call.args[0]
        if isinstance(items, ast.GeneratorExp | ast.ListComp):
            loop = items.generators[0]
            picks = (
                isinstance(items.elt, ast.Name)
                and isinstance(loop.target, ast.Name)
                and items.elt.id == loop.target.id
                and isinstance(loop.iter, ast.List | ast.Tuple)
            )
            if picks:  # "x for x in (a, b, c) if x": the items themselves
                return all(_safe(e, scope, seen) for e in loop.iter.elts)  # type: ignore[attr-defined]
            return _safe(items.elt, scope, seen)
        if isinstance(items, ast.List | ast.Tuple):
            return all(_safe(e, scope, seen) for e in items.elts)
        return _safe(items, scope, seen)
    return False


def _static_stylesheet(path: Path, call: ast.Call) -> bool:
    """The one stylesheet (components/shell/style.py) is static CSS drawn as HTML on purpose."""
    return path.parts[-2:] == ("shell", "style.py") and any(
        kw.arg == "unsafe_allow_html" for kw in call.keywords
    )


def _labels(call: ast.Call, scope: _Scope) -> list[tuple[ast.expr, _Scope]]:
    """The texts of a widget call that Streamlit draws as Markdown, each with the scope that
    judges it: the label (the first argument, but for `page_link`, whose first is the page),
    the help and captions, the tabs' names, and the options of a widget that draws them as
    Markdown (what a `format_func` lambda returns, or the options themselves)."""
    name = _name(call.func)
    if name == "tabs":
        labels = call.args[0] if call.args else None
        if isinstance(labels, ast.List | ast.Tuple):
            return [(e, scope) for e in labels.elts]
        if isinstance(labels, ast.ListComp | ast.GeneratorExp):
            return [(labels.elt, _Scope(labels, scope))]
        return [(labels, scope)] if labels is not None else []
    texts = [(kw.value, scope) for kw in call.keywords if kw.arg in LABEL_KEYWORDS]
    if call.args and name != "page_link":
        texts.append((call.args[0], scope))
    if name in MARKDOWN_OPTIONS:
        formatter = next((kw.value for kw in call.keywords if kw.arg == "format_func"), None)
        if isinstance(formatter, ast.Lambda):
            texts.append((formatter.body, _Scope(formatter, scope)))
        elif formatter is not None:
            texts.append((formatter, scope))  # a named function: judged as a value
        else:
            options = next((kw.value for kw in call.keywords if kw.arg == "options"), None)
            if options is None and len(call.args) > 1:
                options = call.args[1]
            if isinstance(options, ast.List | ast.Tuple):
                texts += [(e, scope) for e in options.elts]
            elif options is not None:
                texts.append((options, scope))
    return texts


def _drawn(path: Path, call: ast.Call, scope: _Scope) -> list[tuple[ast.expr, _Scope]]:
    """The texts a Streamlit call draws as Markdown, each with the scope that judges it."""
    name = _name(call.func)
    if name in MARKDOWN_CALLS and not _static_stylesheet(path, call):
        texts = [*call.args[:1], *(kw.value for kw in call.keywords if kw.arg == "body")]
        return [(text, scope) for text in texts]
    if name in WIDGETS | {"tabs"}:
        return _labels(call, scope)
    return []


def _findings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []

    modules = {
        (alias.asname or alias.name).split(".")[0]
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    } - {"st"}

    def visit(node: ast.AST, scope: _Scope) -> None:
        for child in ast.iter_child_nodes(node):
            inner = scope
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                inner = _Scope(child, scope)
            if (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Attribute)
                and not (isinstance(child.func.value, ast.Name) and child.func.value.id in modules)
            ):
                for text, judge in _drawn(path, child, scope):
                    if not _safe(text, judge):
                        where = f"{path.relative_to(path.parents[1])}:{child.lineno}"
                        found.append(f"{where}: {ast.unparse(text)[:90]}")
            visit(child, inner)

    visit(tree, _Scope(tree))
    return found


def test_no_user_text_reaches_markdown_unescaped() -> None:
    findings = [f for path in _sources() for f in _findings(path)]
    assert not findings, "interpolation into Markdown without plain():\n" + "\n".join(findings)


@pytest.mark.parametrize(
    "source",
    [
        "st.caption(focus['description'])",
        "st.toast(ctx.tr('task.saved', title=title))",
        "st.markdown(f'**{row.name}**')",
        "st.info('{}'.format(name))",
        "st.caption(ctx.tr('x', names=', '.join(cov.candidates[gap])))",
        "def f(message):\n    st.success(message)",
        # widget labels, help, options and tabs built from data
        "cols[0].checkbox(m['full_name'], key='k')",
        "st.link_button(row.link_title or row.link_url, row.link_url)",
        "st.button(f'{person.name}')",
        "st.text_input(ctx.tr('x'), help=row.note)",
        "st.radio(ctx.tr('x'), ids, format_func=lambda i: names[i])",
        "st.segmented_control('x', [row.name for row in rows])",
        "st.tabs([team.name for team in teams])",
        "st.expander(focus.title)",
        "st.metric(indicator.name, 3)",
        "st.page_link('pages/x.py', label=row.title)",
    ],
)
def test_the_scan_catches_unescaped_text(source: str, tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(source + "\n", encoding="utf-8")
    assert _findings(probe), source


@pytest.mark.parametrize(
    "source",
    [
        "st.caption(plain(focus['description']))",
        "st.toast(ctx.tr('task.saved', title=plain(title)))",
        "st.markdown(f'**{plain(row.name)}** · {fmt_month(end, lang)}')",
        "st.caption(ctx.tr('x', names=', '.join(plain(n) for n in names), n=len(rows)))",
        "msg = ctx.tr('y', name=plain(x))\nst.success(msg)",
        "cols[0].checkbox(plain(m['full_name']), key='k')",
        "st.radio(ctx.tr('x'), ids, format_func=lambda i: plain(names[i]))",
        "st.selectbox(ctx.tr('x'), ids, format_func=lambda i: names[i])",  # options: plain text
        "st.tabs([ctx.tr('a'), ctx.tr('b')])",
        "with fb.labelled('f', ctx.tr('x'), mandatory=True) as label:\n    st.text_input(label)",
        "for i, key in enumerate(KEYS):\n    st.button(ctx.tr(key, n=i + 1))",
    ],
)
def test_the_scan_accepts_escaped_text(source: str, tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(source + "\n", encoding="utf-8")
    assert not _findings(probe), source


def test_plain_shows_markdown_and_html_literally() -> None:
    hostile = "![x](https://evil.example/p.png) [link](http://x) <img src=x> **b** # h\n- item"
    escaped = plain(hostile)
    for special in "![]()<>*#":
        assert f"\\{special}" in escaped
    assert "\n" not in escaped
    assert "https\u2060://" in escaped  # Streamlit links bare URLs whatever the escapes
    assert plain("a@b.org www.x.org :red[x]").count("\u2060") == 3
    assert plain("Saved: 1 stakeholders moved.") == "Saved: 1 stakeholders moved."
    assert plain("COOKIE_KEY _x_") == "COOKIE_KEY \\_x\\_"  # intraword _ is no emphasis
    assert plain(None) == ""
    assert plain(42) == "42"
