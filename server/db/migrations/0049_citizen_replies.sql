ALTER TABLE "outbox" ADD COLUMN "dedupe_key" text;--> statement-breakpoint
ALTER TABLE "citizen_reports" ADD COLUMN "sms_opt_in" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "citizen_reports" ADD COLUMN "rating" text;--> statement-breakpoint
ALTER TABLE "citizen_reports" ADD COLUMN "rating_comment" text;--> statement-breakpoint
ALTER TABLE "citizen_reports" ADD COLUMN "rated_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "citizen_reports" ADD COLUMN "rated_problem_id" bigint;--> statement-breakpoint
ALTER TABLE "citizen_reports" ADD COLUMN "reopened_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "citizen_reports" ADD COLUMN "reopen_reason" text;--> statement-breakpoint
ALTER TABLE "citizen_reports" ADD CONSTRAINT "citizen_reports_rated_problem_id_problems_id_fk" FOREIGN KEY ("rated_problem_id") REFERENCES "public"."problems"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_dedupe_uq" ON "outbox" USING btree ("dedupe_key") WHERE dedupe_key is not null;--> statement-breakpoint
CREATE INDEX "outbox_topic_idx" ON "outbox" USING btree ("topic","id");--> statement-breakpoint
CREATE INDEX "citizen_reports_rated_idx" ON "citizen_reports" USING btree ("rated_problem_id","rating") WHERE "citizen_reports"."rating" is not null;