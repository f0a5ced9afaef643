CREATE TABLE "round_days" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "round_days_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"round_id" integer NOT NULL,
	"date" text NOT NULL,
	"region_ids" integer[] NOT NULL,
	"overrides" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"state" text DEFAULT 'planned' NOT NULL,
	"plan" jsonb,
	"seed" text,
	"commitment" text,
	"fingerprint" text,
	"frozen_list" jsonb,
	"drawn_ids" integer[],
	"committed_at" timestamp (3) with time zone,
	"drawn_at" timestamp (3) with time zone,
	"revealed_at" timestamp (3) with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "by_district" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "round_days" ADD CONSTRAINT "round_days_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "round_days_date_uq" ON "round_days" USING btree ("round_id","date");