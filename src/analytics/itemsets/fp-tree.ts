/**
 * An FP-tree (Han et al.) kept in flat typed arrays so that a tree over millions of baskets costs a few
 * arrays rather than millions of objects, and so that one tree object can be reset and reused for every
 * conditional tree built at the same recursion depth (the miner is depth-first: one live tree per depth).
 *
 * Node 0 is the root. Items are local ranks 0..nItems-1 (rank 0 = most frequent in this tree), and `code`
 * maps a rank back to the caller's item code. Children are found through an open-addressing hash on
 * (parent, item) rather than sibling lists: the root and the nodes of popular items can have thousands of
 * children, which would make a sibling scan quadratic. `singlePath` is maintained during inserts so the miner
 * can enumerate a chain's combinations directly; in a single-path tree node i's parent is always i - 1.
 */

function nextPow2(n: number): number {
  let p = 16;
  while (p < n) p *= 2;
  return p;
}

function hashKey(parent: number, item: number): number {
  const h = Math.imul(parent, 0x9e3779b1) ^ Math.imul(item + 1, 0x85ebca77);
  return h ^ (h >>> 15);
}

export class FpTree {
  nItems = 0;
  /** Number of nodes including the root. */
  size = 1;
  singlePath = true;
  item = new Int32Array(16);
  count = new Int32Array(16);
  parent = new Int32Array(16);
  /** Next node carrying the same item (0 ends the list). */
  link = new Int32Array(16);
  hasChild = new Uint8Array(16);
  /** First node of each item's node list, its total count in the tree, and its caller-side code. */
  head = new Int32Array(16);
  support = new Int32Array(16);
  code = new Int32Array(16);
  private table = new Int32Array(32);
  private mask = 31;

  /** Empties the tree for `nItems` items, sized for about `capacity` nodes (it grows beyond if needed). */
  reset(nItems: number, capacity: number): void {
    if (nItems > this.head.length) {
      const n = nextPow2(nItems);
      this.head = new Int32Array(n);
      this.support = new Int32Array(n);
      this.code = new Int32Array(n);
    } else {
      this.head.fill(0, 0, nItems);
      this.support.fill(0, 0, nItems);
    }
    this.nItems = nItems;
    this.size = 1;
    this.singlePath = true;
    this.hasChild[0] = 0;
    this.count[0] = 0;
    if (capacity + 1 > this.item.length) this.growNodes(capacity + 1);
    const tableSize = nextPow2(2 * (capacity + 1));
    if (tableSize > this.table.length) this.table = new Int32Array(tableSize);
    else this.table.fill(0, 0, tableSize);
    this.mask = tableSize - 1;
  }

  /** Adds one path (local ranks in ascending order, no repeats) with the given weight. */
  insert(path: Int32Array, len: number, weight: number): void {
    if (this.size + len > this.item.length) this.grow(this.size + len);
    const { item, count, parent, link, hasChild, head, support, table, mask } = this;
    let node = 0;
    for (let i = 0; i < len; i++) {
      const it = path[i]!;
      let h = hashKey(node, it) & mask;
      let child = table[h]!;
      while (child !== 0 && (parent[child] !== node || item[child] !== it)) {
        h = (h + 1) & mask;
        child = table[h]!;
      }
      if (child === 0) {
        child = this.size++;
        item[child] = it;
        parent[child] = node;
        count[child] = 0;
        link[child] = head[it]!;
        head[it] = child;
        hasChild[child] = 0;
        if (hasChild[node] !== 0) this.singlePath = false;
        hasChild[node] = 1;
        table[h] = child;
      }
      count[child]! += weight;
      support[it]! += weight;
      node = child;
    }
  }

  private growNodes(minNodes: number): void {
    const n = nextPow2(minNodes);
    const copy = <T extends Int32Array | Uint8Array>(a: T, make: (k: number) => T): T => {
      const b = make(n);
      b.set(a.subarray(0, this.size));
      return b;
    };
    this.item = copy(this.item, (k) => new Int32Array(k));
    this.count = copy(this.count, (k) => new Int32Array(k));
    this.parent = copy(this.parent, (k) => new Int32Array(k));
    this.link = copy(this.link, (k) => new Int32Array(k));
    this.hasChild = copy(this.hasChild, (k) => new Uint8Array(k));
  }

  /** Doubles node storage and rebuilds the child table (only the first tree, of unknown size, needs this). */
  private grow(minNodes: number): void {
    this.growNodes(Math.max(minNodes, 2 * this.item.length));
    const tableSize = nextPow2(2 * this.item.length);
    this.table = new Int32Array(tableSize);
    this.mask = tableSize - 1;
    for (let c = 1; c < this.size; c++) {
      let h = hashKey(this.parent[c]!, this.item[c]!) & this.mask;
      while (this.table[h] !== 0) h = (h + 1) & this.mask;
      this.table[h] = c;
    }
  }
}
