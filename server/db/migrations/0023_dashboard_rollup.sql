-- Keeps problem_daily_counts (registered and closed per Shanghai day and region) in step with
-- problems, in the writing transaction. Statement-level triggers with transition tables: one
-- aggregated upsert per statement (a bulk import is one upsert, not one per row); keys are
-- upserted in order so two transactions never lock them crosswise; a statement whose rows keep
-- their day and region (most transitions) writes nothing.
CREATE FUNCTION problem_daily_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO problem_daily_counts AS c (day, region_id, registered, closed)
    SELECT day, region_id, sum(r)::int, sum(cl)::int FROM (
      SELECT (registered_at AT TIME ZONE 'Asia/Shanghai')::date AS day, coalesce(region_id, 0) AS region_id, 1 AS r, 0 AS cl
        FROM n WHERE registered_at IS NOT NULL
      UNION ALL
      SELECT (closed_at AT TIME ZONE 'Asia/Shanghai')::date, coalesce(region_id, 0), 0, 1
        FROM n WHERE closed_at IS NOT NULL
    ) d GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (day, region_id) DO UPDATE
      SET registered = c.registered + excluded.registered, closed = c.closed + excluded.closed;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO problem_daily_counts AS c (day, region_id, registered, closed)
    SELECT day, region_id, sum(r)::int, sum(cl)::int FROM (
      SELECT (registered_at AT TIME ZONE 'Asia/Shanghai')::date AS day, coalesce(region_id, 0) AS region_id, -1 AS r, 0 AS cl
        FROM o WHERE registered_at IS NOT NULL
      UNION ALL
      SELECT (closed_at AT TIME ZONE 'Asia/Shanghai')::date, coalesce(region_id, 0), 0, -1
        FROM o WHERE closed_at IS NOT NULL
    ) d GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (day, region_id) DO UPDATE
      SET registered = c.registered + excluded.registered, closed = c.closed + excluded.closed;
  ELSE
    INSERT INTO problem_daily_counts AS c (day, region_id, registered, closed)
    SELECT day, region_id, sum(r)::int, sum(cl)::int FROM (
      SELECT (registered_at AT TIME ZONE 'Asia/Shanghai')::date AS day, coalesce(region_id, 0) AS region_id, -1 AS r, 0 AS cl
        FROM o WHERE registered_at IS NOT NULL
      UNION ALL
      SELECT (closed_at AT TIME ZONE 'Asia/Shanghai')::date, coalesce(region_id, 0), 0, -1
        FROM o WHERE closed_at IS NOT NULL
      UNION ALL
      SELECT (registered_at AT TIME ZONE 'Asia/Shanghai')::date, coalesce(region_id, 0), 1, 0
        FROM n WHERE registered_at IS NOT NULL
      UNION ALL
      SELECT (closed_at AT TIME ZONE 'Asia/Shanghai')::date, coalesce(region_id, 0), 0, 1
        FROM n WHERE closed_at IS NOT NULL
    ) d GROUP BY 1, 2 HAVING sum(r) <> 0 OR sum(cl) <> 0 ORDER BY 1, 2
    ON CONFLICT (day, region_id) DO UPDATE
      SET registered = c.registered + excluded.registered, closed = c.closed + excluded.closed;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER problems_daily_counts_ins AFTER INSERT ON problems
  REFERENCING NEW TABLE AS n FOR EACH STATEMENT EXECUTE FUNCTION problem_daily_counts_apply();
--> statement-breakpoint
CREATE TRIGGER problems_daily_counts_upd AFTER UPDATE ON problems
  REFERENCING OLD TABLE AS o NEW TABLE AS n FOR EACH STATEMENT EXECUTE FUNCTION problem_daily_counts_apply();
--> statement-breakpoint
CREATE TRIGGER problems_daily_counts_del AFTER DELETE ON problems
  REFERENCING OLD TABLE AS o FOR EACH STATEMENT EXECUTE FUNCTION problem_daily_counts_apply();
--> statement-breakpoint
-- The problems that exist already.
INSERT INTO problem_daily_counts (day, region_id, registered, closed)
SELECT day, region_id, sum(r)::int, sum(cl)::int FROM (
  SELECT (registered_at AT TIME ZONE 'Asia/Shanghai')::date AS day, coalesce(region_id, 0) AS region_id, 1 AS r, 0 AS cl
    FROM problems WHERE registered_at IS NOT NULL
  UNION ALL
  SELECT (closed_at AT TIME ZONE 'Asia/Shanghai')::date, coalesce(region_id, 0), 0, 1
    FROM problems WHERE closed_at IS NOT NULL
) d GROUP BY 1, 2;
