export * from './document-contract.js';
