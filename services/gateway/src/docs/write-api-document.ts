import { writeFileSync } from 'node:fs';
import { buildApiDocument } from './api-document.js';
import { API_DOCUMENT_FILE } from './api-document-file.js';

// Run by the build after tsc: the services' route schemas are needed here, at build time, and
// never by the running gateway.
writeFileSync(API_DOCUMENT_FILE, `${JSON.stringify(buildApiDocument(), null, 1)}\n`);
