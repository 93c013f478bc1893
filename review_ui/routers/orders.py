"""Orders: status, reservations, backorders and ERP push state (everyone may look)."""
from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from review_ui.deps import ContextDep, SessionDep, guarded
from review_ui.roles import EVERYONE
from review_ui.templating import render
from review_ui.views import orders as orders_view

router = APIRouter(prefix="/orders", tags=["orders"], dependencies=guarded(EVERYONE), include_in_schema=False)


@router.get("")
def orders_page(request: Request, session: SessionDep, status: str | None = None, customer: str | None = None,
                q: str | None = None, page: int = 1):
    items, total = orders_view.list_orders(session=session, status=status or None, customer=customer or None,
                                           q=q or None, page=page)
    return render(request, "orders.html", {
        "orders": items, "total": total, "page": page, "pages": max(1, -(-total // orders_view.PAGE_SIZE)),
        "status": status or "", "customer": customer or "", "q": q or "", "statuses": orders_view.STATUSES,
        "customers": orders_view.customers(session=session),
    })


@router.get("/{order_id}")
def order_page(request: Request, order_id: str, context: ContextDep):
    order = orders_view.order_detail(context, order_id)
    if order is None:
        raise HTTPException(404, "no such order")
    return render(request, "order.html", {"order": order})
