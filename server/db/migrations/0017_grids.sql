CREATE TABLE "grid_members" (
	"grid_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"role" text NOT NULL,
	"note" text,
	CONSTRAINT "grid_members_grid_id_user_id_pk" PRIMARY KEY("grid_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "grids" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "grids_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"name" text NOT NULL,
	"region_id" integer NOT NULL,
	"geometry" jsonb NOT NULL,
	"min_lat" double precision NOT NULL,
	"min_lng" double precision NOT NULL,
	"max_lat" double precision NOT NULL,
	"max_lng" double precision NOT NULL,
	"cell_count" integer DEFAULT 0 NOT NULL,
	"population" integer,
	"households" integer,
	"active" boolean DEFAULT true NOT NULL,
	"geometry_rev" integer DEFAULT 1 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patrol_points" (
	"patrol_id" bigint NOT NULL,
	"seq" integer NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"accuracy_m" double precision,
	CONSTRAINT "patrol_points_patrol_id_seq_pk" PRIMARY KEY("patrol_id","seq")
);
--> statement-breakpoint
CREATE TABLE "patrol_problems" (
	"client_id" uuid PRIMARY KEY NOT NULL,
	"patrol_id" bigint NOT NULL,
	"problem_id" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patrols" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "patrols_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"client_id" uuid NOT NULL,
	"grid_id" integer NOT NULL,
	"worker_id" integer NOT NULL,
	"state" text NOT NULL,
	"started_at" timestamp (3) with time zone NOT NULL,
	"ended_at" timestamp (3) with time zone,
	"distance_m" double precision,
	"visited_cells" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"geometry_rev" integer NOT NULL,
	"coverage" double precision,
	"note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "grid_members" ADD CONSTRAINT "grid_members_grid_id_grids_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grids"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_members" ADD CONSTRAINT "grid_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grids" ADD CONSTRAINT "grids_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patrol_points" ADD CONSTRAINT "patrol_points_patrol_id_patrols_id_fk" FOREIGN KEY ("patrol_id") REFERENCES "public"."patrols"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patrol_problems" ADD CONSTRAINT "patrol_problems_patrol_id_patrols_id_fk" FOREIGN KEY ("patrol_id") REFERENCES "public"."patrols"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patrol_problems" ADD CONSTRAINT "patrol_problems_problem_id_problems_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."problems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patrols" ADD CONSTRAINT "patrols_grid_id_grids_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grids"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patrols" ADD CONSTRAINT "patrols_worker_id_users_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "grid_members_user_idx" ON "grid_members" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "grid_members_leader_uq" ON "grid_members" USING btree ("grid_id") WHERE "grid_members"."role" = 'leader';--> statement-breakpoint
CREATE UNIQUE INDEX "grids_code_uq" ON "grids" USING btree ("code");--> statement-breakpoint
CREATE INDEX "grids_region_idx" ON "grids" USING btree ("region_id");--> statement-breakpoint
CREATE INDEX "grids_box_idx" ON "grids" USING btree ("min_lat","max_lat","min_lng","max_lng");--> statement-breakpoint
CREATE INDEX "patrol_problems_patrol_idx" ON "patrol_problems" USING btree ("patrol_id");--> statement-breakpoint
CREATE UNIQUE INDEX "patrols_client_uq" ON "patrols" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "patrols_grid_idx" ON "patrols" USING btree ("grid_id","started_at");--> statement-breakpoint
CREATE INDEX "patrols_worker_idx" ON "patrols" USING btree ("worker_id","started_at");--> statement-breakpoint
CREATE INDEX "problems_grid_idx" ON "problems" USING btree ("grid_id","state");