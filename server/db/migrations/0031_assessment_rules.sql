ALTER TABLE "campaigns" ADD COLUMN "survey_curve" jsonb DEFAULT '{"kind":"rate"}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "cycle_preset" text DEFAULT 'custom' NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "application_date" date;--> statement-breakpoint
ALTER TABLE "framework_nodes" ADD COLUMN "survey_curve" jsonb;--> statement-breakpoint
ALTER TABLE "frameworks" ADD COLUMN "rules" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "negative_items" ADD COLUMN "window_months" integer DEFAULT 12 NOT NULL;--> statement-breakpoint
ALTER TABLE "negative_items" ADD COLUMN "suspend_months" integer;--> statement-breakpoint
ALTER TABLE "negative_items" ADD COLUMN "bars_application" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- data: the survey floor no longer caps (a percentage read as points); 'cap' and 'flag_and_cap' meant
-- the seeds' "不达标直接否决", a veto. Every floor gets its deduction points (0 until set).
UPDATE "campaigns" SET "survey_floor" = jsonb_build_object(
  'enabled', coalesce(("survey_floor"->>'enabled')::boolean, false),
  'minRate', coalesce(("survey_floor"->>'minRate')::numeric, 80),
  'effect', CASE WHEN "survey_floor"->>'effect' IN ('flag', 'veto', 'deduct') THEN "survey_floor"->>'effect' ELSE 'veto' END,
  'points', coalesce(("survey_floor"->>'points')::numeric, 0));--> statement-breakpoint
UPDATE "campaigns" SET "cycle_preset" = 'prefecture' WHERE "cycle_years" = 3 AND "cycle_weights" = '[15, 25, 60]'::jsonb;
