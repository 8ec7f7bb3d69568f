from django.http import HttpResponse
from django.shortcuts import render


def home(request):
    return render(request, "participation/home.html", {})


def privacy(request):
    return render(request, "participation/privacy.html", {})


def _todo(request, **kw):
    return HttpResponse("")


idea_list = idea_submit = idea_detail = idea_support = idea_unsupport = idea_status = _todo
idea_submitted = track = my_ideas = signup = _todo
