ALTER TABLE "problems" ADD COLUMN "hand_due_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "problems" ADD COLUMN "hand_reminded_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "problems_hand_due_idx" ON "problems" USING btree ("hand_due_at") WHERE "problems"."state" = 'registered' and "problems"."hand_reminded_at" is null;--> statement-breakpoint
-- Hand-downs made before the 时限 existed get the default of one day from their hand-down.
UPDATE "problems" SET "hand_due_at" = "handed_at" + interval '1 day' WHERE "handed_at" IS NOT NULL;
