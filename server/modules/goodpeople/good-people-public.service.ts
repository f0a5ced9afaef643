import { createHash } from 'node:crypto';
import type {
  TPublicBoard,
  TPublicGoodPeopleSetup,
  TPublicNomination,
  TPublicVoting,
} from '../../../core/contracts/good-people.js';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import { monthOf } from '../../../core/good-people/months.js';
import type { Config } from '../../config.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { SYSTEM_ACTOR, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { takeRateLimits } from '../../platform/rate-limit.js';
import type { FileStorage } from '../../platform/storage.js';
import { withTx } from '../../platform/tx.js';
import { uploadImage } from '../files/files.service.js';
import { presentPublic } from './good-people.present.js';
import * as repo from './good-people.repo.js';
import { monthNotCollecting } from './good-people.service.js';

// The public side of 身边好人 (no sign-in): the form, the 好人榜, the vote. What it answers leaves
// out every nominator (a citizen's name and phone stay with the office) and every voter; votes
// leave the database only as counts. Abuse control as the 随手拍 channel's: counters per address
// and per device in the database (platform/rate-limit.ts), a honeypot field, and one vote per
// device per nominee per Beijing day (a unique key).

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Who a citizen's nomination is filed as (in the audit log). */
const CITIZEN_ACTOR: Actor = { ...SYSTEM_ACTOR, username: 'citizen', name: '群众推荐', roles: [] };

/** A voter's key: the device id, hashed (the raw id is never stored). */
const voterKey = (deviceId: string) =>
  createHash('sha256').update(`good-people:${deviceId}`).digest('hex');

/** What the public form needs: this month, whether it takes nominations, the places to pick. */
export async function publicSetup(database: Database): Promise<TPublicGoodPeopleSetup> {
  const month = monthOf(new Date());
  const state = (await repo.findMonth(database.db, month))?.state ?? 'collecting';
  return {
    month,
    nominationsOpen: state === 'collecting',
    regions: await repo.publicRegions(database.db),
  };
}

/** Counted before the form is read: a flood costs a counter, not a photo decode. */
export async function limitNominations(database: Database, config: Config, ip: string) {
  await takeRateLimits(database, [
    { key: `goodpeople:nominate:ip:${ip}`, limit: config.citizenReportsPerIpHour, windowMs: HOUR },
  ]);
}

/** A citizen's nomination for this month (photo optional). */
export async function publicNominate(
  database: Database,
  config: Config,
  storage: FileStorage,
  input: TPublicNomination,
  photos: { data: Buffer; filename: string }[],
  ip: string | null,
): Promise<{ month: string; receivedAt: string }> {
  if (input.website) {
    throw new AppError('invalid', 400, { zh: '提交无效', en: 'the submission was refused' });
  }
  if (photos.length > 1) {
    throw errors.invalid({ zh: '最多上传 1 张照片', en: 'at most 1 photo' });
  }
  if (input.deviceId) {
    await takeRateLimits(database, [
      {
        key: `goodpeople:nominate:device:${input.deviceId}`,
        limit: config.citizenReportsPerDeviceHour,
        windowMs: HOUR,
      },
    ]);
  }
  const now = new Date();
  const month = monthOf(now);
  const state = (await repo.findMonth(database.db, month))?.state ?? 'collecting';
  if (state !== 'collecting') throw monthNotCollecting(month, state);
  if (!(await repo.regionExists(database.db, input.regionId))) {
    throw errors.invalid({ zh: '请选择被推荐人所在地', en: 'choose where the nominee lives' }, [
      { path: 'regionId', message: '所在地不存在 / no such place' },
    ]);
  }
  const actor: Actor = { ...CITIZEN_ACTOR, ip };
  const photo = photos[0]
    ? await uploadImage(database, storage, actor, photos[0], { anonymous: true })
    : null;
  await withTx(database, async (tx) => {
    const values: repo.NominationInsert = {
      month,
      category: input.category,
      nomineeName: input.nomineeName,
      deeds: input.deeds,
      regionId: input.regionId,
      photoFileId: photo?.id ?? null,
      source: 'citizen',
      citizenName: input.nominatorName,
      citizenPhone: input.nominatorPhone,
      citizenDeviceId: input.deviceId ?? null,
      citizenIp: ip,
      createdAt: now,
    };
    const id = await repo.insertNomination(tx, values);
    // The audit keeps what was filed, not who filed it (the row has that, for the office).
    await writeAudit(tx, actor, {
      action: 'goodperson.nominate',
      entityType: 'good_person_nomination',
      entityId: id,
      after: { month, category: input.category, nomineeName: input.nomineeName, source: 'citizen' },
    });
  });
  return { month, receivedAt: now.toISOString() };
}

