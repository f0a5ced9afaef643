CREATE TABLE "household_visits" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "household_visits_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"client_id" uuid NOT NULL,
	"assignment_id" integer,
	"visitor_id" integer NOT NULL,
	"visitor_unit_id" integer,
	"region_id" integer NOT NULL,
	"building" text NOT NULL,
	"household" text NOT NULL,
	"visited_at" timestamp (3) with time zone NOT NULL,
	"publicity" text[] DEFAULT '{}'::text[] NOT NULL,
	"concern" text,
	"problem_id" bigint,
	"lat" double precision,
	"lng" double precision,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outreach_assignments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outreach_assignments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"unit_id" integer NOT NULL,
	"region_id" integer NOT NULL,
	"building" text DEFAULT '' NOT NULL,
	"leader_id" integer,
	"target_households" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "household_visits" ADD CONSTRAINT "household_visits_assignment_id_outreach_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."outreach_assignments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_visits" ADD CONSTRAINT "household_visits_visitor_id_users_id_fk" FOREIGN KEY ("visitor_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_visits" ADD CONSTRAINT "household_visits_visitor_unit_id_units_id_fk" FOREIGN KEY ("visitor_unit_id") REFERENCES "public"."units"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_visits" ADD CONSTRAINT "household_visits_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_visits" ADD CONSTRAINT "household_visits_problem_id_problems_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."problems"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_assignments" ADD CONSTRAINT "outreach_assignments_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_assignments" ADD CONSTRAINT "outreach_assignments_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_assignments" ADD CONSTRAINT "outreach_assignments_leader_id_users_id_fk" FOREIGN KEY ("leader_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "household_visits_client_uq" ON "household_visits" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "household_visits_assignment_idx" ON "household_visits" USING btree ("assignment_id","building","household");--> statement-breakpoint
CREATE INDEX "household_visits_region_idx" ON "household_visits" USING btree ("region_id","building","household");--> statement-breakpoint
CREATE INDEX "household_visits_visitor_idx" ON "household_visits" USING btree ("visitor_id","visited_at");--> statement-breakpoint
CREATE UNIQUE INDEX "outreach_assignments_uq" ON "outreach_assignments" USING btree ("unit_id","region_id","building");