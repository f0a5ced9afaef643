import type { z } from 'zod';
import type { TDossier, ZReviewDossierSchema } from '../../../core/contracts/evidence.js';
import { evidenceWindow, inWindow } from '../../../core/frameworks/evidence.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx, Tx } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import type { FileStorage } from '../../platform/storage.js';
import { withTx } from '../../platform/tx.js';
import { uploadDocument } from '../files/documents.js';
import * as filesRepo from '../files/files.repo.js';
import {
  sniffMedia,
  uploadBytes,
  uploadMedia,
  uploadPoster,
  type IncomingUpload,
} from '../files/media.js';
import {
  editable,
  isOffice,
  leads,
  notFound,
  stale,
  standardFor,
  worksOn,
  wrongState,
} from './evidence-access.js';
import { getDossier } from './evidence.service.js';
import * as repo from './evidence.repo.js';

// Writes to a dossier (档案资料): files in and out, the statement, submission and review. Each is
// one transaction with its timeline event and audit record, and answers with the dossier.

/** A write's two records, in its transaction: the dossier's timeline event and the audit record. */
async function record(
  tx: Tx,
  actor: Actor,
  dossierId: number,
  action: repo.EventRow['action'],
  change: { before?: unknown; after?: unknown },
  extra: { grade?: string | null; comment?: string | null } = {},
) {
  await repo.insertEvent(tx, {
    dossierId,
    action,
    grade: extra.grade ?? null,
    comment: extra.comment ?? null,
    actorId: actor.id,
    actorName: actor.name,
  });
  await writeAudit(tx, actor, {
    action: `evidence.${action}`,
    entityType: 'evidence_dossier',
    entityId: String(dossierId),
    ...change,
  });
}

const MAX_FILES = 30;

/** Which dossier: a material standard of a framework, in a cycle year. */
type DossierKey = { frameworkId: number; year: number; standardKey: string };

/** Only the lead unit (or the office) may take this step: 403 with `msg` otherwise. */
function requireLead(
  actor: Actor,
  standard: repo.MaterialStandard,
  msg: { zh: string; en: string },
) {
  if (!isOffice(actor) && !leads(actor, standard)) throw new AppError('forbidden', 403, msg);
}

/** A poster frame belongs to a video only. */
const notVideo = () =>
  new AppError('not_a_video', 400, {
    zh: '只有视频可以设置封面',
    en: 'only a video can have a poster frame',
  });

/** The name a poster is stored under: the video's, marked as its poster. */
const posterName = (videoName: string) => `${videoName.slice(0, 180)}.poster.jpg`;

/**
 * Stores an evidence file: audio/video (by its bytes) streamed to storage up to the media limit;
 * anything else read whole (up to the document limit) and checked as a document or image. A
 * video's poster frame, when sent with it, is checked and stored first, then linked to it.
 */
async function storeUpload(
  database: Database,
  storage: FileStorage,
  actor: Actor,
  upload: { data: Buffer; filename: string } | IncomingUpload,
  limits: { documentBytes: number; mediaBytes: number },
  poster: Buffer | undefined,
) {
  const media = 'data' in upload ? null : sniffMedia(upload.head);
  if (poster && !media?.mime.startsWith('video/')) throw notVideo();
  if ('data' in upload) return uploadDocument(database, storage, actor, upload);
  if (media) {
    const frame = poster
      ? await uploadPoster(database, storage, actor, {
          data: poster,
          filename: posterName(upload.filename),
        })
      : null;
    const posterFileId = frame?.id ?? null;
    const file = await uploadMedia(database, storage, actor, upload, media, limits.mediaBytes, {
      posterFileId,
    });
    return { ...file, posterFileId };
  }
  const data = await uploadBytes(upload, limits.documentBytes);
  try {
    return await uploadDocument(database, storage, actor, { data, filename: upload.filename });
  } catch (err) {
    // Archive materials also take audio and video: say so.
    if (err instanceof AppError && err.code === 'not_a_document') {
      throw new AppError('not_a_document', 415, {
        zh: '只能上传 PDF、Word、Excel、PowerPoint 文件、图片或音视频（MP4、M4A、MP3）',
        en: 'only PDF, Word, Excel, PowerPoint files, images or audio/video (MP4, M4A, MP3) can be uploaded',
      });
    }
    throw err;
  }
}

