import { QRCodeSVG } from '@rc-component/qrcode';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type {
  TCreditLedgerRow,
  TCreditMe,
  TCreditRedeemCode,
  TCreditRedemption,
  TPublicCreditRanking,
  TPublicCreditShops,
} from '../../core/contracts/credits.js';
import {
  CREDIT_BOARD_LABELS,
  CREDIT_REASON_LABELS,
  CREDIT_REDEMPTION_STATUS_LABELS,
  CREDIT_SHOP_KIND_LABELS,
} from '../../core/credits/rules.js';
import { apiCall } from '../shared/api.js';
import { SegmentTabs } from './Segments.js';
import { formatTime, useI18n, L } from '../shared/i18n.js';
import { useErrorText } from './GoodPeopleForm.js';
import './credits.css';

type Tab = 'account' | 'redeem' | 'ranking';
type Account = NonNullable<TCreditMe['account']>;

/** Where the code waits while it is valid, so a reload still shows it. */
const CODE_KEY = 'cc-credit-code';

function keptCode(): TCreditRedeemCode | null {
  try {
    const c = JSON.parse(sessionStorage.getItem(CODE_KEY) ?? 'null') as TCreditRedeemCode | null;
    return c && Date.parse(c.expiresAt) > Date.now() ? c : null;
  } catch {
    return null;
  }
}

/**
 * 文明积分: a resident signs in with the phone and an SMS code, sees the balance and every entry
 * of the ledger, takes a one-time code for an item (shown with a QR code the shop scans), opts in
 * to the name on the month's board. Who has earned most this month: the public board.
 */
