ALTER TABLE "problems" ADD COLUMN "extension_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "problems" ADD COLUMN "handling_hours" double precision;--> statement-breakpoint
ALTER TABLE "problems" ADD COLUMN "recurrence_of_id" bigint;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_recurrence_of_id_problems_id_fk" FOREIGN KEY ("recurrence_of_id") REFERENCES "public"."problems"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "problems_category_place_idx" ON "problems" USING btree ("category_id","lat","lng");--> statement-breakpoint
CREATE INDEX "problems_dispatched_idx" ON "problems" USING btree ("dispatched_at");