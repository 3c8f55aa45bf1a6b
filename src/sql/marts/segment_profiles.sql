-- out_segment_profiles: one row per segment — size and share of the segmented buyers, revenue and profit
-- (net_contribution) from out_customer_value with their shares, means per customer, the centre in original units
-- (mean and median recency_days, frequency, monetary from out_customer_features, whatever the clustering
-- features; every configured feature is in out_segment_centroids), the mean distance to the centre, and what the
-- stage decided in JS (int_segment_ids): name, id status, distinguishing features, membership rule.
-- Shares are NULL when their total is not positive. Revenue sums exactly (DECIMAL money); profit with fsum.
CREATE OR REPLACE TEMP TABLE out_segment_profiles AS
WITH members AS (
    SELECT customer_key, segment_id, distance FROM out_customer_segments
),
features AS (
    SELECT customer_key, recency_days, frequency, monetary FROM out_customer_features
),
value AS (
    SELECT customer_key, revenue, net_contribution, clv FROM out_customer_value
),
ids AS (
    SELECT CAST(segment_id AS INTEGER) AS segment_id, segment_name, id_status, match_distance, distinguishing,
           rule, rule_precision, rule_recall
    FROM int_segment_ids
),
per_segment AS (
    SELECT m.segment_id, count(*) AS customers,
           CAST(sum(v.revenue) AS DOUBLE) AS revenue, fsum(v.net_contribution) AS profit, avg(v.clv) AS avg_clv,
           avg(f.recency_days) AS recency_days, avg(f.frequency) AS frequency, avg(f.monetary) AS monetary,
           quantile_cont(f.recency_days, 0.5) AS median_recency_days, quantile_cont(f.frequency, 0.5) AS median_frequency,
           quantile_cont(f.monetary, 0.5) AS median_monetary, avg(m.distance) AS avg_distance
    FROM members m JOIN features f USING (customer_key) LEFT JOIN value v USING (customer_key)
    GROUP BY m.segment_id
),
totals AS (
    SELECT sum(customers) AS customers, sum(revenue) AS revenue, sum(profit) AS profit FROM per_segment
),
final AS (
    SELECT s.segment_id, i.segment_name, s.customers, s.customers / t.customers AS share,
           s.revenue, s.revenue / CASE WHEN t.revenue > 0 THEN t.revenue END AS revenue_share,
           s.profit, s.profit / CASE WHEN t.profit > 0 THEN t.profit END AS profit_share,
           s.revenue / s.customers AS avg_revenue, s.profit / s.customers AS avg_profit, s.avg_clv,
           s.recency_days, s.frequency, s.monetary, s.median_recency_days, s.median_frequency, s.median_monetary,
           s.avg_distance, i.id_status, i.match_distance, i.distinguishing, i.rule, i.rule_precision, i.rule_recall
    FROM per_segment s JOIN ids i USING (segment_id) CROSS JOIN totals t
)
SELECT * FROM final ORDER BY segment_id;
