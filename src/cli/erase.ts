/** `cra erase <pipeline> (--email E | --phone P | --customer-key K)`: removes one person everywhere (contract §6). */
import { loadPipeline } from '../config/load.js';
import { UsageError } from '../errors.js';
import { erasePerson, type EraseTarget } from '../pipeline/erase.js';
import { createLogger } from '../pipeline/logger.js';

export async function eraseCommand(file: string, flags: { email?: string; phone?: string; customerKey?: string; json?: boolean; quiet?: boolean }): Promise<void> {
  const given = [flags.email, flags.phone, flags.customerKey].filter((v) => v !== undefined);
  if (given.length !== 1) throw new UsageError('cra erase needs exactly one of --email, --phone or --customer-key');
  const target: EraseTarget = flags.email !== undefined ? { email: flags.email } : flags.phone !== undefined ? { phone: flags.phone } : { customerKey: flags.customerKey! };
  const pipeline = loadPipeline(file);
  const log = createLogger({ json: Boolean(flags.json) || !process.stderr.isTTY, quiet: Boolean(flags.quiet), debug: false });
  const result = await erasePerson(pipeline, target, log);
  const summary = { erased_customers: result.customers.length, warehouse_rows: result.rows, published_files_rewritten: result.files, republished_run: result.republished.manifest.run_id };
  process.stdout.write(flags.json ? `${JSON.stringify(summary)}\n` : `erased ${summary.erased_customers} customer(s): ${summary.warehouse_rows} rows removed from the warehouse, ${summary.published_files_rewritten} published file(s) rewritten, latest republished (run ${summary.republished_run})\n`);
}
