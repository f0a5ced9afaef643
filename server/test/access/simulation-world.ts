import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { testJpeg } from '../images.js';
import type { Agent, Res } from '../harness.js';

/**
 * 实景模拟验证 in two districts (issue #20): a framework (left a draft) with one simulation
 * standard, a target answered by a unit of R1 and one by a unit of R2, and one call to each
 * recorded by the city office with a photo. Every record of R2's side carries `乙区标记` in its
 * name, so a district office's answers can be searched for it.
 */
export interface SimulationSide {
  targetId: number;
  checkId: number;
  /** The photo attached to the check. */
  fileId: string;
}

export interface SimulationWorld {
  frameworkId: number;
  standardKey: string;
  r1: SimulationSide;
  r2: SimulationSide;
}

/** The names R2's records carry (none may reach an office of R1). */
export const SIMULATION_R2_MARKERS = [
  '乙区标记热线',
  '乙区标记拨打人',
  '乙区标记通话记录',
  '乙区标记验证情景',
];

function ok<T>(res: Res, status = 200): T {
  expect(res.statusCode, res.body).toBe(status);
  return res.json<T>();
}

export async function buildSimulationWorld(
  city: Agent,
  campaignId: number,
  units: { a: number; b: number },
): Promise<SimulationWorld> {
  const fw = ok<{ id: number; draftVersionId: number }>(
    await city.post('/api/frameworks', {
      campaignId,
      name: '分级模拟验证体系',
      level: 'prefecture',
    }),
    201,
  );
  const v = fw.draftVersionId;
  const node = async (body: Record<string, unknown>) =>
    ok<{ id: number }>(await city.post(`/api/framework-versions/${v}/nodes`, body));
  const item = await node({ kind: 'item', parentId: null, text: '分级模拟验证项目' });
  const content = await node({ kind: 'content', parentId: item.id, text: '分级模拟验证内容' });
  await node({
    kind: 'standard',
    parentId: content.id,
    text: '服务热线接通及时、答复准确',
    method: 'simulation',
    maxScore: 2,
  });
  const tree = ok<{ items: { children: { children: { key: string }[] }[] }[] }>(
    await city.get(`/api/framework-versions/${v}/tree`),
  );
  const standardKey = tree.items[0]!.children[0]!.children[0]!.key;

  const side = async (unitId: number, mark: string): Promise<SimulationSide> => {
    const target = ok<{ id: number }>(
      await city.post('/api/simulation-targets', {
        frameworkId: fw.id,
        standardKey,
        name: `${mark}热线`,
        contact: `0571-${String(unitId).padStart(5, '0')}`,
        unitId,
        script: `${mark}验证情景`,
      }),
      201,
    );
    const photo = ok<{ id: string }>(
      await city.upload('/api/files', await testJpeg(), 'call.jpg'),
      201,
    );
    const check = ok<{ id: number }>(
      await city.post('/api/simulation-checks', {
        clientId: randomUUID(),
        targetId: target.id,
        calledAt: new Date(Date.now() - 60_000).toISOString(),
        callerName: `${mark}拨打人`,
        answered: true,
        rings: 2,
        answer: 'yes',
        notes: `${mark}通话记录`,
        fileIds: [photo.id],
      }),
      201,
    );
    return { targetId: target.id, checkId: check.id, fileId: photo.id };
  };
  return {
    frameworkId: fw.id,
    standardKey,
    r1: await side(units.a, '甲区'),
    r2: await side(units.b, '乙区标记'),
  };
}
