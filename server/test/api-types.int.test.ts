import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ZIdParamSchema } from '../../core/contracts/common.js';
import { ZProblemDetailSchema } from '../../core/contracts/problems.js';
import {
  API_TYPES_FILE,
  collectRoutes,
  generateApiTypes,
  renderApiTypes,
} from '../../scripts/api-types.js';

// core/contracts/api.gen.ts types the web's client (web/shared/api.ts) from the routes' own
// schemas; it is generated, and committed so the web builds without running the server.
describe('the endpoint types (core/contracts/api.gen.ts)', () => {
  it('are up to date with the routes', async () => {
    const committed = fs.existsSync(API_TYPES_FILE) ? fs.readFileSync(API_TYPES_FILE, 'utf8') : '';
    const fresh = await generateApiTypes();
    if (committed !== fresh) {
      expect.fail(
        'core/contracts/api.gen.ts is out of date with the server routes: run `npm run api:types` and commit it',
      );
    }
  });

  it('name every /api/ route the app registers, with its contract schemas', async () => {
    const routes = await collectRoutes();
    const text = await renderApiTypes(routes);
    expect(routes.length).toBeGreaterThan(300);
    for (const r of routes) expect(text).toContain(`'${r.method} ${r.url}': {`);
    expect(text).toContain(`  'GET /api/problems/:id': {
    params: Wire<typeof common.ZIdParamSchema>;
    query: never;
    body: never;
    response: z.output<typeof problems.ZProblemDetailSchema>;
  };`);
  });

  it('refuse a schema that is not an export of core/contracts, naming the route', async () => {
    const route = {
      method: 'POST',
      url: '/api/things/:id',
      schema: {
        params: ZIdParamSchema,
        body: z.object({ name: z.string() }),
        response: { 200: ZProblemDetailSchema },
      },
    };
    await expect(renderApiTypes([route])).rejects.toThrow(
      /POST \/api\/things\/:id: its body schema is not an export of core\/contracts/,
    );
  });
});
