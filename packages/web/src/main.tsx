import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient } from './api/client.js';
import { App } from './app.js';
import { createSessionStore } from './auth/session-store.js';
import './styles.css';

const session = createSessionStore(window.localStorage);
// Same origin as the gateway that serves the app: the API is at /api/v1.
const api = createApiClient({ session });

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App services={{ api, session }} />
    </StrictMode>,
  );
}
