import { z } from './zod-setup.js';

// Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): field names follow the spec, not
// our camelCase, because clients are written against the spec.

/** The channels an Open311 client's requests may be filed on. */
export const OPEN311_CHANNELS = ['citizen', 'hotline', 'media'] as const;

/** Forms send empty fields: an empty field is an absent one. */
const blankAsAbsent = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema);
const optText = (max: number) => blankAsAbsent(z.string().trim().max(max).optional());
const ZCoord = (min: number, max: number) =>
  blankAsAbsent(
    z
      .string()
      .trim()
      .regex(/^-?\d{1,3}(\.\d+)?$/, '不是数字 / not a number')
      .transform(Number)
      .pipe(z.number().min(min).max(max))
      .optional(),
  );

/** POST requests: form fields (application/x-www-form-urlencoded) or the same names in JSON. */
export const ZOpen311PostSchema = z
  .object({
    api_key: z.string().optional(),
    jurisdiction_id: optText(100),
    service_code: z.string().trim().min(1, '缺少 service_code / service_code is required'),
    lat: ZCoord(-90, 90),
    long: ZCoord(-180, 180),
    address_string: optText(200),
    address_id: optText(100),
    email: optText(200),
    device_id: optText(100),
    account_id: optText(100),
    first_name: optText(50),
    last_name: optText(50),
    phone: optText(30),
    description: optText(2000),
    media_url: z
      .url({
        protocol: /^https?$/,
        message: 'media_url 须为 http(s) 地址 / media_url must be http(s)',
      })
      .max(500)
      .optional(),
    attribute: z.record(z.string(), z.string()).default({}),
  })
  .refine((v) => (v.lat === undefined) === (v.long === undefined), {
    message: 'lat 与 long 须同时提供 / give both lat and long',
    path: ['lat'],
  })
  .refine((v) => v.lat !== undefined || v.address_string || v.address_id, {
    message:
      '须提供位置：lat/long 或 address_string / a location is required: lat/long or address_string',
    path: ['lat'],
  });
export type TOpen311Post = z.infer<typeof ZOpen311PostSchema>;

const ZCsvText = z
  .string()
  .trim()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

/** GET requests: the spec's filters and the page/page_size extension. */
export const ZOpen311QuerySchema = z.object({
  jurisdiction_id: optText(100),
  service_request_id: ZCsvText.pipe(z.array(z.string().max(20)).max(100)).optional(),
  service_code: ZCsvText.pipe(z.array(z.string().max(50)).max(100)).optional(),
  start_date: z.iso.datetime({ offset: true }).optional(),
  end_date: z.iso.datetime({ offset: true }).optional(),
  status: ZCsvText.pipe(z.array(z.enum(['open', 'closed'])).max(2)).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  page_size: z.coerce.number().int().min(1).max(1000).default(100),
});
export type TOpen311Query = z.infer<typeof ZOpen311QuerySchema>;

/**
 * `/discovery.:format`, `/services.:format`, `/requests.:format`: the route answers `json` and
 * `xml`, anything else 404 in the spec's error format.
 */
export const ZOpen311FormatParamSchema = z.object({ format: z.string() });

/** `/services/:file`, `/requests/:file`: a code or number with the format, e.g. `HJ01.json`. */
export const ZOpen311FileParamSchema = z.object({ file: z.string().max(80) });

/** The key of a read: the `api_key` parameter or the `X-Api-Key` header (kept out of access logs). */
const ZOpen311ApiKey = z.string().max(200).optional();
export const ZOpen311KeyQuerySchema = z.object({ api_key: ZOpen311ApiKey });
export const ZOpen311KeyHeadersSchema = z.looseObject({ 'x-api-key': ZOpen311ApiKey });

/** GET requests.{format}: the filters and a key. */
export const ZOpen311ReadQuerySchema = ZOpen311QuerySchema.extend(ZOpen311KeyQuerySchema.shape);

export interface TOpen311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string;
  group: string;
}

export interface TOpen311Attribute {
  variable: boolean;
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  datatype_description: string;
  order: number;
  description: string;
  values?: { key: string; name: string }[];
}

export interface TOpen311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

// The office's management of clients and keys (our own API, camelCase).

export const ZOpen311ClientInputSchema = z.object({
  name: z.string().trim().min(2).max(50),
  channel: z.enum(OPEN311_CHANNELS),
});

export const ZOpen311ClientSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  channel: z.enum(OPEN311_CHANNELS),
  keyHint: z.string(),
  active: z.boolean(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  requests: z.number().int(),
  /** Where status changes of its requests are pushed (结果回传); null: none. */
  callbackUrl: z.string().nullable(),
});
export type TOpen311Client = z.infer<typeof ZOpen311ClientSchema>;
export const ZOpen311ClientsSchema = z.array(ZOpen311ClientSchema);

/**
 * The office sets (or clears, with null) a client's callback URL; a signing secret is generated the
 * first time, and again when `newSecret` asks for one (the old one stops at once).
 */
export const ZOpen311CallbackInputSchema = z.object({
  callbackUrl: z
    .string()
    .trim()
    .max(500)
    .regex(/^https?:\/\/[^\s/?#]+[^\s]*$/i, '须为 http(s) 地址 / an http(s) URL')
    .nullable(),
  newSecret: z.boolean().default(false),
});
export type TOpen311CallbackInput = z.infer<typeof ZOpen311CallbackInputSchema>;

export const ZOpen311CallbackResultSchema = z.object({
  client: ZOpen311ClientSchema,
  /** Shown when it was generated by this call (and never again); null otherwise. */
  callbackSecret: z.string().nullable(),
});

export const ZOpen311ClientCreatedSchema = z.object({
  client: ZOpen311ClientSchema,
  /** Shown once: only its hash is stored. */
  apiKey: z.string(),
});
