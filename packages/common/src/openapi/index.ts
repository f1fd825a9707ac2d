export { defineRoutes, linksToId, type HttpMethod, type MultipartPart, type ResponseEnvelope, type RouteDoc, type RouteLink, type RouteResponse } from './route-doc.js';
export {
  buildOpenApiDocument,
  operationIdOf,
  toSchema,
  type OpenApiDocument,
  type OpenApiInfo,
  type OpenApiOptions,
} from './build-openapi-document.js';
export { deletedResult, integerIdParams, isoTimestamp, uuidIdParams } from './response-schemas.js';
