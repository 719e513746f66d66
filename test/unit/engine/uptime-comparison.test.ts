import { describe, expect, it } from 'vitest';
import { compareHour, type RecordedHour } from '../../../src/engine/uptime-comparison.js';

const MIN = 60_000;
const none: RecordedHour = { creditedSeconds: null, reachedFull: null, reachedHalf: null, eligibleHours: null, tier: null };

describe('compareHour', () => {
  it.each<[string, number, Partial<RecordedHour>, boolean]>([
    ['seconds within 5 min', 40 * MIN, { creditedSeconds: 45 * 60 }, false],
    ['seconds exactly 5 min apart', 40 * MIN, { creditedSeconds: 45 * 60 }, false],
    ['seconds 5 min 1 s apart', 40 * MIN, { creditedSeconds: 45 * 60 + 1 }, true],
    ['the daemon above the record by more than 5 min', 50 * MIN, { creditedSeconds: 44 * 60 }, true],
    ['x70 yes and the daemon at 38 min', 38 * MIN, { reachedFull: true }, false],
    ['x70 yes and the daemon at 36 min 59 s', 37 * MIN - 1_000, { reachedFull: true }, true],
    ['x70 no, x50 yes and the daemon at 46 min', 46 * MIN, { reachedFull: false, reachedHalf: true }, false],
    ['x70 no, x50 yes and the daemon at 47 min', 47 * MIN, { reachedFull: false, reachedHalf: true }, true],
    ['x50 no and the daemon at 35 min', 35 * MIN - 1, { reachedFull: false, reachedHalf: false }, false],
    ['x50 no and the daemon at 36 min', 36 * MIN, { reachedFull: false, reachedHalf: false }, true],
    ['eligible 1 and the daemon at 20 min', 20 * MIN, { eligibleHours: 1 }, true],
    ['eligible 0.5 and the daemon at 33 min', 33 * MIN, { eligibleHours: 0.5 }, false],
    ['a tier name alone says nothing', 0, { tier: 'tier_a' }, false],
    ['an empty record says nothing', 60 * MIN, {}, false],
  ])('%s → mismatch %s', (_name, daemonMs, recorded, isMismatch) => {
    expect(compareHour(daemonMs, { ...none, ...recorded }).isMismatch).toBe(isMismatch);
  });

  it('describes the record in a few words', () => {
    expect(compareHour(0, { creditedSeconds: 2_580, tier: 'tier_a', reachedFull: true, reachedHalf: true, eligibleHours: 1 }).exchange).toBe(
      '43 min credited, tier_a, x70 yes, x50 yes, eligible 1 h',
    );
    expect(compareHour(0, none).exchange).toBe('no figures');
  });
});
