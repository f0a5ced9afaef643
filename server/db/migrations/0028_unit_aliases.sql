-- A unit keeps one display 简称 (short_name) and any number of other names offices write for it
-- (issue #18, docs/decisions.md). A short name that an import once stored as a list ("城管局、城管")
-- is split: its first name stays the short name, the others become aliases, so no name is lost.
ALTER TABLE "units" ADD COLUMN "aliases" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
UPDATE "units" AS u
   SET "short_name" = s.parts[1],
       "aliases" = coalesce(s.parts[2:], '{}'::text[])
  FROM (
    SELECT k.id, array_agg(k.part ORDER BY k.ord) AS parts
      FROM (
        SELECT w.id, btrim(t.x, E' \t\r\n\u3000') AS part, min(t.ord) AS ord
          FROM "units" AS w,
               regexp_split_to_table(w.short_name, '[、，,；;/]') WITH ORDINALITY AS t(x, ord)
         WHERE w.short_name ~ '[、，,；;/]'
         GROUP BY w.id, btrim(t.x, E' \t\r\n\u3000')
      ) AS k
     WHERE k.part <> ''
     GROUP BY k.id
  ) AS s
 WHERE u.id = s.id;
