from django import template

from groups.selectors import sessions_this_week_for_user

register = template.Library()


@register.inclusion_tag("groups/admin/sessions_this_week.html", takes_context=True)
def sessions_this_week(context):
    return {"sessions": list(sessions_this_week_for_user(context["request"].user))}
