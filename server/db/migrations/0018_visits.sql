CREATE TABLE "inspection_visits" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "inspection_visits_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"client_id" uuid NOT NULL,
	"root_id" bigint,
	"previous_id" bigint,
	"version" integer DEFAULT 1 NOT NULL,
	"reason" text,
	"round_id" integer NOT NULL,
	"point_id" integer NOT NULL,
	"inspector_id" integer NOT NULL,
	"items" jsonb NOT NULL,
	"ratings" jsonb,
	"note" text,
	"lat" double precision,
	"lng" double precision,
	"accuracy_m" real,
	"distance_m" real,
	"visited_at" timestamp (3) with time zone NOT NULL,
	"passed" integer NOT NULL,
	"failed" integer NOT NULL,
	"not_applicable" integer NOT NULL,
	"serious_failed" integer NOT NULL,
	"score" double precision,
	"problem_id" bigint,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "points" ADD COLUMN "leader" text;--> statement-breakpoint
ALTER TABLE "points" ADD COLUMN "contact" text;--> statement-breakpoint
ALTER TABLE "inspection_visits" ADD CONSTRAINT "inspection_visits_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_visits" ADD CONSTRAINT "inspection_visits_point_id_points_id_fk" FOREIGN KEY ("point_id") REFERENCES "public"."points"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_visits" ADD CONSTRAINT "inspection_visits_inspector_id_users_id_fk" FOREIGN KEY ("inspector_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_visits" ADD CONSTRAINT "inspection_visits_problem_id_problems_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."problems"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "inspection_visits_client_uq" ON "inspection_visits" USING btree ("client_id");--> statement-breakpoint
CREATE UNIQUE INDEX "inspection_visits_point_uq" ON "inspection_visits" USING btree ("round_id","point_id") WHERE "inspection_visits"."version" = 1;--> statement-breakpoint
CREATE UNIQUE INDEX "inspection_visits_chain_uq" ON "inspection_visits" USING btree ("root_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "inspection_visits_previous_uq" ON "inspection_visits" USING btree ("previous_id");--> statement-breakpoint
CREATE INDEX "inspection_visits_round_idx" ON "inspection_visits" USING btree ("round_id","point_id");--> statement-breakpoint
CREATE INDEX "inspection_visits_inspector_idx" ON "inspection_visits" USING btree ("inspector_id","round_id");