import type { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * How a 2xx body is wrapped: `data` is `{status, data, timestamp}` (sendData), `list` is the
 * paginated `{status, data: [...], pagination, timestamp}` (sendList), `raw` is the schema as is.
 */
export type ResponseEnvelope = 'data' | 'list' | 'raw';

export interface RouteResponse {
  description: string;
  /** The `data` of a success body (or the whole body with `envelope: 'raw'`); errors default to the error body. */
  schema?: z.ZodType;
  envelope?: ResponseEnvelope;
  /** A media type other than JSON, e.g. text/html for a page. */
  contentType?: string;
  /** OpenAPI links: the operations this answer gives the ids of (clients and fuzzers follow them). */
  links?: Record<string, RouteLink>;
}

export interface RouteLink {
  operationId: string;
  /** Parameter name -> runtime expression, e.g. `$response.body#/data/id`. */
  parameters?: Record<string, string>;
  /** A body (or runtime expressions in one) to send to the operation. */
  requestBody?: unknown;
  description?: string;
}

/**
 * Links from an answer whose `data.id` (or `pointer`) is the `id` path parameter of each of the
 * named operations: a created resource to what reads, changes or deletes it.
 */
export function linksToId(operationIds: string[], pointer = '/data/id', parameter = 'id'): Record<string, RouteLink> {
  return Object.fromEntries(
    operationIds.map((operationId) => [operationId, { operationId, parameters: { [parameter]: `$response.body#${pointer}` } }]),
  );
}

export interface MultipartPart {
  description: string;
  required?: boolean;
}

export interface RouteDoc {
  method: HttpMethod;
  /** OpenAPI path template: `/api/v1/quizzes/{id}`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Defaults to method + path in camel case. */
  operationId?: string;
  /** Path parameters, one property each; a `{name}` of the path without one is documented as a string. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** Request headers the route reads, one property each (e.g. `Idempotency-Key`). */
  headers?: z.ZodObject;
  /** A JSON body, documented as the input of the schema (before defaults and transforms). */
  body?: z.ZodType;
  /** A multipart/form-data body: the file parts and the schema of the text fields. */
  multipart?: { files: Record<string, MultipartPart>; fields?: z.ZodObject };
  responses: Record<number, RouteResponse>;
  /** `bearer`: needs `Authorization: Bearer <token>` from login; `none`: public. */
  security: 'bearer' | 'none';
}

/** Names the list of routes a module documents, so a typo in a route object fails the build. */
export function defineRoutes(routes: RouteDoc[]): RouteDoc[] {
  return routes;
}
