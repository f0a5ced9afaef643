import { SaxesParser } from 'saxes';

// Tests only: the Open311 XML read back by a strict, conforming XML parser (saxes), which throws
// on anything that is not well-formed XML 1.0.

export interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  children: (XmlNode | string)[];
}

/** The document's root element; throws when the document is not well-formed. */
export function parseXml(doc: string): XmlNode {
  const parser = new SaxesParser();
  const root: XmlNode = { name: '#document', attributes: {}, children: [] };
  const stack: XmlNode[] = [root];
  parser.on('error', (err) => {
    throw err;
  });
  parser.on('opentag', (tag) => {
    const node: XmlNode = {
      name: tag.name,
      // Without namespace processing every attribute value is a plain string.
      attributes: { ...tag.attributes },
      children: [],
    };
    stack[stack.length - 1]!.children.push(node);
    stack.push(node);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.on('text', (text) => {
    stack[stack.length - 1]!.children.push(text);
  });
  parser.write(doc).close();
  const element = root.children.find((c): c is XmlNode => typeof c !== 'string');
  if (!element) throw new Error('no root element');
  return element;
}

/** The concatenated text of an element. */
export function textOf(node: XmlNode): string {
  return node.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}

/** Every element named `name` below `node`, in document order. */
export function elementsNamed(node: XmlNode, name: string): XmlNode[] {
  const out: XmlNode[] = [];
  for (const c of node.children) {
    if (typeof c === 'string') continue;
    if (c.name === name) out.push(c);
    out.push(...elementsNamed(c, name));
  }
  return out;
}
