CREATE TABLE "job_schedule" (
	"name" text PRIMARY KEY NOT NULL,
	"last_period" bigint NOT NULL,
	"last_run_at" timestamp (3) with time zone NOT NULL
);
