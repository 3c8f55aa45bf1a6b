/**
 * Published tables of the segments stage (contract §4): `customer_segments` (one row per segmented buyer),
 * `segment_profiles` (one row per segment, what a marketer reads) and `segment_centroids` (segment × feature,
 * the profile in long form, since segments.features is configurable and a wide table cannot name its columns in
 * advance). The transform and centroids needed to score new customers are in `segments_model.json` beside them.
 */
import { col, customerKey, type TableDef } from './types.js';

const segmentId = col('segment_id', 'INTEGER', 'Stable segment id: matched to the previous run\'s segments by centroid, so it keeps its meaning as data grows.');
const segmentName = col('segment_name', 'VARCHAR', 'Readable name generated from the standardised centroid (rule in docs/decisions.md); unique within the run.');

export const SEGMENT_TABLES: readonly TableDef[] = [
  {
    name: 'customer_segments',
    grain: 'segmented buyer (buyers minus profiling_opt_out)',
    orderBy: ['customer_key'],
    columns: [
      customerKey, segmentId, segmentName,
      col('distance', 'DOUBLE', 'Euclidean distance to the segment centre in the transformed, standardised feature space (small = typical member).'),
    ],
  },
  {
    name: 'segment_profiles',
    grain: 'segment',
    orderBy: ['segment_id'],
    columns: [
      segmentId, segmentName,
      col('customers', 'BIGINT', 'Buyers in the segment.'),
      col('share', 'DOUBLE', 'customers / all segmented buyers.'),
      col('revenue', 'DOUBLE', 'Sum of customer_value.revenue.'),
      col('revenue_share', 'DOUBLE', 'revenue / revenue of all segmented buyers (NULL when that is not positive).'),
      col('profit', 'DOUBLE', 'Sum of customer_value.net_contribution.'),
      col('profit_share', 'DOUBLE', 'profit / profit of all segmented buyers (NULL when that is not positive).'),
      col('avg_revenue', 'DOUBLE', 'revenue / customers.'),
      col('avg_profit', 'DOUBLE', 'profit / customers.'),
      col('avg_clv', 'DOUBLE', 'Mean customer_value.clv over the segment\'s buyers that have one (NULL when none has, e.g. the CLV model was not fitted).'),
      col('recency_days', 'DOUBLE', 'Centre in original units: mean recency_days.'),
      col('frequency', 'DOUBLE', 'Centre in original units: mean frequency.'),
      col('monetary', 'DOUBLE', 'Centre in original units: mean monetary.'),
      col('median_recency_days', 'DOUBLE', 'Median recency_days.'),
      col('median_frequency', 'DOUBLE', 'Median frequency.'),
      col('median_monetary', 'DOUBLE', 'Median monetary.'),
      col('avg_distance', 'DOUBLE', 'Mean distance of members to the centre (spread of the segment).'),
      col('id_status', 'VARCHAR', 'first (no previous model to match), kept (continues the previous run\'s segment with this id) or new.'),
      col('match_distance', 'DOUBLE', 'For kept segments: distance between this and the previous centroid, in the previous run\'s standardised space.'),
      col('distinguishing', 'VARCHAR', 'Features whose standardised difference from all buyers is at least 0.5, strongest first, e.g. "monetary +1.9 sd; frequency +1.2 sd".'),
      col('rule', 'VARCHAR', 'Membership rule from a depth-3 one-vs-rest decision tree on the raw features (SQL syntax); the leaf that holds most members with a majority of them.'),
      col('rule_precision', 'DOUBLE', 'Share of the customers matching the rule who are in the segment.'),
      col('rule_recall', 'DOUBLE', 'Share of the segment that matches the rule.'),
    ],
  },
  {
    name: 'segment_centroids',
    grain: 'segment × clustering feature',
    orderBy: ['segment_id', 'feature_position'],
    columns: [
      segmentId, segmentName,
      col('feature', 'VARCHAR', 'A feature of segments.features.'),
      col('feature_position', 'INTEGER', 'Its position in segments.features (1-based).'),
      col('mean', 'DOUBLE', 'Mean of the feature over the segment, original units (missing values left out).'),
      col('median', 'DOUBLE', 'Median over the segment, original units.'),
      col('population_mean', 'DOUBLE', 'Mean over all segmented buyers.'),
      col('population_median', 'DOUBLE', 'Median over all segmented buyers.'),
      col('z', 'DOUBLE', 'Standardised difference from all buyers after the transform (log1p / winsorising), in standard deviations (the k-means centroid under transform auto or standardise).'),
    ],
  },
];
