import { describe, expect, it } from 'vitest';
import { randomCheckByDefault } from './random-check.js';

describe('随机查看 kinds (seed 001: 街巷、公厕、小型餐馆、娱乐场所、网吧、营业厅)', () => {
  it('allows the six kinds by default, under the names cities give them', () => {
    for (const name of [
      '背街小巷',
      '公共厕所',
      '小餐馆',
      '中小饭馆',
      '娱乐场所',
      'KTV',
      '网吧',
      '营业厅',
      '银行网点',
    ]) {
      expect(randomCheckByDefault(name), name).toBe(true);
    }
  });

  it('not the declared kinds the draw picks from', () => {
    for (const name of ['主次干道', '农贸市场', '居民小区', '医院', '政务服务大厅', '建筑工地']) {
      expect(randomCheckByDefault(name), name).toBe(false);
    }
  });
});
