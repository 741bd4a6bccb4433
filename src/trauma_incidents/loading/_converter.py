"""
The cattrs converter for the JSON interchange format: strict structuring, compact output.

Every hook is strict: cattrs' defaults would turn ``5`` into ``"5"`` or ``"abc"`` into a
tuple of letters. A failing hook raises `Mismatch`, which names what was expected and the JSON
type found, so a rendered error never echoes the record's free text.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable
from datetime import date, datetime
from enum import Enum
from types import NoneType, UnionType
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import attrs
from cattrs import Converter
from cattrs.errors import (
    ClassValidationError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, override
from cattrs.preconf.orjson import OrjsonConverter
from cattrs.preconf.orjson import make_converter as make_orjson_converter

from trauma_incidents.errors import InvalidIncidentError, InvalidValueError, describe_type
from trauma_incidents.loading._fast import fast_structure
from trauma_incidents.loading._iso8601 import Mismatch, parse_date, parse_datetime, parse_due
from trauma_incidents.model._extensions import extension
from trauma_incidents.model._vocabularies import Vocabulary

__all__ = ["configure_converter", "make_converter", "written_type"]

StructureHook = Any  # cattrs' hooks are ``(value, type) -> object``

# What each JSON type is called in messages.
_STRING, _BOOLEAN, _INTEGER, _ARRAY, _OBJECT = (
    "a string",
    "true or false",
    "an integer",
    "an array",
    "an object",
)


def make_converter(
    *, forbid_extra_keys: bool = True, detailed_validation: bool = True
) -> OrjsonConverter:
    """
    Make a converter for the interchange format, configured by `configure_converter`.

    Args:
        forbid_extra_keys: Reject keys the format does not define (the default); pass
            ``False`` to ignore them.
        detailed_validation: Collect every problem with its path (the default); with
            ``False`` the first problem raises alone, as in plain cattrs.
    """
    converter = make_orjson_converter(
        forbid_extra_keys=forbid_extra_keys,
        detailed_validation=detailed_validation,
        omit_if_default=True,
        unstruct_collection_overrides={tuple: list},
    )
    configure_converter(converter)
    return converter


def configure_converter(converter: Converter) -> None:
    """
    Register the format's hooks on *converter*.

    Structuring: strings, booleans and integers must have exactly that JSON type; enums
    take their values; arrays become tuples; times are ISO 8601 with a UTC offset
    (``Z`` accepted); `Action.due` is a date or such a time; objects must be JSON objects.
    Unstructuring: times as ISO 8601 strings, enums as their values, tuples as lists.
    """
    # Class hooks dispatch by MRO, so `Vocabulary` needs its own to win over `str`.
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(Enum, _structure_enum)
    converter.register_structure_hook(Vocabulary, _structure_enum)
    converter.register_structure_hook(datetime, parse_datetime)
    converter.register_structure_hook(date, parse_date)
    converter.register_structure_hook_factory(_is_literal, _literal_hook)
    converter.register_structure_hook_func(_is_due, parse_due)
    converter.register_structure_hook_factory(_is_optional, _optional_hook)
    converter.register_structure_hook_factory(_is_tuple, _tuple_hook)
    converter.register_structure_hook_factory(attrs.has, _attrs_hook)
    converter.register_unstructure_hook_factory(_is_tuple, _tuple_unstructure_hook)
    converter.register_unstructure_hook(datetime, datetime.isoformat)
    converter.register_unstructure_hook(date, date.isoformat)
    converter.register_unstructure_hook(Enum, _enum_value)
    converter.register_unstructure_hook(Vocabulary, _enum_value)


def _structure_str(value: Any, _: Any) -> str:
    if isinstance(value, str):
        return value
    raise Mismatch(_STRING, describe_type(value))


def _structure_bool(value: Any, _: Any) -> bool:
    if value is True or value is False:
        return value
    raise Mismatch(_BOOLEAN, describe_type(value))


def _structure_int(value: Any, _: Any) -> int:
    if type(value) is int:
        return value
    # orjson reads a fraction, an exponent or more digits than 64 bits hold as a float.
    found = (
        "a number with a fraction, an exponent or too many digits" if type(value) is float else None
    )
    raise Mismatch(_INTEGER, found or describe_type(value))


def _enum_value(member: Enum) -> Any:
    return member._value_  # what `.value` returns, without its descriptor (a sixth the cost)


# Each enum's members by value, read once: on 3.11 reading `_value2member_map_` costs as much
# as the lookup in it, as `EnumType` has a `__getattr__`.
_MEMBERS: dict[type[Enum], dict[Any, Enum]] = {}


def _structure_enum(value: Any, cls: type[Enum]) -> Any:
    members = _MEMBERS.get(cls)
    if members is None:
        members = _MEMBERS[cls] = cls._value2member_map_
    try:
        return members[value]
    except (KeyError, TypeError):
        pass
    local = extension(cls, value) if issubclass(cls, Vocabulary) else None
    if local is not None:
        return local
    expected = _one_of(member.value for member in cls)
    found = "a string not in that list" if isinstance(value, str) else describe_type(value)
    raise Mismatch(expected, found)


def _one_of(values: Iterable[object]) -> str:
    return "one of " + ", ".join(f'"{value}"' for value in values)


def _is_literal(tp: Any) -> bool:
    return get_origin(tp) is Literal


def _literal_hook(tp: Any) -> StructureHook:
    return _choice_hook({value: value for value in get_args(tp)})


def _choice_hook(choices: dict[Any, Any]) -> StructureHook:
    expected = _one_of(choices)

    def structure(value: Any, _: Any) -> Any:
        if isinstance(value, str):
            try:
                return choices[value]
            except KeyError:
                pass
            raise Mismatch(expected, "a string not in that list")
        raise Mismatch(expected, describe_type(value))

    return structure


def _non_none_args(tp: Any) -> tuple[Any, ...]:
    if get_origin(tp) not in (Union, UnionType):
        return ()
    return tuple(arg for arg in get_args(tp) if arg is not NoneType)


def _is_due(tp: Any) -> bool:
    return get_origin(tp) in (Union, UnionType) and set(get_args(tp)) == {date, datetime, NoneType}


def _is_optional(tp: Any) -> bool:
    return len(_non_none_args(tp)) == 1 and NoneType in get_args(tp)


def _optional_hook(tp: Any, converter: Converter) -> StructureHook:
    (inner_type,) = _non_none_args(tp)
    inner = converter.get_structure_hook(inner_type)

    def structure(value: Any, _: Any) -> Any:
        return None if value is None else inner(value, inner_type)

    return structure


def _is_tuple(tp: Any) -> bool:
    args = get_args(tp)
    return get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis  # noqa: PLR2004


def _tuple_hook(tp: Any, converter: Converter) -> StructureHook:
    item_type = get_args(tp)[0]
    inner = converter.get_structure_hook(item_type)
    detailed = converter.detailed_validation

    def structure(value: Any, _: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise Mismatch(_ARRAY, describe_type(value))
        try:
            if len(value) == 1:  # most arrays: no list to build
                return (inner(value[0], item_type),)
            return tuple([inner(item, item_type) for item in value])
        except Exception as exc:
            if not detailed:
                raise
            drop_tracebacks(exc)  # its problems are collected again below
        # Only now, item by item, to collect every problem with its index.
        raise _item_errors(value, inner, item_type, tp)

    return structure


def _tuple_unstructure_hook(tp: Any, converter: Converter) -> Callable[[Any], list[Any]]:
    """A tuple as a list: a list comprehension, not cattrs' list of a generator (a third less)."""
    inner = converter.get_unstructure_hook(get_args(tp)[0])

    def unstructure(value: Any) -> list[Any]:
        return [inner(item) for item in value]

    return unstructure


