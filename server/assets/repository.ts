import { and, eq, inArray } from 'drizzle-orm';
import type { ImageType } from '../../shared/modules';
import type { Executor } from '../db/client';
import { assets } from '../db/schema';

export interface AssetValues {
  contentType: ImageType;
  sha256: string;
  data: Uint8Array;
  createdBy: string | null;
}

const summary = {
  id: assets.id,
  contentType: assets.contentType,
  size: assets.size,
  createdAt: assets.createdAt,
};

/**
 * Stores an image unless the organisation already has the same bytes; either way answers the
 * stored one (the unique key on organisation × SHA-256 settles concurrent uploads).
 */
export async function insertAsset(db: Executor, orgId: string, values: AssetValues, now: Date) {
  const [inserted] = await db
    .insert(assets)
    .values({ ...values, orgId, size: values.data.length, createdAt: now })
    .onConflictDoNothing({ target: [assets.orgId, assets.sha256] })
    .returning(summary);
  if (inserted) return inserted;
  const [existing] = await db
    .select(summary)
    .from(assets)
    .where(and(eq(assets.orgId, orgId), eq(assets.sha256, values.sha256)));
  return existing!;
}

/** One image with its bytes. */
export async function findAsset(db: Executor, orgId: string, id: string) {
  const [row] = await db
    .select({ contentType: assets.contentType, data: assets.data })
    .from(assets)
    .where(and(eq(assets.orgId, orgId), eq(assets.id, id)));
  return row;
}

/** The organisation's images among `ids`, with their bytes. */
export async function listAssetData(db: Executor, orgId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: assets.id, contentType: assets.contentType, data: assets.data })
    .from(assets)
    .where(and(eq(assets.orgId, orgId), inArray(assets.id, [...ids])));
}
