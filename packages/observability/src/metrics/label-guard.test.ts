import { describe, expect, it } from 'vitest';
import { createLabelGuard, OTHER_LABEL_VALUE } from './label-guard.js';

describe('createLabelGuard', () => {
  it('passes the first values through and maps later new ones to "other"', () => {
    const guard = createLabelGuard(2);

    const mapped = ['a', 'b', 'c', 'a', 'b', 'd'].map(guard);

    expect(mapped).toEqual(['a', 'b', OTHER_LABEL_VALUE, 'a', 'b', OTHER_LABEL_VALUE]);
  });

  it('keeps guards independent of each other', () => {
    const first = createLabelGuard(1);
    const second = createLabelGuard(1);

    first('x');

    expect(second('y')).toBe('y');
    expect(first('y')).toBe(OTHER_LABEL_VALUE);
  });
});
