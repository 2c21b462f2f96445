"""Template filters and tags of the printable documents."""

from django import template

from pocdesk.core.pdf import asset_url as core_asset_url
from pocdesk.core.pdf import text_to_html

register = template.Library()


@register.filter
def paragraphs(value):
    """Plain user text as escaped HTML paragraphs with its line breaks."""
    return text_to_html(value)


@register.simple_tag
def asset_url(name: str) -> str:
    """The URL under which the document fetcher serves a static asset of the package."""
    return core_asset_url(name)


@register.filter
def lines(value):
    """Plain user text as escaped inline HTML, its line breaks kept as <br>."""
    return text_to_html(value, inline=True)
