/**
 * Compiles a tree into ONE DuckDB query, so scoring a whole customer table runs inside the engine:
 *
 *   SELECT "key", CASE WHEN "x" IS NULL OR "x" <= 0.7e0 THEN … ELSE … END AS "score" FROM "t"
 *
 * Every split states where NULL goes (the routing learned, or defaulted at fit time): `x IS NULL OR …`
 * when it goes left, `x IS NOT NULL AND …` when it goes right. Folding NULL into the one WHEN (rather than
 * a separate `WHEN x IS NULL THEN <subtree>`) keeps the query linear in the tree size instead of
 * repeating a subtree per split. Categorical splits use IN (…) on the left set, so unseen categories go
 * right exactly as predictProba sends them.
 * Numbers are Number#toString (shortest round-trip form) with `e0` appended when there is no exponent:
 * DuckDB reads a plain `0.30000000000000004` as a DECIMAL and converting that to DOUBLE can land one ulp
 * off, while any literal with an exponent is parsed directly as a correctly rounded DOUBLE.
 * Rows must carry NULL, not NaN, for missing values (DuckDB orders NaN above every number).
 */
import type { CartTree } from './types.js';

export interface TreeSqlOptions {
  /** Table name, quoted as one identifier; pass [schema, table] for a qualified name. */
  readonly table: string | readonly string[];
  readonly keyColumn: string;
  readonly scoreColumn: string;
  /** Raw SQL predicate appended as WHERE (not escaped: it is SQL by definition). */
  readonly where?: string;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A DOUBLE literal that DuckDB parses back to exactly `value`. */
export function sqlDouble(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`cannot write ${value} as a SQL literal`);
  const s = String(value);
  return /e/i.test(s) ? s : `${s}e0`;
}

/** The CASE expression giving the class-1 probability of a row. */
export function treeToSqlExpression(tree: CartTree, indent = ''): string {
  const expr = (k: number, pad: string): string => {
    const node = tree.nodes[k]!;
    const split = node.split;
    if (!split) return sqlDouble(node.proba);
    const inner = `${pad}  `;
    const x = quoteIdent(split.feature);
    const left = expr(node.left, inner);
    const right = expr(node.right, inner);
    let test: string;
    if (split.kind === 'numeric') test = `${x} <= ${sqlDouble(split.threshold)}`;
    else if (split.leftCategories.length > 0) test = `${x} IN (${split.leftCategories.map(quoteString).join(', ')})`;
    else test = 'FALSE'; // only the missing rows go left
    const when = split.missingLeft
      ? test === 'FALSE' ? `${x} IS NULL` : `${x} IS NULL OR ${test}`
      : `${x} IS NOT NULL AND ${test}`;
    const lines = ['CASE', `${inner}WHEN ${when} THEN ${left}`, `${inner}ELSE ${right}`, `${pad}END`];
    return lines.join('\n');
  };
  return expr(0, indent);
}

export function treeToSql(tree: CartTree, options: TreeSqlOptions): string {
  const table = typeof options.table === 'string' ? quoteIdent(options.table) : options.table.map(quoteIdent).join('.');
  const score = treeToSqlExpression(tree, '  ');
  const where = options.where !== undefined && options.where.trim() !== '' ? `\nWHERE ${options.where}` : '';
  return `SELECT\n  ${quoteIdent(options.keyColumn)},\n  ${score} AS ${quoteIdent(options.scoreColumn)}\nFROM ${table}${where}`;
}
