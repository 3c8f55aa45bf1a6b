/**
 * Published table of the anomalies stage (contract §4): customer × metric deviations from the customer's own
 * history, scored as robust z within the peer group. The satisfaction stage publishes no table of its own (its
 * figures are model_metrics rows with model 'satisfaction').
 */
import { col, customerKey, type TableDef } from './types.js';

export const ANOMALY_TABLES: readonly TableDef[] = [
  {
    name: 'anomalies',
    grain: 'customer × metric',
    orderBy: ['rank'],
    columns: [
      customerKey,
      col('metric', 'VARCHAR', 'order_frequency, spend, order_value, return_rate or service_escalation.'),
      col('value', 'DOUBLE', 'The recent value: completed orders, spend or the largest order in the last anomalies.window_days; refunds / value ordered (return_rate); complaint or long calls in the last anomalies.service_window_days.'),
      col('expected', 'DOUBLE', "What the customer's own baseline (the anomalies.baseline_days before the window) leads to expect: usual orders per window (order_frequency), that many usual (median) orders' worth (spend), the usual order (order_value), the usual return rate shrunk towards the peers' (return_rate), usual calls per window (service_escalation)."),
      col('score', 'DOUBLE', 'Robust z of the deviation within the peer group: (deviation − median) / max(1.4826 × MAD, floor); negative = below expected.'),
      col('explanation', 'VARCHAR', 'One line for an account manager, with the figures.'),
      col('peer_group', 'VARCHAR', "The customers the deviation was compared with: 'segment <id>' or 'all'."),
      col('rank', 'INTEGER', 'Position by |score| (then customer_key, metric), 1 = strongest.'),
    ],
  },
];
