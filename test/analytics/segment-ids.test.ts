/**
 * Stable segment ids: a first run numbers segments in the order given; a later run inherits ids by centroid,
 * so a permuted and slightly moved set of centroids gets back the ids of the previous ones (not the new
 * order); surplus clusters get ids above every id used before; missing ones are reported vanished.
 */
import { describe, expect, it } from 'vitest';
import { assignSegmentIds } from '../../src/analytics/segment-ids.js';

// Four well-apart centroids in 2-D with ids 3, 7, 8, 9 (a lineage where 1, 2, 4–6 are long gone; max 10).
const prev = { ids: [3, 7, 8, 9], centroids: Float64Array.from([0, 0, 10, 0, 0, 10, 10, 10]), maxId: 10 };

describe('assignSegmentIds', () => {
  it('numbers a first run 1..k in the given order', () => {
    const r = assignSegmentIds(null, new Float64Array(6), 3, 2, [2, 0, 1]);
    expect(Array.from(r.ids)).toEqual([2, 3, 1]);
    expect(Array.from(r.previous)).toEqual([-1, -1, -1]);
    expect(r.maxId).toBe(3);
  });

  it('follows the centroids, not the cluster order', () => {
    // This run's clusters are the previous ones in the order (10,10), (0,0), (10,0), (0,10), each moved by 0.3.
    const next = Float64Array.from([10.3, 10, 0, 0.3, 10, -0.3, 0.3, 10]);
    const r = assignSegmentIds(prev, next, 4, 2, [0, 1, 2, 3]);
    expect(Array.from(r.ids)).toEqual([9, 3, 7, 8]);
    expect(Array.from(r.distances).map((x) => Number(x.toFixed(6)))).toEqual([0.3, 0.3, 0.3, 0.3]);
    expect(r.vanished).toEqual([]);
  });

  it('gives surplus clusters ids above the lineage maximum, in the given order', () => {
    const next = Float64Array.from([50, 50, 0, 0, 10, 0, 0, 10, 10, 10, -50, -50]);
    const r = assignSegmentIds(prev, next, 6, 2, [5, 0, 1, 2, 3, 4]);
    expect(Array.from(r.ids)).toEqual([12, 3, 7, 8, 9, 11]);
    expect(Array.from(r.previous)).toEqual([-1, 3, 7, 8, 9, -1]);
    expect(r.maxId).toBe(12);
  });

  it('reports the previous ids left without a successor', () => {
    const next = Float64Array.from([9, 9, 1, 1]);
    const r = assignSegmentIds(prev, next, 2, 2, [0, 1]);
    expect(Array.from(r.ids)).toEqual([9, 3]);
    expect(r.vanished).toEqual([7, 8]);
    expect(r.maxId).toBe(10);
  });
});
