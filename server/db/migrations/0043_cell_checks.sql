CREATE TABLE "cell_check_lists" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cell_check_lists_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"cell_type" text NOT NULL,
	"name" text NOT NULL,
	"frequency" text NOT NULL,
	"standards" jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cell_checks" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cell_checks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"honour_id" integer NOT NULL,
	"list_id" integer NOT NULL,
	"period" text NOT NULL,
	"year" integer NOT NULL,
	"checked_on" date NOT NULL,
	"results" jsonb NOT NULL,
	"score" double precision NOT NULL,
	"note" text,
	"checked_by" integer,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cell_negative_hits" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cell_negative_hits_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"honour_id" integer NOT NULL,
	"list_id" integer NOT NULL,
	"item_code" text NOT NULL,
	"item_text" text NOT NULL,
	"points" double precision NOT NULL,
	"severe" boolean NOT NULL,
	"hit_on" date NOT NULL,
	"note" text,
	"problem_id" bigint,
	"action" text,
	"rectify_until" date,
	"created_by" integer,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cell_negative_lists" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cell_negative_lists_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"cell_type" text NOT NULL,
	"name" text NOT NULL,
	"items" jsonb NOT NULL,
	"severe_action" text DEFAULT 'rectify' NOT NULL,
	"severe_window_months" integer DEFAULT 24 NOT NULL,
	"severe_threshold" integer DEFAULT 1 NOT NULL,
	"rectify_months" integer DEFAULT 12 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cell_review_holders" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cell_review_holders_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"review_id" integer NOT NULL,
	"honour_id" integer NOT NULL,
	"year" integer NOT NULL,
	"report" text,
	"filed_at" timestamp (3) with time zone,
	"outcome" text,
	"rectify_deadline" date,
	"outcome_note" text,
	"final_outcome" text,
	"score" double precision,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cell_reviews" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cell_reviews_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"cell_type" text NOT NULL,
	"year" integer NOT NULL,
	"name" text NOT NULL,
	"scope" text NOT NULL,
	"filing_deadline" date NOT NULL,
	"renewal_cap_pct" integer,
	"office_region_id" integer,
	"status" text DEFAULT 'open' NOT NULL,
	"bulletin" jsonb,
	"closed_at" timestamp (3) with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cell_checks" ADD CONSTRAINT "cell_checks_honour_id_honours_id_fk" FOREIGN KEY ("honour_id") REFERENCES "public"."honours"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_checks" ADD CONSTRAINT "cell_checks_list_id_cell_check_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."cell_check_lists"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_checks" ADD CONSTRAINT "cell_checks_checked_by_users_id_fk" FOREIGN KEY ("checked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_negative_hits" ADD CONSTRAINT "cell_negative_hits_honour_id_honours_id_fk" FOREIGN KEY ("honour_id") REFERENCES "public"."honours"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_negative_hits" ADD CONSTRAINT "cell_negative_hits_list_id_cell_negative_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."cell_negative_lists"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_negative_hits" ADD CONSTRAINT "cell_negative_hits_problem_id_problems_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."problems"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_negative_hits" ADD CONSTRAINT "cell_negative_hits_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_review_holders" ADD CONSTRAINT "cell_review_holders_review_id_cell_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."cell_reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_review_holders" ADD CONSTRAINT "cell_review_holders_honour_id_honours_id_fk" FOREIGN KEY ("honour_id") REFERENCES "public"."honours"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_reviews" ADD CONSTRAINT "cell_reviews_office_region_id_regions_id_fk" FOREIGN KEY ("office_region_id") REFERENCES "public"."regions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cell_check_lists_name_uq" ON "cell_check_lists" USING btree ("cell_type","name");--> statement-breakpoint
CREATE UNIQUE INDEX "cell_checks_period_uq" ON "cell_checks" USING btree ("honour_id","list_id","period");--> statement-breakpoint
CREATE INDEX "cell_checks_year_idx" ON "cell_checks" USING btree ("honour_id","year");--> statement-breakpoint
CREATE INDEX "cell_negative_hits_holder_idx" ON "cell_negative_hits" USING btree ("honour_id","hit_on");--> statement-breakpoint
CREATE UNIQUE INDEX "cell_negative_hits_problem_uq" ON "cell_negative_hits" USING btree ("honour_id","problem_id") WHERE "cell_negative_hits"."problem_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "cell_negative_lists_type_uq" ON "cell_negative_lists" USING btree ("cell_type");--> statement-breakpoint
CREATE UNIQUE INDEX "cell_review_holders_uq" ON "cell_review_holders" USING btree ("review_id","honour_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cell_review_holders_year_uq" ON "cell_review_holders" USING btree ("honour_id","year");--> statement-breakpoint
CREATE INDEX "cell_reviews_year_idx" ON "cell_reviews" USING btree ("year","id");