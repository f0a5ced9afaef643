CREATE TABLE "assignment_units" (
	"assignment_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "assignment_units_assignment_id_unit_id_pk" PRIMARY KEY("assignment_id","unit_id")
);
--> statement-breakpoint
CREATE TABLE "assignments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "assignments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"version_id" integer NOT NULL,
	"standard_id" integer NOT NULL,
	"lead_unit_id" integer NOT NULL,
	"leader_name" text,
	"due_date" date,
	"due_text" text,
	"notes" text,
	"position" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "campaigns_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"cycle_start_year" integer NOT NULL,
	"cycle_years" integer NOT NULL,
	"cycle_weights" jsonb NOT NULL,
	"method_weights" jsonb NOT NULL,
	"survey_floor" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "framework_nodes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "framework_nodes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"version_id" integer NOT NULL,
	"parent_id" integer,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"code" text NOT NULL,
	"text" text NOT NULL,
	"guidance" text,
	"method" text,
	"max_score" numeric(7, 2),
	"evidence" text[] DEFAULT '{}'::text[] NOT NULL,
	"unit_hints" text[] DEFAULT '{}'::text[] NOT NULL,
	"position" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "framework_nodes_standard_ck" CHECK (("framework_nodes"."kind" = 'standard') = ("framework_nodes"."method" is not null and "framework_nodes"."max_score" is not null)),
	CONSTRAINT "framework_nodes_parent_ck" CHECK (("framework_nodes"."kind" = 'item') = ("framework_nodes"."parent_id" is null))
);
--> statement-breakpoint
CREATE TABLE "framework_versions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "framework_versions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"framework_id" integer NOT NULL,
	"number" integer NOT NULL,
	"status" text NOT NULL,
	"based_on_id" integer,
	"source" jsonb NOT NULL,
	"published_at" timestamp (3) with time zone,
	"published_by" integer,
	"created_by" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "frameworks" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "frameworks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"campaign_id" integer NOT NULL,
	"name" text NOT NULL,
	"level" text NOT NULL,
	"edition" text,
	"position" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "negative_items" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "negative_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"version_id" integer NOT NULL,
	"key" text NOT NULL,
	"code" text NOT NULL,
	"text" text NOT NULL,
	"effect" text NOT NULL,
	"points" numeric(7, 2) NOT NULL,
	"position" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assignment_units" ADD CONSTRAINT "assignment_units_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment_units" ADD CONSTRAINT "assignment_units_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_version_id_framework_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."framework_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_standard_id_framework_nodes_id_fk" FOREIGN KEY ("standard_id") REFERENCES "public"."framework_nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_lead_unit_id_units_id_fk" FOREIGN KEY ("lead_unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_nodes" ADD CONSTRAINT "framework_nodes_version_id_framework_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."framework_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_nodes" ADD CONSTRAINT "framework_nodes_parent_id_framework_nodes_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."framework_nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_versions" ADD CONSTRAINT "framework_versions_framework_id_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."frameworks"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_versions" ADD CONSTRAINT "framework_versions_based_on_id_framework_versions_id_fk" FOREIGN KEY ("based_on_id") REFERENCES "public"."framework_versions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_versions" ADD CONSTRAINT "framework_versions_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_versions" ADD CONSTRAINT "framework_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "frameworks" ADD CONSTRAINT "frameworks_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "negative_items" ADD CONSTRAINT "negative_items_version_id_framework_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."framework_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assignment_units_unit_idx" ON "assignment_units" USING btree ("unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assignments_standard_lead_uq" ON "assignments" USING btree ("standard_id","lead_unit_id");--> statement-breakpoint
CREATE INDEX "assignments_version_idx" ON "assignments" USING btree ("version_id");--> statement-breakpoint
CREATE INDEX "assignments_lead_idx" ON "assignments" USING btree ("lead_unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "campaigns_name_uq" ON "campaigns" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "framework_nodes_code_uq" ON "framework_nodes" USING btree ("version_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "framework_nodes_key_uq" ON "framework_nodes" USING btree ("version_id","key");--> statement-breakpoint
CREATE INDEX "framework_nodes_parent_idx" ON "framework_nodes" USING btree ("parent_id","position");--> statement-breakpoint
CREATE INDEX "framework_nodes_version_idx" ON "framework_nodes" USING btree ("version_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "framework_versions_number_uq" ON "framework_versions" USING btree ("framework_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "framework_versions_one_draft_uq" ON "framework_versions" USING btree ("framework_id") WHERE "framework_versions"."status" = 'draft';--> statement-breakpoint
CREATE UNIQUE INDEX "framework_versions_one_published_uq" ON "framework_versions" USING btree ("framework_id") WHERE "framework_versions"."status" = 'published';--> statement-breakpoint
CREATE UNIQUE INDEX "frameworks_campaign_name_uq" ON "frameworks" USING btree ("campaign_id","name");--> statement-breakpoint
CREATE INDEX "frameworks_campaign_idx" ON "frameworks" USING btree ("campaign_id");--> statement-breakpoint
CREATE UNIQUE INDEX "negative_items_code_uq" ON "negative_items" USING btree ("version_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "negative_items_key_uq" ON "negative_items" USING btree ("version_id","key");