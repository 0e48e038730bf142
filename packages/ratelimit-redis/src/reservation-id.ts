/** Where one rule counted a reserved call: enough to adjust it later without the limiter's rules. */
export interface ReservedBucket {
  /** The rule key's hash in Redis. */
  key: string;
  /** The bucket index the call was counted in. */
  bucket: string;
  windowMs: number;
  bucketMs: number;
}

/**
 * What a reservation id carries. `redis` reservations hold everything reconcile needs, so any
 * replica can reconcile them without local state; `memory` ones were decided by the fallback
 * limiter of one process; `open` ones were admitted without counting and reconcile to nothing.
 */
export type ReservationDetails =
  | { store: 'redis'; nonce: string; tokens: number; buckets: ReservedBucket[] }
  | { store: 'memory'; id: string }
  | { store: 'open' };

const PREFIX = 'rl1.';

/** Encodes reservation details into an opaque, URL-safe id. */
export function encodeReservationId(details: ReservationDetails): string {
  return PREFIX + Buffer.from(JSON.stringify(details)).toString('base64url');
}

/** Decodes an id made by {@link encodeReservationId}; `undefined` for anything else. */
export function decodeReservationId(id: string): ReservationDetails | undefined {
  if (!id.startsWith(PREFIX)) return undefined;
  try {
    const details: unknown = JSON.parse(Buffer.from(id.slice(PREFIX.length), 'base64url').toString());
    return isReservationDetails(details) ? details : undefined;
  } catch {
    return undefined;
  }
}

// Ids come back from callers, so their shape is checked rather than trusted.
function isReservationDetails(value: unknown): value is ReservationDetails {
  if (typeof value !== 'object' || value === null) return false;
  const details = value as Record<string, unknown>;
  if (details.store === 'open') return true;
  if (details.store === 'memory') return typeof details.id === 'string';
  if (details.store !== 'redis') return false;
  return (
    typeof details.nonce === 'string' &&
    typeof details.tokens === 'number' &&
    Array.isArray(details.buckets) &&
    details.buckets.every(isReservedBucket)
  );
}

function isReservedBucket(value: unknown): value is ReservedBucket {
  if (typeof value !== 'object' || value === null) return false;
  const bucket = value as Record<string, unknown>;
  return (
    typeof bucket.key === 'string' &&
    typeof bucket.bucket === 'string' &&
    /^-?\d+$/.test(bucket.bucket) &&
    typeof bucket.windowMs === 'number' &&
    typeof bucket.bucketMs === 'number'
  );
}