def drop_tracebacks(exc: BaseException) -> None:
    """
    Break the reference cycles of a structuring error, so that the record goes at once.

    cattrs keeps each field's exception in a list in the frame that caught it, and the
    exception's traceback holds that frame: a cycle that only the garbage collector frees,
    which, counting objects rather than bytes, let 40 bad records of 15 MiB pile up.
    """
    stack, seen = [exc], set()
    while stack:
        e = stack.pop()
        if id(e) not in seen:
            seen.add(id(e))
            traceback.clear_frames(e.__traceback__)  # the frames' locals hold other errors
            e.__traceback__ = None
            linked = [*getattr(e, "exceptions", ()), e.__context__, e.__cause__]
            stack += [x for x in linked if x is not None]


#: Invalid items collected per array; one more is collected to show that there are more.
MAX_ITEM_ERRORS = 50


def _item_errors(
    value: list[Any], inner: StructureHook, item_type: Any, tp: Any
) -> IterableValidationError:
    errors: list[Exception] = []
    for index, item in enumerate(value):
        if len(errors) > MAX_ITEM_ERRORS:
            break
        try:
            inner(item, item_type)
        except Exception as exc:  # noqa: BLE001 (collected, as cattrs does)
            note = IterableValidationNote(f"Structuring item @ index {index}", index, item_type)
            exc.__notes__ = [*getattr(exc, "__notes__", []), note]  # type: ignore[attr-defined]
            errors.append(exc)
    return IterableValidationError(f"While structuring {tp!r}", errors, tp)