/**
 * A unit working on the standard (or the office) adds a file, dated within the window; a video
 * may come with its poster frame (an image the uploader's browser drew from it).
 */
export async function addEvidenceFile(
  database: Database,
  storage: FileStorage,
  actor: Actor,
  p: DossierKey,
  upload: { data: Buffer; filename: string } | IncomingUpload,
  fields: { docDate: string; title?: string | undefined; poster?: Buffer | undefined },
  limits: { documentBytes: number; mediaBytes: number } = {
    documentBytes: Number.MAX_SAFE_INTEGER,
    mediaBytes: Number.MAX_SAFE_INTEGER,
  },
): Promise<{ dossier: TDossier; evidenceFileId: number }> {
  const { standard, rules } = await standardFor(database.db, actor, p.frameworkId, p.standardKey);
  if (!isOffice(actor) && !worksOn(actor, standard)) {
    throw notFound('测评标准 / standard');
  }
  const w = evidenceWindow(rules, p.year);
  if (!inWindow(w, fields.docDate)) {
    throw new AppError(
      'outside_window',
      400,
      {
        zh: `文件日期 ${fields.docDate} 不在 ${p.year} 年度的材料有效期内（${w.from} 至 ${w.to}，测评日期 ${w.testDate}）`,
        en: `the document's date ${fields.docDate} is outside the ${p.year} evidence window (${w.from} to ${w.to}; test date ${w.testDate})`,
      },
      { fields: [{ path: 'body.docDate', message: `${w.from} – ${w.to}` }] },
    );
  }
  const existing = await repo.findDossier(database.db, p.frameworkId, p.year, p.standardKey);
  if (existing && !editable(existing)) throw wrongState(existing.state, '上传文件', 'add files to');
  // Stored before the transaction (the bytes are checked there); a refused write leaves an
  // unattached file, which only its uploader can see.
  const file = await storeUpload(database, storage, actor, upload, limits, fields.poster);
  const evidenceFileId = await withTx(database, async (tx) => {
    const d = await repo.ensureDossier(tx, p.frameworkId, p.year, p.standardKey);
    if (!editable(d)) throw wrongState(d.state, '上传文件', 'add files to');
    if ((await repo.liveFileCount(tx, d.id)) >= MAX_FILES) {
      throw new AppError('too_many_files', 400, {
        zh: `每项标准最多 ${MAX_FILES} 个文件`,
        en: `at most ${MAX_FILES} files per standard`,
      });
    }
    const title = (fields.title ?? upload.filename).slice(0, 200);
    const id = await repo.insertEvidenceFile(tx, {
      dossierId: d.id,
      fileId: file.id,
      unitId: actor.unitId,
      title,
      docDate: fields.docDate,
      uploadedBy: actor.id,
    });
    await repo.updateDossier(tx, d.id, { version: d.version + 1, updatedAt: new Date() });
    await record(
      tx,
      actor,
      d.id,
      'upload',
      {
        after: {
          fileId: file.id,
          title,
          docDate: fields.docDate,
          standardKey: p.standardKey,
          ...('posterFileId' in file && file.posterFileId
            ? { posterFileId: file.posterFileId }
            : {}),
        },
      },
      { comment: title },
    );
    return id;
  });
  return {
    dossier: await getDossier(database, actor, p.frameworkId, p.year, p.standardKey),
    evidenceFileId,
  };
}

/**
 * Sets or replaces a video's poster frame with an image (JPEG or PNG, checked as photos are):
 * the office at any time (a poster changes no evidence), the lead unit or the file's own unit
 * while the dossier can be edited — as for removing the file. The old poster stays stored,
 * unlinked. Answers with the dossier.
 */
