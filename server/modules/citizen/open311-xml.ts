/**
 * The XML of Open311 GeoReport v2: a list element holds one element per item (services/service,
 * service_requests/request, errors/error…); null is an empty element.
 */
const ITEM_NAMES: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
};

/**
 * What XML 1.0 cannot carry at all, not even as a character reference (its `Char` production):
 * C0 controls other than TAB/LF/CR, lone surrogates, U+FFFE and U+FFFF. With the `u` flag a lone
 * surrogate is one code point here, so it is matched (and a proper pair is not).
 */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** The text with every character XML 1.0 cannot represent dropped. */
export function xmlRepresentable(s: string): string {
  return s.replace(NOT_XML_CHAR, '');
}

/**
 * Character data for an element: unrepresentable characters dropped, markup escaped (`>` too, so
 * `]]>` cannot appear), and CR as `&#13;` — a parser turns a literal CR or CR LF into LF.
 */
export function escapeXmlText(s: string): string {
  return xmlRepresentable(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/**
 * An attribute value (for double or single quotes): as text, plus both quotes, and TAB/LF/CR as
 * references — a parser turns literal ones into spaces (attribute-value normalisation).
 */
export function escapeXmlAttr(s: string): string {
  return escapeXmlText(s)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;');
}

function element(name: string, value: unknown): string {
  if (value === null || value === undefined) return `<${name}/>`;
  if (Array.isArray(value)) {
    const item = ITEM_NAMES[name] ?? 'item';
    return `<${name}>${value.map((v) => element(item, v)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => element(k, v))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `<${name}>${escapeXmlText(text)}</${name}>`;
}

/** The document for a list (`services`, `service_requests`, `errors`) or one object. */
export function toXml(root: string, value: unknown): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value)}`;
}
