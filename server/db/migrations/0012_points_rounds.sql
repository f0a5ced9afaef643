CREATE TABLE "point_types" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "point_types_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"name" text NOT NULL,
	"sampling" text NOT NULL,
	"default_draw_count" integer DEFAULT 0 NOT NULL,
	"route" text,
	"checklist" jsonb NOT NULL,
	CONSTRAINT "point_types_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "points" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "points_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"type_id" integer NOT NULL,
	"region_id" integer,
	"lat" double precision,
	"lng" double precision,
	"address" text,
	"unit_id" integer,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rounds" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "rounds_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"state" text DEFAULT 'planned' NOT NULL,
	"starts_on" text,
	"ends_on" text,
	"plan" jsonb NOT NULL,
	"region_ids" integer[] NOT NULL,
	"inspector_ids" integer[] NOT NULL,
	"seed" text,
	"commitment" text,
	"fingerprint" text,
	"frozen_list" jsonb,
	"drawn_ids" integer[],
	"committed_at" timestamp (3) with time zone,
	"drawn_at" timestamp (3) with time zone,
	"revealed_at" timestamp (3) with time zone,
	"created_by" integer,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "points" ADD CONSTRAINT "points_type_id_point_types_id_fk" FOREIGN KEY ("type_id") REFERENCES "public"."point_types"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points" ADD CONSTRAINT "points_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points" ADD CONSTRAINT "points_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "points_type_idx" ON "points" USING btree ("type_id","id");--> statement-breakpoint
CREATE INDEX "points_region_idx" ON "points" USING btree ("region_id");--> statement-breakpoint
CREATE UNIQUE INDEX "rounds_name_uq" ON "rounds" USING btree ("name");