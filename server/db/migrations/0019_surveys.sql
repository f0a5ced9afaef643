CREATE TABLE "survey_answer_tallies" (
	"round_id" integer NOT NULL,
	"quota_id" integer NOT NULL,
	"questionnaire_id" integer NOT NULL,
	"question_id" text NOT NULL,
	"answer" jsonb NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "survey_answer_tallies_quota_id_questionnaire_id_question_id_answer_pk" PRIMARY KEY("quota_id","questionnaire_id","question_id","answer")
);
--> statement-breakpoint
CREATE TABLE "survey_questionnaires" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "survey_questionnaires_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"survey_id" integer NOT NULL,
	"group" text NOT NULL,
	"group_label" text NOT NULL,
	"number" integer NOT NULL,
	"status" text NOT NULL,
	"title" text NOT NULL,
	"intro" text DEFAULT '' NOT NULL,
	"questions" jsonb NOT NULL,
	"published_at" timestamp (3) with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_quota_guides" (
	"quota_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	CONSTRAINT "survey_quota_guides_quota_id_user_id_pk" PRIMARY KEY("quota_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "survey_quotas" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "survey_quotas_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"round_id" integer NOT NULL,
	"region_id" integer NOT NULL,
	"group" text NOT NULL,
	"target" integer NOT NULL,
	"population" integer,
	"center_lat" double precision,
	"center_lng" double precision,
	"radius_m" integer DEFAULT 2000 NOT NULL,
	"public_token" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_responses" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "survey_responses_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"client_id" uuid NOT NULL,
	"round_id" integer NOT NULL,
	"quota_id" integer NOT NULL,
	"questionnaire_id" integer NOT NULL,
	"channel" text NOT NULL,
	"guide_id" integer,
	"household_code" text NOT NULL,
	"age" integer NOT NULL,
	"resident_months" integer NOT NULL,
	"eligible" boolean NOT NULL,
	"answers" jsonb NOT NULL,
	"started_at" timestamp (3) with time zone,
	"submitted_at" timestamp (3) with time zone NOT NULL,
	"lat" double precision,
	"lng" double precision,
	"ip" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_rounds" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "survey_rounds_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"survey_id" integer NOT NULL,
	"name" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"dont_know_valid" boolean DEFAULT false NOT NULL,
	"floor_percent" numeric(5, 2) NOT NULL,
	"min_guides_per_community" integer DEFAULT 2 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "surveys" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "surveys_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"campaign_id" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "survey_answer_tallies" ADD CONSTRAINT "survey_answer_tallies_round_id_survey_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."survey_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_answer_tallies" ADD CONSTRAINT "survey_answer_tallies_quota_id_survey_quotas_id_fk" FOREIGN KEY ("quota_id") REFERENCES "public"."survey_quotas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_answer_tallies" ADD CONSTRAINT "survey_answer_tallies_questionnaire_id_survey_questionnaires_id_fk" FOREIGN KEY ("questionnaire_id") REFERENCES "public"."survey_questionnaires"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_questionnaires" ADD CONSTRAINT "survey_questionnaires_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_quota_guides" ADD CONSTRAINT "survey_quota_guides_quota_id_survey_quotas_id_fk" FOREIGN KEY ("quota_id") REFERENCES "public"."survey_quotas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_quota_guides" ADD CONSTRAINT "survey_quota_guides_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_quotas" ADD CONSTRAINT "survey_quotas_round_id_survey_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."survey_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_quotas" ADD CONSTRAINT "survey_quotas_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_round_id_survey_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."survey_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_quota_id_survey_quotas_id_fk" FOREIGN KEY ("quota_id") REFERENCES "public"."survey_quotas"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_questionnaire_id_survey_questionnaires_id_fk" FOREIGN KEY ("questionnaire_id") REFERENCES "public"."survey_questionnaires"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_guide_id_users_id_fk" FOREIGN KEY ("guide_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_rounds" ADD CONSTRAINT "survey_rounds_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "survey_answer_tallies_round_idx" ON "survey_answer_tallies" USING btree ("round_id");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_questionnaires_number_uq" ON "survey_questionnaires" USING btree ("survey_id","group","number");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_questionnaires_one_draft_uq" ON "survey_questionnaires" USING btree ("survey_id","group") WHERE "survey_questionnaires"."status" = 'draft';--> statement-breakpoint
CREATE UNIQUE INDEX "survey_questionnaires_one_published_uq" ON "survey_questionnaires" USING btree ("survey_id","group") WHERE "survey_questionnaires"."status" = 'published';--> statement-breakpoint
CREATE INDEX "survey_quota_guides_user_idx" ON "survey_quota_guides" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_quotas_uq" ON "survey_quotas" USING btree ("round_id","region_id","group");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_quotas_token_uq" ON "survey_quotas" USING btree ("public_token");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_responses_client_uq" ON "survey_responses" USING btree ("client_id");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_responses_household_uq" ON "survey_responses" USING btree ("round_id","household_code");--> statement-breakpoint
CREATE INDEX "survey_responses_quota_idx" ON "survey_responses" USING btree ("quota_id");--> statement-breakpoint
CREATE INDEX "survey_responses_guide_idx" ON "survey_responses" USING btree ("guide_id","submitted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_rounds_name_uq" ON "survey_rounds" USING btree ("survey_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "surveys_name_uq" ON "surveys" USING btree ("name");