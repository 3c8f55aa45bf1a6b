/**
 * Plain-object form of a tree for the run manifest and for reloading a model in a later run. The tree is
 * already JSON-safe by construction (no typed arrays, every number finite); treeToJson returns a deep copy
 * so callers can stringify or mutate it freely, and treeFromJson checks the shape before trusting it.
 */
import type { CartTree } from './types.js';

export type CartTreeJson = CartTree;

export function treeToJson(tree: CartTree): CartTreeJson {
  return JSON.parse(JSON.stringify(tree)) as CartTreeJson;
}

export function treeFromJson(json: unknown): CartTree {
  const t = json as Partial<CartTree> | null;
  if (!t || t.format !== 'cra-cart/1' || !Array.isArray(t.nodes) || t.nodes.length === 0 || !Array.isArray(t.features)) {
    throw new TypeError('not a cra-cart/1 tree');
  }
  t.nodes.forEach((n, k) => {
    const childrenOk = n.split ? n.left > k && n.right > k && n.right < t.nodes!.length : n.left === -1 && n.right === -1;
    if (n.id !== k || !childrenOk || !(n.proba >= 0 && n.proba <= 1)) throw new TypeError(`malformed node ${k}`);
  });
  return t as CartTree;
}
