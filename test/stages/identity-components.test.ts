/**
 * The identity graph's components in DuckDB (resolveComponents: the SQL graph, the union-find, the appender, the
 * final model) against a breadth-first search written from the rules: junk nodes (their own identifier guarded) are
 * left out, only keys two or more usable nodes share link anything, and a component is named by its smallest node.
 */
import { describe, expect, it } from 'vitest';
import { memoryDatabasePerTest } from '../helpers.js';
import { resolveComponents } from '../../src/stages/identity/components.js';
import { createRng } from '../../src/analytics/random.js';
import { componentsByBfs, neighboursFromGroups } from '../graph-oracle.js';

interface KeyRow { node: number; type: string; value: string }

function expectedComponents(nodes: { id: number; type: string }[], keys: KeyRow[], keysAll: KeyRow[]): Map<number, number> {
  const guarded = (n: { id: number; type: string }): boolean =>
    (n.type === 'email' || n.type === 'phone') &&
    keysAll.some((k) => k.node === n.id && k.type === n.type) && !keys.some((k) => k.node === n.id && k.type === n.type);
  const junk = new Set(nodes.filter(guarded).map((n) => n.id));
  const usable = keys.filter((k) => !junk.has(k.node));
  const owners = new Map<string, number[]>();
  for (const k of usable) {
    const id = `${k.type}\u0000${k.value}`;
    (owners.get(id) ?? owners.set(id, []).get(id)!).push(k.node);
  }
  const usableNodes = nodes.filter((n) => !junk.has(n.id)).map((n) => n.id);
  return componentsByBfs(neighboursFromGroups(usableNodes, [...owners.values()].filter((list) => list.length >= 2)));
}

const database = memoryDatabasePerTest();

describe('identity components', () => {
  it('match a breadth-first search over the shared keys of the usable nodes', async () => {
    const db = database();
    const rng = createRng(12);
    const types = ['customer_id', 'email', 'phone', 'visitor_id'];
    const nodes = Array.from({ length: 3000 }, (_, i) => ({ id: i + 1, type: types[rng.int(4)]! }));
    const keys: KeyRow[] = [];
    const keysAll: KeyRow[] = [];
    for (const n of nodes) {
      // Each node carries one to three identifiers drawn from small pools, so many are shared; one in twenty of its
      // own-type identifiers is guarded (listed in keys_all only), which makes the node junk.
      const wanted = 1 + rng.int(3);
      const taken = new Set<string>();
      for (let j = 0; j < wanted; j++) {
        const type = j === 0 ? n.type : types[rng.int(4)]!;
        const value = `${type}-${rng.int(type === 'email' ? 2500 : 4000)}`;
        if (taken.has(`${type}:${value}`)) continue;
        taken.add(`${type}:${value}`);
        const row = { node: n.id, type, value };
        keysAll.push(row);
        if (!(j === 0 && rng.int(20) === 0)) keys.push(row);
      }
    }
    await db.run('CREATE TEMP TABLE int_identity_nodes (node_id BIGINT, id_type VARCHAR)');
    await db.appendColumns('int_identity_nodes', [nodes.map((n) => n.id), nodes.map((n) => n.type)]);
    for (const [table, rows] of [['int_identity_keys', keys], ['int_identity_keys_all', keysAll]] as const) {
      await db.run(`CREATE TEMP TABLE ${table} (node_id BIGINT, key_type VARCHAR, value VARCHAR)`);
      await db.appendColumns(table, [rows.map((k) => k.node), rows.map((k) => k.type), rows.map((k) => k.value)]);
    }

    const linked = await resolveComponents(db);

    const expected = expectedComponents(nodes, keys, keysAll);
    const got = await db.all<{ node_id: number; component: number }>('SELECT node_id, component FROM int_identity_components ORDER BY node_id');
    expect(new Map(got.map((r) => [Number(r.node_id), Number(r.component)]))).toEqual(expected);
    // The graph is neither trivial nor one blob, and some nodes are junk.
    const sizes = new Map<number, number>();
    for (const c of expected.values()) sizes.set(c, (sizes.get(c) ?? 0) + 1);
    expect(expected.size).toBeLessThan(nodes.length);
    expect([...sizes.values()].filter((s) => s > 1).length).toBeGreaterThan(50);
    expect(Math.max(...sizes.values())).toBeLessThan(nodes.length / 2);
    // Every node on an edge shares a key with another: the linked nodes are those of components larger than one.
    expect(linked).toBe([...expected.values()].filter((c) => sizes.get(c)! > 1).length);
    // The crosswalk reads the edges afterwards; the union-find's scratch is gone.
    expect(await db.tableExists('int_identity_edges')).toBe(true);
    expect(await db.tableExists('int_identity_linked')).toBe(false);
  });

  it('leave every node its own component when no key is shared', async () => {
    const db = database();
    await db.run('CREATE TEMP TABLE int_identity_nodes AS SELECT * FROM (VALUES (1, \'email\'), (2, \'phone\')) t(node_id, id_type)');
    await db.run('CREATE TEMP TABLE int_identity_keys AS SELECT * FROM (VALUES (1, \'email\', \'a@x\'), (2, \'phone\', \'+44\')) t(node_id, key_type, value)');
    await db.run('CREATE TEMP TABLE int_identity_keys_all AS SELECT * FROM int_identity_keys');
    expect(await resolveComponents(db)).toBe(0);
    expect(await db.all('SELECT node_id, component FROM int_identity_components ORDER BY node_id')).toEqual([
      { node_id: 1, component: 1 },
      { node_id: 2, component: 2 },
    ]);
  });
});
