/**
 * The RFM segment rule table: the eleven named segments, every (R, F) cell of the 5 × 5 grid in exactly one of
 * them, and the cells handed to SQL agreeing with the rules cell by cell (a brute-force check over the grid).
 */
import { describe, expect, it } from 'vitest';
import { RFM_SEGMENTS, rfmSegmentCells, rfmSegmentOf } from '../../src/analytics/rfm-segments.js';

describe('RFM segment rules', () => {
  it('names the eleven segments of the issue', () => {
    expect(RFM_SEGMENTS.map((s) => s.name).sort()).toEqual([
      'About to sleep', 'At risk', 'Champions', "Can't lose", 'Hibernating', 'Lost', 'Loyal', 'Need attention', 'New',
      'Potential loyalist', 'Promising',
    ].sort());
  });

  it('covers every cell of the grid exactly once', () => {
    for (let r = 1; r <= 5; r++) {
      for (let f = 1; f <= 5; f++) {
        const matching = RFM_SEGMENTS.filter((s) => r >= s.r[0] && r <= s.r[1] && f >= s.f[0] && f <= s.f[1]);
        expect(matching.length, `cell R${r} F${f}`).toBe(1);
      }
    }
  });

  it('expands to 25 cells that agree with the rules', () => {
    const cells = rfmSegmentCells();
    expect(cells.seg_r.length).toBe(25);
    expect(new Set(cells.seg_r.map((r, i) => `${r}/${cells.seg_f[i]}`)).size).toBe(25);
    cells.seg_r.forEach((r, i) => expect(cells.seg_name[i]).toBe(rfmSegmentOf(r, cells.seg_f[i]!)));
  });

  it('puts the corners where a marketer expects them', () => {
    expect(rfmSegmentOf(5, 5)).toBe('Champions');
    expect(rfmSegmentOf(5, 1)).toBe('New');
    expect(rfmSegmentOf(1, 5)).toBe("Can't lose");
    expect(rfmSegmentOf(1, 1)).toBe('Lost');
    expect(rfmSegmentOf(3, 3)).toBe('Need attention');
  });
});
