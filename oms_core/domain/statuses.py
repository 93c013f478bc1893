"""Status constants, each with a one-line meaning (the vocabulary the UI and API show)."""
from __future__ import annotations


class OrderStatus:
    RECEIVED = "received"  # booked from a message, not yet checked
    NEEDS_REVIEW = "needs_review"  # waiting for a person; stock only soft-held
    ACCEPTED = "accepted"  # passed checks or approved; stock hard-reserved; ERP push queued
    CONFIRMED = "confirmed"  # confirmation to the customer queued or sent
    ALLOCATED = "allocated"  # confirmed and every line fully reserved
    BACKORDERED = "backordered"  # confirmed, at least one line waits for stock
    SHIPPED = "shipped"  # goods left the warehouse (reservations consumed)
    DELIVERED = "delivered"  # customer received the goods
    CANCELLED = "cancelled"  # cancelled by customer or us; stock released
    REJECTED = "rejected"  # refused in review (not an order, duplicate, fraud); stock released

    MEANINGS = {
        RECEIVED: "booked from a message, not yet checked",
        NEEDS_REVIEW: "waiting for a person; stock only soft-held",
        ACCEPTED: "passed checks or approved; stock hard-reserved; ERP push queued",
        CONFIRMED: "confirmation to the customer queued or sent",
        ALLOCATED: "confirmed and every line fully reserved",
        BACKORDERED: "confirmed, at least one line waits for stock",
        SHIPPED: "goods left the warehouse (reservations consumed)",
        DELIVERED: "customer received the goods",
        CANCELLED: "cancelled by customer or us; stock released",
        REJECTED: "refused in review; stock released",
    }
    ALL = tuple(MEANINGS)
    OPEN = (RECEIVED, NEEDS_REVIEW, ACCEPTED, CONFIRMED, ALLOCATED, BACKORDERED)
    CLOSED = (SHIPPED, DELIVERED, CANCELLED, REJECTED)
    # Which statuses an order may move to, from which (anything else is an InvalidTransition).
    ALLOWED_FROM = {
        NEEDS_REVIEW: (RECEIVED,),
        ACCEPTED: (RECEIVED, NEEDS_REVIEW),
        CONFIRMED: (ACCEPTED,),
        ALLOCATED: (CONFIRMED, BACKORDERED),
        BACKORDERED: (CONFIRMED, ALLOCATED),
        SHIPPED: (ACCEPTED, CONFIRMED, ALLOCATED, BACKORDERED),
        DELIVERED: (SHIPPED,),
        CANCELLED: (RECEIVED, NEEDS_REVIEW, ACCEPTED, CONFIRMED, ALLOCATED, BACKORDERED),
        REJECTED: (RECEIVED, NEEDS_REVIEW),
    }
    CHANGEABLE = (RECEIVED, NEEDS_REVIEW, ACCEPTED, CONFIRMED, ALLOCATED, BACKORDERED)


class LineStatus:
    OPEN = "open"  # not (yet) reserved: review pending or SKU unknown
    RESERVED = "reserved"  # the whole quantity is reserved
    PARTIAL = "partial"  # part reserved, the rest backordered
    BACKORDERED = "backordered"  # nothing in stock; waits for replenishment
    SHIPPED = "shipped"  # shipped in full
    CANCELLED = "cancelled"  # removed by a change order or cancellation


class ReservationKind:
    SOFT = "soft"  # holds stock while an order waits in review; expires
    HARD = "hard"  # booked for an accepted order; only shipping or cancelling ends it


class ReservationStatus:
    ACTIVE = "active"  # counts against ATP
    CONSUMED = "consumed"  # turned into a shipment (on hand reduced)
    RELEASED = "released"  # given back (cancel, change, reject)
    EXPIRED = "expired"  # a soft hold that ran out of time


class MessageDecision:
    AUTO = "auto"  # booked without a person
    REVIEW = "review"  # routed to a person
    REJECTED = "rejected"  # refused (by a reviewer or a hard rule)
    FAILED = "failed"  # processing broke; the message is kept for retry
    NOT_ORDER = "not_order"  # not an order (newsletter, question, ...)
    ALL = (AUTO, REVIEW, REJECTED, FAILED, NOT_ORDER)


class MessageStatus:
    PROCESSING = "processing"  # a worker is on it
    NEEDS_REVIEW = "needs_review"  # waiting in the review queue
    DONE = "done"  # decided and booked (or deliberately not booked)
    FAILED = "failed"  # processing failed; see error
    ALL = (PROCESSING, NEEDS_REVIEW, DONE, FAILED)


class OutboxKind:
    ERP_PUSH = "erp_push"  # send the order to the ERP
    CONFIRMATION = "confirmation"  # email the order confirmation (threaded reply)
    ORDER_RESPONSE = "order_response"  # structured response (EDI/UBL) to the buyer


class OutboxStatus:
    PENDING = "pending"  # due at next_attempt_at
    SENDING = "sending"  # claimed by a dispatcher
    SENT = "sent"  # delivered; external_ref set
    DEAD = "dead"  # gave up after too many attempts; needs a person
    DRAFT = "draft"  # held for a person to send (auto_send_confirmation off)


class Disposition:
    RESTOCK = "restock"  # returned goods go back on hand
    SCRAP = "scrap"  # returned goods are written off
