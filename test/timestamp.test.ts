import { describe, expect, it } from 'vitest';
import { formatTimestamp, parseTimestamp } from '../src/core/model/timestamp.js';

describe('parseTimestamp', () => {
  it('resolves a wall time without flag in the given zone', () => {
    expect(parseTimestamp('090212160000', 'Europe/Amsterdam')).toEqual({ date: new Date('2009-02-12T15:00:00Z'), problem: null });
    expect(parseTimestamp('120517020000', 'Europe/Amsterdam')).toEqual({ date: new Date('2012-05-17T00:00:00Z'), problem: null });
    expect(parseTimestamp('120517020000', 'Europe/Helsinki')).toEqual({ date: new Date('2012-05-16T23:00:00Z'), problem: null });
    expect(parseTimestamp('120517020000', 'UTC')).toEqual({ date: new Date('2012-05-17T02:00:00Z'), problem: null });
  });

  it('takes the earlier instant in the autumn hour that occurs twice, and says so', () => {
    // 27 Oct 2024: clocks go from 03:00 CEST back to 02:00 CET
    expect(parseTimestamp('241027023000', 'Europe/Amsterdam')).toEqual({ date: new Date('2024-10-27T00:30:00Z'), problem: 'ambiguous' });
    expect(parseTimestamp('241027033000', 'Europe/Amsterdam')).toEqual({ date: new Date('2024-10-27T02:30:00Z'), problem: null });
  });

  it('moves a wall time in the spring gap forward, and says so', () => {
    // 31 Mar 2024: clocks jump from 02:00 CET to 03:00 CEST; 02:30 does not exist
    expect(parseTimestamp('240331023000', 'Europe/Amsterdam')).toEqual({ date: new Date('2024-03-31T01:30:00Z'), problem: 'nonexistent' });
  });

  it('lets the S/W flag settle the DST hour, whatever the zone', () => {
    expect(parseTimestamp('241027023000S', 'Europe/Amsterdam').date).toEqual(new Date('2024-10-27T00:30:00Z'));
    expect(parseTimestamp('241027023000W', 'Europe/Amsterdam').date).toEqual(new Date('2024-10-27T01:30:00Z'));
    expect(parseTimestamp('241027023000W', 'Asia/Tokyo').date).toEqual(new Date('2024-10-27T01:30:00Z'));
  });

  it('checks the day against the month, leap years included', () => {
    expect(parseTimestamp('240229120000W', 'UTC').problem).toBeNull();
    expect(parseTimestamp('230229120000W', 'UTC').problem).toBe('invalid');
    expect(parseTimestamp('240431120000S', 'UTC').problem).toBe('invalid');
    expect(parseTimestamp('240430235959S', 'UTC').problem).toBeNull();
  });
});

describe('formatTimestamp', () => {
  it('writes CET with W and CEST with S, inverse of parseTimestamp', () => {
    for (const iso of ['2024-01-10T07:30:15Z', '2024-07-04T08:15:30Z', '2024-10-27T00:30:00Z', '2024-10-27T01:30:00Z']) {
      const raw = formatTimestamp(new Date(iso));
      expect(parseTimestamp(raw, 'Europe/Amsterdam').date).toEqual(new Date(iso));
    }
    expect(formatTimestamp(new Date('2024-01-10T07:30:15Z'))).toBe('240110083015W');
    expect(formatTimestamp(new Date('2024-07-04T08:15:30Z'))).toBe('240704101530S');
  });
});
