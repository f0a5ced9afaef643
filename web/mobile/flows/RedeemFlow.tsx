import { Button, Card, Input, List, NavBar, NoticeBar, Result } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import type { TCreditRedemption } from '../../../core/contracts/credits.js';
import {
  CREDIT_REDEMPTION_STATUS_LABELS,
  CREDIT_SHOP_KIND_LABELS,
} from '../../../core/credits/rules.js';
import { apiCall } from '../../shared/api.js';
import { useApi } from '../../shared/api-query.js';
import { formatTime, useI18n } from '../../shared/i18n.js';
import { FormError } from './flow-bits.js';

/** A typed code as the server reads it: letters and digits, upper case, no spaces. */
const clean = (s: string) => s.replace(/[\s-]/g, '').toUpperCase();

/**
 * 积分核销 (issue #24, item 5): the shop's staff scan a resident's QR code (which opens this screen
 * with the code as ?c=) or type the 8 characters, see what it is for, and confirm. Online only —
 * a code is checked and used on the server, once; a second use, an expired code or another shop's
 * is refused in words.
 */
export function RedeemFlow() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const shop = useApi('GET /api/credits/shop', {});
  const [code, setCode] = useState(() => clean(params.get('c') ?? ''));
  const [found, setFound] = useState<TCreditRedemption | null>(null);
  const [done, setDone] = useState<TCreditRedemption | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function look(c = code) {
    setError(null);
    setFound(null);
    setBusy(true);
    try {
      setFound(await apiCall('POST /api/credits/redeem/preview', { body: { code: c } }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function confirm() {
    setError(null);
    setBusy(true);
    try {
      setDone(await apiCall('POST /api/credits/redeem/confirm', { body: { code } }));
      setFound(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  // A scanned QR code opens the screen with the code: look it up at once.
  useEffect(() => {
    if (code.length >= 6) void look(code);
  }, []);

  function next() {
    setDone(null);
    setFound(null);
    setCode('');
    void navigate('/credits/redeem', { replace: true });
  }

  return (
    <div className="m-flow" data-testid="redeem-flow">
      <NavBar className="m-navbar" onBack={() => void navigate('/')}>
        {t({ zh: '积分兑换核销', en: 'Redeem points' })}
      </NavBar>
      <div className="m-sheet-body">
        {shop.data && (
          <div className="m-muted" data-testid="redeem-shop">
            {t(CREDIT_SHOP_KIND_LABELS[shop.data.kind])} · {shop.data.name}
          </div>
        )}
        <FormError error={shop.error} />
        {done ? (
          <Result
            status="success"
            title={t({ zh: '兑换成功', en: 'Redeemed' })}
            description={
              <span data-testid="redeem-done">
                {done.itemName} ·{' '}
                {t({ zh: `已扣 ${done.points} 分`, en: `${done.points} points taken` })}
              </span>
            }
          />
        ) : (
          <>
            <List header={t({ zh: '兑换码（扫码或输入）', en: 'Code (scan or type)' })}>
              <List.Item>
                <Input
                  value={code}
                  onChange={(v) => {
                    setCode(clean(v));
                    setFound(null);
                  }}
                  placeholder={t({ zh: '8 位兑换码', en: '8-character code' })}
                  clearable
                  maxLength={12}
                  data-testid="redeem-code"
                />
              </List.Item>
            </List>
            <Button
              block
              color="primary"
              fill="outline"
              className="m-cta"
              disabled={busy || code.length < 6}
              onClick={() => void look()}
              data-testid="redeem-look"
            >
              {t({ zh: '查询', en: 'Look up' })}
            </Button>
          </>
        )}
        <FormError error={error} />
        {found && (
          <Card className="m-card" title={found.itemName} data-testid="redeem-found">
            {/* A code that cannot be used is said so first, not only by the missing button. */}
            {found.status !== 'pending' && (
              <NoticeBar
                color="error"
                wrap
                className="m-form-error"
                content={
                  <span data-testid="redeem-refused">
                    {found.status === 'used'
                      ? t({
                          zh: '该兑换码已兑换过，不能重复使用，请勿再发放物品',
                          en: 'This code has been redeemed already and cannot be used twice: do not hand over the item',
                        })
                      : t({
                          zh: '该兑换码已过期，请居民重新生成',
                          en: 'This code has expired; the resident can make a new one',
                        })}
                  </span>
                }
              />
            )}
            <div>{t({ zh: `所需积分：${found.points} 分`, en: `Points: ${found.points}` })}</div>
            <div>
              {t({ zh: '居民：', en: 'Resident: ' })}
              {found.accountName ?? found.phoneMasked ?? '—'}
            </div>
            <div data-testid="redeem-status">
              {t(CREDIT_REDEMPTION_STATUS_LABELS[found.status])}
              {found.status === 'pending' &&
                t({
                  zh: `，${formatTime(found.expiresAt)} 前有效`,
                  en: `, valid until ${formatTime(found.expiresAt)}`,
                })}
              {found.status === 'used' &&
                found.usedAt &&
                t({
                  zh: `，${formatTime(found.usedAt)} 由 ${found.usedByName ?? '—'} 核销`,
                  en: `, at ${formatTime(found.usedAt)} by ${found.usedByName ?? '—'}`,
                })}
            </div>
            {found.status === 'pending' && (
              <Button
                block
                color="primary"
                size="large"
                className="m-cta"
                disabled={busy}
                onClick={() => void confirm()}
                data-testid="redeem-confirm"
              >
                {t({
                  zh: `确认兑换（扣 ${found.points} 分）`,
                  en: `Confirm (${found.points} points)`,
                })}
              </Button>
            )}
          </Card>
        )}
        {done && (
          <Button block color="primary" className="m-cta" onClick={next} data-testid="redeem-next">
            {t({ zh: '核销下一个', en: 'Next code' })}
          </Button>
        )}
      </div>
    </div>
  );
}
