DROP INDEX "survey_quotas_uq";--> statement-breakpoint
ALTER TABLE "survey_responses" ALTER COLUMN "household_code" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "survey_responses" ALTER COLUMN "resident_months" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "survey_questionnaires" ADD COLUMN "min_age" integer DEFAULT 18 NOT NULL;--> statement-breakpoint
ALTER TABLE "survey_questionnaires" ADD COLUMN "max_age" integer DEFAULT 65 NOT NULL;--> statement-breakpoint
ALTER TABLE "survey_questionnaires" ADD COLUMN "min_resident_months" integer DEFAULT 6;--> statement-breakpoint
ALTER TABLE "survey_quotas" ADD COLUMN "mode" text DEFAULT 'household' NOT NULL;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD COLUMN "mode" text DEFAULT 'household' NOT NULL;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD COLUMN "spot" text;--> statement-breakpoint
CREATE UNIQUE INDEX "survey_quotas_uq" ON "survey_quotas" USING btree ("round_id","region_id","group","mode");--> statement-breakpoint
ALTER TABLE "survey_questionnaires" ADD CONSTRAINT "survey_questionnaires_age_ck" CHECK ("survey_questionnaires"."min_age" <= "survey_questionnaires"."max_age");--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_household_ck" CHECK (("survey_responses"."mode" = 'household') = ("survey_responses"."household_code" is not null));