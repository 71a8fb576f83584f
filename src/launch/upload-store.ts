import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import type { Vendor } from '../domain/model.js';
import type { TargetTable } from './target-table.js';

/**
 * Uploaded target lists, kept an hour for `validateTargets` and `createBatch` to use by id. Each
 * belongs to the caller who made it. Kept gzipped (a 100,000-row list is a few MB of JSON, well
 * under a MB compressed): in this process, or in Redis for every replica (src/fleet/fleet-upload-store.ts).
 */

/** How long an upload is kept. */
export const UPLOAD_TTL_MS = 3_600_000;

export interface StoredUpload {
  readonly id: string;
  /** The caller key (`sub:…`, `ip:…`) of whoever uploaded it. */
  readonly owner: string;
  readonly vendor: Vendor;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly table: TargetTable;
}

export interface UploadStore {
  put(upload: StoredUpload): Promise<void>;
  /** The upload, or null when there is none with this id (never made, or older than an hour). */
  get(id: string): Promise<StoredUpload | null>;
}

export function newUploadId(): string {
  return `upl_${randomUUID().replace(/-/g, '')}`;
}

const zip = promisify(gzip);
const unzip = promisify(gunzip);

/** An upload as the bytes a store keeps. */
export async function packUpload(upload: StoredUpload): Promise<Buffer> {
  return zip(Buffer.from(JSON.stringify(upload), 'utf8'));
}

export async function unpackUpload(bytes: Buffer): Promise<StoredUpload> {
  return JSON.parse((await unzip(bytes)).toString('utf8')) as StoredUpload;
}

/** What the uploads kept in one process may weigh, compressed. */
const LOCAL_UPLOAD_BYTES = 256 * 1_048_576;

export class LocalUploadStore implements UploadStore {
  private readonly uploads = new LRUCache<string, Buffer>({ maxSize: LOCAL_UPLOAD_BYTES, sizeCalculation: (bytes) => Math.max(1, bytes.byteLength), ttl: UPLOAD_TTL_MS });

  async put(upload: StoredUpload): Promise<void> {
    this.uploads.set(upload.id, await packUpload(upload));
  }

  async get(id: string): Promise<StoredUpload | null> {
    const bytes = this.uploads.get(id);
    return bytes ? unpackUpload(bytes) : null;
  }
}
