CREATE TABLE "honours" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "honours_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"cell_type" text NOT NULL,
	"holder_name" text NOT NULL,
	"unit_id" integer,
	"region_id" integer,
	"title" text NOT NULL,
	"level" text NOT NULL,
	"year_conferred" integer NOT NULL,
	"term_years" integer DEFAULT 3 NOT NULL,
	"status" text DEFAULT 'listed' NOT NULL,
	"lat" double precision,
	"lng" double precision,
	"remarks" text,
	"office_region_id" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "honours" ADD CONSTRAINT "honours_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "honours" ADD CONSTRAINT "honours_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "honours" ADD CONSTRAINT "honours_office_region_id_regions_id_fk" FOREIGN KEY ("office_region_id") REFERENCES "public"."regions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "honours_holder_title_year_uq" ON "honours" USING btree ("cell_type","holder_name","title","year_conferred");--> statement-breakpoint
CREATE INDEX "honours_region_idx" ON "honours" USING btree ("region_id");--> statement-breakpoint
CREATE INDEX "honours_year_idx" ON "honours" USING btree ("year_conferred","id");