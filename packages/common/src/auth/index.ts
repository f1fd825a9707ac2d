export { createAccessTokens, bearerToken, type AccessClaims, type AccessTokenService } from './jwt.js';
export {
  createInternalTokens,
  requireInternalIdentity,
  currentUser,
  INTERNAL_TOKEN_HEADER,
  type InternalTokens,
} from './internal.js';
