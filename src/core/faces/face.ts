import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { CredentialKind } from '../auth/principal.js';

/** The public API dialects this service speaks over one identity store. */
export type FaceName = 'barong' | 'gateway' | 'network' | 'platform' | 'service';

/**
 * Who decides, after authentication, whether a principal may call a route of the face:
 * the permissions table (Barong's RBAC), nobody beyond authentication, or the key's scopes.
 */
export type AccessPolicy = 'permissions' | 'none' | 'scopes';

export interface ErrorContext {
  requestId: string;
  /** Extra fields a domain error carries (for example URnetwork's `client_limit_exceeded`). */
  details?: Record<string, unknown>;
}

/** An error as the edge renders it. */
export interface FaceError {
  status: number;
  codes: string[];
  details?: Record<string, unknown>;
}

/**
 * An OpenAPI security scheme the face documents, by name, and the credential it is part of
 * (schemes of one credential, such as the cookie and its CSRF header, are required together).
 */
export interface FaceSecurityScheme {
  name: string;
  credential: CredentialKind;
  scheme: Record<string, unknown>;
}

/**
 * Everything the shared edge (exception filter, guard, restriction screen, 404 handler, OpenAPI
 * builder) needs to know about a face. A face is a folder with its controllers, presenters and one
 * of these; nothing in core changes when a face is added.
 */
export interface FaceDefinition {
  readonly name: FaceName;
  readonly title: string;
  readonly description: string;
  /** Path prefixes of the face, used only for requests no route matched. */
  readonly prefixes: readonly string[];
  readonly accessPolicy: AccessPolicy;
  /** Credential kinds a route of this face accepts unless it declares its own. */
  readonly accepts: readonly CredentialKind[];
  /**
   * The face's code map: turns a face-neutral error (the domain's status and codes, or a
   * validation 422) into the face's own status and codes before it is rendered.
   */
  translate?(error: FaceError): FaceError;
  /** The error body for a status and the domain codes of the error. */
  renderError(status: number, codes: string[], ctx: ErrorContext): unknown;
  /** The answer to a request no route matched; defaults to renderError(404, ['route.not_found']). */
  notFound?(ctx: ErrorContext): { status: number; body: unknown };
  /**
   * Grape's `params`: every declared parameter may come from the query string or the body,
   * whichever the client used (the body wins when both name it).
   */
  readonly paramsFromQueryOrBody?: boolean;
  /** An empty body sent with a JSON content type reads as `{}` (SDKs send one on GET and DELETE). */
  readonly emptyJsonBodyIsObject?: boolean;
  /** Security schemes the face's document declares (Swagger UI offers them under Authorize). */
  readonly securitySchemes?: readonly FaceSecurityScheme[];
  /** The schema of the face's error body, documented as every operation's default response. */
  readonly errorSchema?: Record<string, unknown>;
}

export const FACE_METADATA = 'face:name';
export const LOGIN_ROUTE = 'face:login';

/** Declares the face a controller (or a single handler) belongs to. */
export const Face = (name: FaceName): ClassDecorator & MethodDecorator =>
  applyDecorators(SetMetadata(FACE_METADATA, name), ApiExtension('x-face', name)) as ClassDecorator & MethodDecorator;

/**
 * Marks a route that signs someone in: `blocklogin` restrictions and login throttling apply to it,
 * whatever its face or path.
 */
export const LoginRoute = (): MethodDecorator => SetMetadata(LOGIN_ROUTE, true);
