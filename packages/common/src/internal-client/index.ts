export {
  createInternalClient,
  InternalCallError,
  type InternalCall,
  type InternalCallFailure,
  type InternalClient,
  type InternalClientOptions,
  type InternalRequest,
} from './internal-client.js';
