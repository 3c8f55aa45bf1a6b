// bench/compare.ts: the A/B comparison of bench results, on hand-made results whose differences are known.
import { describe, expect, it } from 'vitest';
import { compareResults, type BenchResult } from '../../bench/compare.js';

function result(ingest: number, identity: number, keyed: number, nodes: number, publishOrders: number, peer: number): BenchResult {
  return {
    total_seconds: ingest + identity + 10,
    peak_rss: 3e9,
    publish_seconds: 10,
    publish_sql: [{ origin: 'CREATE TABLE cra_bi."orders" AS SELECT 1', seconds: publishOrders }],
    bare_scan: { seconds: peer },
    stages: {
      ingest: { seconds: ingest, sql: [] },
      identity: {
        seconds: identity,
        sql: [
          { origin: 'src/sql/intermediate/int_activity_keyed.sql #3', seconds: keyed },
          { origin: 'src/sql/intermediate/int_identity_nodes.sql #1', seconds: nodes },
        ],
      },
    },
  };
}

describe('compareResults', () => {
  const a = [result(60, 80, 7.5, 6.6, 6.8, 24), result(62, 82, 8.0, 6.4, 7.6, 24)];
  const b = [result(61, 83, 10.4, 6.5, 7.6, 22), result(59, 81, 10.2, 6.7, 8.3, 21)];
  const { stages, statements } = compareResults(a, b);
  const stage = (k: string) => stages.find((r) => r.key === k)!;
  const statement = (k: string) => statements.find((r) => r.key.endsWith(k))!;

  it('lists the stages in run order, then publishing, the whole run and the peer', () => {
    expect(stages.map((r) => r.key)).toEqual(['ingest', 'identity', 'publish', 'end to end', 'peer scan']);
    expect(stage('identity').a).toEqual([80, 82]);
    expect(stage('identity').b).toEqual([83, 81]);
    expect(stage('end to end').a).toEqual([150, 154]);
    expect(stage('end to end').b).toEqual([154, 150]);
    expect(stage('end to end').diff).toBe(0);
    expect(stage('end to end').separation).toBe('mixed');
  });

  it('takes B − A of the means and says whether every run of one version lies beyond every run of the other', () => {
    expect(statement('int_activity_keyed.sql #3').diff).toBeCloseTo((10.4 + 10.2) / 2 - (7.5 + 8.0) / 2, 12);
    expect(statement('int_activity_keyed.sql #3').separation).toBe('higher');
    expect(stage('peer scan').separation).toBe('lower');
    // Overlapping runs: 6.4–6.6 against 6.5–6.7.
    expect(statement('int_identity_nodes.sql #1').separation).toBe('mixed');
    // A tie between the closest runs (7.6 in both) is not a separation.
    expect(statement('cra_bi."orders" AS SELECT 1').separation).toBe('mixed');
  });

  it('orders the statements by the size of their difference, publishing\'s included, keyed by stage', () => {
    expect(statements.map((r) => r.key)).toEqual([
      'identity | src/sql/intermediate/int_activity_keyed.sql #3',
      'publish | CREATE TABLE cra_bi."orders" AS SELECT 1',
      'identity | src/sql/intermediate/int_identity_nodes.sql #1',
    ]);
  });

  it('counts a statement one version did not run as 0 s there', () => {
    const dropped = result(60, 80, 7.5, 6.6, 6.8, 24);
    dropped.stages.identity!.sql = dropped.stages.identity!.sql!.filter((s) => !s.origin.includes('nodes'));
    const nodes = compareResults([result(60, 80, 7.5, 6.6, 6.8, 24)], [dropped]).statements.find((r) => r.key.includes('nodes'))!;
    expect(nodes.a).toEqual([6.6]);
    expect(nodes.b).toEqual([0]);
    expect(nodes.diff).toBeCloseTo(-6.6, 12);
  });

  it('refuses an empty side', () => {
    expect(() => compareResults([], [result(1, 1, 1, 1, 1, 1)])).toThrow(/at least one result file/);
  });
});
