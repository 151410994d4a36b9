"""A challenge's rubric as plain values, read from the page's stored StreamField data."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    guidance: str
    weight: Decimal
    scale_max: int
    levels: tuple[str, ...]
    comment_required: bool


def criteria_from_raw(raw) -> list[Criterion]:
    criteria = []
    for block in raw or []:
        if block.get("type") != "criterion":
            continue
        value = block["value"]
        levels = [item["value"] if isinstance(item, dict) else item for item in value.get("levels") or []]
        criteria.append(
            Criterion(
                id=block["id"],
                name=value.get("name", ""),
                guidance=value.get("guidance") or "",
                weight=Decimal(str(value.get("weight") if value.get("weight") is not None else 1)),
                scale_max=int(value.get("scale_max") or 5),
                levels=tuple(levels),
                comment_required=bool(value.get("comment_required", True)),
            )
        )
    return criteria
