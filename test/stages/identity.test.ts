/**
 * Identity resolution on a hand-made case: the messy variants of one person merge (email case and spaces,
 * three phone formats, a typo in the name), lookalike different people do not, guarded identifiers (a checkout
 * email used by seven accounts, the shop's own number) link nobody, and keys stay stable as data arrives.
 */
import { describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Stage } from '../../src/pipeline/context.js';
import { toE164 } from '../../src/stages/identity/phones.js';
import { ALL_STAGES } from '../../src/stages/index.js';
import { copyFixture, readParquet, runFile } from '../helpers.js';

type Crosswalk = { source: string; id_type: string; source_record_id: string; customer_key: string; match_rule: string };

async function crosswalk(dir: string): Promise<Map<string, Crosswalk>> {
  const rows = await readParquet<Crosswalk>(path.join(dir, 'out', 'ident', 'latest', 'customer_crosswalk.parquet'));
  return new Map(rows.map((r) => [`${r.source}/${r.source_record_id}`, r]));
}

describe('identity', () => {
  it('normalises phone formats to one E.164 number', () => {
    for (const raw of ['+44 20 7946 0958', '020 7946 0958', '00442079460958', '(020) 7946-0958']) expect(toE164(raw, 'GB')).toBe('+442079460958');
    expect(toE164('12', 'GB')).toBeNull();
  });

  it('hands on only the keyed activity and the tables to publish, dropping its working tables', async () => {
    const dir = copyFixture('identity');
    let temps: string[] = [];
    // A stage after identity sees the temp objects identity left on the run's connection, and the keyed activity in cra_work.
    // Named report: the fixture's pipeline runs identity and report.
    const look: Stage = {
      name: 'report', needs: ['identity'],
      run: async (ctx) => {
        temps = (await ctx.db.all<{ n: string }>(`SELECT table_name AS n FROM duckdb_tables() WHERE temporary UNION ALL SELECT view_name FROM duckdb_views() WHERE temporary AND NOT internal
                                                   UNION ALL SELECT 'cra_work.' || table_name FROM duckdb_tables() WHERE schema_name = 'cra_work'`)).map((r) => r.n).sort();
        return {};
      },
    };
    await runFile(path.join(dir, 'pipeline.yaml'), { stages: [...ALL_STAGES.filter((st) => st.name === 'ingest' || st.name === 'identity'), look] });
    expect(temps).toEqual(expect.arrayContaining(['cra_work.int_orders_keyed', 'cra_work.int_sessions_keyed', 'cra_work.int_email_events_keyed', 'cra_work.int_calls_keyed', 'cra_work.int_crm_keyed', 'out_customers', 'out_customer_crosswalk', 'out_orders', 'out_interactions', 'int_activity_cutoff']));
    expect(temps.filter((t) => /^int_identity|^int_node|^int_customer_keys$|^phone_map$/.test(t))).toEqual([]);
  });

  it('merges one person across channels and keeps lookalikes and junk apart', async () => {
    const dir = copyFixture('identity');
    await runFile(path.join(dir, 'pipeline.yaml'));
    const cw = await crosswalk(dir);
    const key = (id: string): string => cw.get(id)!.customer_key;
    const jane = key('crm/C1');
    for (const id of ['shop/S1', 'calls/+44 20 7946 0958', 'calls/00442079460958', 'email/JANE.DOE@example.com', 'email/jane.doe@example.com']) {
      expect(key(id), id).toBe(jane);
    }
    expect(cw.get('crm/C1')!.match_rule).toContain('email');
    // A CRM record with no email or phone joins by name + postcode, scored by name similarity.
    expect(key('crm/C5')).toBe(jane);
    expect(cw.get('crm/C5')).toMatchObject({ match_rule: 'name_postcode' });
    expect((cw.get('crm/C5') as unknown as { match_score: number }).match_score).toBeGreaterThan(0.95);
    expect((cw.get('crm/C5') as unknown as { match_score: number }).match_score).toBeLessThan(1);
    expect(key('crm/C2')).toBe(key('shop/S2'));
    expect(key('crm/C3')).toBe(key('calls/(020) 7946-0002'));
    expect(key('email/jsmith@b-mail.com')).toBe(key('crm/C3'));
    // Same name, same postcode, different emails and phones: two people (the fuzzy rule's negative evidence).
    expect(key('crm/C2')).not.toBe(key('crm/C3'));
    expect(key('crm/C4')).not.toBe(key('shop/S20'));
    const junkAccounts = ['S5', 'S6', 'S7', 'S8', 'S9', 'S10', 'S11'].map((s) => key(`shop/${s}`));
    expect(new Set(junkAccounts).size).toBe(7);
    expect(cw.has('shop/test@test.com')).toBe(false);
    expect(cw.has('calls/020 7946 0000')).toBe(false);
    expect(cw.get('email/unknown.person@z-mail.com')!.match_rule).toBe('singleton');

    const dq = await readParquet<{ check_name: string; table_name: string; value: number }>(path.join(dir, 'out', 'ident', 'latest', 'data_quality.parquet'));
    const check = (name: string, table: string): number | undefined => dq.find((d) => d.check_name === name && d.table_name === table)?.value;
    expect(check('identity_guard_fanout_accounts', 'email')).toBe(1);
    expect(check('identity_guard_fanout_names', 'phone')).toBe(1);
    expect(check('identity_junk_identities', 'customers')).toBe(2);

    const orders = await readParquet<{ order_id: string; customer_key: string | null }>(path.join(dir, 'out', 'ident', 'latest', 'orders.parquet'));
    expect(orders.find((o) => o.order_id === '4')!.customer_key).toBeNull();
  });

  it('keeps keys stable when data arrives, records merges, and survives --full-refresh', async () => {
    const dir = copyFixture('identity');
    const file = path.join(dir, 'pipeline.yaml');
    await runFile(file);
    const before = await crosswalk(dir);
    writeFileSync(path.join(dir, 'orders_2.csv'), 'order_id,line_id,ordered_at,customer_id,email,product_id,quantity,unit_price\n90,1,2024-05-01 10:00:00,S99,jsmith@b-mail.com,A,1,10\n');
    writeFileSync(path.join(dir, 'crm_2.csv'), 'customer_id,email,phone,first_name,last_name,city,postcode\nC4,amy.w@y-mail.com,,Amy,Wong,Leeds,LS1 4AP\n');
    const second = await runFile(file);
    const after = await crosswalk(dir);
    for (const [id, row] of before) {
      if (id === 'shop/S20' || id === 'crm/C4') continue;
      expect(after.get(id)!.customer_key, id).toBe(row.customer_key);
    }
    expect(after.get('shop/S99')!.customer_key).toBe(before.get('crm/C3')!.customer_key);
    const amy = [before.get('crm/C4')!.customer_key, before.get('shop/S20')!.customer_key].sort();
    expect(after.get('crm/C4')!.customer_key).toBe(amy[0]);
    expect(after.get('shop/S20')!.customer_key).toBe(amy[0]);
    const history = await readParquet(path.join(dir, 'out', 'ident', 'latest', 'customer_key_history.parquet'));
    expect(history).toEqual([{ customer_key: amy[0], replaced_key: amy[1], change: 'merge', run_id: second.manifest.run_id }]);

    await runFile(file, { fullRefresh: true });
    const refreshed = await crosswalk(dir);
    for (const [id, row] of after) expect(refreshed.get(id)!.customer_key, id).toBe(row.customer_key);
  });

  it('golden record: CRM wins by default, a configured source priority overrides it, provenance says which', async () => {
    const dir = copyFixture('identity');
    const file = path.join(dir, 'pipeline.yaml');
    await runFile(file);
    const golden = async (): Promise<Record<string, unknown>> => {
      const cw = await crosswalk(dir);
      const jane = cw.get('crm/C1')!.customer_key;
      const rows = await readParquet<Record<string, unknown>>(path.join(dir, 'out', 'ident', 'latest', 'customers.parquet'));
      return rows.find((r) => r.customer_key === jane)!;
    };
    expect(await golden()).toMatchObject({ email: 'jane.doe@example.com', phone: '+442079460958', first_name: 'Jane', email_source: 'crm', name_source: 'crm' });
    await runFile(file, { overrides: ['identity.survivorship.source_priority=[calls, crm]'] });
    // Calls carry a phone but no first/last name, so the name still comes from the CRM.
    expect(await golden()).toMatchObject({ phone_source: 'calls', name_source: 'crm', last_name: 'Doe', email_source: 'crm' });
  });

  it('records a split when the link that merged two customers disappears', async () => {
    const dir = copyFixture('identity');
    const file = path.join(dir, 'pipeline.yaml');
    const removing = ['sources[0].on_missing_file=remove'];
    writeFileSync(path.join(dir, 'crm_2.csv'), 'customer_id,email,phone,first_name,last_name,city,postcode\nC4,amy.w@y-mail.com,,Amy,Wong,Leeds,LS1 4AP\n');
    await runFile(file, { overrides: removing });
    const merged = await crosswalk(dir);
    const amy = merged.get('crm/C4')!.customer_key;
    expect(merged.get('shop/S20')!.customer_key).toBe(amy);
    rmSync(path.join(dir, 'crm_2.csv'));
    const second = await runFile(file, { overrides: removing });
    const split = await crosswalk(dir);
    const keys = [split.get('crm/C4')!.customer_key, split.get('shop/S20')!.customer_key];
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys).toContain(amy);
    const other = keys.find((k) => k !== amy)!;
    const history = await readParquet(path.join(dir, 'out', 'ident', 'latest', 'customer_key_history.parquet'));
    expect(history).toContainEqual({ customer_key: other, replaced_key: amy, change: 'split', run_id: second.manifest.run_id });
    for (const [id, row] of merged) if (!['crm/C4', 'shop/S20'].includes(id)) expect(split.get(id)!.customer_key, id).toBe(row.customer_key);
  });
});
