CREATE TABLE "pushback_deliveries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "pushback_deliveries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"target" text NOT NULL,
	"open311_client_id" integer,
	"problem_id" bigint NOT NULL,
	"event_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"external_ref" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"payload" jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"last_attempt_at" timestamp (3) with time zone,
	"last_status" integer,
	"last_error" text,
	"acked_at" timestamp (3) with time zone,
	"failed_at" timestamp (3) with time zone,
	"links_from" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "open311_clients" ADD COLUMN "callback_url" text;--> statement-breakpoint
ALTER TABLE "open311_clients" ADD COLUMN "callback_secret" text;--> statement-breakpoint
ALTER TABLE "pushback_deliveries" ADD CONSTRAINT "pushback_deliveries_open311_client_id_open311_clients_id_fk" FOREIGN KEY ("open311_client_id") REFERENCES "public"."open311_clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pushback_deliveries" ADD CONSTRAINT "pushback_deliveries_problem_id_problems_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."problems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "pushback_deliveries_key_uq" ON "pushback_deliveries" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "pushback_deliveries_due_idx" ON "pushback_deliveries" USING btree ("next_attempt_at") WHERE "pushback_deliveries"."acked_at" is null and "pushback_deliveries"."failed_at" is null;--> statement-breakpoint
CREATE INDEX "pushback_deliveries_problem_idx" ON "pushback_deliveries" USING btree ("problem_id","id");--> statement-breakpoint
CREATE INDEX "pushback_deliveries_failed_idx" ON "pushback_deliveries" USING btree ("id") WHERE "pushback_deliveries"."failed_at" is not null;