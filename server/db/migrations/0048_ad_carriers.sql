CREATE TABLE "ad_campaign_items" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ad_campaign_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"campaign_id" integer NOT NULL,
	"carrier_id" integer NOT NULL,
	"done_at" timestamp (3) with time zone,
	"done_by" integer,
	"before_photo_id" uuid,
	"after_photo_id" uuid,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "ad_campaigns" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ad_campaigns_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"theme" text NOT NULL,
	"design_title" text,
	"deadline" date NOT NULL,
	"owner_region_id" integer,
	"created_by" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ad_carrier_rules" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ad_carrier_rules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"point_type_id" integer NOT NULL,
	"min_count" integer,
	"theme_mins" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"min_width_cm" integer,
	"min_height_cm" integer,
	"fixed_only" boolean DEFAULT false NOT NULL,
	"per_length_count" integer,
	"per_length_m" integer,
	"min_hoarding_pct" integer,
	"basis" text,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ad_carrier_rules_point_type_id_unique" UNIQUE("point_type_id")
);
--> statement-breakpoint
CREATE TABLE "ad_carriers" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ad_carriers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"kind" text NOT NULL,
	"width_cm" integer NOT NULL,
	"height_cm" integer NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"address" text,
	"point_id" integer,
	"grid_id" integer,
	"region_id" integer,
	"unit_id" integer,
	"theme" text NOT NULL,
	"design_title" text,
	"photo_id" uuid,
	"photo_taken_at" timestamp (3) with time zone,
	"state" text DEFAULT 'intact' NOT NULL,
	"fixed" boolean DEFAULT true NOT NULL,
	"cluster" text,
	"problem_id" integer,
	"remarks" text,
	"client_id" uuid,
	"created_by" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ad_point_measures" (
	"point_id" integer PRIMARY KEY NOT NULL,
	"length_m" integer,
	"hoarding_pct" double precision,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ad_campaign_items" ADD CONSTRAINT "ad_campaign_items_campaign_id_ad_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."ad_campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_campaign_items" ADD CONSTRAINT "ad_campaign_items_carrier_id_ad_carriers_id_fk" FOREIGN KEY ("carrier_id") REFERENCES "public"."ad_carriers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_campaign_items" ADD CONSTRAINT "ad_campaign_items_done_by_users_id_fk" FOREIGN KEY ("done_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_campaign_items" ADD CONSTRAINT "ad_campaign_items_before_photo_id_files_id_fk" FOREIGN KEY ("before_photo_id") REFERENCES "public"."files"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_campaign_items" ADD CONSTRAINT "ad_campaign_items_after_photo_id_files_id_fk" FOREIGN KEY ("after_photo_id") REFERENCES "public"."files"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_campaigns" ADD CONSTRAINT "ad_campaigns_owner_region_id_regions_id_fk" FOREIGN KEY ("owner_region_id") REFERENCES "public"."regions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_campaigns" ADD CONSTRAINT "ad_campaigns_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_carrier_rules" ADD CONSTRAINT "ad_carrier_rules_point_type_id_point_types_id_fk" FOREIGN KEY ("point_type_id") REFERENCES "public"."point_types"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_carriers" ADD CONSTRAINT "ad_carriers_point_id_points_id_fk" FOREIGN KEY ("point_id") REFERENCES "public"."points"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_carriers" ADD CONSTRAINT "ad_carriers_grid_id_grids_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grids"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_carriers" ADD CONSTRAINT "ad_carriers_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_carriers" ADD CONSTRAINT "ad_carriers_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_carriers" ADD CONSTRAINT "ad_carriers_photo_id_files_id_fk" FOREIGN KEY ("photo_id") REFERENCES "public"."files"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_carriers" ADD CONSTRAINT "ad_carriers_problem_id_problems_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."problems"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_carriers" ADD CONSTRAINT "ad_carriers_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_point_measures" ADD CONSTRAINT "ad_point_measures_point_id_points_id_fk" FOREIGN KEY ("point_id") REFERENCES "public"."points"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ad_campaign_items_uq" ON "ad_campaign_items" USING btree ("campaign_id","carrier_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ad_carriers_code_uq" ON "ad_carriers" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "ad_carriers_client_uq" ON "ad_carriers" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "ad_carriers_point_idx" ON "ad_carriers" USING btree ("point_id");--> statement-breakpoint
CREATE INDEX "ad_carriers_region_idx" ON "ad_carriers" USING btree ("region_id");