async function presentAll(db: DbOrTx, rows: repo.NominationRow[]) {
  const ids = rows.map((r) => r.id);
  const [votes, steps] = await Promise.all([repo.voteCounts(db, ids), repo.stepsOf(db, ids)]);
  return rows.map((r) =>
    presentPublic(r, { votes: votes.get(r.id) ?? 0, steps: steps.get(r.id) ?? [] }),
  );
}

/** The 好人榜 of a published month (the latest when none is asked for), by rank. */
export async function publicBoard(database: Database, asked?: string): Promise<TPublicBoard> {
  const db = database.db;
  const months = await repo.publishedMonths(db);
  const month = asked ?? months[0] ?? null;
  if (month === null || !months.includes(month))
    return { month: asked ?? null, months, honoured: [] };
  return {
    month,
    months,
    honoured: await presentAll(db, await repo.nominationsOfMonth(db, month, 'honoured')),
  };
}

/** The shortlist of the month whose vote is open, with the votes so far. */
export async function publicVoting(database: Database): Promise<TPublicVoting> {
  const db = database.db;
  const [month] = await repo.votingMonths(db);
  if (!month) return { month: null, candidates: [] };
  return {
    month,
    candidates: await presentAll(db, await repo.nominationsOfMonth(db, month, 'shortlisted')),
  };
}

const votingClosed = () =>
  new AppError('voting_closed', 409, {
    zh: '该人选目前不在投票中（投票未开放或已截止）',
    en: 'this person is not up for a vote (the vote is not open, or has closed)',
  });

/**
 * A public vote: counted per address and per device for the day before anything is looked up,
 * then one per device per nominee per Beijing day (a second one: 409), only while the month's vote
 * is open and the nominee on its shortlist.
 */
export async function vote(
  database: Database,
  config: Config,
  id: number,
  deviceId: string,
  ip: string,
): Promise<{ voteCount: number }> {
  await takeRateLimits(database, [
    { key: `goodpeople:vote:ip:${ip}`, limit: config.goodPeopleVotesPerIpDay, windowMs: DAY },
    {
      key: `goodpeople:vote:device:${deviceId}`,
      limit: config.goodPeopleVotesPerDeviceDay,
      windowMs: DAY,
    },
  ]);
  const db = database.db;
  const r = await repo.findNomination(db, id);
  if (!r) throw errors.notFound('good_person_nomination', id);
  const state = (await repo.findMonth(db, r.month))?.state;
  if (state !== 'voting' || r.status !== 'shortlisted') throw votingClosed();
  const counted = await withTx(database, (tx) =>
    repo.insertVote(tx, {
      nominationId: id,
      voterKey: voterKey(deviceId),
      day: shanghaiDate(new Date()),
    }),
  );
  if (!counted) {
    throw new AppError('already_voted', 409, {
      zh: `今天已为“${r.nomineeName}”投过票，请明天再来`,
      en: `you have already voted for ${r.nomineeName} today; come back tomorrow`,
    });
  }
  return { voteCount: (await repo.voteCounts(db, [id])).get(id) ?? 0 };
}

/** A nominee's photo, while the nominee is public (on a vote's shortlist or a list). */
export async function publicPhoto(
  database: Database,
  storage: FileStorage,
  id: number,
  thumb: boolean,
): Promise<{ data: Buffer; mime: string }> {
  const db = database.db;
  const r = await repo.findNomination(db, id);
  const state = r ? (await repo.findMonth(db, r.month))?.state : undefined;
  const shown =
    r?.photoFileId &&
    ((r.status === 'shortlisted' && (state === 'voting' || state === 'closed')) ||
      (r.status === 'honoured' && state === 'published'));
  const f = shown ? await repo.photoFile(db, r.photoFileId!) : undefined;
  const data = f ? await storage.get(thumb && f.thumbKey ? f.thumbKey : f.storageKey) : null;
  if (!f || !data) throw errors.notFound('file');
  return { data, mime: f.mime };
}
