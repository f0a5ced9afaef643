CREATE TABLE "volunteer_national_hours" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "volunteer_national_hours_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"volunteer_id" integer NOT NULL,
	"record_key" text NOT NULL,
	"national_record_id" text,
	"activity_title" text NOT NULL,
	"service_date" date NOT NULL,
	"minutes" integer NOT NULL,
	"import_file" text,
	"imported_by" integer,
	"imported_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "volunteers" ADD COLUMN "id_number_enc" text;--> statement-breakpoint
ALTER TABLE "volunteers" ADD COLUMN "id_number_hash" text;--> statement-breakpoint
ALTER TABLE "volunteers" ADD COLUMN "id_number_masked" text;--> statement-breakpoint
ALTER TABLE "volunteer_national_hours" ADD CONSTRAINT "volunteer_national_hours_volunteer_id_volunteers_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."volunteers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_national_hours" ADD CONSTRAINT "volunteer_national_hours_imported_by_users_id_fk" FOREIGN KEY ("imported_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "volunteer_national_hours_key_uq" ON "volunteer_national_hours" USING btree ("record_key");--> statement-breakpoint
CREATE INDEX "volunteer_national_hours_volunteer_idx" ON "volunteer_national_hours" USING btree ("volunteer_id","service_date");--> statement-breakpoint
CREATE UNIQUE INDEX "volunteers_id_number_uq" ON "volunteers" USING btree ("id_number_hash");