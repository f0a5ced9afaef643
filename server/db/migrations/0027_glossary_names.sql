-- Names from the glossary (issue #17, docs/decisions.md): 目标责任书 is a pledge; a unit's progress
-- report on its 任务分解 is an assignment report; 包联 (a unit paired with a community or building for
-- household visits) is an outreach pairing, not another "assignment". Renames only, so every row, id,
-- sequence position and reference stays as it was.
ALTER TABLE "responsibility_agreements" RENAME TO "pledges";--> statement-breakpoint
ALTER SEQUENCE "responsibility_agreements_id_seq" RENAME TO "pledges_id_seq";--> statement-breakpoint
ALTER INDEX "responsibility_agreements_pkey" RENAME TO "pledges_pkey";--> statement-breakpoint
ALTER INDEX "responsibility_agreements_uq" RENAME TO "pledges_uq";--> statement-breakpoint
ALTER TABLE "pledges" RENAME CONSTRAINT "responsibility_agreements_campaign_id_campaigns_id_fk" TO "pledges_campaign_id_campaigns_id_fk";--> statement-breakpoint
ALTER TABLE "pledges" RENAME CONSTRAINT "responsibility_agreements_unit_id_units_id_fk" TO "pledges_unit_id_units_id_fk";--> statement-breakpoint
ALTER TABLE "pledges" RENAME CONSTRAINT "responsibility_agreements_signed_file_id_files_id_fk" TO "pledges_signed_file_id_files_id_fk";--> statement-breakpoint
ALTER TABLE "pledges" RENAME CONSTRAINT "responsibility_agreements_signed_by_users_id_fk" TO "pledges_signed_by_users_id_fk";--> statement-breakpoint
ALTER TABLE "task_reports" RENAME TO "assignment_reports";--> statement-breakpoint
ALTER SEQUENCE "task_reports_id_seq" RENAME TO "assignment_reports_id_seq";--> statement-breakpoint
ALTER INDEX "task_reports_pkey" RENAME TO "assignment_reports_pkey";--> statement-breakpoint
ALTER INDEX "task_reports_task_idx" RENAME TO "assignment_reports_assignment_idx";--> statement-breakpoint
ALTER TABLE "assignment_reports" RENAME CONSTRAINT "task_reports_framework_id_frameworks_id_fk" TO "assignment_reports_framework_id_frameworks_id_fk";--> statement-breakpoint
ALTER TABLE "assignment_reports" RENAME CONSTRAINT "task_reports_unit_id_units_id_fk" TO "assignment_reports_unit_id_units_id_fk";--> statement-breakpoint
ALTER TABLE "assignment_reports" RENAME CONSTRAINT "task_reports_reported_by_users_id_fk" TO "assignment_reports_reported_by_users_id_fk";--> statement-breakpoint
ALTER TABLE "task_report_reminders" RENAME TO "assignment_report_reminders";--> statement-breakpoint
-- The generated primary key name was longer than 63 characters and stored cut short; it is named now.
ALTER TABLE "assignment_report_reminders" RENAME CONSTRAINT "task_report_reminders_framework_id_standard_key_unit_id_period_" TO "assignment_report_reminders_pk";--> statement-breakpoint
ALTER TABLE "outreach_assignments" RENAME TO "outreach_pairings";--> statement-breakpoint
ALTER SEQUENCE "outreach_assignments_id_seq" RENAME TO "outreach_pairings_id_seq";--> statement-breakpoint
ALTER INDEX "outreach_assignments_pkey" RENAME TO "outreach_pairings_pkey";--> statement-breakpoint
ALTER INDEX "outreach_assignments_uq" RENAME TO "outreach_pairings_uq";--> statement-breakpoint
ALTER TABLE "outreach_pairings" RENAME CONSTRAINT "outreach_assignments_unit_id_units_id_fk" TO "outreach_pairings_unit_id_units_id_fk";--> statement-breakpoint
ALTER TABLE "outreach_pairings" RENAME CONSTRAINT "outreach_assignments_region_id_regions_id_fk" TO "outreach_pairings_region_id_regions_id_fk";--> statement-breakpoint
ALTER TABLE "outreach_pairings" RENAME CONSTRAINT "outreach_assignments_leader_id_users_id_fk" TO "outreach_pairings_leader_id_users_id_fk";--> statement-breakpoint
ALTER TABLE "household_visits" RENAME COLUMN "assignment_id" TO "pairing_id";--> statement-breakpoint
ALTER TABLE "household_visits" RENAME CONSTRAINT "household_visits_assignment_id_outreach_assignments_id_fk" TO "household_visits_pairing_id_outreach_pairings_id_fk";--> statement-breakpoint
ALTER INDEX "household_visits_assignment_idx" RENAME TO "household_visits_pairing_idx";--> statement-breakpoint
-- The reporting rhythm the office set, and the reminder job's last claimed period, under their new names.
UPDATE "settings" SET "key" = 'assignment_report_rhythm' WHERE "key" = 'task_report_rhythm';--> statement-breakpoint
UPDATE "job_schedule" SET "name" = 'assignment-report-reminders' WHERE "name" = 'task-report-reminders';--> statement-breakpoint
-- PostgreSQL 18 (PGlite) also names each NOT NULL constraint after its table ("<table>_<column>_not_null");
-- earlier versions have none, and then this finds nothing to rename.
DO $$
DECLARE r record;
BEGIN
  FOR r IN
    SELECT c.conrelid::regclass AS tbl, c.conname,
           m.new_prefix || substr(c.conname, length(m.old_prefix) + 1) AS new_name
      FROM pg_constraint c
      JOIN (VALUES
             ('pledges', 'responsibility_agreements_', 'pledges_'),
             ('assignment_reports', 'task_reports_', 'assignment_reports_'),
             ('assignment_report_reminders', 'task_report_reminders_', 'assignment_report_reminders_'),
             ('outreach_pairings', 'outreach_assignments_', 'outreach_pairings_')
           ) AS m(tbl, old_prefix, new_prefix)
        ON c.conrelid = to_regclass(m.tbl)
     WHERE left(c.conname, length(m.old_prefix)) = m.old_prefix
  LOOP
    EXECUTE format('ALTER TABLE %s RENAME CONSTRAINT %I TO %I', r.tbl, r.conname, r.new_name);
  END LOOP;
END $$;