def written_type(field: attrs.Attribute[Any]) -> Any:
    """
    The type *field* is written as: what its converter takes, else its own type.

    `trauma_incidents.plans.SupportPlan.review_by` is written as a date or a time and
    converted to a time.
    """
    if field.converter is None:
        return field.type
    hints = get_type_hints(field.converter)
    return next(tp for name, tp in hints.items() if name != "return")


def _attrs_hook(cls: type, converter: Converter) -> StructureHook:
    attrs.resolve_types(cls)
    converted: dict[str, Any] = {
        a.name: override(struct_hook=converter.get_structure_hook(written_type(a)))
        for a in attrs.fields(cls)
        if a.converter is not None
    }
    fast = fast_structure(cls, converter) if converter.detailed_validation else None
    # cattrs' generated function is made when first needed (compiling it costs startup
    # time): with a fast way, only for a record with a problem.
    generated: Callable[[Any, Any], Any] | None = None

    def structure(value: Any, _: Any) -> Any:
        nonlocal generated
        if type(value) is not dict:
            raise Mismatch(_OBJECT, describe_type(value))
        if fast is not None:
            try:
                return fast(value)
            except Exception:  # noqa: BLE001, S110 (the detailed way below names every problem)
                pass
        if generated is None:
            generated = make_dict_structure_fn(
                cls,
                converter,
                _cattrs_forbid_extra_keys=converter.forbid_extra_keys,
                _cattrs_detailed_validation=converter.detailed_validation,
                **converted,
            )
        try:
            return generated(value, cls)
        except ClassValidationError as exc:
            # Only now, on failure, look for every problem: validators stop at the first.
            raise _every_problem(cls, value, converter, exc) from None

    return structure


def _every_problem(
    cls: type, value: dict[str, Any], converter: Converter, exc: ClassValidationError
) -> ClassValidationError:
    """
    *exc*'s fields that could not be structured, and every validator's problem in the rest.

    The structured fields are set on an instance made without ``__init__``, so each
    validator sees the others' values; when all are there, the class's cross-field checks
    (``__attrs_post_init__``) run too.
    """
    failed, rest = exc.group_exceptions()
    errors: list[Exception] = [e for e, _ in failed]
    errors += [e for e in rest if not isinstance(e, InvalidValueError | InvalidIncidentError)]
    skip = {note.name for _, note in failed}
    attrs.resolve_types(cls)
    instance: Any = object.__new__(cls)
    for a in attrs.fields(cls):
        if not a.init or a.name in skip:
            continue
        if a.name in value:
            field_value = converter.structure(value[a.name], written_type(a))
            if a.converter is not None:
                field_value = a.converter(field_value)
        elif isinstance(a.default, attrs.Factory):  # type: ignore[arg-type]
            field_value = a.default.factory()
        else:
            field_value = a.default
        object.__setattr__(instance, a.name, field_value)  # the class is frozen
        if a.validator is None:
            continue
        try:
            a.validator(instance, a, field_value)
        except InvalidValueError as e:  # it names its field: no note, or the path has it twice
            errors.append(e)
    post_init = getattr(instance, "__attrs_post_init__", None)
    if post_init is not None and not skip:
        try:
            post_init()
        except InvalidIncidentError as e:
            errors.append(e)
    return ClassValidationError(f"While structuring {cls.__name__}", errors, cls)
