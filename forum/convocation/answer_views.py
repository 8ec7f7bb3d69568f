"""The pages an invitation's link and a consent request's link open (no sign-in: the token in
the address is the proof; it only went to that person). E-mail has no buttons, so these pages
are where its readers answer: asistiré, no puedo, or propongo a otra persona (a name and an
e-mail or WhatsApp number); and the person proposed accepts or refuses to be a contact."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import delegations, selectors, services
from .forms import DelegateForm
from .models import Delegation, Invitation


def _delegate(request: HttpRequest, token: str, form: DelegateForm) -> bool:
    if not form.is_valid():
        return False
    try:
        reach = delegations.parse_reach(form.cleaned_data["reach"])
        delegations.invitation_delegate(token=token, name=form.cleaned_data["name"], reach=reach)
    except services.ConvocationError as exc:
        form.add_error(None, exc)
        return False
    messages.success(
        request,
        _(
            "Gracias. Le pedimos su consentimiento a %(name)s; cuando acepte, le enviaremos la "
            "invitación. El cupo sigue reservado para tu organización."
        )
        % {"name": form.cleaned_data["name"]},
    )
    return True


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise Http404(_("No encontramos esa invitación."))
    form = DelegateForm(request.POST if request.POST.get("answer") == "other" else None)
    error = ""
    if request.method == "POST":
        choice = request.POST.get("answer", "")
        try:
            if choice == Invitation.Answer.OTHER:
                if _delegate(request, token, form):
                    return redirect("convocation:answer", token=token)
            else:
                services.invitation_answer(token=token, answer=choice, channel=None)
                messages.success(request, _("Gracias, anotamos tu respuesta."))
                return redirect("convocation:answer", token=token)
        except services.ConvocationError as exc:
            error = " ".join(exc.messages)
        invitation = selectors.invitation_by_token(token)
    return render(
        request,
        "convocation/answer.html",
        {
            "invitation": invitation,
            "seat": invitation.seat if invitation else None,
            "form": form,
            "error": error,
            "path": services.space_path(invitation.seat.proposal) if invitation else "/",
        },
    )


@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, token: str) -> HttpResponse:
    delegation = (
        Delegation.objects.select_related(
            "invitation__seat__proposal", "invitation__seat__organisation"
        )
        .filter(token=token, contact__isnull=False)
        .first()
    )
    if delegation is None:
        raise Http404(_("No encontramos esa solicitud."))
    error = ""
    if request.method == "POST":
        try:
            _delegation, invitation = delegations.delegation_answer(
                token=token, accept=request.POST.get("accept") == "yes"
            )
        except services.ConvocationError as exc:
            error = " ".join(exc.messages)
        else:
            if invitation is not None:
                messages.success(request, _("Gracias. Te enviamos la invitación."))
                return redirect("convocation:answer", token=invitation.token)
            if _delegation.state == Delegation.State.CONSENTED:
                messages.info(request, _("Gracias. Ese cupo ya no está disponible."))
            else:
                messages.success(request, _("Entendido: borramos tus datos."))
            return redirect("/")
    return render(request, "convocation/consent.html", {"delegation": delegation, "error": error})
