import { useEffect, useState, type FormEvent } from 'react';
import type { TPublicGoodPeopleSetup } from '../../core/contracts/good-people.js';
import {
  DEEDS_MAX,
  GOOD_PERSON_CATEGORIES,
  GOOD_PERSON_CATEGORY_LABELS,
} from '../../core/good-people/labels.js';
import { ApiError, apiCall } from '../shared/api.js';
import { useI18n } from '../shared/i18n.js';
import { deviceId } from './device-id.js';

/** The server's refusal in the page's language (a network failure in a sentence of its own). */
export function useErrorText() {
  const { t, lang } = useI18n();
  return (err: unknown) =>
    err instanceof ApiError
      ? lang === 'en'
        ? err.messageEn
        : err.messageZh
      : t({ zh: '网络异常，请稍后重试', en: 'network error; try again' });
}

/**
 * 我要推荐: a citizen puts someone forward for this month; the nominator's name and phone go to the
 * office only (the page says so), a photo is optional, a hidden field catches bots.
 */
export function NominationForm() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [setup, setSetup] = useState<TPublicGoodPeopleSetup | null>(null);
  const [category, setCategory] = useState('');
  const [name, setName] = useState('');
  const [regionId, setRegionId] = useState('');
  const [deeds, setDeeds] = useState('');
  const [nominator, setNominator] = useState('');
  const [phone, setPhone] = useState('');
  const [photo, setPhoto] = useState<File | null>(null);
  const [website, setWebsite] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  useEffect(() => {
    apiCall('GET /api/public/good-people/setup')
      .then(setSetup)
      .catch((err: unknown) => setError(errorText(err)));
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const form = new FormData();
    form.append('category', category);
    form.append('nomineeName', name);
    form.append('regionId', regionId);
    form.append('deeds', deeds);
    form.append('nominatorName', nominator);
    form.append('nominatorPhone', phone);
    form.append('deviceId', deviceId());
    form.append('website', website);
    if (photo) form.append('photo', photo, photo.name);
    setBusy(true);
    try {
      await apiCall('POST /api/public/good-people/nominations', { body: form });
      setDone(true);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <section className="cz-card cz-done" data-testid="gp-nominated">
        <h2>{t({ zh: '推荐已提交，感谢您！', en: 'Thank you — your nomination is in.' })}</h2>
        <p>
          {t({
            zh: '文明办评议后，入围人选将在“投票”中公示。',
            en: 'After review, the shortlist is put to a public vote here.',
          })}
        </p>
      </section>
    );
  }
  if (setup && !setup.nominationsOpen) {
    return (
      <p className="cz-hint" data-testid="gp-closed">
        {t({
          zh: `${setup.month} 的推荐已截止，请下月再来推荐。`,
          en: `Nominations for ${setup.month} have closed; come back next month.`,
        })}
      </p>
    );
  }
  return (
    <form className="cz-form" onSubmit={(e) => void submit(e)} data-testid="gp-form">
      <p className="cz-intro">
        {t({
          zh: '身边有助人为乐、见义勇为、诚实守信、敬业奉献、孝老爱亲的好人好事？推荐给我们。',
          en: 'Know someone who helps others, acts bravely, keeps their word, serves with dedication or cares for their elders? Tell us.',
        })}
      </p>
      <label className="cz-label">
        {t({ zh: '推荐类别', en: 'Category' })}
        <select
          className="cz-input"
          required
          value={category}
          data-testid="gp-category"
          onChange={(e) => setCategory(e.target.value)}
        >
          <option value="">{t({ zh: '请选择', en: 'Choose' })}</option>
          {GOOD_PERSON_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t(GOOD_PERSON_CATEGORY_LABELS[c])}
            </option>
          ))}
        </select>
      </label>
      <label className="cz-label">
        {t({ zh: '被推荐人姓名', en: 'Nominee’s name' })}
        <input
          className="cz-input"
          required
          maxLength={40}
          value={name}
          data-testid="gp-name"
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <label className="cz-label">
        {t({ zh: '所在地', en: 'Where they live' })}
        <select
          className="cz-input"
          required
          value={regionId}
          data-testid="gp-region"
          onChange={(e) => setRegionId(e.target.value)}
        >
          <option value="">{t({ zh: '请选择', en: 'Choose' })}</option>
          {setup?.regions.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
      <label className="cz-label">
        {t({ zh: '主要事迹', en: 'What they did' })}
        <span className="cz-hint">
          {deeds.length}/{DEEDS_MAX}
        </span>
        <textarea
          className="cz-input"
          required
          minLength={20}
          maxLength={DEEDS_MAX}
          rows={6}
          value={deeds}
          data-testid="gp-deeds"
          onChange={(e) => setDeeds(e.target.value)}
        />
      </label>
      <label className="cz-label">
        {t({ zh: '照片（可选）', en: 'Photo (optional)' })}
        <input
          type="file"
          accept="image/*"
          data-testid="gp-photo"
          onChange={(e) => setPhoto(e.target.files?.[0] ?? null)}
        />
      </label>
      <label className="cz-label">
        {t({ zh: '推荐人姓名', en: 'Your name' })}
        <input
          className="cz-input"
          required
          maxLength={40}
          value={nominator}
          data-testid="gp-nominator"
          onChange={(e) => setNominator(e.target.value)}
        />
      </label>
      <label className="cz-label">
        {t({ zh: '推荐人电话', en: 'Your phone' })}
        <span className="cz-hint">
          {t({ zh: '仅供文明办核实，不公开', en: 'for the office to check; never published' })}
        </span>
        <input
          className="cz-input"
          type="tel"
          required
          value={phone}
          data-testid="gp-phone"
          onChange={(e) => setPhone(e.target.value)}
        />
      </label>
      <label className="cz-hp" aria-hidden="true">
        website
        <input tabIndex={-1} value={website} onChange={(e) => setWebsite(e.target.value)} />
      </label>
      {error && (
        <p className="cz-error" data-testid="gp-error">
          {error}
        </p>
      )}
      <button type="submit" className="cz-button" disabled={busy} data-testid="gp-submit">
        {t({ zh: '提交推荐', en: 'Send' })}
      </button>
    </form>
  );
}
