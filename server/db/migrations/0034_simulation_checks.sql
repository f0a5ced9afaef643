CREATE TABLE "simulation_checks" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "simulation_checks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"client_id" uuid NOT NULL,
	"target_id" integer NOT NULL,
	"round_id" integer,
	"called_at" timestamp (3) with time zone NOT NULL,
	"caller_name" text NOT NULL,
	"answered" boolean NOT NULL,
	"rings" integer,
	"wait_seconds" integer,
	"answer" text,
	"callback_promised" boolean,
	"callback_on_time" boolean,
	"notes" text,
	"file_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"problem_id" bigint,
	"recorded_by" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "simulation_targets" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "simulation_targets_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"framework_id" integer NOT NULL,
	"standard_key" text NOT NULL,
	"name" text NOT NULL,
	"contact" text NOT NULL,
	"unit_id" integer NOT NULL,
	"max_rings" integer,
	"require_correct" boolean DEFAULT true NOT NULL,
	"callback_days" integer,
	"script" text,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "simulation_checks" ADD CONSTRAINT "simulation_checks_target_id_simulation_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."simulation_targets"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "simulation_checks" ADD CONSTRAINT "simulation_checks_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "simulation_checks" ADD CONSTRAINT "simulation_checks_problem_id_problems_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."problems"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "simulation_checks" ADD CONSTRAINT "simulation_checks_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "simulation_targets" ADD CONSTRAINT "simulation_targets_framework_id_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."frameworks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "simulation_targets" ADD CONSTRAINT "simulation_targets_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "simulation_checks_client_uq" ON "simulation_checks" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "simulation_checks_target_idx" ON "simulation_checks" USING btree ("target_id","called_at");--> statement-breakpoint
CREATE INDEX "simulation_checks_round_idx" ON "simulation_checks" USING btree ("round_id");--> statement-breakpoint
CREATE UNIQUE INDEX "simulation_targets_name_uq" ON "simulation_targets" USING btree ("framework_id","standard_key","name");--> statement-breakpoint
CREATE INDEX "simulation_targets_unit_idx" ON "simulation_targets" USING btree ("unit_id");