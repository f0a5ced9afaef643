import type {
  OPEN311_CHANNELS,
  TOpen311Client,
  TOpen311Request,
} from '../../../core/contracts/open311.js';
import { PROBLEM_STATE_LABELS, type TProblemState } from '../../../core/problems/lifecycle.js';
import type { ClientRow, Open311Reader, RequestRow } from './open311.repo.js';

type Channel = (typeof OPEN311_CHANNELS)[number];

/** Public positions are rounded to 3 decimals: about 100 m, a block rather than a doorstep. */
const PUBLIC_DECIMALS = 3;

function statusLabel(state: TProblemState, lang: 'zh' | 'en'): string {
  const label = PROBLEM_STATE_LABELS[state];
  return lang === 'en' ? label.en : label.zh;
}

function roundCoord(v: number | null): number | null {
  if (v === null) return null;
  const f = 10 ** PUBLIC_DECIMALS;
  return Math.round(Number(v) * f) / f;
}

/** The client's own request, in full: what its tracking page shows, with the exact place. */
function presentFull(r: RequestRow, baseUrl: string, lang: 'zh' | 'en'): TOpen311Request {
  const closed = r.state === 'closed' || r.state === 'rejected';
  const label = statusLabel(r.state, lang);
  return {
    service_request_id: r.tracking_code,
    status: closed ? 'closed' : 'open',
    status_notes: r.state === 'rejected' && r.reject_note ? `${label}: ${r.reject_note}` : label,
    service_name: r.service_name,
    service_code: r.service_code,
    description: r.description,
    agency_responsible: r.unit_name,
    service_notice: null,
    requested_datetime: new Date(r.requested).toISOString(),
    updated_datetime: new Date(r.updated).toISOString(),
    expected_datetime: r.deadline ? new Date(r.deadline).toISOString() : null,
    address: r.address,
    address_id: null,
    zipcode: null,
    lat: r.lat,
    long: r.lng,
    media_url: r.photo ? `${baseUrl}/api/public/track/${r.tracking_code}/photos/${r.photo}` : null,
  };
}

/**
 * A published request as the 曝光台 shows it: the office's wording instead of the citizen's text,
 * no address, the position rounded, the photo through the board's own photo route (which serves
 * only photos of published problems), and no tracking code: the public id is the problem's number.
 */
function presentPublic(r: RequestRow, baseUrl: string, lang: 'zh' | 'en'): TOpen311Request {
  const id = String(r.problem_id);
  const closed = r.state === 'closed' || r.state === 'rejected';
  return {
    service_request_id: id,
    status: closed ? 'closed' : 'open',
    status_notes: statusLabel(r.state, lang),
    service_name: r.service_name,
    service_code: r.service_code,
    description: r.pub_note ? `${r.pub_title}\n${r.pub_note}` : r.pub_title,
    agency_responsible: r.unit_name,
    service_notice: null,
    requested_datetime: new Date(r.requested).toISOString(),
    updated_datetime: new Date(r.updated).toISOString(),
    expected_datetime: r.deadline ? new Date(r.deadline).toISOString() : null,
    address: null,
    address_id: null,
    zipcode: null,
    lat: roundCoord(r.lat),
    long: roundCoord(r.lng),
    media_url: r.photo ? `${baseUrl}/api/public/exposure/${id}/photos/${r.photo}` : null,
  };
}

/** A request in the form this reader may see: in full to the client that filed it, else public. */
export function presentRequest(
  r: RequestRow,
  reader: Open311Reader,
  baseUrl: string,
  lang: 'zh' | 'en',
): TOpen311Request {
  const own = reader.kind === 'client' && r.client_id !== null && r.client_id === reader.clientId;
  return own ? presentFull(r, baseUrl, lang) : presentPublic(r, baseUrl, lang);
}

export function presentClient({ c, requests }: { c: ClientRow; requests: number }): TOpen311Client {
  return {
    id: c.id,
    name: c.name,
    channel: c.channel as Channel,
    keyHint: c.keyHint,
    active: c.active,
    createdAt: c.createdAt.toISOString(),
    revokedAt: c.revokedAt?.toISOString() ?? null,
    requests: Number(requests),
    callbackUrl: c.callbackUrl,
  };
}
