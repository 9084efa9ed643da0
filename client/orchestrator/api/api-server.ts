/**
 * The API server: HTTPS on 127.0.0.1 only (kubectl sends tokens only over TLS), bearer-token auth on every request,
 * discovery, OpenAPI, and the resource routes of the registry.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { badRequest, StatusError } from '../store/errors';
import type { ApiContext, Call } from './api-context';
import { handleDelete, handleDeleteCollection } from './delete-handler';
import {
  AGGREGATED_V2,
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  versionInfo,
  wantsAggregated,
} from './discovery';
import { authorized } from './bearer-token';
import type { EarlyApi } from './early-api-server';
import { answerClientErrors } from './client-error';
import { serverTlsOptions } from './server-tls';
import { sendError, sendJson } from './http-io';
import { OpenApiDocuments } from './openapi';
import { serveOpenApi } from './openapi-handler';
import { handlePatch } from './patch-handler';
import { handleGet, handleList } from './read-handlers';
import { parseRequestPath, podTarget, splitRequestTarget, type PodTarget, type ResourceRequest } from './request-info';
import { handleEviction } from './eviction-handler';
import { handleBinding, handleLog, handleScale } from './subresource-handlers';
import { handleEphemeralContainers } from './ephemeral-containers';
import { execUpgradeHandler } from './exec-websocket';
import { PORT_FORWARD_PATH, portForwardUpgradeHandler, refuse } from './port-forward-upgrade';
import { handleWatch } from './watch-handler';
import { traceRequest, tracing } from './loop-trace';
import { requestStarted, staysOpen } from './request-priority';
import { handleCustomMetrics } from './metrics/custom-metrics-handler';
import { handleResourceMetrics } from './metrics/resource-metrics-handler';
import { handleHpaV1 } from './hpa-v1';
import { handleCreate, handleUpdate } from './write-handlers';
import { booleanParam, checkQueryParams } from './query-params';

export interface ApiServerOptions extends ApiContext {
  token: string;
  /** PEM key and certificate the server presents. */
  tls: { key: string; cert: string };
  port: number;
  host?: string;
  /** A socket `cluster start` already listens on (early-api-server.ts): taken over instead of a new one. */
  early?: EarlyApi;
}

export interface RunningApiServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

const notAllowed = () =>
  new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
const notFoundPath = (path: string) =>
  new StatusError('NotFound', `the server could not find the requested resource (${path})`);

export class ApiServer {
  private readonly server: Server;
  private serverAddress = '127.0.0.1:0';
  private readonly openApi: OpenApiDocuments;
  private readonly takeOver: (() => void) | undefined;

