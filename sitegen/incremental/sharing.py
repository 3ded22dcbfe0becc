"""How the read cache is pickled: equal values written once, objects rebuilt as pickle
rebuilds them but with less work; pure (the cache's files: :mod:`sitegen.incremental.cache`).

A page of the read cache is some sixty small objects, many holding equal strings that pickle
would write (and load) once each. :class:`SharingPickler` writes them once, writes each field
name as Python's own interned string, and lets a dataclass keep the dict pickle built for it.
"""

from __future__ import annotations

import copyreg
import dataclasses
import pickle
import sys
from typing import Any


class SharingPickler(pickle.Pickler):
    """A pickler that writes equal strings, bytes and tuples of strings among the fields of
    dataclasses once (pickle shares only the same object: the read cache's pages hold the
    same section, kind, tags, unit and text file's name, and the body's digest twice, each
    its own string), and the fields' names as Python's own interned strings (:class:`_Name`,
    which spares pickle interning each name of each object as it loads it). Objects are
    rebuilt without their ``__init__``, as pickle rebuilds them, a dataclass given the dict
    pickle built for it (:func:`_set_fields`)."""

    def __init__(self, file: Any, protocol: int) -> None:
        super().__init__(file, protocol)
        self._shared: dict[object, object] = {}

    def reducer_override(self, obj: object) -> Any:
        """Pickle's own reduction, its values shared, for a dataclass :func:`_fields` takes
        (its class, and its fields by name) and a tuple whose class pickles it as
        ``tuple.__new__`` (its class and its items: Read, Marks, Stored); NotImplemented
        (pickle's own way) for any other object. (Called for every object but strings,
        numbers, plain tuples, lists and dicts: kept to one Python call.)"""
        cls = type(obj)
        try:
            fields = _FIELDS[cls]
        except KeyError:
            fields = _fields(cls)
        if fields is None:
            return NotImplemented
        share = self._share
        if not fields:  # a named tuple
            return tuple.__new__, (cls, tuple([share(v) for v in obj]))  # type: ignore[attr-defined]
        state = getattr(obj, "__dict__", None)
        if state is None or len(state) != len(fields):
            return NotImplemented  # one with more than its fields
        shared = {}
        for name, key in fields:
            value = state.get(name, _Name)
            if type(value) in _SHAREABLE:
                value = share(value)
            elif value is _Name:
                return NotImplemented  # a field never set
            shared[key] = value
        return (copyreg.__newobj__, (cls,), shared,  # type: ignore[attr-defined]
                None, None, _set_fields)

    def _share(self, value: Any) -> Any:
        """The first value written equal to ``value`` if it is a string, bytes or a tuple of
        strings (then written once); else ``value``."""
        kind = type(value)
        if kind is str or kind is bytes or (
                kind is tuple and value and all(type(v) is str for v in value)):
            return self._shared.setdefault(value, value)
        return value


_SHAREABLE = frozenset({str, bytes, tuple})


def _set_fields(obj: object, fields: dict[str, object]) -> None:
    """Give ``obj`` (a dataclass pickle has just made) ``fields`` as its ``__dict__``: the
    dict pickle built is kept, not copied into another one key by key as pickle's own
    BUILD does (a fifth fewer instructions to load the read cache; 6 MB more memory at
    10,000 articles, the objects' dicts no longer sharing their keys: 36 MB, main's 43)."""
    object.__setattr__(obj, "__dict__", fields)


class _Name:
    """A field's name as pickled: ``sys.intern(name)``, once per file (pickle keeps one
    marker by name and refers back to it), so that the names of the objects it rebuilds
    are Python's own interned strings, not copies read from the file."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __reduce__(self) -> tuple[object, ...]:
        return sys.intern, (self.name,)


_FIELDS: dict[type, tuple[tuple[str, _Name], ...] | None] = {}
_NAMES: dict[str, _Name] = {}


def _fields(cls: type) -> tuple[tuple[str, _Name], ...] | None:
    """How :class:`SharingPickler` writes objects of ``cls``: for a dataclass, its fields in
    order, each its name and the name's marker; () for a tuple whose class pickles it as
    ``tuple.__new__(cls, items)``; None for any other class, or a dataclass that keeps its
    fields in slots, has none, or says how it is pickled itself (pickled as pickle does). Kept by
    class in ``_FIELDS``."""
    own = [name for c in cls.__mro__[:-1] for name in
           ("__reduce__", "__reduce_ex__", "__getstate__", "__setstate__", "__slots__")
           if name in vars(c)]
    fields: tuple[tuple[str, _Name], ...] | None = None
    if issubclass(cls, tuple) and _reduces_to_tuple(cls):
        fields = ()
    elif not own and dataclasses.is_dataclass(cls) and dataclasses.fields(cls):
        fields = tuple((f.name, _NAMES.setdefault(f.name, _Name(f.name)))
                       for f in dataclasses.fields(cls))
    _FIELDS[cls] = fields
    return fields


def _reduces_to_tuple(cls: type) -> bool:
    """Whether ``cls`` (a tuple's class) pickles its objects as ``tuple.__new__(cls, items)``,
    tried on one object (a named tuple: its fields' count of Nones)."""
    try:
        sample: Any = tuple.__new__(cls, (None,) * len(getattr(cls, "_fields", ())))
        made, args = sample.__reduce__()[:2]
    except Exception:  # not a class whose objects can be made so: pickled as pickle does
        return False
    return made is tuple.__new__ and args == (cls, tuple(sample))
