import { sql } from 'drizzle-orm';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import {
  addMonths,
  evidenceWindow,
  type TEvidenceGrade,
} from '../../../core/frameworks/evidence.js';
import {
  addEvidenceFile,
  putStatement,
  reviewDossier,
  submitDossier,
} from '../../modules/evidence/dossiers.service.js';
import { getEvidenceSettings } from '../../modules/evidence/evidence.service.js';
import type { Actor } from '../../platform/actor.js';
import type { FileStorage } from '../../platform/storage.js';
import { execRows, type Database } from '../client.js';
import { demoActor } from './demo-actors.js';
import { DEMO_CAMPAIGN } from './demo-framework.js';
import { minimalPdf } from './demo-pdf.js';

/*
 * The demo's material part (网上申报 档案资料) this year for the city framework: each material
 * standard's dossier at a different step, as a campaign office sees them in late autumn — most
 * approved with a grade, some submitted and waiting for review, one returned with the office's
 * comment, one still a draft, two not started. Files are small PDFs named after the evidence the
 * standard asks for, dated inside the evidence window, uploaded through the evidence service (by
 * the lead unit's liaison where the demo has one, else by the office on the unit's behalf).
 */

type Step = TEvidenceGrade | 'submitted' | 'draft' | 'returned' | 'none';
/** The steps in turn over the standards by code (our demo's story). */
const STEPS: Step[] = ['A', 'B', 'returned', 'A', 'submitted', 'draft', 'C', 'A', 'B'];
/** Not started: the last two material standards. */
const NOT_STARTED = 2;

interface MaterialStandard {
  key: string;
  code: string;
  text: string;
  evidence: string[] | null;
  lead_unit_id: number | null;
  lead_name: string | null;
}

/**
 * Seeds this year's dossiers of the demo city framework (see above), once: nothing happens when
 * any dossier of the framework exists. Returns how many dossiers were started.
 */
export async function seedDemoMaterials(
  database: Database,
  storage: FileStorage,
  now = new Date(),
): Promise<number> {
  const office = await demoActor(database, 'office');
  const liaison = await demoActor(database, 'unit');
  if (!office) return 0;
  const [fw] = await execRows<{
    framework_id: number;
    version_id: number;
    campaign_id: number;
    cycle_start_year: number;
    cycle_years: number;
    dossiers: number;
  }>(
    database.db,
    sql`select f.id as framework_id, v.id as version_id, c.id as campaign_id,
               c.cycle_start_year, c.cycle_years,
               (select count(*)::int from evidence_dossiers d where d.framework_id = f.id) as dossiers
          from campaigns c join frameworks f on f.campaign_id = c.id
          join framework_versions v on v.framework_id = f.id and v.status = 'published'
         where c.name = ${DEMO_CAMPAIGN.name} order by f.position, f.id limit 1`,
  );
  if (!fw || fw.dossiers > 0) return 0;
  const year = Math.min(
    fw.cycle_start_year + fw.cycle_years - 1,
    Math.max(fw.cycle_start_year, Number(shanghaiDate(now).slice(0, 4))),
  );
  const standards = await execRows<MaterialStandard>(
    database.db,
    sql`select n.key, n.code, n.text, n.evidence, a.lead_unit_id, u.name as lead_name
          from framework_nodes n
          left join assignments a on a.standard_id = n.id
          left join units u on u.id = a.lead_unit_id
         where n.version_id = ${fw.version_id} and n.kind = 'standard' and n.method = 'material'
         order by n.code`,
  );
  const { rules } = await getEvidenceSettings(database, office, fw.campaign_id);
  const w = evidenceWindow(rules, year);
  const lastDay = [w.to, shanghaiDate(now)].sort()[0]!;
  const seen = new Set<string>();
  let n = 0;
  for (const [i, s] of standards.entries()) {
    if (seen.has(s.key)) continue; // a standard with several lead units: one dossier
    seen.add(s.key);
    const step: Step = i >= standards.length - NOT_STARTED ? 'none' : STEPS[i % STEPS.length]!;
    if (step === 'none') continue;
    const by: Actor = liaison && liaison.unitId === s.lead_unit_id ? liaison : office;
    const key = { frameworkId: fw.framework_id, year, standardKey: s.key };
    const names = (s.evidence?.length ? s.evidence : ['工作方案', '工作总结']).slice(0, 2);
    let d = null as Awaited<ReturnType<typeof addEvidenceFile>>['dossier'] | null;
    for (const [k, name] of names.entries()) {
      // Spread over the window, never after today.
      const docDate = [addMonths(w.from, 2 + ((i * 3 + k * 4) % 9)), lastDay].sort()[0]!;
      ({ dossier: d } = await addEvidenceFile(
        database,
        storage,
        by,
        key,
        { data: minimalPdf(`demo ${s.code} ${k + 1}`), filename: `${s.code}-${name}.pdf` },
        { docDate, title: `${name}（${s.code}）` },
      ));
    }
    d = await putStatement(database, by, key, {
      statement:
        by === office
          ? `${s.lead_name ?? '牵头单位'}线下报送，市文明办代为上传：${s.text}。`
          : `${s.text}：按测评要求整理佐证材料，见附件。`,
      version: d!.version,
    });
    n++;
    if (step === 'draft') continue;
    d = await submitDossier(database, by, key, d.version);
    if (step === 'submitted') continue;
    await reviewDossier(
      database,
      office,
      key,
      step === 'returned'
        ? {
            action: 'return',
            comment: '佐证材料缺少活动现场图片和签到表，请补充后重新提交。',
            version: d.version,
          }
        : { action: 'approve', grade: step, comment: '材料齐全', version: d.version },
    );
  }
  return n;
}