export async function setEvidencePoster(
  database: Database,
  storage: FileStorage,
  actor: Actor,
  p: DossierKey,
  evidenceFileId: number,
  image: { data: Buffer; filename: string },
): Promise<TDossier> {
  const { standard } = await standardFor(database.db, actor, p.frameworkId, p.standardKey);
  const office = isOffice(actor);
  /** The file, when the actor may give it a poster now (else the refusal). */
  const check = async (d: repo.DossierRow | undefined, db: DbOrTx) => {
    if (!d) throw notFound('文件 / file');
    const ef = await repo.findLiveFile(db, evidenceFileId, d.id);
    if (!ef) throw notFound('文件 / file');
    if (!office && !leads(actor, standard) && ef.unitId !== actor.unitId) {
      throw notFound('文件 / file');
    }
    if (!office && !editable(d)) throw wrongState(d.state, '更换封面', 'change a poster in');
    const f = await filesRepo.findFile(db, ef.fileId);
    if (!f?.mime.startsWith('video/')) throw notVideo();
    return { ef, f };
  };
  const before = await check(
    await repo.findDossier(database.db, p.frameworkId, p.year, p.standardKey),
    database.db,
  );
  // Checked and stored before the transaction, as uploads are.
  const poster = await uploadPoster(database, storage, actor, {
    data: image.data,
    filename: posterName(before.f.originalName ?? before.ef.title),
  });
  await withTx(database, async (tx) => {
    const d = await repo.lockDossier(tx, p.frameworkId, p.year, p.standardKey);
    const { ef, f } = await check(d, tx);
    await filesRepo.setPoster(tx, f.id, poster.id);
    await record(
      tx,
      actor,
      d!.id,
      'poster',
      {
        before: { fileId: f.id, posterFileId: f.posterFileId },
        after: { fileId: f.id, posterFileId: poster.id },
      },
      { comment: ef.title },
    );
  });
  return getDossier(database, actor, p.frameworkId, p.year, p.standardKey);
}

/** Removes a file while the dossier can still be edited (kept in the record as removed). */
export async function removeEvidenceFile(
  database: Database,
  actor: Actor,
  p: DossierKey,
  evidenceFileId: number,
): Promise<TDossier> {
  const { standard } = await standardFor(database.db, actor, p.frameworkId, p.standardKey);
  await withTx(database, async (tx) => {
    const d = await repo.lockDossier(tx, p.frameworkId, p.year, p.standardKey);
    if (!d) throw notFound('文件 / file');
    const f = await repo.findLiveFile(tx, evidenceFileId, d.id);
    if (!f) throw notFound('文件 / file');
    if (!isOffice(actor) && !leads(actor, standard) && f.unitId !== actor.unitId)
      throw notFound('文件 / file');
    if (!editable(d)) throw wrongState(d.state, '删除文件', 'remove files from');
    await repo.markFileRemoved(tx, f.id);
    await repo.updateDossier(tx, d.id, { version: d.version + 1, updatedAt: new Date() });
    await record(
      tx,
      actor,
      d.id,
      'remove',
      { before: { fileId: f.fileId, title: f.title } },
      { comment: f.title },
    );
  });
  return getDossier(database, actor, p.frameworkId, p.year, p.standardKey);
}

/** The lead unit (or the office) writes the statement (申报说明, ≤ 500 characters). */
export async function putStatement(
  database: Database,
  actor: Actor,
  p: DossierKey,
  input: { statement: string; version: number },
): Promise<TDossier> {
  const { standard } = await standardFor(database.db, actor, p.frameworkId, p.standardKey);
  requireLead(actor, standard, {
    zh: '申报说明由牵头单位填写',
    en: 'the lead unit writes the statement',
  });
  await withTx(database, async (tx) => {
    const d = await repo.ensureDossier(tx, p.frameworkId, p.year, p.standardKey);
    // Version 0: the dossier did not exist yet (ensureDossier has just made it, at 1).
    if (d.version !== Math.max(1, input.version)) throw stale();
    if (!editable(d)) throw wrongState(d.state, '修改申报说明', 'change the statement of');
    await repo.updateDossier(tx, d.id, {
      statement: input.statement,
      version: d.version + 1,
      updatedAt: new Date(),
    });
    await record(tx, actor, d.id, 'statement', {
      before: { statement: d.statement },
      after: { statement: input.statement },
    });
  });
  return getDossier(database, actor, p.frameworkId, p.year, p.standardKey);
}

