"""Pages of the payments app: the payer's return page and the simulator gateway's bank pages.

Mounted by the project at /payments/ (namespace "payments").
"""

from django.urls import path

from motcua.payments import views

app_name = "payments"
urlpatterns = [
    path("return/<str:gateway>/", views.payment_return, name="return"),
    path("simulator/pay/<str:reference>/", views.simulator_pay, name="simulator-pay"),
    path("simulator/query/", views.simulator_query, name="simulator-query"),
    path("simulator/reconciliation/", views.simulator_reconciliation, name="simulator-reconciliation"),
]
