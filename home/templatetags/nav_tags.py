from django import template

register = template.Library()


@register.filter
def is_section(path: str, prefix: str) -> bool:
    """The home page is current only on an exact match; any other section also owns the pages below it."""
    if not path or not prefix:
        return False
    return path == prefix if prefix == "/" else path.startswith(prefix)
