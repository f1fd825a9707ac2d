export * from './document-contract.js';
export * from './document-events.js';
export * from './user-erasure.js';
export * from './study-pack.js';
export * from './quiz-contract.js';
export * from './tts-contract.js';
