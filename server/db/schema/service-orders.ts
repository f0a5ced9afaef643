import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { files } from './files.js';
import { users } from './org.js';
import { practicePlaces, volunteers, volunteerTeams } from './volunteers.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

const CATEGORIES = [
  'elderly',
  'disabled',
  'environment',
  'culture',
  'legal',
  'medical',
  'other',
] as const;

/**
 * 服务菜单: a service a practice station (实践中心/所/站) offers residents, and the teams able to
 * serve it (`service_item_teams`). Withdrawn (`active` false) rather than deleted: orders name it.
 */
export const serviceItems = pgTable(
  'service_items',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    placeId: integer('place_id')
      .notNull()
      .references(() => practicePlaces.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    category: text('category', { enum: CATEGORIES }).notNull(),
    description: text('description'),
    /** Volunteers an order of it needs by default (the station may change it at dispatch). */
    volunteersNeeded: integer('volunteers_needed').notNull().default(1),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('service_items_place_name_uq').on(t.placeId, t.name)],
);

/** The teams that can serve a menu item (an order is dispatched to one of them). */
export const serviceItemTeams = pgTable(
  'service_item_teams',
  {
    itemId: integer('item_id')
      .notNull()
      .references(() => serviceItems.id, { onDelete: 'cascade' }),
    teamId: integer('team_id')
      .notNull()
      .references(() => volunteerTeams.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.teamId] })],
);

/**
 * 点单: a resident's order of a menu item (the public form, tracked by an unguessable code) or one
 * a grid worker placed on their behalf (`clientId`: a phone's retry is the same order). Each step's
 * time is kept on the row (the station's record reads them); the steps themselves, with who took
 * them, are `service_order_events`. The requester's contact is kept in full and shown masked.
 */
export const serviceOrders = pgTable(
  'service_orders',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    trackingCode: text('tracking_code').notNull(),
    clientId: uuid('client_id'),
    channel: text('channel', { enum: ['public', 'staff'] }).notNull(),
    placeId: integer('place_id')
      .notNull()
      .references(() => practicePlaces.id, { onDelete: 'restrict' }),
    itemId: integer('item_id')
      .notNull()
      .references(() => serviceItems.id, { onDelete: 'restrict' }),
    need: text('need').notNull(),
    preferredTime: text('preferred_time'),
    address: text('address').notNull(),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    contactName: text('contact_name').notNull(),
    contactPhone: text('contact_phone').notNull(),
    /** The staff user who ordered on the resident's behalf (null: the public form). */
    orderedBy: integer('ordered_by').references(() => users.id, { onDelete: 'set null' }),
    deviceId: text('device_id'),
    ip: text('ip'),
    state: text('state', {
      enum: [
        'ordered',
        'dispatched',
        'taken',
        'on_site',
        'done',
        'confirmed',
        'declined',
        'cancelled',
      ],
    })
      .notNull()
      .default('ordered'),
    teamId: integer('team_id').references(() => volunteerTeams.id, { onDelete: 'set null' }),
    deadline: ts('deadline'),
    volunteersNeeded: integer('volunteers_needed').notNull().default(1),
    orderedAt: ts('ordered_at').notNull().defaultNow(),
    dispatchedAt: ts('dispatched_at'),
    takenAt: ts('taken_at'),
    onSiteAt: ts('on_site_at'),
    doneAt: ts('done_at'),
    confirmedAt: ts('confirmed_at'),
    declinedAt: ts('declined_at'),
    declineReason: text('decline_reason'),
    /** 撤销: the requester withdrew it (before anyone was on site), with their reason if given. */
    cancelledAt: ts('cancelled_at'),
    cancelReason: text('cancel_reason'),
    doneNote: text('done_note'),
    /** The requester's verdict (null: confirmed by the station for them). */
    satisfied: boolean('satisfied'),
    comment: text('comment'),
    confirmedBy: text('confirmed_by', { enum: ['requester', 'station'] }),
    confirmReason: text('confirm_reason'),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('service_orders_tracking_uq').on(t.trackingCode),
    uniqueIndex('service_orders_client_uq').on(t.clientId),
    index('service_orders_place_idx').on(t.placeId, t.state, t.id),
    index('service_orders_team_idx').on(t.teamId, t.state),
    index('service_orders_by_idx').on(t.orderedBy),
    index('service_orders_ordered_idx').on(t.orderedAt),
  ],
);

/** A seat on an order: the volunteer who took it (released seats are removed; the audit keeps them). */
export const serviceOrderTakers = pgTable(
  'service_order_takers',
  {
    orderId: bigint('order_id', { mode: 'number' })
      .notNull()
      .references(() => serviceOrders.id, { onDelete: 'cascade' }),
    volunteerId: integer('volunteer_id')
      .notNull()
      .references(() => volunteers.id, { onDelete: 'cascade' }),
    takenAt: ts('taken_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.volunteerId] }),
    index('service_order_takers_volunteer_idx').on(t.volunteerId),
  ],
);

/** The steps of an order as they happened: the tracking page's timeline and the staff's history. */
export const serviceOrderEvents = pgTable(
  'service_order_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    orderId: bigint('order_id', { mode: 'number' })
      .notNull()
      .references(() => serviceOrders.id, { onDelete: 'cascade' }),
    action: text('action').notNull(),
    at: ts('at').notNull().defaultNow(),
    actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
    volunteerId: integer('volunteer_id').references(() => volunteers.id, { onDelete: 'set null' }),
    note: text('note'),
    /** What else the step carried: the team and deadline, a position and distance, a client id. */
    data: jsonb('data'),
  },
  (t) => [index('service_order_events_order_idx').on(t.orderId, t.id)],
);

/** Photos taken when the service was done (uploaded through the files module first). */
export const serviceOrderPhotos = pgTable(
  'service_order_photos',
  {
    orderId: bigint('order_id', { mode: 'number' })
      .notNull()
      .references(() => serviceOrders.id, { onDelete: 'cascade' }),
    fileId: uuid('file_id')
      .notNull()
      .references(() => files.id, { onDelete: 'restrict' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.fileId] }),
    uniqueIndex('service_order_photos_file_uq').on(t.fileId),
  ],
);
