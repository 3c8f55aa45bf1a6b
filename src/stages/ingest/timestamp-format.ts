/**
 * Picks one timestamp format per source when the pipeline file gives none: the candidate that parses the most of
 * a sample of the date column wins (ties → earlier in the list, ISO first). One format per source, not per value,
 * so 05/03/2024 never means 5 March in one row and 3 May in the next. ISO strings with offsets parse regardless.
 */
import { quoteIdent, type Database } from '../../db/database.js';

export const TIMESTAMP_CANDIDATES = [
  '%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M', '%Y-%m-%d',
  '%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M', '%d/%m/%Y',
  '%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%m/%d/%Y',
  '%d.%m.%Y %H:%M:%S', '%d.%m.%Y %H:%M', '%d.%m.%Y',
  '%Y/%m/%d %H:%M:%S', '%Y%m%d',
] as const;

export async function sniffTimestampFormat(db: Database, column: string): Promise<string> {
  const counts = TIMESTAMP_CANDIDATES.map((fmt, i) => `count(try_strptime(v, $f${i})) AS c${i}`).join(', ');
  const params = Object.fromEntries(TIMESTAMP_CANDIDATES.map((fmt, i) => [`f${i}`, fmt]));
  const rows = await db.all(
    `WITH sample AS (SELECT trim(${quoteIdent(column)}) AS v FROM raw_batch WHERE nullif(trim(${quoteIdent(column)}), '') IS NOT NULL LIMIT 2000)
     SELECT ${counts} FROM sample`,
    params,
  );
  const row = rows[0] ?? {};
  let best = 0;
  let bestCount = -1;
  TIMESTAMP_CANDIDATES.forEach((_, i) => {
    const count = Number(row[`c${i}`] ?? 0);
    if (count > bestCount) {
      best = i;
      bestCount = count;
    }
  });
  return TIMESTAMP_CANDIDATES[best]!;
}
