"""Read helpers shared by every domain selector."""

from django.db.models import QuerySet


def order_by_choice(queryset: QuerySet, choice: str, orderings: dict[str, str], *,
                    default: str) -> QuerySet:
    """Order by a whitelisted key (a leading '-' for descending); unknown keys use the default."""
    field = orderings.get(choice or "", orderings[default])
    return queryset.order_by(field, "-pk" if field.startswith("-") else "pk")


def stored_file_get(*, user, file_id):
    """An uploaded document, only for someone who sees its team; NotFound otherwise."""
    from pocdesk.people.roles import scope_to_user

    from .errors import NotFound
    from .models import StoredFile

    stored = scope_to_user(StoredFile.objects.filter(pk=file_id), user).first()
    if stored is None:
        raise NotFound()
    return stored
