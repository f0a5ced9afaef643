CREATE TABLE "frontage_duties" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "frontage_duties_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"holder_name" text NOT NULL,
	"holder_type" text NOT NULL,
	"unit_id" integer,
	"region_id" integer,
	"address" text,
	"contact_name" text,
	"contact_phone" text,
	"duties" text[] DEFAULT '{}'::text[] NOT NULL,
	"zone" jsonb NOT NULL,
	"buffer_m" double precision DEFAULT 10 NOT NULL,
	"min_lat" double precision NOT NULL,
	"min_lng" double precision NOT NULL,
	"max_lat" double precision NOT NULL,
	"max_lng" double precision NOT NULL,
	"agreement_file_id" uuid,
	"agreement_signed_on" date,
	"plaque_status" text DEFAULT 'none' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "frontage_duties" ADD CONSTRAINT "frontage_duties_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "frontage_duties" ADD CONSTRAINT "frontage_duties_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "frontage_duties" ADD CONSTRAINT "frontage_duties_agreement_file_id_files_id_fk" FOREIGN KEY ("agreement_file_id") REFERENCES "public"."files"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "frontage_duties_code_uq" ON "frontage_duties" USING btree ("code");--> statement-breakpoint
CREATE INDEX "frontage_duties_box_idx" ON "frontage_duties" USING btree ("min_lat","max_lat","min_lng","max_lng");--> statement-breakpoint
CREATE INDEX "frontage_duties_region_idx" ON "frontage_duties" USING btree ("region_id");