export function CreditsPage() {
  const errorText = useErrorText();
  const [tab, setTab] = useState<Tab>('account');
  const [me, setMe] = useState<TCreditMe | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loadMe = useCallback(() => {
    apiCall('GET /api/public/credits/me')
      .then(setMe)
      .catch((err: unknown) => setError(errorText(err)));
  }, []);
  useEffect(() => loadMe(), [loadMe]);
  const tabs: [Tab, { zh: string; en: string }][] = [
    ['account', { zh: '我的积分', en: 'My points' }],
    ['redeem', { zh: '积分兑换', en: 'Redeem' }],
    ['ranking', { zh: '积分榜', en: 'Board' }],
  ];
  return (
    <div data-testid="credits">
      <SegmentTabs tabs={tabs} current={tab} onChange={setTab} testPrefix="cr" />
      {error && <p className="cz-error">{error}</p>}
      {tab === 'account' &&
        me &&
        (me.account ? (
          <AccountView account={me.account} onChange={setMe} />
        ) : (
          <SignIn onSignedIn={setMe} />
        ))}
      {tab === 'redeem' && me && (
        <Redeem account={me.account} onSignIn={() => setTab('account')} onRedeemed={loadMe} />
      )}
      {tab === 'ranking' && <Ranking />}
    </div>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: (me: TCreditMe) => void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [wait, setWait] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (wait <= 0) return;
    const id = setTimeout(() => setWait((w) => w - 1), 1000);
    return () => clearTimeout(id);
  }, [wait]);

  async function send() {
    setError(null);
    setBusy(true);
    try {
      const r = await apiCall('POST /api/public/credits/otp', { body: { phone } });
      setSentTo(r.sentTo);
      setWait(60);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      onSignedIn(await apiCall('POST /api/public/credits/session', { body: { phone, code } }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="cz-form" onSubmit={(e) => void submit(e)} data-testid="cr-signin">
      <p className="cz-intro">
        {t({
          zh: '随手拍被立案、参加志愿服务、评上星级文明户都可获得文明积分，可在爱心超市和合作商户兑换。用手机号登录查看。',
          en: 'Accepted reports, volunteer hours and star ratings earn points you can spend at the love supermarket and partner shops. Sign in with your phone.',
        })}
      </p>
      <label className="cz-label" htmlFor="cr-phone">
        {t(L.common.phone)}
      </label>
      <div className="cz-row">
        <input
          id="cr-phone"
          className="cz-input"
          inputMode="numeric"
          autoComplete="tel"
          maxLength={13}
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          data-testid="cr-phone"
        />
        <button
          type="button"
          className="cz-button cz-secondary"
          disabled={busy || wait > 0 || phone.replace(/\D/g, '').length !== 11}
          onClick={() => void send()}
          data-testid="cr-send"
        >
          {wait > 0
            ? t({ zh: `${wait} 秒后重发`, en: `Resend in ${wait}s` })
            : t({ zh: '获取验证码', en: 'Send code' })}
        </button>
      </div>
      {sentTo && (
        <p className="cz-hint" data-testid="cr-sent">
          {t({ zh: `验证码已发送至 ${sentTo}`, en: `Code sent to ${sentTo}` })}
        </p>
      )}
      <label className="cz-label" htmlFor="cr-code">
        {t({ zh: '短信验证码', en: 'SMS code' })}
      </label>
      <input
        id="cr-code"
        className="cz-input"
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        data-testid="cr-code"
      />
      {error && <p className="cz-error">{error}</p>}
      <button
        type="submit"
        className="cz-button"
        disabled={busy || !sentTo || code.length !== 6}
        data-testid="cr-signin-submit"
      >
        {t(L.common.signIn)}
      </button>
    </form>
  );
}

function AccountView({
  account,
  onChange,
}: {
  account: Account;
  onChange: (me: TCreditMe) => void;
}) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [rows, setRows] = useState<TCreditLedgerRow[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [redemptions, setRedemptions] = useState<TCreditRedemption[]>([]);
  const [showName, setShowName] = useState(account.showName);
  const [name, setName] = useState(account.name ?? '');
  const [note, setNote] = useState<string | null>(null);
  const more = useCallback((cursor?: string) => {
    apiCall('GET /api/public/credits/ledger', { query: { limit: 20, cursor } })
      .then((p) => {
        setRows((r) => (cursor ? [...r, ...p.items] : p.items));
        setNext(p.nextCursor);
      })
      .catch((err: unknown) => setNote(errorText(err)));
  }, []);
  useEffect(() => {
    more();
    apiCall('GET /api/public/credits/redemptions')
      .then((r) => setRedemptions(r.items))
      .catch(() => undefined);
  }, [more, account.balance]);

  async function saveOptIn(e: FormEvent) {
    e.preventDefault();
    try {
      onChange(
        await apiCall('PATCH /api/public/credits/me', {
          body: { showName, ...(account.volunteer ? {} : { name: name.trim() || null }) },
        }),
      );
      setNote(t(L.common.saved));
    } catch (err) {
      setNote(errorText(err));
    }
  }

  async function signOut() {
    await apiCall('DELETE /api/public/credits/session').catch(() => undefined);
    onChange({ account: null });
  }

  return (
    <section data-testid="cr-account">
      <article className="cz-card">
        <div className="cz-status-line">
          <h3>{account.name ?? account.phoneMasked}</h3>
          <button
            type="button"
            className="cz-link"
            onClick={() => void signOut()}
            data-testid="cr-signout"
          >
            {t({ zh: '退出', en: 'Sign out' })}
          </button>
        </div>
        <p className="cz-balance" data-testid="cr-balance">
          {account.balance}
          <small>{t({ zh: ' 分', en: ' points' })}</small>
        </p>
        <p className="cz-hint">
          {t({
            zh: `累计获得 ${account.earned} 分 · 已兑换 ${account.spent} 分`,
            en: `${account.earned} earned · ${account.spent} spent`,
          })}
        </p>
      </article>
      <form className="cz-card" onSubmit={(e) => void saveOptIn(e)} data-testid="cr-optin">
        <label className="cz-check">
          <input
            type="checkbox"
            checked={showName}
            onChange={(e) => setShowName(e.target.checked)}
            data-testid="cr-show-name"
          />
          {t({
            zh: '在积分榜上显示我的姓名（不勾选则显示为“张**”）',
            en: 'Show my name on the board (otherwise as “Zhang**”)',
          })}
        </label>
        {!account.volunteer && (
          <input
            className="cz-input"
            placeholder={t(L.common.personName)}
            maxLength={20}
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="cr-name"
          />
        )}
        <button type="submit" className="cz-button cz-secondary" data-testid="cr-optin-save">
          {t(L.common.save)}
        </button>
        {note && <p className="cz-note">{note}</p>}
      </form>
      {redemptions.length > 0 && (
        <article className="cz-card" data-testid="cr-redemptions">
          <h3>{t({ zh: '我的兑换', en: 'My redemptions' })}</h3>
          <ul className="cz-list">
            {redemptions.map((r) => (
              <li key={r.id}>
                {r.shopName} · {r.itemName} · {r.points}
                {t({ zh: ' 分', en: ' pts' })} ·{' '}
                <span className={`cz-red-${r.status}`}>
                  {t(CREDIT_REDEMPTION_STATUS_LABELS[r.status])}
                </span>
              </li>
            ))}
          </ul>
        </article>
      )}
      <article className="cz-card" data-testid="cr-ledger">
        <h3>{t({ zh: '积分明细', en: 'Ledger' })}</h3>
        {rows.length === 0 && <p className="cz-hint">{t({ zh: '暂无记录', en: 'Nothing yet' })}</p>}
        <ul className="cz-list">
          {rows.map((r) => (
            <li key={r.id} data-testid="cr-ledger-row">
              <div className="cz-status-line">
                <span>{r.note ?? t(CREDIT_REASON_LABELS[r.reason])}</span>
                <strong className={r.delta < 0 ? 'cz-minus' : 'cz-plus'}>
                  {r.delta > 0 ? `+${r.delta}` : r.delta}
                </strong>
              </div>
              <span className="cz-time">
                {formatTime(r.at)}
                {r.reason !== 'granted' && r.reason !== 'redeemed' && (
                  <>
                    {' · '}
                    {t(CREDIT_REASON_LABELS[r.reason])}
                    {r.asked !== null && r.asked !== Math.abs(r.delta)
                      ? t({ zh: `（应得 ${r.asked} 分）`, en: ` (rule: ${r.asked})` })
                      : ''}
                  </>
                )}
              </span>
            </li>
          ))}
        </ul>
        {next && (
          <button type="button" className="cz-button cz-secondary" onClick={() => more(next)}>
            {t(L.common.loadMore)}
          </button>
        )}
      </article>
    </section>
  );
}

function Redeem({
  account,
  onSignIn,
  onRedeemed,
}: {
  account: Account | null;
  onSignIn: () => void;
  onRedeemed: () => void;
}) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [shops, setShops] = useState<TPublicCreditShops | null>(null);
  const [code, setCode] = useState<TCreditRedeemCode | null>(keptCode);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  useEffect(() => {
    apiCall('GET /api/public/credits/shops')
      .then(setShops)
      .catch((err: unknown) => setError(errorText(err)));
  }, []);

  async function take(itemId: number) {
    setError(null);
    setBusy(itemId);
    try {
      const c = await apiCall('POST /api/public/credits/redemptions', { body: { itemId } });
      sessionStorage.setItem(CODE_KEY, JSON.stringify(c));
      setCode(c);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
    }
  }

  if (code)
    return (
      <CodeView
        code={code}
        onDone={() => {
          sessionStorage.removeItem(CODE_KEY);
          setCode(null);
          onRedeemed();
        }}
      />
    );
  return (
    <section data-testid="cr-redeem">
      {!account && (
        <p className="cz-hint">
          {t({ zh: '登录后可兑换。', en: 'Sign in to redeem. ' })}
          <button type="button" className="cz-link" onClick={onSignIn} data-testid="cr-to-signin">
            {t({ zh: '去登录', en: 'Sign in' })}
          </button>
        </p>
      )}
      {account && (
        <p className="cz-hint">
          {t({ zh: `当前余额 ${account.balance} 分`, en: `Balance: ${account.balance} points` })}
        </p>
      )}
      {error && <p className="cz-error">{error}</p>}
      {shops?.items.length === 0 && (
        <p className="cz-hint">{t({ zh: '暂无兑换点', en: 'No shops yet' })}</p>
      )}
      {shops?.items.map((s) => (
        <article key={s.id} className="cz-card" data-testid="cr-shop">
          <div className="cz-status-line">
            <h3>{s.name}</h3>
            <span className="cz-status">{t(CREDIT_SHOP_KIND_LABELS[s.kind])}</span>
          </div>
          {s.address && <p className="cz-hint">{s.address}</p>}
          <ul className="cz-list">
            {s.items.map((i) => (
              <li key={i.id} className="cz-status-line" data-testid="cr-item">
                <span>
                  {i.name} · <strong>{i.points}</strong>
                  {t({ zh: ' 分', en: ' pts' })}
                  {i.stock !== null && (
                    <span className="cz-hint">
                      {t({ zh: `（剩 ${i.stock}）`, en: ` (${i.stock} left)` })}
                    </span>
                  )}
                </span>
                <button
                  type="button"
                  className="cz-button"
                  disabled={!account || account.balance < i.points || busy !== null}
                  onClick={() => void take(i.id)}
                  data-testid={`cr-take-${i.id}`}
                >
                  {t({ zh: '兑换', en: 'Redeem' })}
                </button>
              </li>
            ))}
          </ul>
        </article>
      ))}
    </section>
  );
}

/** The code, big, with its QR code (the shop's phone opens the redeem screen with it). */
function CodeView({ code, onDone }: { code: TCreditRedeemCode; onDone: () => void }) {
  const { t } = useI18n();
  const [left, setLeft] = useState(() => Date.parse(code.expiresAt) - Date.now());
  useEffect(() => {
    const id = setInterval(() => setLeft(Date.parse(code.expiresAt) - Date.now()), 1000);
    return () => clearInterval(id);
  }, [code.expiresAt]);
  const url = `${window.location.origin}/m/credits/redeem?c=${code.code}`;
  const s = Math.max(0, Math.floor(left / 1000));
  const mmss = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return (
    <article className="cz-card cz-center" data-testid="cr-code-view">
      <h3>
        {code.shopName} · {code.itemName}
      </h3>
      <p className="cz-hint">
        {t({
          zh: `请向店员出示，确认后扣除 ${code.points} 分`,
          en: `Show this to the staff; ${code.points} points are taken when they confirm`,
        })}
      </p>
      <div className="cz-qr">
        <QRCodeSVG value={url} size={180} level="M" />
      </div>
      <p className="cz-code" data-testid="cr-code-text">
        {code.code.slice(0, 4)} {code.code.slice(4)}
      </p>
      {left > 0 ? (
        <p className="cz-hint" data-testid="cr-code-expiry">
          {t({ zh: `${mmss} 后失效，仅可使用一次`, en: `Valid for ${mmss}; usable once` })}
        </p>
      ) : (
        <p className="cz-error">
          {t({ zh: '兑换码已失效，请重新兑换', en: 'The code has expired' })}
        </p>
      )}
      <button
        type="button"
        className="cz-button cz-secondary"
        onClick={onDone}
        data-testid="cr-code-done"
      >
        {t({ zh: '完成', en: 'Done' })}
      </button>
    </article>
  );
}

function Ranking() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [board, setBoard] = useState<'resident' | 'volunteer'>('resident');
  const [data, setData] = useState<TPublicCreditRanking | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    apiCall('GET /api/public/credits/ranking', { query: { board } })
      .then((r) => live && setData(r))
      .catch((err: unknown) => live && setError(errorText(err)));
    return () => {
      live = false;
    };
  }, [board]);
  return (
    <section data-testid="cr-ranking">
      <div className="cz-segments" role="tablist">
        {(['resident', 'volunteer'] as const).map((b) => (
          <button
            key={b}
            type="button"
            role="tab"
            aria-selected={board === b}
            className={board === b ? 'active' : ''}
            data-testid={`cr-board-${b}`}
            onClick={() => setBoard(b)}
          >
            {t(CREDIT_BOARD_LABELS[b])}
          </button>
        ))}
      </div>
      {error && <p className="cz-error">{error}</p>}
      {data && (
        <p className="cz-intro">
          {t({
            zh: `${data.month} 文明积分榜（当月获得的积分）`,
            en: `Points earned in ${data.month}`,
          })}
        </p>
      )}
      {data?.items.length === 0 && (
        <p className="cz-hint">{t({ zh: '本月暂无', en: 'Nobody yet' })}</p>
      )}
      <ol className="cz-list">
        {data?.items.map((r, i) => (
          <li key={i} className="cz-status-line" data-testid="cr-rank-row">
            <span>
              <span className="cz-rank">{r.rank}</span>
              {r.name === '匿名' ? t({ zh: '匿名', en: 'Anonymous' }) : r.name}
            </span>
            <strong>{r.points}</strong>
          </li>
        ))}
      </ol>
    </section>
  );
}
