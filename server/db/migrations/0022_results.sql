CREATE TABLE "problem_daily_counts" (
	"day" date NOT NULL,
	"region_id" integer NOT NULL,
	"registered" integer DEFAULT 0 NOT NULL,
	"closed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "problem_daily_counts_day_region_id_pk" PRIMARY KEY("day","region_id")
);
--> statement-breakpoint
CREATE TABLE "negative_hits" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "negative_hits_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"framework_id" integer NOT NULL,
	"item_key" text NOT NULL,
	"year" integer NOT NULL,
	"occurred_on" date NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"recorded_by" integer,
	"recorded_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bulletins" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bulletins_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"snapshot_id" integer NOT NULL,
	"period" text NOT NULL,
	"title" text NOT NULL,
	"state" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_by" integer,
	"created_by_name" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "ranking_consequences" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ranking_consequences_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"snapshot_id" integer NOT NULL,
	"period" text NOT NULL,
	"unit_id" integer NOT NULL,
	"flag" text NOT NULL,
	"streak" integer NOT NULL,
	"action" jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ranking_rows" (
	"snapshot_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"unit_name" text NOT NULL,
	"unit_class" text NOT NULL,
	"sample" integer NOT NULL,
	"values" jsonb NOT NULL,
	"score" double precision,
	"rank" integer,
	"class_size" integer NOT NULL,
	"flag" text,
	"excluded" text,
	"missing" text[] NOT NULL,
	"streak" integer DEFAULT 0 NOT NULL,
	"action" jsonb,
	CONSTRAINT "ranking_rows_snapshot_id_unit_id_pk" PRIMARY KEY("snapshot_id","unit_id")
);
--> statement-breakpoint
CREATE TABLE "ranking_snapshots" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ranking_snapshots_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"period" text NOT NULL,
	"kind" text NOT NULL,
	"period_from" timestamp (3) with time zone NOT NULL,
	"period_to" timestamp (3) with time zone NOT NULL,
	"version" integer NOT NULL,
	"state" text NOT NULL,
	"rules" jsonb NOT NULL,
	"created_by" integer,
	"created_by_name" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp (3) with time zone,
	"published_by" integer
);
--> statement-breakpoint
DROP INDEX "problems_dispatched_idx";--> statement-breakpoint
ALTER TABLE "point_types" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "negative_hits" ADD CONSTRAINT "negative_hits_framework_id_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."frameworks"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "negative_hits" ADD CONSTRAINT "negative_hits_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulletins" ADD CONSTRAINT "bulletins_snapshot_id_ranking_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."ranking_snapshots"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulletins" ADD CONSTRAINT "bulletins_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_consequences" ADD CONSTRAINT "ranking_consequences_snapshot_id_ranking_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."ranking_snapshots"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_consequences" ADD CONSTRAINT "ranking_consequences_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_rows" ADD CONSTRAINT "ranking_rows_snapshot_id_ranking_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."ranking_snapshots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_rows" ADD CONSTRAINT "ranking_rows_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_snapshots" ADD CONSTRAINT "ranking_snapshots_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_snapshots" ADD CONSTRAINT "ranking_snapshots_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "negative_hits_framework_idx" ON "negative_hits" USING btree ("framework_id","year");--> statement-breakpoint
CREATE UNIQUE INDEX "bulletins_published_uq" ON "bulletins" USING btree ("period") WHERE "bulletins"."state" = 'published';--> statement-breakpoint
CREATE INDEX "bulletins_created_idx" ON "bulletins" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "ranking_consequences_uq" ON "ranking_consequences" USING btree ("snapshot_id","unit_id");--> statement-breakpoint
CREATE INDEX "ranking_consequences_unit_idx" ON "ranking_consequences" USING btree ("unit_id","created_at");--> statement-breakpoint
CREATE INDEX "ranking_rows_unit_idx" ON "ranking_rows" USING btree ("unit_id","snapshot_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ranking_snapshots_period_version_uq" ON "ranking_snapshots" USING btree ("period","version");--> statement-breakpoint
CREATE UNIQUE INDEX "ranking_snapshots_published_uq" ON "ranking_snapshots" USING btree ("period") WHERE "ranking_snapshots"."state" = 'published';--> statement-breakpoint
CREATE INDEX "ranking_snapshots_kind_idx" ON "ranking_snapshots" USING btree ("kind","period");--> statement-breakpoint
CREATE INDEX "problems_dispatched_dash_idx" ON "problems" USING btree ("dispatched_at","region_id","unit_id","state","deadline","closed_at","rework_count","extension_count","handling_hours");--> statement-breakpoint
CREATE INDEX "problems_registered_dash_idx" ON "problems" USING btree ("registered_at","region_id","unit_id","recurrence_of_id");--> statement-breakpoint
CREATE INDEX "problems_closed_dash_idx" ON "problems" USING btree ("closed_at","region_id","unit_id") WHERE "problems"."closed_at" is not null;--> statement-breakpoint
CREATE INDEX "problems_open_dash_idx" ON "problems" USING btree ("unit_id","region_id","state","deadline","rework_count","lat","lng") WHERE "problems"."state" in ('reported', 'registered', 'dispatched', 'returned', 'submitted', 'deferred');