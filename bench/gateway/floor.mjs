// The floor of the gateway's stack: Express 5 and http-proxy-middleware forwarding to the service,
// served the way the services are (listen() from @learner/common/http), with none of the gateway's
// own work: no helmet, CORS, request ids, metrics, token check, rate limit or identity headers.
import { Agent } from 'node:http';
import express from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { listen } from '@learner/common/http';

const app = express();
const agent = new Agent({ keepAlive: true, maxFreeSockets: 256 });
app.use(createProxyMiddleware({ target: process.env.UPSTREAM_URL, agent, ejectPlugins: true }));
const server = await listen(app, Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