  constructor(private readonly options: ApiServerOptions) {
    this.openApi = new OpenApiDocuments(options.registry, options.schemas);
    const onRequest = (req: IncomingMessage, res: ServerResponse) => {
      if (!staysOpen(req.url)) res.once('close', requestStarted());
      if (tracing) {
        const started = performance.now();
        res.once('finish', () => traceRequest(performance.now() - started));
      }
      void this.handle(req, res).catch((error: unknown) => sendError(res, error));
    };
    const exec = execUpgradeHandler({ ctx: options, authorized: (req) => authorized(req, options.token) });
    const portForward = portForwardUpgradeHandler({ ctx: options });
    const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!authorized(req, options.token)) return exec(req, socket, head);
      let target: PodTarget | undefined;
      try {
        target = podTarget(PORT_FORWARD_PATH, splitRequestTarget(req.url).path);
      } catch (error) {
        const status = error instanceof StatusError ? error : new StatusError('BadRequest', String(error));
        return refuse(socket, status.code, status.reason, status.message);
      }
      if (target) portForward(req, socket, head, target);
      else exec(req, socket, head);
    };
    if (options.early) {
      // Its own listeners answer liveness and park the rest until `listen()` hands it over.
      this.server = options.early.server;
      this.takeOver = () => options.early!.handOver(onRequest, onUpgrade);
      return;
    }
    this.server = createServer(serverTlsOptions(options.tls), onRequest);
    this.server.keepAliveTimeout = 60_000;
    answerClientErrors(this.server);
    this.server.on('upgrade', onUpgrade);
  }

  async listen(): Promise<RunningApiServer> {
    const host = this.options.early?.host ?? this.options.host ?? '127.0.0.1';
    if (this.takeOver) this.takeOver();
    else
      await new Promise<void>((resolve, reject) => {
        this.server.once('error', reject);
        this.server.listen(this.options.port, host, () => resolve());
      });
    const { port } = this.server.address() as AddressInfo;
    this.serverAddress = `${host}:${port}`;
    return {
      port,
      url: `https://${host}:${port}`,
      close: () =>
        new Promise<void>((resolve) => {
          this.server.close(() => resolve());
          this.server.closeAllConnections();
        }),
    };
  }

  /** Builds the `/openapi/v3` documents in the background (OpenApiDocuments.warm) until closed. */
  warmOpenApi(): Promise<void> {
    return this.openApi.warm(() => !this.server.listening);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!authorized(req, this.options.token)) throw new StatusError('Unauthorized', 'Unauthorized');
    // Routed on the raw path: WHATWG URL parsing would resolve an encoded `%2e%2e` to the parent.
    const { path, query } = splitRequestTarget(req.url);
    const info = parseRequestPath(path);
    if (info.type === 'resource') {
      await this.handleResource(req, res, info, query);
      return;
    }
    if (req.method !== 'GET') throw notAllowed();
    this.handleStatic(req, res, path, query);
  }

  private handleStatic(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): void {
    const { registry } = this.options;
    const accept = req.headers.accept;
    if (path === '/version') return sendJson(res, 200, versionInfo(this.options.schemas?.kubernetesVersion));
    if (path === '/healthz' || path === '/livez' || path === '/readyz') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('ok');
      return;
    }
    if (path === '/api' || path === '/apis') {
      if (wantsAggregated(accept))
        return sendJson(res, 200, aggregatedDiscovery(registry, path === '/api'), AGGREGATED_V2);
      return sendJson(res, 200, path === '/api' ? apiVersions(this.serverAddress) : apiGroupList(registry));
    }
    if (path === '/openapi/v3' || path.startsWith('/openapi/v3/'))
      return serveOpenApi(req, res, this.openApi, path, query);
    const parts = path.split('/').filter(Boolean);
    if (parts[0] === 'api' && parts.length === 2) {
      const list = apiResourceList(registry, '', parts[1]!);
      if (list) return sendJson(res, 200, list);
    }
    if (parts[0] === 'apis' && parts.length === 2) {
      const group = apiGroup(registry, parts[1]!);
      if (group) return sendJson(res, 200, group);
    }
    if (parts[0] === 'apis' && parts.length === 3) {
      const list = apiResourceList(registry, parts[1]!, parts[2]!);
      if (list) return sendJson(res, 200, list);
    }
    throw notFoundPath(path);
  }

  private async handleResource(
    req: IncomingMessage,
    res: ServerResponse,
    info: ResourceRequest,
    query: URLSearchParams,
  ): Promise<void> {
    const custom = info.group === 'custom.metrics.k8s.io' && info.version === 'v1beta2';
    const def = custom
      ? this.options.registry.inGroupVersion(info.group, info.version)[0]
      : this.options.registry.find(info.group, info.version, info.resource);
    if (!def) throw notFoundPath(req.url ?? '');
    if (def.convertedFrom !== undefined) {
      const stored = this.options.registry.find(info.group, def.convertedFrom, info.resource);
      if (!stored) throw notFoundPath(req.url ?? '');
      checkQueryParams(query);
      const warnings: string[] = [];
      return handleHpaV1({ ctx: this.options, req, res, info, def, query, warnings }, stored);
    }
    if (def.metrics) {
      const call: Call = { ctx: this.options, req, res, info, def, query, warnings: [] };
      return custom ? handleCustomMetrics(call) : handleResourceMetrics(call);
    }
    checkQueryParams(query);
    if (!def.namespaced && info.namespace !== undefined) throw notFoundPath(req.url ?? '');
    if (def.namespaced && info.namespace === undefined) {
      // Across all namespaces there is only list and watch; anything else needs a namespace.
      if (info.name !== undefined) throw notFoundPath(req.url ?? '');
      if (req.method !== 'GET') throw notAllowed();
    }
    const warnings: string[] = [];
    const call: Call = { ctx: this.options, req, res, info, def, query, warnings };
    const originalWriteHead = res.writeHead.bind(res);
    // Send admission warnings as `Warning` headers on whatever response follows.
    res.writeHead = ((...args: Parameters<ServerResponse['writeHead']>) => {
      if (warnings.length > 0 && !res.headersSent) {
        res.setHeader(
          'Warning',
          warnings.map((w) => `299 - ${JSON.stringify(w)}`),
        );
      }
      return originalWriteHead(...args);
    }) as ServerResponse['writeHead'];
    const method = req.method ?? 'GET';
    const sub = info.subresource;
    if (sub !== undefined) {
      if (!(def.subresources as string[]).includes(sub)) throw notFoundPath(req.url ?? '');
      if (sub === 'scale') return handleScale(call);
      if (sub === 'binding') {
        if (method !== 'POST') throw notAllowed();
        return handleBinding(call);
      }
      if (sub === 'eviction') {
        if (method !== 'POST') throw notAllowed();
        return handleEviction(call);
      }
      if (sub === 'ephemeralcontainers') return handleEphemeralContainers(call);
      // These stream over an upgraded connection (the server's `upgrade` listener); a plain request cannot.
      if (sub === 'attach' || sub === 'exec' || sub === 'portforward')
        throw badRequest('Upgrade request required: this subresource streams over WebSocket or SPDY');
      if (sub === 'log') {
        if (method !== 'GET') throw notAllowed();
        return handleLog(call);
      }
      if (method === 'GET') return handleGet(call);
      if (method === 'PUT') return handleUpdate(call, true);
      if (method === 'PATCH') return handlePatch(call, true);
      throw notAllowed();
    }
    const watching = info.watchPrefix || booleanParam(query, 'watch');
    if (info.name === undefined) {
      if (method === 'GET') return watching ? handleWatch(call) : handleList(call);
      if (method === 'POST') return handleCreate(call);
      if (method === 'DELETE') return handleDeleteCollection(call);
      throw notAllowed();
    }
    switch (method) {
      case 'GET':
        return watching ? handleWatch(call) : handleGet(call);
      case 'PUT':
        return handleUpdate(call);
      case 'PATCH':
        return handlePatch(call);
      case 'DELETE':
        return handleDelete(call);
      default:
        throw notAllowed();
    }
  }
}
