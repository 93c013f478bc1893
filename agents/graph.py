"""The order-intake workflow. `build_graph` only wires: the steps live in agents/nodes/.

classify -> extract -> match -> validate -> decide -> commit -> confirm, with
decide -> hold -> human_review (interrupt) -> commit when a person must look. One checkpointed
thread per inbound message (thread_id = the message key).
"""
from __future__ import annotations

import functools
from typing import Literal

from langgraph.graph import END, START, StateGraph

from agents.context import Context
from agents.nodes.classify import classify
from agents.nodes.commit import commit
from agents.nodes.confirm import confirm
from agents.nodes.decide import decide
from agents.nodes.extract import extract
from agents.nodes.hold import hold
from agents.nodes.human_review import human_review
from agents.nodes.match import match
from agents.nodes.validate import validate
from agents.state import InputState, OrderState


def after_classify(state: OrderState) -> Literal["extract", "decide"]:
    """Non-orders skip reading; anything that might be an order is read."""
    if state.get("kind") == "not_order" and state.get("readable", True):
        return "decide"
    return "extract"


def after_decide(state: OrderState) -> Literal["hold", "commit"]:
    """Only a review decision waits for a person."""
    return "hold" if state.get("decision") == "review" else "commit"


def build_graph(checkpointer, context: Context):
    """Compile the workflow with a checkpointer (mandatory: review pauses need it) and a context."""
    if checkpointer is None:
        raise ValueError("a checkpointer is required: human review pauses the thread")
    bind = functools.partial
    graph = StateGraph(OrderState, input_schema=InputState)
    graph.add_node("classify", bind(classify, context=context))
    graph.add_node("extract", bind(extract, context=context))
    graph.add_node("match", bind(match, context=context))
    graph.add_node("validate", bind(validate, context=context))
    graph.add_node("decide", bind(decide, context=context))
    graph.add_node("hold", bind(hold, context=context))
    graph.add_node("human_review", human_review)
    graph.add_node("commit", bind(commit, context=context))
    graph.add_node("confirm", bind(confirm, context=context))
    graph.add_edge(START, "classify")
    graph.add_conditional_edges("classify", after_classify)
    graph.add_edge("extract", "match")
    graph.add_edge("match", "validate")
    graph.add_edge("validate", "decide")
    graph.add_conditional_edges("decide", after_decide)
    graph.add_edge("hold", "human_review")
    graph.add_edge("human_review", "commit")
    graph.add_edge("commit", "confirm")
    graph.add_edge("confirm", END)
    return graph.compile(checkpointer=checkpointer)
