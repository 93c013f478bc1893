# One image for every role (web, worker, poller); the command chooses the role.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 OMS_LOG_JSON=1
WORKDIR /app
# a CJK font: pdfium reads and renders Chinese text in fonts the PDF does not embed (else the slow path)
RUN apt-get update && apt-get install -y --no-install-recommends fonts-wqy-microhei && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml constraints.txt README.md ./
COPY oms ./oms
COPY intake ./intake
COPY agents ./agents
COPY oms_core ./oms_core
COPY review_ui ./review_ui
COPY fixtures ./fixtures
RUN pip install --no-cache-dir -c constraints.txt . && useradd --create-home oms
USER oms
EXPOSE 8000
CMD ["oms", "serve", "--host", "0.0.0.0", "--port", "8000"]
