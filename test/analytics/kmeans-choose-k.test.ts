import { describe, expect, it } from 'vitest';
import { bestIndex, chooseK } from '../../src/analytics/kmeans-choose-k.js';
import { kmeans } from '../../src/analytics/kmeans.js';
import { deriveSeed } from '../../src/analytics/random.js';
import { silhouetteSample } from '../../src/analytics/silhouette.js';
import { blobs } from './kmeans-fixtures.js';

describe('chooseK', () => {
  it('picks the planted number of blobs and returns both curves', () => {
    const { x, n, d } = blobs(3000, 4, 4, 6, 13);
    const r = chooseK(x, n, d, { kMin: 2, kMax: 7, seed: 42, nInit: 2, sampleSize: 1000 });
    expect(r.k).toBe(4);
    expect(r.ks).toEqual([2, 3, 4, 5, 6, 7]);
    expect(r.inertia.length).toBe(6);
    expect(r.silhouette.length).toBe(6);
    // The silhouette peaks at the planted k; inertia keeps falling with k.
    expect(Math.max(...r.silhouette)).toBe(r.silhouette[2]);
    for (let i = 1; i < 6; i++) expect(r.inertia[i]).toBeLessThan(r.inertia[i - 1]!);
  });

  it('records exactly the fits and scores a caller would get one k at a time', () => {
    const { x, n, d } = blobs(800, 3, 3, 3, 2);
    const r = chooseK(x, n, d, { kMin: 2, kMax: 4, seed: 7, sampleSize: 500 });
    r.ks.forEach((k, i) => {
      const fit = kmeans(x, n, d, { k, seed: deriveSeed(7, k) });
      expect(r.inertia[i]).toBe(fit.inertia);
      expect(Array.from(r.fits[i]!.labels)).toEqual(Array.from(fit.labels));
    });
    const sil = silhouetteSample(x, n, d, r.fits.map((f) => f.labels), { seed: deriveSeed(7, 0x5117), sampleSize: 500 });
    expect(r.silhouette).toEqual(sil);
  });

  it('breaks silhouette ties towards the smaller k and never picks NaN', () => {
    expect(bestIndex([0.3, 0.5, 0.5, 0.1])).toBe(1);
    expect(bestIndex([NaN, 0.2, 0.2])).toBe(1);
    expect(bestIndex([NaN, NaN])).toBe(0);
  });
});
