ALTER TABLE "point_types" ADD COLUMN "random_check" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "points" ADD COLUMN "added_in_round_id" integer;--> statement-breakpoint
ALTER TABLE "points" ADD COLUMN "added_by" integer;--> statement-breakpoint
ALTER TABLE "points" ADD COLUMN "adopted_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "points" ADD CONSTRAINT "points_added_in_round_id_rounds_id_fk" FOREIGN KEY ("added_in_round_id") REFERENCES "public"."rounds"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points" ADD CONSTRAINT "points_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "points_added_name_uq" ON "points" USING btree ("added_in_round_id","type_id","name") WHERE "points"."added_in_round_id" is not null;--> statement-breakpoint
-- data:
-- 随机查看 on by default for the six kinds the test adds on the spot (seed 001: 街巷、公厕、小型餐馆、
-- 娱乐场所、网吧、营业厅), matched by the type's name as core/inspection/random-check.ts does.
UPDATE "point_types" SET "random_check" = true
 WHERE "name" ~* '街巷|小巷|巷道|公厕|厕所|餐馆|饭馆|餐饮|小吃|娱乐|歌舞|KTV|网吧|营业厅|银行|邮政';--> statement-breakpoint
-- A free-text counting rule that sets a minimum ("步行300米，固定式公益广告不少于5处") becomes a count
-- rule the visit is scored by (core/inspection/quantity.ts); the text stays as the per-distance text.
UPDATE "point_types" AS t
   SET "checklist" = x.items, "version" = t."version" + 1
  FROM (
    SELECT pt.id, jsonb_agg(
        CASE WHEN NOT (e.item ? 'quantity')
                  AND e.item->>'countRule' ~ '(不少于|至少|不低于|≥)\s*\d{1,4}\s*(处|个|块|幅|条|面|组)'
             THEN e.item || jsonb_build_object('quantity', jsonb_build_object(
                    'kind', 'count',
                    'min', (substring(e.item->>'countRule' FROM '(?:不少于|至少|不低于|≥)\s*(\d{1,4})\s*(?:处|个|块|幅|条|面|组)'))::int,
                    'unit', substring(e.item->>'countRule' FROM '(?:不少于|至少|不低于|≥)\s*\d{1,4}\s*(处|个|块|幅|条|面|组)')))
             ELSE e.item END
        ORDER BY e.ord) AS items
      FROM "point_types" pt
      CROSS JOIN LATERAL jsonb_array_elements(pt."checklist") WITH ORDINALITY AS e(item, ord)
     GROUP BY pt.id
    HAVING bool_or(NOT (e.item ? 'quantity')
                   AND e.item->>'countRule' ~ '(不少于|至少|不低于|≥)\s*\d{1,4}\s*(处|个|块|幅|条|面|组)')
  ) AS x
 WHERE t.id = x.id;
