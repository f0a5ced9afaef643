CREATE TABLE "star_criteria" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "star_criteria_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	"description" text,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "star_households" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "star_households_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"grid_id" integer NOT NULL,
	"region_id" integer NOT NULL,
	"head_name" text NOT NULL,
	"address" text NOT NULL,
	"building" text,
	"phone" text,
	"lat" double precision,
	"lng" double precision,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "star_ratings" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "star_ratings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"household_id" integer NOT NULL,
	"year" integer NOT NULL,
	"status" text NOT NULL,
	"stars" text[] DEFAULT '{}'::text[] NOT NULL,
	"star_count" integer NOT NULL,
	"note" text,
	"client_id" uuid,
	"proposed_by" integer,
	"proposed_at" timestamp (3) with time zone NOT NULL,
	"reviewed_by" integer,
	"reviewed_at" timestamp (3) with time zone,
	"return_reason" text,
	"honour_id" integer,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "star_ratings_count_ck" CHECK ("star_ratings"."star_count" = cardinality("star_ratings"."stars"))
);
--> statement-breakpoint
ALTER TABLE "star_households" ADD CONSTRAINT "star_households_grid_id_grids_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grids"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "star_households" ADD CONSTRAINT "star_households_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "star_households" ADD CONSTRAINT "star_households_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "star_ratings" ADD CONSTRAINT "star_ratings_household_id_star_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."star_households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "star_ratings" ADD CONSTRAINT "star_ratings_proposed_by_users_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "star_ratings" ADD CONSTRAINT "star_ratings_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "star_ratings" ADD CONSTRAINT "star_ratings_honour_id_honours_id_fk" FOREIGN KEY ("honour_id") REFERENCES "public"."honours"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "star_criteria_code_uq" ON "star_criteria" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "star_households_grid_address_uq" ON "star_households" USING btree ("grid_id","address");--> statement-breakpoint
CREATE INDEX "star_households_region_idx" ON "star_households" USING btree ("region_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "star_ratings_household_year_uq" ON "star_ratings" USING btree ("household_id","year");--> statement-breakpoint
CREATE UNIQUE INDEX "star_ratings_client_uq" ON "star_ratings" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "star_ratings_year_status_idx" ON "star_ratings" USING btree ("year","status");