"""Pages of threads. Everything works with plain forms and page loads; thread.js makes the
thread page live on top of them."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from forum.participation import selectors as participation_selectors
from forum.participation.models import Council, Idea, Topic
from forum.participation.services import person_for_user

from . import permissions, selectors, services
from .forms import EditForm, HideForm, PostForm, ThreadOpenForm
from .models import Post, Thread


def _thread_or_404(request: HttpRequest, thread_id: int) -> Thread:
    thread = selectors.thread_get(thread_id)
    if thread is None or not permissions.can_view(request.user, thread):
        # Same answer for "missing" and "not yours": internal threads stay unguessable.
        raise Http404
    return thread


def _post_or_404(request: HttpRequest, post_id: int) -> Post:
    post = selectors.post_get(post_id)
    if post is None or not permissions.can_view(request.user, post.thread):
        raise Http404
    return post


def _post_url(post: Post) -> str:
    return reverse("threads:detail", args=[post.thread_id]) + f"#post-{post.pk}"


def thread_list(request: HttpRequest) -> HttpResponse:
    council_slug = request.GET.get("consejo", "")[:60]
    topic_slug = request.GET.get("tema", "")[:60]
    qs = selectors.threads_visible_to(
        request.user, council_slug=council_slug, topic_slug=topic_slug
    )
    page = Paginator(qs, 30).get_page(request.GET.get("pagina"))
    return render(
        request,
        "threads/thread_list.html",
        {
            "page": page,
            "councils": Council.objects.all(),
            "topics": Topic.objects.all(),
            "council_slug": council_slug,
            "topic_slug": topic_slug,
            "can_open": permissions.councils_where_can_open_threads(request.user).exists(),
        },
    )


def thread_detail(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread = _thread_or_404(request, thread_id)
    return _render_thread(request, thread, PostForm(initial=_reply_initial(request)))


def _reply_initial(request: HttpRequest) -> dict:
    try:
        return {"reply_to": int(request.GET.get("responder", ""))}
    except ValueError:
        return {}


def _render_thread(
    request: HttpRequest, thread: Thread, form: PostForm, status: int = 200
) -> HttpResponse:
    user = request.user
    # Before reading the posts: the script resumes changes from this instant.
    server_time = timezone.now().isoformat()
    posts = list(selectors.thread_posts(thread))
    for post in posts:
        post.quote = selectors.quote_of(post)  # type: ignore[attr-defined]
    person = person_for_user(user=user) if user.is_authenticated else None
    reply_target = None
    reply_id = form["reply_to"].value()
    if reply_id:
        reply_target = next((p for p in posts if str(p.pk) == str(reply_id)), None)
    return render(
        request,
        "threads/thread_detail.html",
        {
            "thread": thread,
            "posts": posts,
            "last_post_id": posts[-1].pk if posts else 0,
            "server_time": server_time,
            "form": form,
            "reply_target": reply_target,
            "can_post": permissions.can_post(user, thread),
            "can_post_minutes": permissions.can_post_minutes(user, thread),
            "can_moderate": permissions.can_moderate(user),
            "person": person,
            "following": selectors.is_following(thread, person),
            "login_url": f"{reverse_login()}?next={request.path}",
        },
        status=status,
    )


def reverse_login() -> str:
    try:
        return reverse(settings.LOGIN_URL)
    except Exception:  # the account pages may be mounted elsewhere
        return "/cuenta/entrar/"


@require_POST
def post_create(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread = _thread_or_404(request, thread_id)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("threads:detail", args=[thread.pk]), reverse_login())
    form = PostForm(request.POST)
    if form.is_valid():
        reply_to = None
        if form.cleaned_data.get("reply_to"):
            reply_to = Post.objects.filter(pk=form.cleaned_data["reply_to"], thread=thread).first()
        try:
            post = services.post_create(
                thread=thread,
                author=person_for_user(user=request.user),
                body=form.cleaned_data["body"],
                reply_to=reply_to,
                is_minutes=form.cleaned_data.get("is_minutes", False),
            )
        except services.ThreadPermissionDenied as exc:
            form.add_error(None, str(exc))
            return _render_thread(request, thread, form, status=403)
        except ValidationError as exc:
            form.add_error("body", exc.messages)
        else:
            messages.success(request, _("Mensaje publicado."))
            return redirect(_post_url(post))
    return _render_thread(request, thread, form, status=400)


@login_required
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
    if not permissions.can_edit(request.user, post):
        raise Http404
    form = EditForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(post=post, actor=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form.add_error("body", exc.messages)
        else:
            messages.success(request, _("Mensaje editado."))
            return redirect(_post_url(post))
    return render(
        request,
        "threads/post_edit.html",
        {"post": post, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def post_delete(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
    if not permissions.can_delete(request.user, post):
        raise Http404
    if request.method == "POST":
        services.post_delete(post=post, actor=request.user)
        messages.success(request, _("Mensaje eliminado."))
        return redirect(_post_url(post))
    return render(request, "threads/post_delete.html", {"post": post})


@login_required
def post_hide(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
    if not permissions.can_moderate(request.user):
        raise Http404
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_hide(post=post, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error("reason", exc.messages)
        else:
            messages.success(request, _("Mensaje ocultado."))
            return redirect(_post_url(post))
    return render(request, "threads/post_hide.html", {"post": post, "form": form})


@login_required
@require_POST
def post_restore(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
    if not permissions.can_moderate(request.user):
        raise Http404
    services.post_restore(post=post, actor=request.user)
    messages.success(request, _("Mensaje restaurado."))
    return redirect(_post_url(post))


def post_history(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
    # A moderator's hide or the author's delete also hides the earlier versions.
    revisions = selectors.post_revisions(post) if post.is_visible else []
    return render(request, "threads/post_history.html", {"post": post, "revisions": revisions})


@login_required
@require_POST
def thread_follow(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread = _thread_or_404(request, thread_id)
    person = person_for_user(user=request.user)  # type: ignore[arg-type]  # login_required
    if request.POST.get("action") == "unfollow":
        services.thread_unfollow(thread=thread, person=person)
        messages.success(request, _("Ya no sigues este hilo."))
    else:
        services.thread_follow(thread=thread, person=person)
        messages.success(request, _("Sigues este hilo: te avisaremos de los mensajes nuevos."))
    return redirect("threads:detail", thread_id=thread.pk)


@require_http_methods(["GET", "HEAD", "POST"])
def idea_thread(request: HttpRequest, code: str) -> HttpResponse:
    """Every public idea's conversation; a merged idea's is its canonical idea's; a hidden idea
    has none (404). Reading never writes: before the first message the page shows the post form
    alone, and that message (POST here) opens the thread and leads to its live page."""
    idea = participation_selectors.idea_by_code(code)
    if idea is None:
        raise Http404
    if idea.merged_into_id is not None:
        try:
            canonical = participation_selectors.canonical_of(idea)
        except participation_selectors.MergeChainError as exc:
            raise Http404 from exc
        if canonical.hidden_at is not None:
            raise Http404
        if request.method != "POST":
            return redirect("threads:idea_thread", code=canonical.formatted_code)
        idea = canonical  # a page opened before the merge: its message goes to the survivor
    thread = selectors.thread_for_idea(idea)
    if thread is not None and not permissions.can_view(request.user, thread):
        raise Http404
    if request.method != "POST":
        if thread is not None:
            return redirect("threads:detail", thread_id=thread.pk)
        return _render_idea_conversation(request, idea, PostForm())
    if not request.user.is_authenticated:
        return redirect_to_login(request.path, reverse_login())
    form = PostForm(request.POST)
    if form.is_valid():
        try:
            post = services.idea_post_create(
                idea=idea, author=person_for_user(user=request.user), body=form.cleaned_data["body"]
            )
        except services.ThreadPermissionDenied as exc:
            form.add_error(None, str(exc))
            return _render_idea_conversation(request, idea, form, status=403)
        except ValidationError as exc:
            form.add_error("body", exc.messages)
        else:
            messages.success(request, _("Mensaje publicado."))
            return redirect(_post_url(post))
    return _render_idea_conversation(request, idea, form, status=400)


def _render_idea_conversation(
    request: HttpRequest, idea: Idea, form: PostForm, status: int = 200
) -> HttpResponse:
    """The idea's thread page if its conversation has begun, else its empty page (unsaved)."""
    thread = selectors.thread_for_idea(idea)
    if thread is not None:
        return _render_thread(request, thread, form, status=status)
    preview = selectors.idea_thread_preview(idea)
    context = {
        "thread": preview,
        "idea": idea,
        "form": form,
        "post_action": reverse("threads:idea_thread", args=[idea.formatted_code]),
        "can_post": permissions.can_post(request.user, preview),
        "login_url": f"{reverse_login()}?next={request.path}",
    }
    return render(request, "threads/idea_thread_new.html", context, status=status)


@login_required
def thread_open(request: HttpRequest) -> HttpResponse:
    councils = permissions.councils_where_can_open_threads(request.user)
    if not councils.exists():
        raise Http404
    form = ThreadOpenForm(request.POST or None, councils=councils)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            thread = services.thread_open(
                actor=request.user,
                council=data["council"],
                title=data["title"],
                kind=data["kind"],
                visibility=data["visibility"],
                meeting_date=data.get("meeting_date"),
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Hilo abierto."))
            return redirect("threads:detail", thread_id=thread.pk)
    return render(request, "threads/thread_open.html", {"form": form})
