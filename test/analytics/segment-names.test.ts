/**
 * Segment names from standardised profiles, against names worked out by hand from the documented rule: the
 * 0.5 threshold, the one-time override, at most three descriptors in reading order, generic "with high x"
 * clauses, "Typical buyers", and numbered suffixes for collisions.
 */
import { describe, expect, it } from 'vitest';
import { describeSegment, distinguishingFeatures, nameSegments } from '../../src/analytics/segment-names.js';

const RFM = ['recency_days', 'frequency', 'monetary'];

describe('describeSegment', () => {
  it('names the archetypes an analyst expects', () => {
    expect(describeSegment(RFM, [-0.2, 1.3, 1.7])).toBe('High-value frequent buyers');
    expect(describeSegment(RFM, [1.3, -0.9, -0.9], true)).toBe('Lapsed low-value one-time buyers');
    expect(describeSegment(RFM, [-0.7, -0.8, -0.7], true)).toBe('Recent low-value one-time buyers');
    expect(describeSegment(RFM, [-0.4, 1.26, -0.36])).toBe('Frequent buyers');
  });

  it('keeps only |z| >= 0.5 and at most three descriptors, strongest first, then in reading order', () => {
    expect(describeSegment(RFM, [0.49, -0.49, 0.3])).toBe('Typical buyers');
    expect(describeSegment(RFM, [0.5, 0, 0])).toBe('Lapsed buyers');
    // tenure 2.0, monetary 1.5, frequency 1.0 beat recency -0.6; read as tenure, value, frequency.
    const f = ['recency_days', 'frequency', 'monetary', 'tenure_days'];
    expect(describeSegment(f, [-0.6, 1.0, 1.5, 2.0])).toBe('Long-standing high-value frequent buyers');
  });

  it('says one-time whatever the frequency z, and never also "infrequent"', () => {
    expect(describeSegment(RFM, [0, -2, 0], true)).toBe('One-time buyers');
    expect(describeSegment(['monetary'], [1], true)).toBe('High-value one-time buyers');
  });

  it('puts features it has no word for after "buyers", and skips a side without a word', () => {
    expect(describeSegment(['monetary', 'widgets_bought'], [-1, 2])).toBe('Low-value buyers with high widgets bought');
    expect(describeSegment(['complaints', 'monetary'], [-3, 0.7])).toBe('High-value buyers');
  });
});

describe('nameSegments', () => {
  it('makes names unique with (2), (3) in the given order', () => {
    const z = Float64Array.from([0, 0, 2, 0, 0, 2.5, 0, 0, 0, 0, 0, 3]);
    expect(nameSegments(RFM, z, 4)).toEqual(['High-value buyers', 'High-value buyers (2)', 'Typical buyers', 'High-value buyers (3)']);
  });
});

describe('distinguishingFeatures', () => {
  it('lists |z| >= 0.5 by strength, ties in feature order', () => {
    expect(distinguishingFeatures(RFM, [-0.8, 0.8, 0.2])).toEqual([{ feature: 'recency_days', z: -0.8 }, { feature: 'frequency', z: 0.8 }]);
  });
});
