import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachePlans, type PlanCacheStats } from './pglite-plans.js';

/**
 * The plan cache must answer exactly what the ordinary path answers: the same rows with the same
 * types, the same errors, for every kind of value the app sends (text with quotes and
 * backslashes, numbers, booleans, null, arrays, JSON, timestamps, bytes), in and out of
 * transactions.
 */

let plain: PGlite;
let planned: PGlite;
let stats: PlanCacheStats;

const SCHEMA = `
  create table t (
    id serial primary key,
    name text not null unique,
    n int,
    ok boolean,
    tags text[],
    doc jsonb,
    at timestamptz,
    bytes bytea
  )`;

beforeAll(async () => {
  plain = await PGlite.create();
  planned = await PGlite.create();
  await plain.exec(SCHEMA);
  await planned.exec(SCHEMA);
  stats = cachePlans(planned, { after: 2 });
  // Two PGlite starts: ~1 s alone, over 10 s once beside the other tiers on 2 busy cores.
}, 120_000);

afterAll(async () => {
  await plain.close();
  await planned.close();
});

const INSERT =
  'insert into t (name, n, ok, tags, doc, at, bytes) values ($1, $2, $3, $4, $5, $6, $7) returning *';

const rows: unknown[][] = [
  [
    "O'Brien \\ 背街小巷",
    1,
    true,
    ['a', "b'c", 'd"e', 'f,g', ''],
    { k: "v'w", n: [1, 2] },
    new Date('2026-12-06T08:00:00Z'),
    new Uint8Array([0, 1, 255]),
  ],
  ['null fields', null, null, null, null, null, null],
  ['第三行', -2147483648, false, [], [], new Date('1999-12-31T23:59:59.999Z'), new Uint8Array([])],
  [
    '$1 and $$ and -- not a comment',
    7,
    true,
    ['{x}'],
    '"a JSON string"',
    new Date(0),
    new Uint8Array([39]),
  ],
];

async function both<T>(text: string, params: unknown[]) {
  const a = await plain.query<T>(text, params);
  const b = await planned.query<T>(text, params);
  return { a, b };
}

describe('cachePlans', () => {
  it('answers what the ordinary path answers, for every kind of value', async () => {
    for (const r of rows) {
      const { a, b } = await both(INSERT, r);
      expect(b.rows).toEqual(a.rows);
      expect(b.fields).toEqual(a.fields);
    }
    // The insert ran four times: prepared at its second use, executed from the plan after.
    expect(stats.prepared).toBe(1);
    expect(stats.executed).toBe(3);
    for (const r of rows) {
      const { a, b } = await both(
        'select * from t where name = $1 and ($2::int is null or n = $2)',
        [r[0], r[1]],
      );
      expect(b.rows).toEqual(a.rows);
      expect(b.rows).toHaveLength(1);
    }
  });

  it('fails as the ordinary path fails, with the same code and constraint', async () => {
    const dup = [rows[0]![0], 1, true, null, null, null, null];
    const errorOf = (db: PGlite) =>
      db.query(INSERT, dup).then(
        () => null,
        (e: { code?: string; constraint?: string }) => ({ code: e.code, constraint: e.constraint }),
      );
    const a = await errorOf(plain);
    expect(a).toEqual({ code: '23505', constraint: 't_name_key' });
    expect(await errorOf(planned)).toEqual(a);
    // A value PostgreSQL will not take as an int: the same invalid-input error.
    const bad = (db: PGlite) =>
      db.query('select * from t where n = $1', ['abc']).then(
        () => null,
        (e: { code?: string }) => e.code,
      );
    await bad(planned);
    expect(await bad(planned)).toBe(await bad(plain));
  });

  it('sends a value containing NUL the ordinary way, so the error stays the encoding error', async () => {
    const text = 'select count(*)::int as c from t where name = $1';
    await planned.query(text, ['warm']);
    await planned.query(text, ['up']);
    const codeOf = (db: PGlite) =>
      db.query(text, ['a\u0000b']).then(
        () => null,
        (e: { code?: string }) => e.code,
      );
    const code = await codeOf(plain);
    expect(code).toBe('22021');
    expect(await codeOf(planned)).toBe(code);
  });

  it('prepares inside a transaction, and the plan outlives a rollback', async () => {
    const text = 'select name from t where n = $1';
    await expect(
      planned.transaction(async (tx) => {
        expect((await tx.query(text, [1])).rows).toEqual([{ name: rows[0]![0] }]);
        expect((await tx.query(text, [7])).rows).toHaveLength(1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const before = stats.executed;
    expect((await planned.query(text, [-2147483648])).rows).toEqual([{ name: '第三行' }]);
    expect(stats.executed).toBe(before + 1);
  });

  it('lets a statement that cannot be prepared fail with its own error, in a transaction too', async () => {
    const text = 'select * from no_such_table where id = $1';
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: { code?: string }) => e.code,
      );
    const expected = await codeOf(plain.query(text, [1]));
    expect(expected).toBe('42P01');
    const prepared = stats.prepared;
    for (let i = 0; i < 3; i++) expect(await codeOf(planned.query(text, [1]))).toBe(expected);
    // Inside a transaction: the statement's error, then the transaction is failed as it would be.
    const inTx = async (db: PGlite) => {
      const codes: (string | null | undefined)[] = [];
      await db
        .transaction(async (tx) => {
          codes.push(await codeOf(tx.query('select count(*) from t where n > $1', [0])));
          codes.push(await codeOf(tx.query('select * from no_such_view where id = $1', [1])));
          codes.push(await codeOf(tx.query('select count(*) from t where n > $1', [0])));
        })
        .catch(() => undefined);
      return codes;
    };
    expect(await inTx(planned)).toEqual(await inTx(plain));
    expect(await inTx(planned)).toEqual([null, '42P01', '25P02']);
    // Only the count can be prepared: not in the failed transaction, but at its next use.
    expect(stats.prepared).toBe(prepared + 1);
    // The database is usable afterwards.
    expect((await planned.query<{ c: number }>('select count(*)::int as c from t')).rows).toEqual([
      { c: rows.length },
    ]);
  });

  it('runs writes inside a transaction from the plan and keeps them only on commit', async () => {
    const text = 'update t set n = n + $1 where name = $2 returning n';
    await planned.transaction(async (tx) => {
      await tx.query(text, [1, '第三行']);
      await tx.query(text, [1, '第三行']);
      await tx.query(text, [1, '第三行']);
    });
    expect((await planned.query('select n from t where name = $1', ['第三行'])).rows).toEqual([
      { n: -2147483645 },
    ]);
  });
});
