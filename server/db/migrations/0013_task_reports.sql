CREATE TABLE "task_report_reminders" (
	"framework_id" integer NOT NULL,
	"standard_key" text NOT NULL,
	"unit_id" integer NOT NULL,
	"period_start" date NOT NULL,
	"sent_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "task_report_reminders_framework_id_standard_key_unit_id_period_start_pk" PRIMARY KEY("framework_id","standard_key","unit_id","period_start")
);
--> statement-breakpoint
CREATE TABLE "task_reports" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "task_reports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"framework_id" integer NOT NULL,
	"standard_key" text NOT NULL,
	"unit_id" integer NOT NULL,
	"status" text NOT NULL,
	"text" text NOT NULL,
	"file_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"reported_by" integer,
	"reported_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "task_reports" ADD CONSTRAINT "task_reports_framework_id_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."frameworks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_reports" ADD CONSTRAINT "task_reports_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_reports" ADD CONSTRAINT "task_reports_reported_by_users_id_fk" FOREIGN KEY ("reported_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "task_reports_task_idx" ON "task_reports" USING btree ("framework_id","standard_key","unit_id","reported_at");