CREATE TABLE "good_person_months" (
	"month" text PRIMARY KEY NOT NULL,
	"state" text DEFAULT 'collecting' NOT NULL,
	"voting_opened_at" timestamp (3) with time zone,
	"voting_closed_at" timestamp (3) with time zone,
	"published_at" timestamp (3) with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "good_person_nominations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "good_person_nominations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"month" text NOT NULL,
	"category" text NOT NULL,
	"nominee_name" text NOT NULL,
	"deeds" text NOT NULL,
	"region_id" integer NOT NULL,
	"photo_file_id" uuid,
	"source" text NOT NULL,
	"nominator_unit_id" integer,
	"nominator_region_id" integer,
	"nominated_by" integer,
	"citizen_name" text,
	"citizen_phone" text,
	"citizen_device_id" text,
	"citizen_ip" text,
	"status" text DEFAULT 'submitted' NOT NULL,
	"reason" text,
	"rank" integer,
	"reviewed_by" integer,
	"reviewed_at" timestamp (3) with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "good_person_steps" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "good_person_steps_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"nomination_id" integer NOT NULL,
	"level" text NOT NULL,
	"stage" text NOT NULL,
	"on" date NOT NULL,
	"note" text,
	"created_by" integer,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "good_person_votes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "good_person_votes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"nomination_id" integer NOT NULL,
	"voter_key" text NOT NULL,
	"day" date NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "good_person_nominations" ADD CONSTRAINT "good_person_nominations_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "good_person_nominations" ADD CONSTRAINT "good_person_nominations_photo_file_id_files_id_fk" FOREIGN KEY ("photo_file_id") REFERENCES "public"."files"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "good_person_nominations" ADD CONSTRAINT "good_person_nominations_nominator_unit_id_units_id_fk" FOREIGN KEY ("nominator_unit_id") REFERENCES "public"."units"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "good_person_nominations" ADD CONSTRAINT "good_person_nominations_nominator_region_id_regions_id_fk" FOREIGN KEY ("nominator_region_id") REFERENCES "public"."regions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "good_person_nominations" ADD CONSTRAINT "good_person_nominations_nominated_by_users_id_fk" FOREIGN KEY ("nominated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "good_person_nominations" ADD CONSTRAINT "good_person_nominations_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "good_person_steps" ADD CONSTRAINT "good_person_steps_nomination_id_good_person_nominations_id_fk" FOREIGN KEY ("nomination_id") REFERENCES "public"."good_person_nominations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "good_person_steps" ADD CONSTRAINT "good_person_steps_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "good_person_votes" ADD CONSTRAINT "good_person_votes_nomination_id_good_person_nominations_id_fk" FOREIGN KEY ("nomination_id") REFERENCES "public"."good_person_nominations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "good_person_nominations_month_idx" ON "good_person_nominations" USING btree ("month","status","id");--> statement-breakpoint
CREATE INDEX "good_person_nominations_region_idx" ON "good_person_nominations" USING btree ("region_id");--> statement-breakpoint
CREATE INDEX "good_person_nominations_by_idx" ON "good_person_nominations" USING btree ("nominated_by");--> statement-breakpoint
CREATE UNIQUE INDEX "good_person_nominations_rank_uq" ON "good_person_nominations" USING btree ("month","rank") WHERE status = 'honoured';--> statement-breakpoint
CREATE INDEX "good_person_steps_nomination_idx" ON "good_person_steps" USING btree ("nomination_id","on");--> statement-breakpoint
CREATE UNIQUE INDEX "good_person_votes_voter_day_uq" ON "good_person_votes" USING btree ("nomination_id","voter_key","day");