CREATE TABLE "parties" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "parties_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"aliases" text[] DEFAULT '{}'::text[] NOT NULL,
	"kind" text NOT NULL,
	"member_types" text[] DEFAULT '{}'::text[] NOT NULL,
	"contact_unit_id" integer,
	"notes" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "party_members" (
	"party_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	CONSTRAINT "party_members_party_id_unit_id_pk" PRIMARY KEY("party_id","unit_id")
);
--> statement-breakpoint
CREATE TABLE "assignment_parties" (
	"assignment_id" integer NOT NULL,
	"party_id" integer NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "assignment_parties_assignment_id_party_id_pk" PRIMARY KEY("assignment_id","party_id")
);
--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "lead_party_id" integer;--> statement-breakpoint
ALTER TABLE "parties" ADD CONSTRAINT "parties_contact_unit_id_units_id_fk" FOREIGN KEY ("contact_unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_members" ADD CONSTRAINT "party_members_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_members" ADD CONSTRAINT "party_members_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment_parties" ADD CONSTRAINT "assignment_parties_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment_parties" ADD CONSTRAINT "assignment_parties_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "parties_name_uq" ON "parties" USING btree ("name");--> statement-breakpoint
CREATE INDEX "party_members_unit_idx" ON "party_members" USING btree ("unit_id");--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_lead_party_id_parties_id_fk" FOREIGN KEY ("lead_party_id") REFERENCES "public"."parties"("id") ON DELETE set null ON UPDATE no action;