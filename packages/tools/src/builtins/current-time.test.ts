import type { Clock } from '@agent/core';
import { testToolContext } from '@agent/core/testing';
import { describe, expect, it } from 'vitest';
import { rejectionOf } from './__fixtures__/rejection-of.js';
import { type CurrentTimeOutput, currentTime } from './current-time.js';

const at = (iso: string): Clock => ({ now: () => Date.parse(iso) });

async function timeAt(iso: string, timezone?: string): Promise<CurrentTimeOutput> {
  const tool = currentTime({ clock: at(iso) });
  return await tool.execute(tool.input.parse({ timezone }), testToolContext());
}

describe('current_time', () => {
  it('defaults to UTC and reports the injected clock', async () => {
    expect(await timeAt('2024-05-01T12:03:04.005Z')).toEqual({
      iso: '2024-05-01T12:03:04.005Z',
      timezone: 'UTC',
      local: '2024-05-01T12:03:04.005+00:00',
      offset: '+00:00',
      weekday: 'Wednesday',
      unixMs: Date.parse('2024-05-01T12:03:04.005Z'),
    });
  });

  it.each([
    ['2024-03-31T00:30:00.000Z', 'Europe/Paris', '2024-03-31T01:30:00.000+01:00', 'Sunday'],
    ['2024-03-31T01:30:00.000Z', 'Europe/Paris', '2024-03-31T03:30:00.000+02:00', 'Sunday'],
    ['2024-03-31T00:30:00.000Z', 'America/New_York', '2024-03-30T20:30:00.000-04:00', 'Saturday'],
    ['2024-01-15T23:59:59.999Z', 'Asia/Kolkata', '2024-01-16T05:29:59.999+05:30', 'Tuesday'],
    ['2024-01-15T00:00:00.000Z', 'Asia/Kathmandu', '2024-01-15T05:45:00.000+05:45', 'Monday'],
    ['2024-01-15T00:00:00.000Z', 'America/St_Johns', '2024-01-14T20:30:00.000-03:30', 'Sunday'],
    ['2024-12-31T23:00:00.000Z', 'Pacific/Kiritimati', '2025-01-01T13:00:00.000+14:00', 'Wednesday'],
  ])('at %s in %s the local time is %s', async (iso, timezone, local, weekday) => {
    const output = await timeAt(iso, timezone);

    expect(output).toMatchObject({ iso, timezone, local, weekday });
    expect(Date.parse(output.local)).toBe(Date.parse(iso));
  });

  it("fixes the zone's capitalisation but keeps current names ICU would turn into legacy ones", async () => {
    expect((await timeAt('2024-01-01T00:00:00Z', 'europe/paris')).timezone).toBe('Europe/Paris');
    expect((await timeAt('2024-01-01T00:00:00Z', 'utc')).timezone).toBe('UTC');
    expect((await timeAt('2024-01-01T00:00:00Z', 'Asia/Kolkata')).timezone).toBe('Asia/Kolkata');
  });

  it.each(['Mars/Olympus_Mons', 'Europe/Paris; DROP TABLE', 'not a zone', '+25:00'])(
    'refuses %j and names an IANA example',
    async (timezone) => {
      const error = await rejectionOf(timeAt('2024-01-01T00:00:00Z', timezone));

      expect(error).toMatchObject({ code: 'TOOL_INPUT_INVALID', toolName: 'current_time' });
      expect(error.message).toContain('Use an IANA name like Europe/Paris');
    },
  );

  it('reads the clock on every call', async () => {
    let now = Date.parse('2024-01-01T00:00:00Z');
    const tool = currentTime({ clock: { now: () => now } });

    const first = await tool.execute({}, testToolContext());
    now += 90_000;
    const second = await tool.execute({}, testToolContext());

    expect(second.unixMs - first.unixMs).toBe(90_000);
    expect(second.iso).toBe('2024-01-01T00:01:30.000Z');
  });

  it('keeps its formatter cache bounded while serving many zones', async () => {
    const tool = currentTime({ clock: at('2024-01-01T00:00:00Z') });
    const zones = Intl.supportedValuesOf('timeZone').slice(0, 150);

    const outputs = await Promise.all(
      zones.map(async (timezone) => await tool.execute({ timezone }, testToolContext())),
    );
    const offsets = outputs.map((output) => output.offset);

    expect(offsets).toHaveLength(150);
    expect(offsets.every((offset) => /^[+-]\d{2}:\d{2}$/.test(offset))).toBe(true);
  });

  it('uses the system clock by default', async () => {
    const before = Date.now();

    const output = await currentTime().execute({}, testToolContext());

    expect(output.unixMs).toBeGreaterThanOrEqual(before);
    expect(output.unixMs).toBeLessThanOrEqual(Date.now());
  });
});
