CREATE TABLE "service_item_teams" (
	"item_id" integer NOT NULL,
	"team_id" integer NOT NULL,
	CONSTRAINT "service_item_teams_item_id_team_id_pk" PRIMARY KEY("item_id","team_id")
);
--> statement-breakpoint
CREATE TABLE "service_items" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "service_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"place_id" integer NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"description" text,
	"volunteers_needed" integer DEFAULT 1 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_order_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "service_order_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"order_id" bigint NOT NULL,
	"action" text NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"actor_id" integer,
	"volunteer_id" integer,
	"note" text,
	"data" jsonb
);
--> statement-breakpoint
CREATE TABLE "service_order_photos" (
	"order_id" bigint NOT NULL,
	"file_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_order_photos_order_id_file_id_pk" PRIMARY KEY("order_id","file_id")
);
--> statement-breakpoint
CREATE TABLE "service_order_takers" (
	"order_id" bigint NOT NULL,
	"volunteer_id" integer NOT NULL,
	"taken_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "service_order_takers_order_id_volunteer_id_pk" PRIMARY KEY("order_id","volunteer_id")
);
--> statement-breakpoint
CREATE TABLE "service_orders" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "service_orders_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tracking_code" text NOT NULL,
	"client_id" uuid,
	"channel" text NOT NULL,
	"place_id" integer NOT NULL,
	"item_id" integer NOT NULL,
	"need" text NOT NULL,
	"preferred_time" text,
	"address" text NOT NULL,
	"lat" double precision,
	"lng" double precision,
	"contact_name" text NOT NULL,
	"contact_phone" text NOT NULL,
	"ordered_by" integer,
	"device_id" text,
	"ip" text,
	"state" text DEFAULT 'ordered' NOT NULL,
	"team_id" integer,
	"deadline" timestamp (3) with time zone,
	"volunteers_needed" integer DEFAULT 1 NOT NULL,
	"ordered_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"dispatched_at" timestamp (3) with time zone,
	"taken_at" timestamp (3) with time zone,
	"on_site_at" timestamp (3) with time zone,
	"done_at" timestamp (3) with time zone,
	"confirmed_at" timestamp (3) with time zone,
	"declined_at" timestamp (3) with time zone,
	"decline_reason" text,
	"done_note" text,
	"satisfied" boolean,
	"comment" text,
	"confirmed_by" text,
	"confirm_reason" text,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "activity_attendance" ALTER COLUMN "activity_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "activity_attendance" ADD COLUMN "service_order_id" bigint;--> statement-breakpoint
ALTER TABLE "service_item_teams" ADD CONSTRAINT "service_item_teams_item_id_service_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."service_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_item_teams" ADD CONSTRAINT "service_item_teams_team_id_volunteer_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."volunteer_teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_items" ADD CONSTRAINT "service_items_place_id_practice_places_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."practice_places"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_events" ADD CONSTRAINT "service_order_events_order_id_service_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."service_orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_events" ADD CONSTRAINT "service_order_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_events" ADD CONSTRAINT "service_order_events_volunteer_id_volunteers_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."volunteers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_photos" ADD CONSTRAINT "service_order_photos_order_id_service_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."service_orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_photos" ADD CONSTRAINT "service_order_photos_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_takers" ADD CONSTRAINT "service_order_takers_order_id_service_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."service_orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_takers" ADD CONSTRAINT "service_order_takers_volunteer_id_volunteers_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."volunteers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_orders" ADD CONSTRAINT "service_orders_place_id_practice_places_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."practice_places"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_orders" ADD CONSTRAINT "service_orders_item_id_service_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."service_items"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_orders" ADD CONSTRAINT "service_orders_ordered_by_users_id_fk" FOREIGN KEY ("ordered_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_orders" ADD CONSTRAINT "service_orders_team_id_volunteer_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."volunteer_teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "service_items_place_name_uq" ON "service_items" USING btree ("place_id","name");--> statement-breakpoint
CREATE INDEX "service_order_events_order_idx" ON "service_order_events" USING btree ("order_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "service_order_photos_file_uq" ON "service_order_photos" USING btree ("file_id");--> statement-breakpoint
CREATE INDEX "service_order_takers_volunteer_idx" ON "service_order_takers" USING btree ("volunteer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "service_orders_tracking_uq" ON "service_orders" USING btree ("tracking_code");--> statement-breakpoint
CREATE UNIQUE INDEX "service_orders_client_uq" ON "service_orders" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "service_orders_place_idx" ON "service_orders" USING btree ("place_id","state","id");--> statement-breakpoint
CREATE INDEX "service_orders_team_idx" ON "service_orders" USING btree ("team_id","state");--> statement-breakpoint
CREATE INDEX "service_orders_by_idx" ON "service_orders" USING btree ("ordered_by");--> statement-breakpoint
CREATE INDEX "service_orders_ordered_idx" ON "service_orders" USING btree ("ordered_at");--> statement-breakpoint
ALTER TABLE "activity_attendance" ADD CONSTRAINT "activity_attendance_service_order_id_service_orders_id_fk" FOREIGN KEY ("service_order_id") REFERENCES "public"."service_orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "activity_attendance_order_person_uq" ON "activity_attendance" USING btree ("service_order_id","volunteer_id");--> statement-breakpoint
ALTER TABLE "activity_attendance" ADD CONSTRAINT "activity_attendance_one_of_ck" CHECK (("activity_attendance"."activity_id" is null) <> ("activity_attendance"."service_order_id" is null));