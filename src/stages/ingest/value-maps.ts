/**
 * Spellings of categorical values as exports write them (`Open`/`opened`, `Y`/`Yes`/`1`, `C` for cancelled),
 * mapped to the canonical values of contract §3. Built-in synonyms first, then the source's `values:` overrides;
 * matching is case- and space-insensitive. An unmapped value is quarantined with the value named, never guessed.
 * The map reaches SQL as two list parameters per field (`$vm_<field>_synonyms`, `$vm_<field>_canonicals`) that the
 * staging models look values up in with `cra_value`: an expression per row, not a join.
 */
import type { ChannelSpec } from '../../config/channels.js';

const BUILT_IN: Record<string, Record<string, readonly string[]>> = {
  event_type: {
    sent: ['sent', 'send', 'sends'],
    delivered: ['delivered', 'delivery', 'deliver'],
    open: ['open', 'opened', 'opens', 'view', 'viewed'],
    click: ['click', 'clicked', 'clicks'],
    bounce: ['bounce', 'bounced', 'hard bounce', 'soft bounce', 'hardbounce', 'softbounce'],
    unsubscribe: ['unsubscribe', 'unsubscribed', 'unsub', 'optout', 'opt-out', 'opt out'],
    complaint: ['complaint', 'spam', 'spamreport', 'spam report', 'abuse'],
  },
  status: {
    completed: ['completed', 'complete', 'paid', 'shipped', 'delivered', 'fulfilled', 'ok', 'success'],
    cancelled: ['cancelled', 'canceled', 'cancel', 'void', 'voided'],
    returned: ['returned', 'return', 'refunded', 'refund'],
  },
  reason: {
    complaint: ['complaint', 'complain', 'complaints'],
    billing: ['billing', 'invoice', 'payment', 'bill'],
    support: ['support', 'tech support', 'technical support', 'technical', 'help'],
    sales: ['sales', 'sale', 'order', 'purchase'],
    other: ['other', 'misc', 'general'],
  },
  direction: {
    inbound: ['inbound', 'in', 'incoming'],
    outbound: ['outbound', 'out', 'outgoing'],
  },
  boolean: {
    true: ['true', 't', 'yes', 'y', '1', 'on'],
    false: ['false', 'f', 'no', 'n', '0', 'off'],
  },
};

export interface ValueMapRow {
  field: string;
  synonym: string;
  canonical: string;
}

/** The rows of the value map for one source: built-ins per field, then overrides (which win). */
export function valueMapRows(spec: ChannelSpec, overrides: Record<string, Record<string, string[]>> = {}): ValueMapRow[] {
  const map = new Map<string, ValueMapRow>();
  const put = (field: string, canonical: string, synonym: string): void => {
    const key = synonym.trim().toLowerCase();
    map.set(`${field}\u0000${key}`, { field, synonym: key, canonical });
  };
  for (const [column, columnSpec] of Object.entries(spec.columns)) {
    const table = columnSpec.type === 'boolean' ? BUILT_IN.boolean : columnSpec.type === 'enum' ? BUILT_IN[column] : undefined;
    if (!table) continue;
    for (const [canonical, synonyms] of Object.entries(table)) {
      put(column, canonical, canonical);
      for (const synonym of synonyms) put(column, canonical, synonym);
    }
  }
  for (const [column, values] of Object.entries(overrides)) {
    for (const [canonical, synonyms] of Object.entries(values)) for (const synonym of synonyms) put(column, canonical, synonym);
  }
  return [...map.values()];
}

/** The staging model's parameters for every categorical column of the channel (empty lists when it has none mapped). */
export function valueMapParams(spec: ChannelSpec, rows: ValueMapRow[]): Record<string, string[]> {
  const params: Record<string, string[]> = {};
  for (const [column, columnSpec] of Object.entries(spec.columns)) {
    if (columnSpec.type !== 'boolean' && columnSpec.type !== 'enum') continue;
    const own = rows.filter((r) => r.field === column);
    params[`vm_${column}_synonyms`] = own.map((r) => r.synonym);
    params[`vm_${column}_canonicals`] = own.map((r) => r.canonical);
  }
  return params;
}
