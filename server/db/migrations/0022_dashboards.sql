CREATE TABLE "problem_daily_counts" (
	"day" date NOT NULL,
	"region_id" integer NOT NULL,
	"registered" integer DEFAULT 0 NOT NULL,
	"closed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "problem_daily_counts_day_region_id_pk" PRIMARY KEY("day","region_id")
);
--> statement-breakpoint
DROP INDEX "problems_dispatched_idx";--> statement-breakpoint
CREATE INDEX "problems_dispatched_dash_idx" ON "problems" USING btree ("dispatched_at","region_id","unit_id","state","deadline","closed_at","rework_count","extension_count","handling_hours");--> statement-breakpoint
CREATE INDEX "problems_registered_dash_idx" ON "problems" USING btree ("registered_at","region_id","unit_id","recurrence_of_id");--> statement-breakpoint
CREATE INDEX "problems_closed_dash_idx" ON "problems" USING btree ("closed_at","region_id","unit_id") WHERE "problems"."closed_at" is not null;--> statement-breakpoint
CREATE INDEX "problems_open_dash_idx" ON "problems" USING btree ("unit_id","region_id","state","deadline","rework_count","lat","lng") WHERE "problems"."state" in ('reported', 'registered', 'dispatched', 'returned', 'submitted', 'deferred');