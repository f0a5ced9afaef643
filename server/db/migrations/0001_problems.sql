CREATE TABLE "calendar_days" (
	"day" date PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "problem_categories" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "problem_categories_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"name" text NOT NULL,
	"parent_id" integer,
	"deadline_days" jsonb,
	"active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "problem_counters" (
	"year" integer PRIMARY KEY NOT NULL,
	"last" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "problem_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "problem_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"problem_id" bigint NOT NULL,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"actor_id" integer,
	"actor_name" text NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"note" text,
	"data" jsonb
);
--> statement-breakpoint
CREATE TABLE "problems" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "problems_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"category_id" integer NOT NULL,
	"severity" text DEFAULT 'normal' NOT NULL,
	"channel" text NOT NULL,
	"state" text NOT NULL,
	"lat" double precision,
	"lng" double precision,
	"address" text,
	"region_id" integer,
	"point_id" integer,
	"grid_id" integer,
	"reporter_id" integer,
	"reporter_unit_id" integer,
	"reporter_name" text,
	"reporter_phone" text,
	"external_ref" text,
	"unit_id" integer,
	"deadline" timestamp (3) with time zone,
	"rework_count" integer DEFAULT 0 NOT NULL,
	"extension_pending" boolean DEFAULT false NOT NULL,
	"extension_requested_deadline" timestamp (3) with time zone,
	"registered_at" timestamp (3) with time zone,
	"dispatched_at" timestamp (3) with time zone,
	"submitted_at" timestamp (3) with time zone,
	"closed_at" timestamp (3) with time zone,
	"deferred_at" timestamp (3) with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "problem_categories" ADD CONSTRAINT "problem_categories_parent_id_problem_categories_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."problem_categories"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_events" ADD CONSTRAINT "problem_events_problem_id_problems_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."problems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_category_id_problem_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."problem_categories"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_reporter_id_users_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_reporter_unit_id_units_id_fk" FOREIGN KEY ("reporter_unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "problem_categories_code_uq" ON "problem_categories" USING btree ("code");--> statement-breakpoint
CREATE INDEX "problem_categories_parent_idx" ON "problem_categories" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "problem_events_problem_idx" ON "problem_events" USING btree ("problem_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "problems_code_uq" ON "problems" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "problems_external_ref_uq" ON "problems" USING btree ("channel","external_ref") WHERE "problems"."external_ref" is not null;--> statement-breakpoint
CREATE INDEX "problems_created_idx" ON "problems" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "problems_state_idx" ON "problems" USING btree ("state","created_at");--> statement-breakpoint
CREATE INDEX "problems_unit_state_idx" ON "problems" USING btree ("unit_id","state");--> statement-breakpoint
CREATE INDEX "problems_region_idx" ON "problems" USING btree ("region_id");--> statement-breakpoint
CREATE INDEX "problems_category_idx" ON "problems" USING btree ("category_id");--> statement-breakpoint
CREATE INDEX "problems_deadline_idx" ON "problems" USING btree ("deadline") WHERE "problems"."state" = 'dispatched';--> statement-breakpoint
CREATE INDEX "problems_reporter_unit_idx" ON "problems" USING btree ("reporter_unit_id");