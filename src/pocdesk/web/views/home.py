from django.shortcuts import render

from pocdesk.pocs.models import Status
from pocdesk.pocs.selectors import poc_dashboard

from ..errors import page
from ..templatetags.pocdesk_web import STATUS_COLOURS


@page
def home(request):
    dashboard = poc_dashboard(user=request.user)
    counts = dashboard["status_counts"]
    statuses = [
        {"value": status.value, "label": status.label, "count": counts[status.value],
         "colour": STATUS_COLOURS[status]}
        for status in Status
    ]
    chart = {
        "labels": [str(status["label"]) for status in statuses],
        "counts": [status["count"] for status in statuses],
        "colours": [status["colour"] for status in statuses],
    }
    return render(request, "web/home.html", {
        **dashboard,
        "statuses": statuses,
        "total": sum(counts.values()),
        "chart": chart,
    })
