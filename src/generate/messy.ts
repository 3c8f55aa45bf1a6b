/**
 * The mess real exports carry: the same email typed in different cases and with stray spaces, status and
 * event words spelled several ways, caller names misheard by an agent. Kept in one place so the truth
 * files and the pipeline's synonym lists can be checked against a single list of spellings.
 */
import type { Rng } from '../analytics/random.js';

/** The shared address typed at checkout by many unrelated people (a fan-out junk identifier). */
export const JUNK_EMAIL = 'test@test.com';

export const COMPLETED_SPELLINGS = ['Complete', 'complete', 'COMPLETED'] as const;
export const CANCELLED_SPELLINGS = ['Cancelled', 'canceled'] as const;
export const RETURNED_SPELLING = 'Returned';

export type EmailEvent = 'sent' | 'delivered' | 'open' | 'click' | 'bounce' | 'unsubscribe' | 'complaint';
export const EVENT_SPELLINGS: Record<EmailEvent, readonly string[]> = {
  sent: ['Sent', 'sent'],
  delivered: ['Delivered'],
  open: ['Open', 'opened', 'OPEN'],
  click: ['Click', 'clicked'],
  bounce: ['Bounce'],
  unsubscribe: ['Unsubscribe', 'unsubscribed'],
  complaint: ['Complaint'],
};

export const CALL_REASONS = ['Complaint', 'complaint', 'Billing', 'Support', 'Tech support', 'Sales', 'Other'] as const;

export function completedSpelling(rng: Rng): string {
  const u = rng.next();
  return u < 0.6 ? 'Complete' : u < 0.85 ? 'complete' : 'COMPLETED';
}

/** 'jane.doe12@example.com' → 'Jane.Doe12@Example.com': each word of the local part and the first domain label. */
export function titleCaseEmail(email: string): string {
  let out = '';
  let startOfWord = true;
  let inDomain = false;
  for (let i = 0; i < email.length; i++) {
    const c = email[i]!;
    out += startOfWord && c >= 'a' && c <= 'z' ? c.toUpperCase() : c;
    if (c === '@') inDomain = true;
    startOfWord = inDomain ? c === '@' : c === '.' || c === '_' || c === '@';
  }
  return out;
}

/** The ways one address gets written; built once per person, on first use. */
export class EmailForms {
  private forms: string[] | null = null;

  constructor(readonly email: string) {}

  /** The address as a person or a system happened to write it this time. */
  pick(rng: Rng, cleanShare: number): string {
    const u = rng.next();
    if (u < cleanShare) return this.email;
    const e = this.email;
    this.forms ??= [titleCaseEmail(e), e.toUpperCase(), `${e} `, ` ${e}`];
    const r = (u - cleanShare) / (1 - cleanShare);
    return this.forms[r < 0.4 ? 0 : r < 0.55 ? 1 : r < 0.85 ? 2 : 3]!;
  }
}

/** Caller name as logged by an agent: usually right, sometimes misspelt, shouted or missing. */
export function callerName(rng: Rng, first: string, last: string): string {
  const u = rng.next();
  if (u < 0.7) return `${first} ${last}`;
  if (u < 0.8) return last.length >= 3 ? `${first} ${last.slice(0, -1)}` : `${first.slice(0, -1)} ${last}`;
  if (u < 0.85) return `${first} ${last}`.toUpperCase();
  if (u < 0.9) return `${first} ${last}`.toLowerCase();
  return '';
}
