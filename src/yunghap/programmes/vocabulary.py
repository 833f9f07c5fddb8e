"""Reading growth engines and capabilities as people write them in forms and spreadsheets.

One resolver each, used by the topics, reviewers and calls imports alike: a growth engine by its code
(`NGE09-09`), its Korean or English name or an alias; a capability by its name, a Korean synonym or an
English term (its "code" is its name: the vocabulary has no other stable key). Spacing and case are ignored.
"""

from __future__ import annotations

import re
from typing import Any

_NOISE = re.compile(r"[\s·,()\-_/]")


def _key(text: Any) -> str:
    return _NOISE.sub("", str(text or "")).lower()


def engine_lookup() -> dict[str, Any]:
    """Key → GrowthEngine for every way of writing each engine (read once per import)."""
    from .models import GrowthEngine

    lookup: dict[str, Any] = {}
    for engine in GrowthEngine.objects.all():
        for form in (engine.code, engine.name, engine.name_en, *engine.aliases.split(";")):
            if form.strip():
                lookup.setdefault(_key(form), engine)
    return lookup


def capability_lookup() -> dict[str, Any]:
    """Key → Capability for its name, synonyms and English terms (read once per import)."""
    from yunghap.matching.models import Capability

    lookup: dict[str, Any] = {}
    for capability in Capability.objects.all():
        for form in capability.surface_forms:
            if str(form).strip():
                lookup.setdefault(_key(form), capability)
    # A name wins over another capability's synonym of the same spelling.
    for capability in Capability.objects.all():
        lookup[_key(capability.name)] = capability
    return lookup


def resolve(lookup: dict[str, Any], text: Any) -> Any:
    """The entry `text` names, or None."""
    return lookup.get(_key(text))
