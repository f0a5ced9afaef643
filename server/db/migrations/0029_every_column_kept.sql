-- Every column of an office's sheet kept (issue #18, docs/decisions.md): a standard's 备注 and its
-- cells under headers the import does not read; a task row's such cells on its assignment.
ALTER TABLE "assignments" ADD COLUMN "extra" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "framework_nodes" ADD COLUMN "notes" text;--> statement-breakpoint
ALTER TABLE "framework_nodes" ADD COLUMN "extra" jsonb DEFAULT '{}'::jsonb NOT NULL;