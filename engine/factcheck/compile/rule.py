"""Check one RuleSpec against the language (fields, operators, value types, built-ins, message
placeholders) and resolve it into a CompiledRule. Every problem is reported at its file:line:col."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from factcheck.compile.compiled import Binding, CompiledRule, Placeholder, PredicateCall, Unless
from factcheck.compile.ruleset import ENGINE_FIELDS
from factcheck.errors import InputError
from factcheck.language.builtins import MOMENT_FIELDS, NOT, SIGNATURES, Param, ParamKind
from factcheck.language.field_tests import OPERATORS, FieldTest, Operator
from factcheck.language.terms import FieldRef
from factcheck.language.vocabulary import PREDICATE_FAMILY, UNDER_FIELDS
from factcheck.load.validation import did_you_mean
from factcheck.load.yaml_document import PathKey, YamlDocument
from factcheck.model.fields import ENTITY_ATTRIBUTES, FIELDS, SOURCE_ATTRIBUTES, TERM_ATTRIBUTES, FieldType
from factcheck.model.rule import BINDING_PATTERN, RuleSpec

JOIN_FIELDS = (
    "topic",
    PREDICATE_FAMILY,
    *sorted(p for p in ENGINE_FIELDS if FIELDS[p].type is not FieldType.number),
)
READING = "reading"  # {a.reading}: the claim's structured reading, with entity names
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
_BINDING = re.compile(BINDING_PATTERN)


def compile_rule(spec: RuleSpec, doc: YamlDocument, path: PathKey) -> CompiledRule:
    checker = _Checker(spec, doc, path)
    bindings = tuple(checker.binding(name, tests) for name, tests in spec.bindings.items())
    predicates = tuple(checker.predicate(i, call) for i, call in enumerate(spec.where))
    message = checker.message(spec.message)
    joins = [spec.join] if isinstance(spec.join, str) else spec.join
    if not joins or len(set(joins)) != len(joins):
        raise checker.error(("join",), "'join' names one field, or a list of distinct fields")
    for index, field in enumerate(joins):
        if field not in JOIN_FIELDS:
            where = ("join",) if isinstance(spec.join, str) else ("join", index)
            raise checker.error(
                where,
                f"cannot join on '{field}'{did_you_mean(field, JOIN_FIELDS)}; choose one of: {', '.join(JOIN_FIELDS)}",
            )
    question = tuple(checker.question_item(i, item) for i, item in enumerate(spec.question))
    blocks: dict[str, Unless] = {}
    taken = checker.names
    for key, block in (("unless", spec.unless), ("requires", spec.requires)):
        if block is None:
            continue
        name, tests = next(iter(block.bindings.items()))
        if name in taken:
            raise checker.error(
                (key, "bindings", name), f"'{key}' binding '{name}' is already a binding of the rule; name it apart"
            )
        # its built-ins see the rule's bindings and its own; errors point into its block
        inner = _Checker(spec, doc, (*path, key), (*checker.names, name))
        calls = tuple(inner.predicate(i, c) for i, c in enumerate(block.where))
        blocks[key] = Unless(inner.binding(name, tests), calls)
        checker.entity_constants.extend(inner.entity_constants)
        taken = (*taken, name)
    return CompiledRule(
        spec,
        bindings,
        predicates,
        message,
        doc.location(path),
        tuple(path),
        checker.entity_constants,
        question,
        blocks.get("unless"),
        blocks.get("requires"),
    )


class _Checker:
    def __init__(self, spec: RuleSpec, doc: YamlDocument, path: PathKey, names: tuple[str, ...] = ()) -> None:
        self.spec, self.doc, self.path = spec, doc, path
        self.names = names or tuple(spec.bindings)
        self.entity_constants: list[Any] = []

    def error(self, sub: PathKey, message: str) -> InputError:
        return self.doc.error((*self.path, *sub), f"rule '{self.spec.id}': {message}")

    def key_error(self, sub: PathKey, message: str) -> InputError:
        return self.doc.key_error((*self.path, *sub), f"rule '{self.spec.id}': {message}")

    # -- bindings -------------------------------------------------------------------------------
    def binding(self, name: str, tests: dict[str, Any] | None) -> Binding:
        if not _BINDING.match(name) or name == "why":
            raise self.error(
                ("bindings", name),
                f"binding name '{name}' must be lowercase letters, digits "
                "and '_', starting with a letter (and not 'why')",
            )
        if tests is None:
            tests = {}
        compiled = []
        for field, condition in tests.items():
            where = ("bindings", name, field)
            if field not in FIELDS:
                raise self.key_error(where, f"unknown field '{field}'{did_you_mean(field, tuple(FIELDS))}")
            if isinstance(condition, dict):
                if len(condition) != 1:
                    raise self.error(where, f"a field test takes one operator, e.g. {{ne: x}}; got {len(condition)}")
                op, value = next(iter(condition.items()))
                if op not in OPERATORS:
                    raise self.key_error(
                        (*where, op),
                        f"unknown operator '{op}'{did_you_mean(str(op), OPERATORS)}; operators: {', '.join(OPERATORS)}",
                    )
            elif isinstance(condition, list):
                op, value = "in", condition
            else:
                op, value = "eq", condition
            compiled.append(self._field_test(where, field, op, value))
        return Binding(name, tuple(compiled))

    def _field_test(self, where: PathKey, field: str, op: str, value: Any) -> FieldTest:
        spec = FIELDS[field]
        kind = spec.type

        def check_scalar(v: Any) -> None:
            if kind is FieldType.number:
                ok = isinstance(v, int | float) and not isinstance(v, bool)
                need = "a number"
            elif kind is FieldType.scalar:
                ok, need = isinstance(v, str | int | float | bool), "text, a number or true/false"
            else:
                ok, need = isinstance(v, str), "text"
            if not ok:
                raise self.error(where, f"'{field}' holds {kind.value}; {v!r} is not {need}")
            if spec.choices and v not in spec.choices:
                raise self.error(
                    where,
                    f"'{field}' is never {v!r}{did_you_mean(str(v), spec.choices)}; "
                    f"it is one of: {', '.join(spec.choices)}",
                )

        if kind is FieldType.date or (kind is FieldType.time and op != "exists"):
            raise self.error(
                where,
                f"'{field}' is a date; compare dates with the built-ins 'before', 'within-days' and 'overlaps'",
            )
        if op == "under":
            if field not in UNDER_FIELDS:
                raise self.error(where, "'under' matches a vocabulary term and those under it; use it on: predicate")
            if not isinstance(value, str):
                raise self.error(where, "'under' takes one term id, e.g. {under: present-in}")
        elif op == "exists":
            if not isinstance(value, bool):
                raise self.error(where, "'exists' takes true or false")
        elif op == "contains":
            if not kind.is_list:
                raise self.error(where, f"'contains' needs a list field; '{field}' holds {kind.value} (use eq)")
            if not isinstance(value, str):
                raise self.error(where, "'contains' takes one text value")
        elif kind.is_list:
            raise self.error(where, f"'{field}' is a list; test it with {{contains: value}} or {{exists: true}}")
        elif op in ("in", "not-in"):
            if not isinstance(value, list) or not value:
                raise self.error(where, f"'{op}' takes a non-empty list, e.g. [a, b]")
            for item in value:
                check_scalar(item)
        elif op in ("lt", "lte", "gt", "gte"):
            if kind is not FieldType.number:
                raise self.error(where, f"'{op}' compares numbers; '{field}' holds {kind.value}")
            check_scalar(value)
        else:
            check_scalar(value)
        in_engine = field in ENGINE_FIELDS and (
            op in ("eq", "ne", "lt", "lte", "gt", "gte", "exists")
            # over a closed vocabulary, `in` is `$neq` of every other choice: constant tests, no `$or`
            or (op in ("in", "not-in") and bool(spec.choices))
        )
        if kind in (FieldType.entity,) and op in ("eq", "ne"):
            self.entity_constants.append((value, self.doc.location((*self.path, *where))))
        return FieldTest(field, Operator(op), value, in_engine)

    def question_item(self, index: int, item: str) -> FieldRef:
        binding, _, field = item.partition(".")
        if binding not in self.names or field not in FIELDS:
            raise self.error(
                ("question", index),
                f"'question' lists binding.field items (e.g. {self.names[0]}.subject); got {item!r}"
                + (did_you_mean(field, tuple(FIELDS)) if binding in self.names else ""),
            )
        return FieldRef(binding, field)

    # -- predicates -----------------------------------------------------------------------------
    def predicate(self, index: int, call: Any) -> PredicateCall:
        where: PathKey = ("where", index)
        if not isinstance(call, dict) or len(call) != 1:
            raise self.error(where, "each 'where' item is one built-in, e.g. '- different-speaker: [a, b]'")
        name, raw = next(iter(call.items()))
        if name == NOT:
            if not isinstance(raw, dict) or len(raw) != 1 or next(iter(raw)) == NOT:
                raise self.error(
                    (*where, NOT),
                    "'not' takes one built-in, e.g. '- not: {time-difference: [a.when, b.when]}'; got "
                    + ("another 'not' (leave both out)" if isinstance(raw, dict) and NOT in raw else repr(raw)),
                )
            inner = self._call((*where, NOT), next(iter(raw.items())))
            return replace(inner, negated=True, location=self.doc.location((*self.path, "where", index)))
        return replace(self._call(where, (name, raw)), location=self.doc.location((*self.path, "where", index)))

    def _call(self, where: PathKey, item: tuple[Any, Any]) -> PredicateCall:
        name, raw = item
        if name not in SIGNATURES:
            raise self.error(
                where,
                f"unknown built-in '{name}'{did_you_mean(name, tuple(SIGNATURES))}; "
                f"built-ins: {', '.join(sorted(SIGNATURES))}",
            )
        params = SIGNATURES[name].params
        where = (*where, name)
        if isinstance(raw, list):
            if len(raw) > len(params):
                raise self.error(
                    where,
                    f"'{name}' takes at most {len(params)} arguments "
                    f"({', '.join(p.name for p in params)}); got {len(raw)}",
                )
            given = dict(zip((p.name for p in params), raw, strict=False))
        elif isinstance(raw, dict):
            given = dict(raw)
            for key in given:
                if key not in {p.name for p in params}:
                    hint = did_you_mean(str(key), tuple(p.name for p in params))
                    raise self.key_error((*where, key), f"'{name}' has no argument '{key}'{hint}")
        else:
            raise self.error(
                where, f"'{name}' takes a list [..] or a mapping of its arguments ({', '.join(p.name for p in params)})"
            )
        args = {}
        for param in params:
            if param.name not in given:
                if param.required:
                    raise self.error(where, f"'{name}' needs argument '{param.name}'")
                args[param.name] = param.default
                continue
            sub = (*where, param.name) if isinstance(raw, dict) else (*where, list(given).index(param.name))
            args[param.name] = self._argument(sub, name, param, given[param.name])
        return PredicateCall(name, args)

    def _argument(self, where: PathKey, builtin: str, param: Param, value: Any) -> Any:
        if param.kind is ParamKind.moment:
            binding, _, field = str(value).partition(".")
            if binding not in self.names or (field and field not in MOMENT_FIELDS):
                raise self.error(
                    where,
                    f"'{builtin}' argument '{param.name}' must be a binding ({', '.join(self.names)}) or one's date "
                    f"field ({', '.join(f'{self.names[0]}.{f}' for f in MOMENT_FIELDS)}); got {value!r}",
                )
            return FieldRef(binding, field or "said_on")
        if param.kind is ParamKind.binding:
            if value not in self.names:
                raise self.error(
                    where,
                    f"'{builtin}' argument '{param.name}' must be a binding ({', '.join(self.names)}); got {value!r}",
                )
            return value
        if param.kind is ParamKind.number:
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise self.error(where, f"'{builtin}' argument '{param.name}' must be a number; got {value!r}")
            return value
        if param.kind is ParamKind.choices:
            items = value if isinstance(value, list) else [value]
            for item in items:
                if item not in param.choices:
                    raise self.error(
                        where,
                        f"'{builtin}' argument '{param.name}': {item!r} is not one of "
                        f"{', '.join(param.choices)}{did_you_mean(str(item), param.choices)}",
                    )
            return tuple(items)
        if param.kind is ParamKind.fields:
            items = value if isinstance(value, list) else [value]
            for item in items:
                if item not in FIELDS:
                    raise self.error(where, f"unknown field '{item}'{did_you_mean(str(item), tuple(FIELDS))}")
            return tuple(items)
        # term / entity: "binding.field" refers to a bound claim; anything else is a constant
        if isinstance(value, str) and "." in value:
            binding, _, field = value.partition(".")
            if binding in self.names:
                if field not in FIELDS:
                    raise self.error(where, f"unknown field '{field}' in '{value}'{did_you_mean(field, tuple(FIELDS))}")
                if param.kind is ParamKind.entity and FIELDS[field].type is not FieldType.entity:
                    raise self.error(
                        where,
                        f"'{builtin}' argument '{param.name}' needs an entity; "
                        f"'{field}' holds {FIELDS[field].type.value}",
                    )
                return FieldRef(binding, field)
            if param.kind is not ParamKind.entity:
                raise self.error(where, f"'{value}' names no binding ({', '.join(self.names)})")
        if value in self.names:
            raise self.error(where, f"'{value}' is a binding; name one of its fields, e.g. '{value}.subject'")
        if param.kind is ParamKind.entity:
            if not isinstance(value, str):
                raise self.error(where, f"'{builtin}' argument '{param.name}' must be an entity id or binding.field")
            self.entity_constants.append((value, self.doc.location((*self.path, *where))))
        return value

    # -- message ---------------------------------------------------------------------------------
    def message(self, template: str) -> tuple[str | Placeholder, ...]:
        parts: list[str | Placeholder] = []
        last = 0
        for match in _PLACEHOLDER.finditer(template):
            parts.append(template[last : match.start()])
            last = match.end()
            if match.group(0) in ("{{", "}}"):
                parts.append(match.group(0)[0])
                continue
            parts.append(self._placeholder(match.group(1).strip()))
        tail = template[last:]
        if "{" in tail or "}" in tail:
            raise self.error(("message",), "unbalanced '{' or '}' in message; write '{{' or '}}' for a literal brace")
        parts.append(tail)
        return tuple(p for p in parts if p != "")

    def _placeholder(self, text: str) -> Placeholder:
        where: PathKey = ("message",)
        head, _, rest = text.partition(".")
        if head == "why":
            used = {p.builtin for p in (self.predicate(i, c) for i, c in enumerate(self.spec.where))}
            if rest not in used:
                raise self.error(
                    where,
                    f"message uses '{{{text}}}' but 'where' has no '{rest}' "
                    f"(it has: {', '.join(sorted(used)) or 'nothing'})",
                )
            return Placeholder(text, None, rest)
        if head not in self.names:
            raise self.error(
                where, f"message uses '{{{text}}}' but there is no binding '{head}'; bindings: {', '.join(self.names)}"
            )
        if rest == READING:
            return Placeholder(text, head, READING)
        for field in sorted(FIELDS, key=len, reverse=True):
            if rest == field or rest.startswith(field + "."):
                attribute = rest[len(field) + 1 :] or None
                if attribute is None:
                    return Placeholder(text, head, field)
                kind = FIELDS[field].type
                allowed = (
                    ENTITY_ATTRIBUTES
                    if kind is FieldType.entity
                    else SOURCE_ATTRIBUTES
                    if kind is FieldType.source
                    else TERM_ATTRIBUTES
                    if field == "predicate"
                    else ()
                )
                if attribute not in allowed:
                    detail = f"one of: {', '.join(allowed)}" if allowed else f"'{field}' has no attributes"
                    raise self.error(where, f"message uses '{{{text}}}': '{attribute}' is not readable there; {detail}")
                return Placeholder(text, head, field, attribute)
        raise self.error(where, f"message uses '{{{text}}}': unknown field '{rest}'{did_you_mean(rest, tuple(FIELDS))}")
