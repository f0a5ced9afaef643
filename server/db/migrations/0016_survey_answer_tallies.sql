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
ALTER TABLE "survey_answer_tallies" ADD CONSTRAINT "survey_answer_tallies_round_id_survey_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."survey_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_answer_tallies" ADD CONSTRAINT "survey_answer_tallies_quota_id_survey_quotas_id_fk" FOREIGN KEY ("quota_id") REFERENCES "public"."survey_quotas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_answer_tallies" ADD CONSTRAINT "survey_answer_tallies_questionnaire_id_survey_questionnaires_id_fk" FOREIGN KEY ("questionnaire_id") REFERENCES "public"."survey_questionnaires"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "survey_answer_tallies_round_idx" ON "survey_answer_tallies" USING btree ("round_id");