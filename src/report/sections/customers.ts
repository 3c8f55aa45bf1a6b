/** Customers: the top customers by net revenue as of the cutoff (keys only: no personal data in the report). */
import { table } from '../html.js';
import type { ReportContext, ReportSection } from '../context.js';

export const customersSection: ReportSection = {
  id: 'customers',
  title: 'Top customers',
  async render(ctx: ReportContext) {
    if (!(await ctx.has('customer_features'))) return 'Customer features were not built in this run.';
    const rows = await ctx.db.all(`SELECT customer_key, frequency, monetary, recency_days, tenure_days FROM out_customer_features
                                   WHERE frequency > 0 ORDER BY monetary DESC, customer_key LIMIT 15`);
    if (rows.length === 0) return 'No customer has a completed order up to as_of.';
    return [table([
      { key: 'customer_key', label: 'customer' }, { key: 'frequency', label: 'orders' }, { key: 'monetary', label: 'net revenue', digits: 2 },
      { key: 'recency_days', label: 'days since last order' }, { key: 'tenure_days', label: 'tenure (days)' },
    ], rows)];
  },
};
