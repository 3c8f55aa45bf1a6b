// The report's top-products table counts orders and customers only for the ten products it shows. Oracle: the
// former query, which counted them for every product, on lines with multi-line orders, guests, a line without a
// product, a revenue tie across the tenth place, catalogue names and (for the rest) the order lines' names.
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.js';
import { topProducts } from '../../src/report/sections/customers.js';

const ORACLE = `WITH names AS (SELECT product_id, arg_min(name, pri) AS name FROM (
                   SELECT product_id, min(name) AS name, 1 AS pri FROM stg_products WHERE name IS NOT NULL GROUP BY product_id
                   UNION ALL SELECT product_id, min(product_name) AS name, 2 AS pri FROM stg_web_orders WHERE product_name IS NOT NULL GROUP BY product_id)
                 GROUP BY product_id)
SELECT o.product_id, coalesce(n.name, o.product_id) AS name, sum(o.revenue) AS revenue,
       count(DISTINCT (o.source, o.order_id)) AS orders, count(DISTINCT o.customer_key) AS customers
FROM out_orders o LEFT JOIN names n USING (product_id)
GROUP BY ALL ORDER BY revenue DESC, o.product_id LIMIT 10`;

describe('topProducts', () => {
  it('equals the count-everything query it replaced', async () => {
    const db = await Database.open(':memory:', { threads: 2 });
    try {
      // 30 products of 666 or 667 lines each, plus 200 lines without a product. P10..P13 tie (6,670 each) across the
      // tenth place, which the product id decides; the NULL product ranks third.
      await db.run(`CREATE TEMP TABLE out_orders AS
        WITH lines AS (
          SELECT i, 'P' || lpad(CAST(i % 30 AS VARCHAR), 2, '0') AS product_id,
                 CASE WHEN i % 30 < 2 THEN 100 WHEN i % 30 < 6 THEN 20 WHEN i % 30 BETWEEN 10 AND 13 THEN 10 ELSE (i % 30) % 5 + 1 END AS revenue
          FROM range(20000) t(i)
          UNION ALL SELECT 20000 + i, NULL, 90 FROM range(200) t(i))
        SELECT 'shop' || (i % 2) AS source, 'O' || (i // 3) AS order_id, product_id,
               CASE WHEN i % 5 = 0 THEN NULL ELSE 'K' || (i // 7) END AS customer_key, CAST(revenue AS DOUBLE) AS revenue
        FROM lines`);
      await db.run(`CREATE TEMP TABLE stg_products AS SELECT 'P' || lpad(CAST(i AS VARCHAR), 2, '0') AS product_id, CASE WHEN i % 3 = 0 THEN NULL ELSE 'name ' || i END AS name FROM range(0, 30, 2) t(i)`);
      await db.run(`CREATE TABLE stg_web_orders AS SELECT product_id, 'line name ' || product_id AS product_name FROM out_orders WHERE product_id IS NOT NULL`);
      const expected = await db.all(ORACLE);
      expect(expected).toHaveLength(10);
      expect(expected.map((r) => r.product_id)).toEqual(['P00', 'P01', null, 'P02', 'P03', 'P04', 'P05', 'P10', 'P11', 'P12']);
      expect(await topProducts({ db })).toEqual(expected);
    } finally {
      db.close();
    }
  });
});
