from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """Look a key up in a dict from a template: {{ names|get_item:code }}."""
    return mapping.get(key, key)