/** The lead unit submits the dossier for review: files present, statement written, all in window. */
export async function submitDossier(
  database: Database,
  actor: Actor,
  p: DossierKey,
  version: number,
): Promise<TDossier> {
  const { standard, rules } = await standardFor(database.db, actor, p.frameworkId, p.standardKey);
  requireLead(actor, standard, {
    zh: '由牵头单位提交审核',
    en: 'the lead unit submits the dossier',
  });
  const w = evidenceWindow(rules, p.year);
  await withTx(database, async (tx) => {
    const d = await repo.lockDossier(tx, p.frameworkId, p.year, p.standardKey);
    if (!d) throw notFound('档案资料 / dossier');
    if (d.version !== version) throw stale();
    if (!editable(d)) throw wrongState(d.state, '提交', 'submit');
    const fileRows = await repo.dossierFiles(tx, d.id);
    if (!fileRows.length) {
      throw new AppError('no_files', 400, {
        zh: '请先上传佐证材料',
        en: 'upload the supporting files first',
      });
    }
    if (!d.statement.trim()) {
      throw new AppError('no_statement', 400, {
        zh: '请先填写申报说明（不超过 500 字）',
        en: 'write the statement first (at most 500 characters)',
      });
    }
    const outside = fileRows.filter(({ ef }) => !inWindow(w, ef.docDate));
    if (outside.length) {
      const list = outside.map(({ ef }) => `${ef.title}（${ef.docDate}）`).join('、');
      throw new AppError('outside_window', 400, {
        zh: `以下文件不在材料有效期内（${w.from} 至 ${w.to}）：${list}`,
        en: `these files are outside the evidence window (${w.from} to ${w.to}): ${list}`,
      });
    }
    const now = new Date();
    await repo.updateDossier(tx, d.id, {
      state: 'submitted',
      submittedAt: now,
      submittedBy: actor.id,
      version: d.version + 1,
      updatedAt: now,
    });
    await record(tx, actor, d.id, 'submit', {
      before: { state: d.state },
      after: { state: 'submitted' },
    });
  });
  return getDossier(database, actor, p.frameworkId, p.year, p.standardKey);
}

/** The office returns a dossier with a comment, or approves it with a grade (A–D). */
export async function reviewDossier(
  database: Database,
  actor: Actor,
  p: DossierKey,
  input: z.infer<typeof ZReviewDossierSchema>,
): Promise<TDossier> {
  requirePermission(actor, Permission.FrameworkWrite);
  await standardFor(database.db, actor, p.frameworkId, p.standardKey);
  await withTx(database, async (tx) => {
    const d = await repo.lockDossier(tx, p.frameworkId, p.year, p.standardKey);
    if (!d) throw notFound('档案资料 / dossier');
    if (d.version !== input.version) throw stale();
    const allowed = input.action === 'return' ? ['submitted', 'approved'] : ['submitted'];
    if (!allowed.includes(d.state)) {
      throw input.action === 'return'
        ? wrongState(d.state, '退回', 'return')
        : wrongState(d.state, '审核通过', 'approve');
    }
    const now = new Date();
    const approve = input.action === 'approve';
    await repo.updateDossier(tx, d.id, {
      state: approve ? 'approved' : 'returned',
      grade: approve ? input.grade! : null,
      reviewComment: input.comment ?? null,
      reviewedAt: now,
      reviewedBy: actor.id,
      returnCount: approve ? d.returnCount : d.returnCount + 1,
      version: d.version + 1,
      updatedAt: now,
    });
    await record(
      tx,
      actor,
      d.id,
      input.action,
      {
        before: { state: d.state, grade: d.grade },
        after: { state: approve ? 'approved' : 'returned', grade: input.grade ?? null },
      },
      { grade: approve ? input.grade! : null, comment: input.comment ?? null },
    );
  });
  return getDossier(database, actor, p.frameworkId, p.year, p.standardKey);
}
