import { createHash } from 'node:crypto';
import { type Asset, IMAGE_MAX_BYTES, type ImageType } from '../../shared/modules';
import type { Database, Executor } from '../db/client';
import type { Clock } from '../lib/clock';
import { NotFoundError, ValidationError } from '../lib/errors';
import * as repo from './repository';
import { sniffImageType } from './sniff';

export type AssetService = ReturnType<typeof createAssetService>;

export const NOT_AN_IMAGE = 'Not a PNG, JPEG, WebP or GIF image.';

/** Hex SHA-256 of some bytes: the key that stores the same picture once per organisation. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Stores image bytes whose type was already sniffed; the same bytes twice give the same asset.
 * Exported for module import, which stores a file's images in its own transaction.
 */
export function storeImage(
  db: Executor,
  orgId: string,
  image: { contentType: ImageType; data: Uint8Array },
  createdBy: string | null,
  now: Date,
): Promise<Asset> {
  return repo.insertAsset(
    db,
    orgId,
    { contentType: image.contentType, data: image.data, sha256: sha256(image.data), createdBy },
    now,
  );
}

/** Uploaded images: stored in the database (every API instance serves them), typed by content. */
export function createAssetService({ db, clock }: { db: Database; clock: Clock }) {
  return {
    /**
     * Stores an uploaded image; its type comes from its bytes, whatever the upload declared.
     * Anything but PNG, JPEG, WebP or GIF (SVG and HTML included) is refused.
     */
    async upload(orgId: string, userId: string, bytes: Uint8Array): Promise<Asset> {
      const contentType = sniffImageType(bytes);
      if (!contentType) {
        throw new ValidationError(NOT_AN_IMAGE, [{ path: [], message: NOT_AN_IMAGE }]);
      }
      // The route's body limit already enforces this; a second fence costs nothing.
      if (bytes.length > IMAGE_MAX_BYTES) {
        const message = `At most ${IMAGE_MAX_BYTES} bytes.`;
        throw new ValidationError(message, [{ path: [], message }]);
      }
      return storeImage(db, orgId, { contentType, data: bytes }, userId, clock.now());
    },

    /** An image's bytes and sniffed type. */
    async get(orgId: string, id: string) {
      const row = await repo.findAsset(db, orgId, id);
      if (!row) throw new NotFoundError('Image');
      return row;
    },
  };
}
