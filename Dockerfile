# The actorgraph API, built from the locked dependencies.
FROM python:3.11-slim

COPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /usr/local/bin/uv
ENV UV_PYTHON_DOWNLOADS=never UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy

WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --locked --no-dev --no-install-project
COPY actorgraph ./actorgraph
COPY data ./data
COPY examples ./examples
RUN uv sync --locked --no-dev

ENV PATH="/app/.venv/bin:$PATH"
EXPOSE 8000
USER nobody
CMD ["actorgraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
