import { App, Button, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { TVolunteer } from '../../../core/contracts/volunteers.js';
import { Permission } from '../../../core/permissions.js';
import { checkIdNumber } from '../../../core/volunteers/id-number.js';
import { useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';

// 实名 on the registry's forms and drawer: the ID number's form rule and how it is shown.

/**
 * The form rule of an ID number: empty is fine (未实名); otherwise the GB 11643 check, its
 * message in the form's language.
 */
export function useIdNumberRule() {
  const { t } = useI18n();
  return {
    validator: async (_: unknown, value: string | undefined) => {
      if (!value?.trim()) return;
      const c = checkIdNumber(value);
      if (!c.ok) throw new Error(t(c.message));
    },
  };
}

/**
 * A volunteer's ID number as everyone sees it (masked, or 未实名); a holder of volunteer.realname
 * may show it in full, which the server audits.
 */
export function IdNumberCell(props: { volunteer: TVolunteer }) {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const v = props.volunteer;
  const [full, setFull] = useState<string | null>(null);
  // Writes an audit record only: nothing to read again.
  const reveal = useApiMutation('POST /api/volunteers/:id/id-number/reveal', { invalidates: [] });
  useEffect(() => setFull(null), [v.id]);
  if (!v.realName) return <Tag color="orange">{t(L.volunteers.notRealName)}</Tag>;
  return (
    <Space>
      <Typography.Text code data-testid="id-number">
        {full ?? v.idNumberMasked}
      </Typography.Text>
      {can(Permission.VolunteerRealname) && full === null && (
        <Button
          size="small"
          type="link"
          loading={reveal.isPending}
          data-testid="reveal-id-number"
          onClick={() =>
            void reveal
              .mutateAsync({ params: { id: v.id } })
              .then((r) => setFull(r.idNumber))
              .catch((err: unknown) => message.error(errorText(err, lang)))
          }
        >
          {t({ zh: '显示完整号码（留痕）', en: 'Show in full (audited)' })}
        </Button>
      )}
    </Space>
  );
}
