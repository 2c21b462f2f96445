"""Read helpers shared by every domain selector."""

from django.db.models import QuerySet


def order_by_choice(queryset: QuerySet, choice: str, orderings: dict[str, str], *,
                    default: str) -> QuerySet:
    """Order by a whitelisted key (a leading '-' for descending); unknown keys use the default."""
    field = orderings.get(choice or "", orderings[default])
    return queryset.order_by(field, "-pk" if field.startswith("-") else "pk")
