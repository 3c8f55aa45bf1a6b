/**
 * One readable rule per leaf, for the report: the path's conditions merged per feature (x > 2 AND x > 5
 * becomes x > 5), with missing-value routing spelled out — `(x IS NULL OR x <= 3)` when NULLs follow that
 * branch — plus support, class-1 rate and lift over the root rate. The text uses SQL syntax so an analyst
 * can paste it into a WHERE clause; names are bare when they are plain identifiers, double-quoted otherwise.
 * Thresholds are exact (bin edges are data values with up to 17 digits); `digits` rounds them for display.
 * Merging is exact: (NULL ∨ A) ∧ (NULL ∨ B) = NULL ∨ (A ∧ B), and one NULL-excluding condition excludes NULL.
 */
import { quoteIdent, quoteString } from './to-sql.js';
import type { CartTree } from './types.js';

export interface CartRule {
  /** Leaf node id. */
  readonly leaf: number;
  /** One condition per feature used on the path, in order of first use. */
  readonly conditions: string[];
  /** Conditions joined with AND ('TRUE' for a single-leaf tree). */
  readonly text: string;
  readonly rows: number;
  /** rows / training rows. */
  readonly share: number;
  readonly positives: number;
  /** Class-1 rate in the leaf (its predicted probability). */
  readonly rate: number;
  /** rate / root rate. */
  readonly lift: number;
}

type Constraint =
  | { kind: 'numeric'; lo: number; hi: number; nullOk: boolean }
  | { kind: 'categorical'; include: string[] | null; exclude: string[]; nullOk: boolean };

function name(feature: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(feature) ? feature : quoteIdent(feature);
}

export interface RuleOptions {
  /** Show thresholds rounded to this many significant digits (display only; default: exact). */
  readonly digits?: number;
}

function describe(feature: string, c: Constraint, digits: number | undefined): string | null {
  const x = name(feature);
  const num = (v: number): string => (digits === undefined ? String(v) : String(Number(v.toPrecision(digits))));
  let body: string | null;
  let parts = 1;
  if (c.kind === 'numeric') {
    const bounds: string[] = [];
    if (c.lo > -Infinity) bounds.push(`${x} > ${num(c.lo)}`);
    if (c.hi < Infinity) bounds.push(`${x} <= ${num(c.hi)}`);
    body = bounds.length > 0 ? bounds.join(' AND ') : null;
    parts = bounds.length;
  } else if (c.include) {
    const allowed = c.include.filter((v) => !c.exclude.includes(v));
    body = allowed.length > 0 ? `${x} IN (${allowed.map(quoteString).join(', ')})` : 'FALSE';
  } else {
    body = c.exclude.length > 0 ? `${x} NOT IN (${c.exclude.map(quoteString).join(', ')})` : null;
  }
  if (!c.nullOk) return body ?? `${x} IS NOT NULL`;
  if (body === null) return null;
  if (body === 'FALSE') return `${x} IS NULL`;
  return `(${x} IS NULL OR ${parts > 1 ? `(${body})` : body})`;
}

export function treeToRules(tree: CartTree, options: RuleOptions = {}): CartRule[] {
  const root = tree.nodes[0]!;
  const rules: CartRule[] = [];
  const walk = (k: number, path: Map<string, Constraint>): void => {
    const node = tree.nodes[k]!;
    const split = node.split;
    if (!split) {
      const conditions = [...path].map(([f, c]) => describe(f, c, options.digits)).filter((t): t is string => t !== null);
      rules.push({
        leaf: k,
        conditions,
        text: conditions.length > 0 ? conditions.join(' AND ') : 'TRUE',
        rows: node.rows,
        share: node.rows / root.rows,
        positives: node.positives,
        rate: node.proba,
        lift: node.proba / root.proba,
      });
      return;
    }
    for (const side of ['left', 'right'] as const) {
      const goesLeft = side === 'left';
      const nullOk = split.missingLeft === goesLeft;
      const prev = path.get(split.feature);
      let next: Constraint;
      if (split.kind === 'numeric') {
        const p = prev?.kind === 'numeric' ? prev : { lo: -Infinity, hi: Infinity, nullOk: true };
        next = goesLeft
          ? { kind: 'numeric', lo: p.lo, hi: Math.min(p.hi, split.threshold), nullOk: p.nullOk && nullOk }
          : { kind: 'numeric', lo: Math.max(p.lo, split.threshold), hi: p.hi, nullOk: p.nullOk && nullOk };
      } else {
        const p = prev?.kind === 'categorical' ? prev : { include: null, exclude: [] as string[], nullOk: true };
        const set = split.leftCategories;
        next = goesLeft
          ? { kind: 'categorical', include: p.include ? p.include.filter((v) => set.includes(v)) : [...set], exclude: p.exclude, nullOk: p.nullOk && nullOk }
          : { kind: 'categorical', include: p.include, exclude: [...p.exclude, ...set.filter((v) => !p.exclude.includes(v))], nullOk: p.nullOk && nullOk };
      }
      const childPath = new Map(path);
      childPath.set(split.feature, next);
      walk(goesLeft ? node.left : node.right, childPath);
    }
  };
  walk(0, new Map());
  return rules;
}
