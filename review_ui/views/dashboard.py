"""Dashboard figures: volume, touchless rate, time in review, top reasons, automation per customer, LLM use."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from statistics import median

import sqlalchemy as sa
from sqlalchemy.orm import Session

from oms_core.adapters import orm

ORDER_DECISIONS = ("auto", "review")


def _aware(value):
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


def dashboard(*, session: Session, days: int = 30, now: datetime | None = None) -> dict:
    """All dashboard figures for the last `days` days (chart specs ready for Chart.js)."""
    now = now or datetime.now(timezone.utc)
    since = now - timedelta(days=days)
    t = orm.processed_messages
    rows = session.execute(
        sa.select(t.c.created_at, t.c.decision, t.c.status, t.c.customer_id, t.c.review_reasons, t.c.decided_at,
                  t.c.decided_by, t.c.llm_tokens, t.c.llm_cost)
        .where(t.c.created_at >= since)
    ).all()
    day_labels = [(since + timedelta(days=i + 1)).date().isoformat() for i in range(days)]
    per_day = Counter()
    auto_day, order_day = Counter(), Counter()
    tokens_day, cost_day = Counter(), defaultdict(Decimal)
    reasons = Counter()
    per_customer: dict[str, Counter] = defaultdict(Counter)
    review_hours: list[float] = []
    for r in rows:
        day = _aware(r.created_at).date().isoformat()
        per_day[day] += 1
        if r.decision in ORDER_DECISIONS:
            order_day[day] += 1
            auto_day[day] += r.decision == "auto"
            per_customer[r.customer_id or "(unknown)"][r.decision] += 1
        for code in r.review_reasons or []:
            reasons[code] += 1
        if r.decided_by and r.decided_at and r.decision == "review":
            review_hours.append((_aware(r.decided_at) - _aware(r.created_at)).total_seconds() / 3600)
        tokens_day[day] += r.llm_tokens or 0
        cost_day[day] += Decimal(str(r.llm_cost or 0))
    waiting = session.execute(sa.select(sa.func.count()).select_from(t).where(t.c.status == "needs_review")).scalar_one()
    orders_total = sum(order_day.values())
    auto_total = sum(auto_day.values())
    top_customers = sorted(per_customer.items(), key=lambda kv: -sum(kv[1].values()))[:15]
    names = dict(session.execute(sa.select(orm.customers.c.customer_id, orm.customers.c.name)
                                 .where(orm.customers.c.customer_id.in_([c for c, _ in top_customers]))).all()) if top_customers else {}
    top_reasons = reasons.most_common(10)
    return {
        "days": days,
        "kpis": {
            "messages": len(rows),
            "touchless": (auto_total / orders_total) if orders_total else None,
            "waiting": waiting,
            "median_review_hours": median(review_hours) if review_hours else None,
            "llm_tokens": sum(tokens_day.values()),
            "llm_cost": sum(cost_day.values(), Decimal(0)),
        },
        "charts": {
            "messages": _bar(day_labels, [("messages", [per_day[d] for d in day_labels], "#2456d6")]),
            "touchless": _line(day_labels, "touchless %", [round(100 * auto_day[d] / order_day[d], 1) if order_day[d] else None for d in day_labels]),
            "review_time": _histogram(review_hours),
            "reasons": _bar([c for c, _ in top_reasons], [("messages", [n for _, n in top_reasons], "#b7791f")], horizontal=True),
            "customers": _bar([names.get(c) or c for c, _ in top_customers], [
                ("automatic", [cnt["auto"] for _, cnt in top_customers], "#1f8a4c"),
                ("review", [cnt["review"] for _, cnt in top_customers], "#b7791f")], stacked=True, horizontal=True),
            "llm": _bar(day_labels, [("tokens", [tokens_day[d] for d in day_labels], "#7c3aed")]),
        },
        "llm_used": bool(sum(tokens_day.values())),
    }


def _bar(labels, series, horizontal=False, stacked=False) -> dict:
    options = {"indexAxis": "y"} if horizontal else {}
    if stacked:
        options["scales"] = {"x": {"stacked": True}, "y": {"stacked": True}}
    return {"type": "bar", "data": {"labels": labels, "datasets": [
        {"label": label, "data": data, "backgroundColor": color} for label, data, color in series]}, "options": options}


def _line(labels, label, data) -> dict:
    return {"type": "line", "data": {"labels": labels, "datasets": [
        {"label": label, "data": data, "borderColor": "#1f8a4c", "spanGaps": True, "tension": 0.2}]},
        "options": {"scales": {"y": {"min": 0, "max": 100}}}}


def _histogram(hours: list[float]) -> dict:
    edges = [(0, 0.25, "<15 min"), (0.25, 1, "15-60 min"), (1, 4, "1-4 h"), (4, 24, "4-24 h"), (24, 72, "1-3 d"), (72, 1e9, ">3 d")]
    counts = [sum(1 for h in hours if lo <= h < hi) for lo, hi, _ in edges]
    return _bar([label for _, _, label in edges], [("reviews", counts, "#2456d6")])
