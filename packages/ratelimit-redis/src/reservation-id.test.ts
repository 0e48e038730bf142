import { describe, expect, it } from 'vitest';
import { decodeReservationId, encodeReservationId, type ReservationDetails } from './reservation-id.js';

const encodeRaw = (value: unknown) => `rl1.${Buffer.from(JSON.stringify(value)).toString('base64url')}`;

describe('reservation ids', () => {
  it('round-trips every kind of reservation', () => {
    const kinds: ReservationDetails[] = [
      { store: 'open' },
      { store: 'memory', id: 'r7' },
      {
        store: 'redis',
        nonce: 'n',
        tokens: 3,
        buckets: [{ key: 'k', bucket: '12', windowMs: 10, bucketMs: 1 }],
      },
    ];

    const decoded = kinds.map((details) => decodeReservationId(encodeReservationId(details)));

    expect(decoded).toEqual(kinds);
  });

  it('rejects ids with a foreign shape instead of trusting them', () => {
    const foreign = [
      'r1',
      'rl1.%%%',
      encodeRaw(null),
      encodeRaw({ store: 'memory' }),
      encodeRaw({ store: 'elsewhere' }),
      encodeRaw({ store: 'redis', nonce: 'n', tokens: 1, buckets: [null] }),
      encodeRaw({
        store: 'redis',
        nonce: 'n',
        tokens: 1,
        buckets: [{ key: 'k', bucket: '1; DEL', windowMs: 1 }],
      }),
    ];

    expect(foreign.map(decodeReservationId)).toEqual(foreign.map(() => undefined));
  });
});
