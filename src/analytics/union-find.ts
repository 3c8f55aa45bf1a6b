/**
 * Connected components of a bipartite node–key graph by union-find, each component named by its smallest node id.
 *
 * The identity graph links source identities (nodes) through shared identifiers (keys). Edges arrive as (node, key)
 * pairs, chunk by chunk; a key's first node stands for it, and every later node of that key is united with that
 * node, so only nodes are kept (an Int32Array of parents over node ids, one over key ids for the first node).
 * Union attaches the larger root under the smaller, so a root is always its set's smallest id: the component name
 * needs no second pass, and it does not depend on the order the edges arrive in (a test shuffles them). Finds halve
 * paths as they go. Ids are small non-negative integers (row numbers); memory is 4 bytes per node id and per key id
 * up to the largest, plus a byte per node id for "has an edge".
 */
export class NodeKeyComponents {
  private readonly parent: Int32Array;
  private readonly keyNode: Int32Array;
  private readonly linked: Uint8Array;

  constructor(maxNodeId: number, maxKeyId: number) {
    if (!Number.isInteger(maxNodeId) || !Number.isInteger(maxKeyId) || maxNodeId < 0 || maxKeyId < 0 || maxNodeId >= 2 ** 31 - 1 || maxKeyId >= 2 ** 31 - 1) {
      throw new RangeError(`NodeKeyComponents: ids must be integers in 0 .. 2^31 − 2 (largest node ${maxNodeId}, key ${maxKeyId})`);
    }
    this.parent = new Int32Array(maxNodeId + 1);
    for (let i = 0; i <= maxNodeId; i++) this.parent[i] = i;
    this.keyNode = new Int32Array(maxKeyId + 1).fill(-1);
    this.linked = new Uint8Array(maxNodeId + 1);
  }

  /** Adds edges node[i]–key[i] for i < count. */
  addEdges(nodes: Int32Array, keys: Int32Array, count = nodes.length): void {
    const { keyNode, linked } = this;
    for (let i = 0; i < count; i++) {
      const node = nodes[i]!;
      const key = keys[i]!;
      if (node < 0 || node >= linked.length || key < 0 || key >= keyNode.length) {
        throw new RangeError(`NodeKeyComponents: edge ${node}–${key} is outside the declared id ranges`);
      }
      linked[node] = 1;
      const first = keyNode[key]!;
      if (first < 0) keyNode[key] = node;
      else this.union(node, first);
    }
  }

  /** The smallest node id connected to `node` (itself when it has no edge). */
  find(node: number): number {
    const parent = this.parent;
    let x = node;
    while (parent[x] !== x) {
      const grand = parent[parent[x]!]!;
      parent[x] = grand;
      x = grand;
    }
    return x;
  }

  private union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra < rb) this.parent[rb] = ra;
    else if (rb < ra) this.parent[ra] = rb;
  }

  /** Every node with at least one edge, ascending, with its component (the smallest node id it is connected to). */
  linkedNodes(): { nodes: Int32Array; components: Int32Array } {
    let n = 0;
    for (let i = 0; i < this.linked.length; i++) n += this.linked[i]!;
    const nodes = new Int32Array(n);
    const components = new Int32Array(n);
    let j = 0;
    for (let i = 0; i < this.linked.length; i++) {
      if (this.linked[i] === 0) continue;
      nodes[j] = i;
      components[j] = this.find(i);
      j++;
    }
    return { nodes, components };
  }
}
