"""Pages: staff propose a list, swap a seat, send the invitations; everyone sees the balance by
category, the national council's rotation and a region's convocation fatigue (counts; names of
organisations only where they are public members of a council)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from forum.moderation.views.common import login_or_403
from forum.participation.models import Council, Dialogue, Region

from . import pages, reasons, rotation, rule, selectors, services
from .forms import ProposeForm, SwapForm
from .models import Seat
from .permissions import can_convene

staff_required = login_or_403(lambda r: can_convene(r.user))


_balance_context = pages.balance_context


@staff_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_create(
                actor=request.user,
                dialogue=data["dialogue"],
                council=data["council"],
                size=data["size"],
                fatigue_cap=data["fatigue_cap"],
            )
        except services.ConvocationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("convocation:proposal", pk=proposal.pk)
    return render(
        request,
        "convocation/index.html",
        {
            "form": form,
            "proposals": selectors.proposals()[:50],
            "regions": Region.objects.all(),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(selectors.proposals(), pk=pk)
    if request.method == "POST" and request.POST.get("action") == "invite":
        sent, missing = services.proposal_invite(actor=request.user, proposal=proposal)
        messages.success(request, _("Invitaciones enviadas: %(n)s.") % {"n": sent})
        if missing:
            names = ", ".join(s.organisation.name for s in missing)
            messages.warning(
                request,
                _("Sin contacto con consentimiento (no se invitaron): %(names)s")
                % {"names": names},
            )
        return redirect("convocation:proposal", pk=proposal.pk)
    seats = [
        (seat, reasons.reason_sentence(seat.reason)) for seat in selectors.seats_for_page(proposal)
    ]
    return render(
        request,
        "convocation/proposal.html",
        {
            "proposal": proposal,
            "seats": seats,
            "shortfalls": [reasons.shortfall_sentence(s) for s in proposal.shortfalls],
            "pending": any(s.state == Seat.State.PROPOSED for s, _r in seats),
            **_balance_context(proposal),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def swap(request: HttpRequest, pk: int) -> HttpResponse:
    seat = get_object_or_404(Seat.objects.select_related("proposal__region", "organisation"), pk=pk)
    proposal = seat.proposal
    on_list = proposal.seats.values_list("organisation_id", flat=True)
    choices = (
        selectors.region_organisations(proposal.region)
        .filter(actor_category=seat.category)
        .exclude(pk__in=on_list)
        .order_by("name", "pk")
    )
    form = SwapForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            services.seat_swap(
                actor=request.user,
                seat=seat,
                organisation=form.cleaned_data["organisation"],
                reason=form.cleaned_data["reason"],
            )
        except services.ConvocationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Cupo cambiado; el motivo quedó registrado."))
            return redirect("convocation:proposal", pk=proposal.pk)
    return render(request, "convocation/swap.html", {"seat": seat, "form": form})


def national(request: HttpRequest) -> HttpResponse:
    return render(request, "convocation/national.html", rotation.national_context())


def region(request: HttpRequest, slug: str) -> HttpResponse:
    region = get_object_or_404(Region, slug=slug)
    today = timezone.localdate()
    staff = can_convene(request.user)
    public = selectors.public_member_ids(region)
    most = selectors.most_convened(region, today)
    never = list(selectors.never_convened(region)[:200])
    return render(
        request,
        "convocation/region.html",
        {
            "region": region,
            "staff": staff,
            "public_ids": public,
            "most": [o for o in most if staff or o.pk in public],
            "most_counts": _labelled(selectors.category_counts(most)),
            "never": [o for o in never if staff or o.pk in public],
            "never_counts": _labelled(selectors.category_counts(never)),
            "roles": reasons.category_roles(),
        },
    )


def _labelled(counts: dict[str, int]) -> list[tuple[str, int]]:
    return [(reasons.category_label(c), n) for c, n in counts.items()]


def _space_page(request: HttpRequest, space: Dialogue | Council, proposal) -> HttpResponse:
    public = selectors.public_member_ids()
    seats = []
    if proposal is not None:
        seats = [
            s
            for s in selectors.active_seats(proposal)
            if s.organisation_id in public and s.state != Seat.State.PROPOSED
        ]
    history = selectors.council_history(space) if isinstance(space, Council) else []
    return render(
        request,
        "convocation/space.html",
        {
            "space": space,
            "proposal": proposal,
            "named_seats": seats,
            "history": history,
            "categories": [reasons.category_label(c) for c in rule.CATEGORIES],
            **_balance_context(proposal),
        },
    )


def dialogue(request: HttpRequest, slug: str) -> HttpResponse:
    d = get_object_or_404(Dialogue, slug=slug)
    return _space_page(request, d, selectors.latest_proposal(dialogue=d))


def council(request: HttpRequest, slug: str) -> HttpResponse:
    c = get_object_or_404(Council, slug=slug)
    return _space_page(request, c, selectors.latest_proposal(council=c))
