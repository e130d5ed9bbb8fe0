"""The change lists' rows and filter choices, rendered by portal.change_lists: see there why."""

from django import template
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    result_headers,
    result_hidden_fields,
    results,
)
from django.contrib.admin.templatetags.base import InclusionAdminNode

from portal import change_lists

register = template.Library()


def portal_result_list(cl):
    """Django's ``result_list`` context, with each row one string (``items_for_result`` yields
    a cell at a time). A list with editable columns keeps Django's rows."""
    headers = list(result_headers(cl))
    if cl.formset:
        rows = list(results(cl))
    else:
        url_of = change_lists.row_url_maker(cl)
        rows = [ResultList(None, [change_lists.row(cl, obj, url_of)]) for obj in cl.result_list]
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": rows,
    }


@register.tag(name="portal_result_list")
def portal_result_list_tag(parser, token):
    # As Django's result_list: a model or an app may override change_list_results.html.
    return InclusionAdminNode(
        "portal_result_list",
        parser,
        token,
        func=portal_result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )


@register.simple_tag
def filter_choices(choices):
    return change_lists.filter_choices(choices)
