// A stand-in service for the benchmark: answers every GET with a small JSON body, like a quiz read.
import { createServer } from 'node:http';

const body = JSON.stringify({
  status: 'success',
  data: { id: 'quiz-bench', title: 'Cell biology', questions: 10, difficulty: 'medium' },
  timestamp: new Date().toISOString(),
});
const server = createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
