import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { problemEvents, problems } from './problems.js';
import { users } from './org.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/** An uploaded image: re-encoded, thumbnailed, with the EXIF time and position kept as evidence. */
export const files = pgTable(
  'files',
  {
    id: uuid('id').primaryKey(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    width: integer('width'),
    height: integer('height'),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    thumbKey: text('thumb_key'),
    originalName: text('original_name'),
    exifTakenAt: ts('exif_taken_at'),
    exifLat: doublePrecision('exif_lat'),
    exifLng: doublePrecision('exif_lng'),
    /** Audio and video: the length read from the MP4 `mvhd` box (null: unknown, or MP3). */
    durationMs: integer('duration_ms'),
    /**
     * A video's poster frame: an image file (re-encoded, thumbnailed) made by the uploader's
     * browser or chosen later; replaced by pointing at a new one, so its URL changes with it.
     */
    posterFileId: uuid('poster_file_id').references((): AnyPgColumn => files.id, {
      onDelete: 'set null',
    }),
    uploadedBy: integer('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('files_uploaded_by_idx').on(t.uploadedBy),
    // The access check looks a poster's video up by it.
    index('files_poster_file_idx')
      .on(t.posterFileId)
      .where(sql`${t.posterFileId} is not null`),
  ],
);

/** Photos of a problem: before (intake), after (the unit's rectification), verify (回头看). */
export const problemPhotos = pgTable(
  'problem_photos',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    problemId: bigint('problem_id', { mode: 'number' })
      .notNull()
      .references(() => problems.id, { onDelete: 'cascade' }),
    fileId: uuid('file_id')
      .notNull()
      .references(() => files.id, { onDelete: 'restrict' }),
    stage: text('stage', { enum: ['before', 'after', 'verify'] }).notNull(),
    eventId: bigint('event_id', { mode: 'number' }).references(() => problemEvents.id, {
      onDelete: 'set null',
    }),
    createdAt: ts('created_at').notNull().defaultNow(),
    /**
     * A link to a photo another problem holds (a merged duplicate's before-photos shown in the
     * primary's gallery). Every other row is the photo's one attachment: the unique index below
     * makes two problems claiming the same upload at the same moment impossible.
     */
    linked: boolean('linked').notNull().default(false),
  },
  (t) => [
    index('problem_photos_problem_idx').on(t.problemId),
    uniqueIndex('problem_photos_file_attached_uq')
      .on(t.fileId)
      .where(sql`not ${t.linked}`),
  ],
);
