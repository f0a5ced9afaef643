ALTER TABLE "problems" ADD COLUMN "merged_into_id" bigint;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_merged_into_id_problems_id_fk" FOREIGN KEY ("merged_into_id") REFERENCES "public"."problems"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "problems_merged_into_idx" ON "problems" USING btree ("merged_into_id") WHERE "problems"."merged_into_id" is not null;--> statement-breakpoint
CREATE INDEX "problems_verification_idx" ON "problems" USING btree ("submitted_at","id") WHERE "problems"."state" = 'submitted';