CREATE TABLE "cell_award_applications" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cell_award_applications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"call_id" integer NOT NULL,
	"applicant_name" text NOT NULL,
	"unit_id" integer,
	"region_id" integer,
	"contact" text,
	"assessor_notes" text,
	"assessed_by" integer,
	"assessed_at" timestamp (3) with time zone,
	"proposed" boolean DEFAULT false NOT NULL,
	"decision" text,
	"decision_note" text,
	"decided_by" integer,
	"decided_at" timestamp (3) with time zone,
	"honour_id" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cell_award_calls" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cell_award_calls_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"year" integer NOT NULL,
	"cell_type" text NOT NULL,
	"level" text NOT NULL,
	"title" text NOT NULL,
	"honour_title" text NOT NULL,
	"framework_id" integer NOT NULL,
	"framework_version_id" integer NOT NULL,
	"application_deadline" date NOT NULL,
	"publicity_days" integer DEFAULT 7 NOT NULL,
	"publicity_start" date,
	"publicity_end" date,
	"office_region_id" integer,
	"status" text DEFAULT 'draft' NOT NULL,
	"notes" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cell_award_material_files" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cell_award_material_files_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"application_id" integer NOT NULL,
	"standard_key" text NOT NULL,
	"file_id" uuid NOT NULL,
	"title" text NOT NULL,
	"uploaded_by" integer,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cell_award_materials" (
	"application_id" integer NOT NULL,
	"standard_key" text NOT NULL,
	"report" text DEFAULT '' NOT NULL,
	"updated_by" integer,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cell_award_materials_application_id_standard_key_pk" PRIMARY KEY("application_id","standard_key")
);
--> statement-breakpoint
CREATE TABLE "cell_award_objections" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cell_award_objections_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"application_id" integer NOT NULL,
	"received_on" date NOT NULL,
	"raised_by" text NOT NULL,
	"content" text NOT NULL,
	"handling" text,
	"outcome" text DEFAULT 'pending' NOT NULL,
	"recorded_by" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cell_award_scores" (
	"application_id" integer NOT NULL,
	"standard_key" text NOT NULL,
	"score" numeric(7, 2) NOT NULL,
	"note" text,
	"scored_by" integer,
	"scored_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cell_award_scores_application_id_standard_key_pk" PRIMARY KEY("application_id","standard_key")
);
--> statement-breakpoint
CREATE TABLE "cell_award_vetoes" (
	"application_id" integer NOT NULL,
	"veto_key" text NOT NULL,
	"hit" boolean NOT NULL,
	"note" text,
	"checked_by" integer,
	"checked_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cell_award_vetoes_application_id_veto_key_pk" PRIMARY KEY("application_id","veto_key")
);
--> statement-breakpoint
ALTER TABLE "cell_award_applications" ADD CONSTRAINT "cell_award_applications_call_id_cell_award_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."cell_award_calls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_award_applications" ADD CONSTRAINT "cell_award_applications_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_award_applications" ADD CONSTRAINT "cell_award_applications_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_award_applications" ADD CONSTRAINT "cell_award_applications_assessed_by_users_id_fk" FOREIGN KEY ("assessed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_award_applications" ADD CONSTRAINT "cell_award_applications_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_award_applications" ADD CONSTRAINT "cell_award_applications_honour_id_honours_id_fk" FOREIGN KEY ("honour_id") REFERENCES "public"."honours"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_award_calls" ADD CONSTRAINT "cell_award_calls_framework_id_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."frameworks"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_award_calls" ADD CONSTRAINT "cell_award_calls_framework_version_id_framework_versions_id_fk" FOREIGN KEY ("framework_version_id") REFERENCES "public"."framework_versions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_award_calls" ADD CONSTRAINT "cell_award_calls_office_region_id_regions_id_fk" FOREIGN KEY ("office_region_id") REFERENCES "public"."regions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_award_material_files" ADD CONSTRAINT "cell_award_material_files_application_id_cell_award_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."cell_award_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_award_material_files" ADD CONSTRAINT "cell_award_material_files_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_award_material_files" ADD CONSTRAINT "cell_award_material_files_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_award_materials" ADD CONSTRAINT "cell_award_materials_application_id_cell_award_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."cell_award_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_award_materials" ADD CONSTRAINT "cell_award_materials_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_award_objections" ADD CONSTRAINT "cell_award_objections_application_id_cell_award_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."cell_award_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_award_objections" ADD CONSTRAINT "cell_award_objections_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_award_scores" ADD CONSTRAINT "cell_award_scores_application_id_cell_award_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."cell_award_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_award_scores" ADD CONSTRAINT "cell_award_scores_scored_by_users_id_fk" FOREIGN KEY ("scored_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_award_vetoes" ADD CONSTRAINT "cell_award_vetoes_application_id_cell_award_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."cell_award_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_award_vetoes" ADD CONSTRAINT "cell_award_vetoes_checked_by_users_id_fk" FOREIGN KEY ("checked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cell_award_applications_call_name_uq" ON "cell_award_applications" USING btree ("call_id","applicant_name");--> statement-breakpoint
CREATE INDEX "cell_award_applications_call_idx" ON "cell_award_applications" USING btree ("call_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "cell_award_calls_year_title_uq" ON "cell_award_calls" USING btree ("year","title");--> statement-breakpoint
CREATE INDEX "cell_award_calls_year_idx" ON "cell_award_calls" USING btree ("year","id");--> statement-breakpoint
CREATE INDEX "cell_award_material_files_app_idx" ON "cell_award_material_files" USING btree ("application_id","standard_key");--> statement-breakpoint
CREATE UNIQUE INDEX "cell_award_material_files_file_uq" ON "cell_award_material_files" USING btree ("file_id");--> statement-breakpoint
CREATE INDEX "cell_award_objections_app_idx" ON "cell_award_objections" USING btree ("application_id","id");