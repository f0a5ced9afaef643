DROP INDEX "bulletins_published_uq";--> statement-breakpoint
DROP INDEX "ranking_snapshots_period_version_uq";--> statement-breakpoint
DROP INDEX "ranking_snapshots_published_uq";--> statement-breakpoint
ALTER TABLE "bulletins" ADD COLUMN "owner_region_id" integer;--> statement-breakpoint
ALTER TABLE "ranking_snapshots" ADD COLUMN "owner_region_id" integer;--> statement-breakpoint
ALTER TABLE "bulletins" ADD CONSTRAINT "bulletins_owner_region_id_regions_id_fk" FOREIGN KEY ("owner_region_id") REFERENCES "public"."regions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_snapshots" ADD CONSTRAINT "ranking_snapshots_owner_region_id_regions_id_fk" FOREIGN KEY ("owner_region_id") REFERENCES "public"."regions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ranking_snapshots_owner_idx" ON "ranking_snapshots" USING btree ("owner_region_id","period");--> statement-breakpoint
CREATE UNIQUE INDEX "bulletins_published_uq" ON "bulletins" USING btree (coalesce("owner_region_id", 0),"period") WHERE "bulletins"."state" = 'published';--> statement-breakpoint
CREATE UNIQUE INDEX "ranking_snapshots_period_version_uq" ON "ranking_snapshots" USING btree (coalesce("owner_region_id", 0),"period","version");--> statement-breakpoint
CREATE UNIQUE INDEX "ranking_snapshots_published_uq" ON "ranking_snapshots" USING btree (coalesce("owner_region_id", 0),"period") WHERE "ranking_snapshots"."state" = 'published';