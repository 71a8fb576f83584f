import { ServiceUnavailableError } from '../domain/errors.js';
import { packUpload, unpackUpload, UPLOAD_TTL_MS, type StoredUpload, type UploadStore } from '../launch/upload-store.js';
import type { Redis } from 'ioredis';
import type { FleetLink } from './fleet-link.js';

/** Uploads in Redis, gzipped, for an hour: any replica can create from an upload another took. */
export class FleetUploadStore implements UploadStore {
  constructor(private readonly fleet: FleetLink) {}

  async put(upload: StoredUpload): Promise<void> {
    const bytes = await packUpload(upload);
    await this.command((redis) => redis.set(this.fleet.key('upload', upload.id), bytes, 'PX', UPLOAD_TTL_MS));
  }

  async get(id: string): Promise<StoredUpload | null> {
    const bytes = await this.command((redis) => redis.getBuffer(this.fleet.key('upload', id)));
    return bytes ? unpackUpload(bytes) : null;
  }

  private command<T>(run: (redis: Redis) => Promise<T>): Promise<T> {
    return this.fleet.required(run, unavailable);
  }
}

function unavailable(): ServiceUnavailableError {
  return new ServiceUnavailableError('Redis, which keeps uploads for every replica, is not answering: try again shortly.');
}
