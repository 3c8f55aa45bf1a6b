/**
 * Compares bench results of two code versions run alternately (`npx tsx bench/compare.ts A1.json,A2.json
 * B1.json,B2.json [--top 20]`): per stage and per SQL statement, each run's seconds, the mean difference B − A, and
 * whether the runs are separated (every B below every A, or every B above). Whole runs move by ±10 s on this machine,
 * more than most changes, so a claim rests on the statements a change touches moving the same way in every run, and
 * on the peer's scan (run first in each bench) showing whether the machine itself was slower.
 *
 * Separation is weak evidence with few runs: with two runs of each version, an unchanged statement's runs separate one
 * time in three by chance (two of the six orderings of four runs), so the statements a change cannot touch (those before
 * it in the run) are the control for how far the runs alone moved.
 *
 * Statements are keyed by stage and the start of their origin (a `.sql` file with its statement number, or the
 * statement's text), as bench/run.ts records them; publishing is the stage `publish`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The parts of a bench/results file this reads. */
export interface BenchResult {
  total_seconds: number;
  peak_rss: number;
  publish_seconds: number;
  publish_sql?: { origin: string; seconds: number }[];
  bare_scan?: { seconds: number };
  stages: Record<string, { seconds: number; sql?: { origin: string; seconds: number }[] }>;
}

export interface ComparedRow {
  /** Stage name, or `<stage> | <origin>` for a statement. */
  key: string;
  a: number[];
  b: number[];
  /** mean(b) − mean(a), seconds. */
  diff: number;
  /** Every B below every A ('lower'), every B above ('higher'), else 'mixed'. */
  separation: 'lower' | 'higher' | 'mixed';
}

/** Longest origin prefix kept: statements are told apart by their file and number or their first words. */
const ORIGIN_CHARS = 90;

function flatten(result: BenchResult): { stages: Map<string, number>; statements: Map<string, number> } {
  const stages = new Map<string, number>();
  const statements = new Map<string, number>();
  const add = (stage: string, sql: { origin: string; seconds: number }[] | undefined): void => {
    for (const s of sql ?? []) {
      const key = `${stage} | ${s.origin.slice(0, ORIGIN_CHARS)}`;
      statements.set(key, (statements.get(key) ?? 0) + s.seconds);
    }
  };
  for (const [name, stage] of Object.entries(result.stages)) {
    stages.set(name, stage.seconds);
    add(name, stage.sql);
  }
  stages.set('publish', result.publish_seconds);
  add('publish', result.publish_sql);
  stages.set('end to end', result.total_seconds);
  if (result.bare_scan) stages.set('peer scan', result.bare_scan.seconds);
  return { stages, statements };
}

const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

function row(key: string, a: number[], b: number[]): ComparedRow {
  const separation = Math.max(...b) < Math.min(...a) ? 'lower' : Math.min(...b) > Math.max(...a) ? 'higher' : 'mixed';
  return { key, a, b, diff: mean(b) - mean(a), separation };
}

function compareMaps(a: Map<string, number>[], b: Map<string, number>[]): ComparedRow[] {
  const keys = new Set([...a, ...b].flatMap((m) => [...m.keys()]));
  // A statement a run did not execute took 0 s there (a version that drops it, or a stage that was skipped).
  return [...keys].map((k) => row(k, a.map((m) => m.get(k) ?? 0), b.map((m) => m.get(k) ?? 0)));
}

/** Stages in the first result's order (then publish, end to end, peer scan), statements by the size of the difference. */
export function compareResults(a: BenchResult[], b: BenchResult[]): { stages: ComparedRow[]; statements: ComparedRow[] } {
  if (a.length === 0 || b.length === 0) throw new Error('compare: give at least one result file for each version');
  const fa = a.map(flatten);
  const fb = b.map(flatten);
  const stageOrder = [...fa[0]!.stages.keys()];
  const stages = compareMaps(fa.map((f) => f.stages), fb.map((f) => f.stages))
    .sort((x, y) => (stageOrder.indexOf(x.key) + 1 || Infinity) - (stageOrder.indexOf(y.key) + 1 || Infinity));
  const statements = compareMaps(fa.map((f) => f.statements), fb.map((f) => f.statements))
    .sort((x, y) => Math.abs(y.diff) - Math.abs(x.diff) || x.key.localeCompare(y.key));
  return { stages, statements };
}

function format(r: ComparedRow, width: number): string {
  const runs = (xs: number[]): string => xs.map((x) => x.toFixed(2).padStart(7)).join('');
  const mark = r.separation === 'mixed' ? ' ' : '*';
  return `${r.key.slice(0, width).padEnd(width)} A${runs(r.a)}   B${runs(r.b)}   ${(r.diff >= 0 ? '+' : '') + r.diff.toFixed(2)}${mark}`;
}

function main(argv: string[]): void {
  const files: string[] = [];
  let top = 20;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--top') top = Number(argv[++i]);
    else files.push(argv[i]!);
  }
  if (files.length !== 2) {
    throw new Error('usage: npx tsx bench/compare.ts A1.json[,A2.json…] B1.json[,B2.json…] [--top 20]');
  }
  const load = (list: string): BenchResult[] => list.split(',').map((f) => JSON.parse(readFileSync(f, 'utf8')) as BenchResult);
  const { stages, statements } = compareResults(load(files[0]!), load(files[1]!));
  console.log('seconds per run; B − A of the means; * where every B run is below (or above) every A run\n');
  for (const r of stages) console.log(format(r, 14));
  console.log(`\nthe ${top} statements that moved most:`);
  for (const r of statements.slice(0, top)) console.log(format(r, 70));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
