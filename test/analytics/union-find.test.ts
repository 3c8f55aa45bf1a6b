/**
 * The identity graph's union-find against a breadth-first search over the same node–key edges: every node with an
 * edge gets the smallest node id of its connected component, whatever order and chunking the edges arrive in.
 */
import { describe, expect, it } from 'vitest';
import { NodeKeyComponents } from '../../src/analytics/union-find.js';
import { createRng } from '../../src/analytics/random.js';
import { componentsByBfs, neighboursFromGroups } from '../graph-oracle.js';

/** Oracle: connected components of the bipartite graph by BFS; node → smallest node id reached. */
function bfsComponents(nodes: Int32Array, keys: Int32Array): Map<number, number> {
  const byKey = new Map<number, number[]>();
  for (let i = 0; i < nodes.length; i++) (byKey.get(keys[i]!) ?? byKey.set(keys[i]!, []).get(keys[i]!)!).push(nodes[i]!);
  return componentsByBfs(neighboursFromGroups(nodes, byKey.values()));
}

function solve(nodes: Int32Array, keys: Int32Array, chunk: number): Map<number, number> {
  const maxNode = nodes.reduce((m, v) => Math.max(m, v), 0);
  const maxKey = keys.reduce((m, v) => Math.max(m, v), 0);
  const graph = new NodeKeyComponents(maxNode, maxKey);
  for (let i = 0; i < nodes.length; i += chunk) graph.addEdges(nodes.subarray(i, i + chunk), keys.subarray(i, i + chunk));
  const linked = graph.linkedNodes();
  return new Map(Array.from(linked.nodes, (n, i) => [n, linked.components[i]!]));
}

describe('NodeKeyComponents', () => {
  it('names each component by its smallest node, on a hand-drawn graph', () => {
    // 1–k1–2; 5–k2–3–k3–4 (reached through two keys); 7 alone on k4; node 6 has no edge.
    const nodes = Int32Array.from([2, 1, 5, 3, 3, 4, 7]);
    const keys = Int32Array.from([1, 1, 2, 2, 3, 3, 4]);
    const graph = new NodeKeyComponents(7, 4);
    graph.addEdges(nodes, keys);
    const linked = graph.linkedNodes();
    expect(Array.from(linked.nodes)).toEqual([1, 2, 3, 4, 5, 7]);
    expect(Array.from(linked.components)).toEqual([1, 1, 3, 3, 3, 7]);
    expect(graph.find(6)).toBe(6);
  });

  it('agrees with a breadth-first search on random graphs, in any edge order and chunking', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rng = createRng(seed);
      const nNodes = 1 + rng.int(400);
      const nKeys = 1 + rng.int(300);
      const nEdges = rng.int(600);
      const nodes = Int32Array.from({ length: nEdges }, () => rng.int(nNodes));
      const keys = Int32Array.from({ length: nEdges }, () => rng.int(nKeys));
      const expected = bfsComponents(nodes, keys);
      expect(solve(nodes, keys, nEdges + 1)).toEqual(expected);
      // Reversed and cut into chunks of 7: the same answer.
      expect(solve(nodes.slice().reverse(), keys.slice().reverse(), 7)).toEqual(expected);
    }
  });

  it('collapses a long chain to its smallest node, whichever end the edges start from', () => {
    // Node i and i+1 share key i: one component of 20,000 nodes, built from the far end first.
    const n = 20_000;
    const nodes = new Int32Array(2 * (n - 1));
    const keys = new Int32Array(2 * (n - 1));
    for (let i = 0; i < n - 1; i++) {
      const j = n - 2 - i;
      nodes[2 * i] = j + 1;
      keys[2 * i] = j;
      nodes[2 * i + 1] = j + 2;
      keys[2 * i + 1] = j;
    }
    const components = solve(nodes, keys, 2048);
    expect(components.size).toBe(n);
    expect(new Set(components.values())).toEqual(new Set([1]));
  });

  it('refuses ids outside the declared ranges instead of writing past its arrays', () => {
    const graph = new NodeKeyComponents(3, 3);
    expect(() => graph.addEdges(Int32Array.from([4]), Int32Array.from([0]))).toThrow(/outside the declared id ranges/);
    expect(() => graph.addEdges(Int32Array.from([0]), Int32Array.from([-1]))).toThrow(/outside the declared id ranges/);
    expect(() => new NodeKeyComponents(-1, 0)).toThrow(RangeError);
  });
});
