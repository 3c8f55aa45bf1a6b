/**
 * Removes erased customers from what was already published: every Parquet file with a customer_key column in
 * the retained runs and history partitions is rewritten without their rows (temp file + rename), and their keys
 * are blanked in retained reports. The next run republishes `latest` and bi.duckdb from the cleaned warehouse.
 */
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Database, PARQUET_OPTIONS, quoteLiteral } from '../db/database.js';

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

export async function eraseFromPublishedFiles(outputRoot: string, keys: string[]): Promise<number> {
  const files = [...(await filesUnder(path.join(outputRoot, 'runs'))), ...(await filesUnder(path.join(outputRoot, 'history')))];
  const db = await Database.open(':memory:');
  let rewritten = 0;
  try {
    for (const file of files) {
      if (file.endsWith('.parquet')) {
        const columns = await db.all<{ column_name: string }>(`DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(file)})`);
        if (!columns.some((c) => c.column_name === 'customer_key')) continue;
        const hits = Number(await db.value(`SELECT count(*) FROM read_parquet(${quoteLiteral(file)}) WHERE list_contains($keys, customer_key)`, { keys }));
        if (hits === 0) continue;
        const temp = `${file}.erase.tmp`;
        await db.run(`COPY (SELECT * FROM read_parquet(${quoteLiteral(file)}) WHERE customer_key IS NULL OR NOT list_contains($keys, customer_key))
                      TO ${quoteLiteral(temp)} (${PARQUET_OPTIONS})`, { keys });
        await rename(temp, file);
        rewritten++;
      } else if (file.endsWith('.html') || file.endsWith('.md')) {
        const text = await readFile(file, 'utf8');
        const cleaned = keys.reduce((t, k) => t.replaceAll(k, '[erased]'), text);
        if (cleaned !== text) {
          await writeFile(`${file}.erase.tmp`, cleaned);
          await rename(`${file}.erase.tmp`, file);
          rewritten++;
        }
      }
    }
  } finally {
    db.close();
  }
  await rm(path.join(outputRoot, 'bi.duckdb'), { force: true });
  return rewritten;
}
