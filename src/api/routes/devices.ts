/**
 * /api/v1/devices: the device inventory (src/devices). List with filters,
 * one device with the evidence behind each answer, and manual edits
 * (operator) that always win over discovery and survive it.
 */
import type { FastifyInstance } from 'fastify';
import {
  DEVICE_TYPES,
  deviceDetail,
  listDevices,
  type DeviceFilter,
  type DeviceOverride,
  type Inventory,
} from '../../devices/index.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { pageList, type PageParams } from '../params.ts';
import { defineRoute, query } from '../route.ts';
import { pageOf, pageQuery } from '../schemas.ts';

/** What the routes need from the device component (DeviceService implements it). */
export interface DevicesApiPort {
  inventory: Pick<Inventory, 'list' | 'get' | 'classification' | 'setOverride'>;
  /** Persists the inventory (after a manual edit). */
  save(): Promise<void>;
}

/** The API's dependencies plus the device component; without it the list is empty with a note. */
export type DeviceRouteDeps = ApiDeps & { devices?: DevicesApiPort | undefined };

/** What the list says while discovery is not connected. */
export const DEVICES_NOTE = 'device discovery is not running: this list stays empty until it is';

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const summaryProps = {
  id: str,
  ip: str,
  mac: str,
  name: str,
  deviceType: str,
  deviceTypeConfidence: { type: 'number' },
  manufacturer: str,
  model: str,
  os: str,
  osVersion: str,
  online: { type: 'boolean' },
  firstSeenMs: int,
  lastSeenMs: int,
  sources: { type: 'array', items: str },
  randomisedMac: { type: 'boolean' },
} as const;
const deviceSchema = {
  type: 'object',
  required: ['id', 'deviceType', 'online'],
  properties: summaryProps,
} as const;
const evidence = {
  type: 'object',
  properties: {
    attribute: str,
    value: str,
    weight: { type: 'number' },
    kind: str,
    detail: str,
    seenMs: { type: 'number' },
  },
} as const;
const answer = {
  type: 'object',
  properties: {
    value: str,
    confidence: { type: 'number' },
    decidedBy: { type: 'string', enum: ['evidence', 'manual'] },
    evidence: { type: 'array', items: evidence },
  },
} as const;
const loose = { type: 'object', additionalProperties: true } as const;
const detailSchema = {
  type: 'object',
  required: ['id', 'deviceType', 'online', 'classification'],
  properties: {
    ...summaryProps,
    macs: { type: 'array', items: str },
    clientIds: { type: 'array', items: str },
    addresses: { type: 'array', items: loose },
    names: { type: 'array', items: loose },
    sourceTimes: loose,
    presence: { type: 'array', items: loose },
    services: { type: 'array', items: str },
    override: loose,
    classification: { type: 'object', additionalProperties: answer },
    capabilities: { type: 'array', items: answer },
    dhcp: loose,
    dhcpv6: loose,
    traffic: loose,
    flowTraffic: loose,
  },
} as const;
const OVERRIDE_FIELDS = ['name', 'deviceType', 'manufacturer', 'model', 'os', 'osVersion'] as const;
const overrideBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    ...Object.fromEntries(
      OVERRIDE_FIELDS.map((f) => [f, { type: ['string', 'null'], minLength: 1, maxLength: 128 }]),
    ),
    // One of the classes, so the device_type label of the metrics stays a known, small set.
    deviceType: { enum: [...DEVICE_TYPES, null], description: 'A device class; null clears the edit' },
  },
} as const;
const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', maxLength: 64 } },
} as const;

type ListQuery = PageParams & DeviceFilter;
type OverridePatch = { [K in keyof DeviceOverride]?: string | null };

function port(deps: DeviceRouteDeps): DevicesApiPort {
  if (!deps.devices) throw new ApiError(503, 'FLOWLENS_ERR_DEVICES_UNAVAILABLE', DEVICES_NOTE);
  return deps.devices;
}

function found(devices: DevicesApiPort, id: string): ReturnType<typeof deviceDetail> {
  const d = devices.inventory.get(id);
  if (!d) throw new ApiError(404, 'FLOWLENS_ERR_DEVICE_NOT_FOUND', `no device "${id}"`, 'id');
  return deviceDetail(devices.inventory, d);
}

/**
 * Registers the routes. The list always exists (empty with a note while
 * discovery is not connected); the detail and the edits only when the
 * device component is given, as the live routes exist only with the live state.
 */
export function deviceRoutes(app: FastifyInstance, deps: DeviceRouteDeps): void {
  defineRoute<{ Querystring: ListQuery }>(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/v1/devices',
      role: 'viewer',
      tags: ['devices'],
      summary: 'Devices',
      description: 'The device inventory, the most recently seen first; filters combine.',
      querystring: query({
        ...pageQuery,
        type: str,
        manufacturer: str,
        os: str,
        source: str,
        ip: { type: 'string', maxLength: 64, description: 'An address the device holds or held' },
        online: { type: 'boolean' },
        q: { type: 'string', maxLength: 128, description: 'Part of a name, address or MAC' },
      }),
      response: { 200: pageOf(deviceSchema, { note: str }) },
    },
    async (req) => {
      if (!deps.devices) return { ...pageList([], req.query), note: DEVICES_NOTE };
      return pageList(listDevices(deps.devices.inventory, req.query), req.query);
    },
  );
  if (deps.devices) deviceItemRoutes(app, deps);
}

function deviceItemRoutes(app: FastifyInstance, deps: DeviceRouteDeps): void {
  defineRoute<{ Params: { id: string } }>(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/v1/devices/:id',
      role: 'viewer',
      tags: ['devices'],
      summary: 'One device, with the evidence behind each answer',
      params: idParams,
      errors: [404, 503],
      response: { 200: detailSchema },
    },
    async (req) => found(port(deps), req.params.id),
  );
  defineRoute<{ Params: { id: string }; Body: OverridePatch }>(
    app,
    deps,
    {
      method: 'PATCH',
      url: '/api/v1/devices/:id',
      role: 'operator',
      tags: ['devices'],
      summary: 'Manual edits (name, deviceType, manufacturer, model, os, osVersion); null clears one',
      description: 'A manual value always wins over discovery and survives rediscovery and restarts.',
      params: idParams,
      body: overrideBody,
      errors: [404, 503],
      response: { 200: detailSchema },
    },
    async (req) => {
      const devices = port(deps);
      if (!devices.inventory.setOverride(req.params.id, req.body))
        throw new ApiError(404, 'FLOWLENS_ERR_DEVICE_NOT_FOUND', `no device "${req.params.id}"`, 'id');
      await devices.save();
      return found(devices, req.params.id);
    },
  );
}
