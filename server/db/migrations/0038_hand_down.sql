ALTER TABLE "problems" ADD COLUMN "handed_to_region_id" integer;--> statement-breakpoint
ALTER TABLE "problems" ADD COLUMN "handed_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "hand_down" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_handed_to_region_id_regions_id_fk" FOREIGN KEY ("handed_to_region_id") REFERENCES "public"."regions"("id") ON DELETE restrict ON UPDATE no action;