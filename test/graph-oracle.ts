/**
 * Test oracle for connected components: a breadth-first search over an undirected graph given as each node's
 * neighbours, naming every component by its smallest node (the name the identity stage gives a customer's identities).
 */
export function componentsByBfs(neighbours: ReadonlyMap<number, Iterable<number>>): Map<number, number> {
  const out = new Map<number, number>();
  for (const start of neighbours.keys()) {
    if (out.has(start)) continue;
    const seen = new Set([start]);
    const queue = [start];
    for (let q = 0; q < queue.length; q++) {
      for (const m of neighbours.get(queue[q]!) ?? []) {
        if (!seen.has(m)) {
          seen.add(m);
          queue.push(m);
        }
      }
    }
    const min = Math.min(...seen);
    for (const n of seen) out.set(n, min);
  }
  return out;
}

/** Node → its neighbours through shared keys, from groups of nodes that share one key (every node listed). */
export function neighboursFromGroups(nodes: Iterable<number>, groups: Iterable<readonly number[]>): Map<number, Set<number>> {
  const neighbours = new Map<number, Set<number>>();
  for (const n of nodes) neighbours.set(n, new Set());
  for (const group of groups) for (const a of group) for (const b of group) neighbours.get(a)!.add(b);
  return neighbours;
}
