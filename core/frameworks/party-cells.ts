import { splitPartyCell, type PartyRef } from '../org/parties.js';
import type { AssignmentData } from './data.js';
import type { SheetRowIn } from './sheet.js';

/**
 * 集体责任方 in a 任务分解表's unit cells, read before the sheet parser sees them: a lead written as
 * a group (各区县) becomes one row per member unit — each member leads its own assignment and sees
 * the task — and an outside party (各物业公司) becomes its contact unit; a group or outside party
 * among the 责任单位 becomes its units. Names a unit answers to are left as they are (a unit wins
 * over a party of the same name). What was a party is remembered per row, so the assignments keep
 * it and the export writes the sheet's words back.
 */

export interface PartyCells {
  rows: SheetRowIn[];
  /** `${row}|${leadUnitId}` → the party the row's lead cell named. */
  leadParty: Map<string, number>;
  /** Row → the parties its 责任单位 cell named. */
  responsibleParties: Map<number, number[]>;
  /** Party → the rows that named it. */
  used: Map<number, number[]>;
}

export function expandPartyCells(
  rows: readonly SheetRowIn[],
  names: {
    /** True when a unit answers to the name (or several do: the parser reports that). */
    isUnit: (name: string) => boolean;
    party: (name: string) => PartyRef | null;
    unitName: (id: number) => string | undefined;
  },
): PartyCells {
  const out: SheetRowIn[] = [];
  const leadParty = new Map<string, number>();
  const responsibleParties = new Map<number, number[]>();
  const used = new Map<number, number[]>();
  const use = (p: PartyRef, row: number) => {
    const list = used.get(p.id) ?? [];
    if (!list.includes(row)) list.push(row);
    used.set(p.id, list);
  };
  /** The units a party stands for: a group's members, an outside party's contact unit. */
  const unitsOf = (p: PartyRef) =>
    (p.kind === 'group' ? p.memberIds : p.contactUnitId ? [p.contactUnitId] : []).flatMap((id) => {
      const n = names.unitName(id);
      return n ? [{ id, name: n }] : [];
    });
  const partyOf = (name: string) => (names.isUnit(name) ? null : names.party(name));

  for (const r of rows) {
    const v = r.values;
    // 责任单位: parties become their units' names.
    const responsible: string[] = [];
    const rParties: number[] = [];
    for (const name of splitPartyCell(v.responsible)) {
      const p = partyOf(name);
      const units = p ? unitsOf(p) : [];
      if (!p || units.length === 0) {
        responsible.push(name);
        continue;
      }
      use(p, r.row);
      rParties.push(p.id);
      responsible.push(...units.map((u) => u.name));
    }
    if (rParties.length) responsibleParties.set(r.row, rParties);
    const values = rParties.length ? { ...v, responsible: responsible.join('、') } : v;

    // 牵头单位: one party alone in the cell becomes one row per unit it stands for.
    const leads = splitPartyCell(v.lead);
    const lp = leads.length === 1 ? partyOf(leads[0]!) : null;
    const leadUnits = lp ? unitsOf(lp) : [];
    if (!lp || leadUnits.length === 0) {
      out.push(values === v ? r : { ...r, values });
      continue;
    }
    use(lp, r.row);
    for (const u of leadUnits) {
      leadParty.set(`${r.row}|${u.id}`, lp.id);
      out.push({ ...r, values: { ...values, lead: u.name } });
    }
  }
  return { rows: out, leadParty, responsibleParties, used };
}

/** The parsed assignments with the parties their rows named. */
export function withParties(assignments: AssignmentData[], cells: PartyCells): AssignmentData[] {
  return assignments.map((a) => {
    const lead = cells.leadParty.get(`${a.row}|${a.leadUnitId}`) ?? null;
    const named = cells.responsibleParties.get(a.row) ?? [];
    return lead === null && named.length === 0 ? a : { ...a, leadPartyId: lead, partyIds: named };
  });
}
