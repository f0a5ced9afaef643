ALTER TABLE "regions" ADD COLUMN "geometry" jsonb;--> statement-breakpoint
ALTER TABLE "regions" ADD COLUMN "min_lat" double precision;--> statement-breakpoint
ALTER TABLE "regions" ADD COLUMN "min_lng" double precision;--> statement-breakpoint
ALTER TABLE "regions" ADD COLUMN "max_lat" double precision;--> statement-breakpoint
ALTER TABLE "regions" ADD COLUMN "max_lng" double precision;--> statement-breakpoint
ALTER TABLE "regions" ADD COLUMN "boundary_rev" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "problems" ADD COLUMN "region_source" text;--> statement-breakpoint
ALTER TABLE "points" ADD COLUMN "region_source" text;--> statement-breakpoint
CREATE INDEX "regions_box_idx" ON "regions" USING btree ("min_lat","max_lat","min_lng","max_lng");--> statement-breakpoint
CREATE INDEX "problems_unplaced_idx" ON "problems" USING btree ("created_at","id") WHERE "problems"."region_id" is null;