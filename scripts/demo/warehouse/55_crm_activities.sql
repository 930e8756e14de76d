-- Sample warehouse, part 5b: the CRM's activity log of the accounts with
-- deals (part 5): every marketing and sales touch of an account -- webinar,
-- whitepaper, demo call, trade show, LinkedIn message, newsletter click --
-- in one table, and the won deals as the conversions.  Deterministic
-- (setseed).  Touches fall in the 90 days before a deal opened and while it
-- was open; followers of the brand see more social touches.
SELECT setseed(0.56);

CREATE TABLE crm_activities (
    activity_id   bigint PRIMARY KEY,
    customer_id   int NOT NULL REFERENCES customers,
    activity_at   timestamptz NOT NULL,
    activity_type text NOT NULL
);

INSERT INTO crm_activities
SELECT row_number() OVER (ORDER BY a.activity_at, a.customer_id, a.activity_type),
       a.customer_id, a.activity_at, a.activity_type
FROM (SELECT d.customer_id,
             date_trunc('minute', d.opened_at - interval '90 days'
                        + random() * (coalesce(d.closed_at, timestamptz '2026-10-31') - d.opened_at + interval '90 days'))
                 AS activity_at,
             CASE WHEN c.follows_brand AND random() < 0.35 THEN 'linkedin_message'
                  ELSE (ARRAY['webinar', 'whitepaper', 'newsletter_click', 'demo_call', 'trade_show',
                              'linkedin_message', 'sales_email'])[1 + floor(random() * 7)::int] END
                 AS activity_type
      FROM deals d
      JOIN customers c USING (customer_id)
      CROSS JOIN LATERAL generate_series(1, 2 + floor(random() * 6)::int + (d.deal_id * 0)) AS k) AS a;

CREATE INDEX ON crm_activities (customer_id);
ANALYZE crm_activities;
