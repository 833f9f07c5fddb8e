"""`{% traceable_chain obj %}`: the chain (programmes.chain) through an application, agreement or result,
as the page's viewer may see it (programmes/includes/chain.html)."""

from __future__ import annotations

from typing import Any

from django import template

from yunghap.programmes.chain import chain_of

register = template.Library()


@register.inclusion_tag("programmes/includes/chain.html", takes_context=True)
def traceable_chain(context: template.Context, anchor: Any) -> dict[str, Any]:
    request = context.get("request")
    viewer = getattr(request, "user", None)
    return {"chain": chain_of(anchor, viewer=viewer)}
