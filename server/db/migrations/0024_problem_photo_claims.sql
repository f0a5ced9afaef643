ALTER TABLE "problem_photos" ADD COLUMN "linked" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Every row after a file's first is a link (merge), or a second claim a race let through before
-- this index existed: keep the first as the attachment.
UPDATE "problem_photos" p SET "linked" = true
WHERE EXISTS (SELECT 1 FROM "problem_photos" q WHERE q."file_id" = p."file_id" AND q."id" < p."id");--> statement-breakpoint
CREATE UNIQUE INDEX "problem_photos_file_attached_uq" ON "problem_photos" USING btree ("file_id") WHERE not "problem_photos"."linked";
