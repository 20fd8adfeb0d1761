"""Stored events are a contract (ADR 0015): `tests/event_contract.json` holds, for every event
topic an aggregate records, each `class_version` with its stored field names and types. Events
written years ago are read with today's classes, so a version's shape never changes; a new
shape is a new `class_version` with an `upcast_v{N}_v{N+1}` that turns the old state into it.

Regenerate the snapshot after adding an event or raising a `class_version` (it refuses to
change a version already recorded, and never drops a topic):

    PYTHONPATH=src .venv/bin/python -m tests.event_contract --write
"""

from __future__ import annotations

import copy
import dataclasses
import enum
import importlib
import json
import pkgutil
import sys
import types
import typing
from pathlib import Path
from typing import Any

from eventsourcing.domain import CanMutateAggregate
from eventsourcing.utils import get_topic, resolve_topic

import domains

SNAPSHOT = Path(__file__).with_name("event_contract.json")
REGENERATE = "PYTHONPATH=src .venv/bin/python -m tests.event_contract --write"
_NOT_STORED = ("originator_id", "originator_version")  # columns of their own, not the state

Contract = dict[str, dict[str, dict[str, str]]]  # topic -> class_version -> field -> type


def recorded_event_classes() -> set[type]:
    """Every event class an aggregate in `src/domains` records."""
    found = set()
    for info in pkgutil.walk_packages(domains.__path__, "domains."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if not isinstance(value, type):
                continue
            for attr in vars(value).values():
                if isinstance(attr, type) and issubclass(attr, CanMutateAggregate):
                    aggregate, _, event = attr.__qualname__.rpartition(".")
                    # The library's base classes of every aggregate, never recorded as such
                    # (an aggregate created without a named event records "Created").
                    if aggregate in ("Aggregate", "DomainAggregate") or event == "Event":
                        continue
                    if event == "Created" and attr.__qualname__ != "UniqueKey.Created":
                        continue
                    found.add(attr)
    return found


def type_text(hint: Any) -> str:
    """A type as the contract spells it, whatever the annotation's spelling (`Optional[X]` and
    `X | None` are one type; an enum lists its values, which is what is stored)."""
    if hint is type(None):
        return "None"
    if hint is Any:
        return "Any"
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return " | ".join(sorted(type_text(a) for a in args))
    if origin is typing.Literal:
        return f"Literal[{', '.join(map(repr, args))}]"
    if origin is not None:
        return f"{type_text(origin)}[{', '.join('...' if a is Ellipsis else type_text(a) for a in args)}]"
    if isinstance(hint, type):
        name = hint.__qualname__ if hint.__module__ == "builtins" else f"{hint.__module__}.{hint.__qualname__}"
        if issubclass(hint, enum.Enum):
            return f"{name}({', '.join(repr(m.value) for m in hint)})"
        return name
    return repr(hint)


@dataclasses.dataclass(frozen=True)
class Shape:
    """What one event class stores today."""

    name: str
    topic: str
    version: int
    fields: dict[str, str]
    upcasts: frozenset[int]  # N for every upcast_vN_v{N+1} the class has

    @classmethod
    def of(cls, event_class: type) -> Shape:
        hints = typing.get_type_hints(event_class)
        version = getattr(event_class, "class_version", 1)
        return cls(
            name=event_class.__qualname__,
            topic=get_topic(event_class),
            version=version,
            fields={
                f.name: type_text(hints[f.name])
                for f in sorted(dataclasses.fields(event_class), key=lambda f: f.name)
                if f.name not in _NOT_STORED
            },
            upcasts=frozenset(n for n in range(1, version) if callable(getattr(event_class, f"upcast_v{n}_v{n + 1}", None))),
        )


def current_shapes() -> list[Shape]:
    return sorted((Shape.of(c) for c in recorded_event_classes()), key=lambda s: s.topic)


def load(path: Path = SNAPSHOT) -> Contract:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _diff(old: dict[str, str], new: dict[str, str]) -> str:
    parts = [f"-{k}: {old[k]}" for k in old if k not in new]
    parts += [f"+{k}: {new[k]}" for k in new if k not in old]
    parts += [f"{k}: {old[k]} -> {new[k]}" for k in old if k in new and old[k] != new[k]]
    return "; ".join(parts)


def _changed(shape: Shape, recorded: dict[str, str]) -> str:
    n = shape.version
    return (
        f"{shape.name} ({shape.topic}) changed its stored fields at class_version {n} "
        f"({_diff(recorded, shape.fields)}). Events already stored have the recorded shape and "
        f"could no longer be read: keep the fields, or set class_version = {n + 1} and add "
        f"upcast_v{n}_v{n + 1}(state) that turns a version {n} state into the new one, then run: {REGENERATE}"
    )


def breaches(contract: Contract, shapes: list[Shape]) -> list[str]:
    """Changes that would make stored events unreadable: each needs a new version or a fix."""
    found = []
    for shape in shapes:
        missing = [n for n in range(1, shape.version) if n not in shape.upcasts]
        if missing:
            found.append(
                f"{shape.name} is at class_version {shape.version} but has no "
                + ", ".join(f"upcast_v{n}_v{n + 1}" for n in missing)
                + ": events stored at the older versions could not be read"
            )
        versions = contract.get(shape.topic, {})
        recorded = versions.get(str(shape.version))
        if recorded is not None and recorded != shape.fields:
            found.append(_changed(shape, recorded))
        elif versions and recorded is None and shape.version < max(map(int, versions)):
            found.append(f"{shape.name}'s class_version went down to {shape.version}; the contract has {max(map(int, versions))}")
    present = {s.topic for s in shapes}
    found.extend(
        f"{topic} is in the contract but no aggregate records it any more: stored events of "
        "that topic could no longer be read. Keep the class (or, for a move or rename, "
        "register the old topic with eventsourcing.utils.register_topic)"
        for topic in contract
        if topic not in present and not _still_resolves(topic, present)
    )
    return found


def _still_resolves(topic: str, present: set[str]) -> bool:
    try:
        return get_topic(resolve_topic(topic)) in present
    except Exception:  # the module or class is gone
        return False


def unrecorded(contract: Contract, shapes: list[Shape]) -> list[str]:
    """New topics and new versions, valid but not yet written into the snapshot."""
    return [
        f"{s.name} ({s.topic}) class_version {s.version} is not in {SNAPSHOT.name}: run {REGENERATE}"
        for s in shapes
        if str(s.version) not in contract.get(s.topic, {})
    ]


def updated(contract: Contract, shapes: list[Shape]) -> Contract:
    """The contract with new topics and versions added; refuses any breach."""
    found = breaches(contract, shapes)
    if found:
        raise ValueError("\n".join(found))
    new = copy.deepcopy(contract)
    for shape in shapes:
        new.setdefault(shape.topic, {})[str(shape.version)] = shape.fields
    return {topic: dict(sorted(new[topic].items(), key=lambda kv: int(kv[0]))) for topic in sorted(new)}


def dump(contract: Contract) -> str:
    return json.dumps(contract, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str]) -> int:
    contract, shapes = load(), current_shapes()
    if "--write" not in argv:
        problems = breaches(contract, shapes) + unrecorded(contract, shapes)
        print("\n".join(problems) or f"{len(shapes)} event classes match {SNAPSHOT.name}")
        return 1 if problems else 0
    try:
        new = updated(contract, shapes)
    except ValueError as refused:
        print(f"not written, stored events would break:\n{refused}", file=sys.stderr)
        return 1
    SNAPSHOT.write_text(dump(new), encoding="utf-8")
    print(f"{SNAPSHOT} written: {len(new)} topics")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
