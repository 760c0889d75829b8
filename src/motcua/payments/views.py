"""HTML pages of payments: where the payer lands back from the gateway, and the simulator's bank."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from motcua.errors import MotcuaError
from motcua.payments import gateway as gw
from motcua.payments import selectors, simulator


def _error_page(request: HttpRequest, exc: MotcuaError) -> HttpResponse:
    return render(request, "payments/error.html", {"message": exc.message}, status=exc.status)


@require_http_methods(["GET"])
def payment_return(request: HttpRequest, gateway: str) -> HttpResponse:
    """The payer is back from the gateway. Shows the outcome; changes nothing (the gateway's
    notification is what settles a payment)."""
    try:
        result = gw.get_gateway(gateway).verify_callback(request.GET.dict())
    except MotcuaError as exc:
        return _error_page(request, exc)
    payment = selectors.payment_by_reference(gateway, result.reference)
    return render(request, "payments/return.html", {"result": result, "payment": payment})


@require_http_methods(["GET", "POST"])
def simulator_pay(request: HttpRequest, reference: str) -> HttpResponse:
    """The simulated bank's pay page: GET shows the order from the signed request, POST pays or cancels."""
    try:
        gateway = simulator.simulator_gateway()
        if request.method == "GET":
            txn = simulator.open_payment(gateway, reference, request.GET.dict())
            return render(request, "payments/simulator_pay.html", {"txn": txn, "merchant": gateway.merchant})
        txn, params = simulator.complete_payment(gateway, reference, pay=request.POST.get("action") == "pay")
    except MotcuaError as exc:
        return _error_page(request, exc)
    return HttpResponseRedirect(simulator.return_redirect_url(gateway, txn, params))


@csrf_exempt  # server to server, authenticated by the request's signature
@require_POST
def simulator_query(request: HttpRequest) -> HttpResponse:
    """The simulator's status query endpoint (JSON, signed)."""
    try:
        return JsonResponse(simulator.answer_query(simulator.simulator_gateway(), request.POST.dict()))
    except MotcuaError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status)


@csrf_exempt  # server to server, authenticated by the request's signature
@require_POST
def simulator_reconciliation(request: HttpRequest) -> HttpResponse:
    """The simulator's daily reconciliation file (CSV, signed)."""
    try:
        body = simulator.reconciliation_file(simulator.simulator_gateway(), request.POST.dict())
    except MotcuaError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status)
    return HttpResponse(body, content_type="text/csv; charset=utf-8")
