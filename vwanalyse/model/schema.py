"""Strict construction of typed dataclasses from YAML mappings.

Every configuration file is read through `bouw`, so all of them reject unknown keys, missing
keys and wrong types the same way, with one message naming the file, the entry and what was
expected.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from pathlib import Path
from typing import Any, Literal, Optional, Union

import yaml

from vwanalyse.basis.fouten import VwFout


class ConfigFout(VwFout):
    """A configuration file does not match its schema; the message names file and entry."""

    kop = "fout in de configuratie"

    def __init__(self, bestand: Path | str, plek: str, melding: str):
        self.bestand = str(bestand)
        self.plek = plek
        self.melding = melding
        super().__init__(f"{bestand}: {plek}: {melding}" if plek else f"{bestand}: {melding}")


NIET_GEVONDEN = "bestand niet gevonden"  # the melding of lees_yaml for a missing file


def regel_van(pad: Path | str, plek: str) -> Optional[int]:
    """The line (1 = first) of a dotted mapping key such as 'onthulling.min_n' in a YAML file."""
    try:
        regels = Path(pad).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    begin, inspringing = 0, -1
    for sleutel in plek.split("."):
        for nr in range(begin, len(regels)):
            tekst = regels[nr]
            diepte = len(tekst) - len(tekst.lstrip(" "))
            if tekst.strip() and not tekst.lstrip().startswith("#") and diepte <= inspringing:
                return None  # left the parent mapping
            if diepte > inspringing and re.match(rf"{re.escape(sleutel)}\s*:", tekst.lstrip()):
                begin, inspringing = nr + 1, diepte
                break
        else:
            return None
    return begin


def lees_yaml(pad: Path) -> Any:
    try:
        tekst = Path(pad).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigFout(pad, "", NIET_GEVONDEN) from None
    try:
        # libyaml's loader when PyYAML has it: ten times faster, and every notebook reads the configuration
        return yaml.load(tekst, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as fout:
        raise ConfigFout(pad, "", f"geen geldige YAML: {fout}") from None


def een_sleutel(sleutel: str) -> str:
    """The melding for a file that must hold exactly one top-level key."""
    return f"verwacht: precies één sleutel op het hoogste niveau, {sleutel!r}"


# how a message names the plain types (YAML writes booleans as true/false)
_NAMEN = {str: "tekst", int: "een geheel getal", float: "een getal", bool: "waar/onwaar (true/false)"}


def _type_naam(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin is Literal:
        return "een van " + ", ".join(repr(a) for a in typing.get_args(tp))
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return " of ".join(_type_naam(a) for a in args) + " of null"
    if origin is list:
        return f"een lijst van {_type_naam(typing.get_args(tp)[0])}"
    if origin is dict:
        k, v = typing.get_args(tp)
        return f"een mapping van {_type_naam(k)} naar {_type_naam(v)}"
    if dataclasses.is_dataclass(tp):
        return "een mapping met de sleutels " + ", ".join(f.name for f in dataclasses.fields(tp))
    return _NAMEN.get(tp, str(tp))


def bouw(tp: Any, waarde: Any, bestand: Path | str, plek: str) -> Any:
    """Convert `waarde` (parsed YAML) into type `tp`, or raise ConfigFout naming `plek`."""
    origin = typing.get_origin(tp)

    def fout(verwacht: str) -> ConfigFout:
        return ConfigFout(bestand, plek, f"verwacht: {verwacht}, gevonden: {waarde!r}")

    if origin in (Union, types.UnionType):
        args = typing.get_args(tp)
        if waarde is None and type(None) in args:
            return None
        niet_none = [a for a in args if a is not type(None)]
        if len(niet_none) == 1:
            if waarde is None:
                raise fout(_type_naam(tp))
            return bouw(niet_none[0], waarde, bestand, plek)
        raise TypeError(f"unsupported union {tp}")
    if origin is Literal:
        if waarde not in typing.get_args(tp):
            raise fout(_type_naam(tp))
        return waarde
    if origin is list:
        if not isinstance(waarde, list):
            raise fout(_type_naam(tp))
        (item_tp,) = typing.get_args(tp)
        return [bouw(item_tp, v, bestand, f"{plek}[{i}]") for i, v in enumerate(waarde)]
    if origin is dict:
        if not isinstance(waarde, dict):
            raise fout(_type_naam(tp))
        k_tp, v_tp = typing.get_args(tp)
        return {
            bouw(k_tp, k, bestand, f"{plek}.{k}"): bouw(v_tp, v, bestand, f"{plek}.{k}")
            for k, v in waarde.items()
        }
    if dataclasses.is_dataclass(tp):
        if not isinstance(waarde, dict):
            raise fout(_type_naam(tp))
        hints = typing.get_type_hints(tp)
        velden = {f.name: f for f in dataclasses.fields(tp) if f.init}
        onbekend = [k for k in waarde if k not in velden]
        if onbekend:
            raise ConfigFout(
                bestand, plek,
                f"onbekende sleutel {onbekend[0]!r}; toegestane sleutels: {', '.join(velden)}",
            )
        argumenten = {}
        for naam, veld in velden.items():
            if naam in waarde:
                argumenten[naam] = bouw(hints[naam], waarde[naam], bestand, f"{plek}.{naam}".lstrip("."))
            elif veld.default is dataclasses.MISSING and veld.default_factory is dataclasses.MISSING:
                raise ConfigFout(bestand, plek, f"verplichte sleutel {naam!r} ontbreekt; verwacht: {_type_naam(hints[naam])}")
        return tp(**argumenten)
    if tp is float:
        if isinstance(waarde, bool) or not isinstance(waarde, (int, float)):
            raise fout(_NAMEN[float])
        return float(waarde)
    if tp is int:
        if isinstance(waarde, bool) or not isinstance(waarde, int):
            raise fout(_NAMEN[int])
        return waarde
    if tp is str:
        if not isinstance(waarde, str):
            raise fout(_NAMEN[str])
        return waarde
    if tp is bool:
        if not isinstance(waarde, bool):
            raise fout(_NAMEN[bool])
        return waarde
    raise TypeError(f"unsupported type {tp}")
