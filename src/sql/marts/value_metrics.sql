-- value_metrics: appends the value stage's summaries from out_customer_value to out_model_metrics.
-- model `value`: totals, the Pareto shares (profit and revenue of the top 10 % / 20 % of buyers by net
-- contribution: the first ceil(pct × buyers) in profit order, ties by customer_key; NULL when total profit is not
-- positive), per profit decile and per unprofitable reason. model `rfm`: buyers, revenue and profit per segment.
-- model `clv`: quantiles of clv and p_alive over the buyers that have them.
INSERT INTO out_model_metrics
WITH v AS (
    SELECT * FROM out_customer_value
),
ranked AS (
    SELECT *, row_number() OVER (ORDER BY net_contribution DESC, customer_key) AS profit_rank, count(*) OVER () AS buyers FROM v
),
totals AS (
    SELECT count(*) AS buyers, sum(revenue) AS revenue, sum(gross_margin) AS gross_margin, sum(cost_to_serve) AS cost_to_serve,
           sum(net_contribution) AS profit, count(*) FILTER (WHERE net_contribution < 0) AS unprofitable,
           coalesce(sum(-net_contribution) FILTER (WHERE net_contribution < 0), 0) AS loss
    FROM v
),
pareto AS (
    SELECT p.pct, sum(r.net_contribution) AS profit, sum(r.revenue) AS revenue
    FROM (VALUES (10), (20)) p(pct) JOIN ranked r ON r.profit_rank <= ceil(p.pct * r.buyers / 100.0)
    GROUP BY p.pct
),
final AS (
    SELECT 'value' AS model, metric, 'overall' AS dimension, 'all' AS dimension_value, value
    FROM totals UNPIVOT (value FOR metric IN (buyers, revenue, gross_margin, cost_to_serve, profit, unprofitable, loss))
    UNION ALL
    SELECT 'value', 'profit_share', 'top_buyers_pct', CAST(p.pct AS VARCHAR), CASE WHEN t.profit > 0 THEN p.profit / t.profit END
    FROM pareto p, totals t
    UNION ALL
    SELECT 'value', 'revenue_share', 'top_buyers_pct', CAST(p.pct AS VARCHAR), CASE WHEN t.revenue > 0 THEN p.revenue / t.revenue END
    FROM pareto p, totals t
    UNION ALL
    SELECT 'value', metric, 'profit_decile', CAST(profit_decile AS VARCHAR), value FROM (
        SELECT profit_decile, count(*) AS buyers, sum(revenue) AS revenue, sum(net_contribution) AS profit FROM v GROUP BY profit_decile
    ) UNPIVOT (value FOR metric IN (buyers, revenue, profit))
    UNION ALL
    SELECT 'value', metric, 'unprofitable_reason', unprofitable_reason, value FROM (
        SELECT unprofitable_reason, count(*) AS buyers, sum(-net_contribution) AS loss FROM v WHERE unprofitable_reason IS NOT NULL GROUP BY ALL
    ) UNPIVOT (value FOR metric IN (buyers, loss))
    UNION ALL
    SELECT 'rfm', metric, 'rfm_segment', rfm_segment, value FROM (
        SELECT rfm_segment, count(*) AS buyers, sum(revenue) AS revenue, sum(net_contribution) AS profit FROM v GROUP BY rfm_segment
    ) UNPIVOT (value FOR metric IN (buyers, revenue, profit))
    UNION ALL
    SELECT 'clv', metric, 'quantile', CAST(q AS VARCHAR), value FROM (
        SELECT unnest(qs) AS q, unnest(clv) AS clv, unnest(p_alive) AS p_alive FROM (
            SELECT [0.1, 0.25, 0.5, 0.75, 0.9, 0.99]::DOUBLE[] AS qs, quantile_cont(clv, [0.1, 0.25, 0.5, 0.75, 0.9, 0.99]) AS clv,
                   quantile_cont(p_alive, [0.1, 0.25, 0.5, 0.75, 0.9, 0.99]) AS p_alive
            FROM v
        )
    ) UNPIVOT (value FOR metric IN (clv, p_alive))
)
SELECT model, metric, dimension, dimension_value, CAST(value AS DOUBLE) FROM final;
