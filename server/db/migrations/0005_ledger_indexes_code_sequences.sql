ALTER TABLE "problem_counters" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP TABLE "problem_counters" CASCADE;--> statement-breakpoint
DROP INDEX "problems_unit_state_idx";--> statement-breakpoint
CREATE INDEX "problems_unit_created_idx" ON "problems" USING btree ("unit_id","created_at","id");--> statement-breakpoint
CREATE INDEX "problems_unit_state_idx" ON "problems" USING btree ("unit_id","state","created_at","id");