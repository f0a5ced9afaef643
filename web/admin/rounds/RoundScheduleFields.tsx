import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, DatePicker, Form, Select, Space } from 'antd';
import { L, useI18n } from '../../shared/i18n.js';
import { scheduleRowProblems, type District, type ScheduleRow } from './round-schedule.js';

/**
 * The schedule (测评日程) in the round editor: a row per day — its date and the districts tested
 * that day — inside the editor's form (field `schedule`). Each row needs both; across rows a date
 * or a district may appear once (the server's check, core/draw/strata.ts).
 */
export function RoundScheduleFields(props: { districts: District[] }) {
  const { t } = useI18n();
  const options = props.districts.map((d) => ({ value: d.id, label: d.name }));
  return (
    <Form.List
      name="schedule"
      rules={[
        {
          validator: async (_, rows: ScheduleRow[] | undefined) => {
            const problems = scheduleRowProblems(rows ?? [], [], props.districts);
            if (problems.length) throw new Error(problems.map((p) => t(p)).join('；'));
          },
        },
      ]}
    >
      {(fields, { add, remove }, { errors }) => (
        <div data-testid="round-schedule">
          {fields.map((f, i) => (
            <Space
              key={f.key}
              align="start"
              style={{ display: 'flex', marginBottom: 4 }}
              data-testid={`schedule-row-${i}`}
            >
              <Form.Item
                name={[f.name, 'date']}
                rules={[
                  {
                    required: true,
                    message: t({
                      zh: `请选择第 ${i + 1} 天的日期`,
                      en: `Pick day ${i + 1}'s date`,
                    }),
                  },
                ]}
                style={{ marginBottom: 8 }}
              >
                <DatePicker id={`schedule-date-${i}`} style={{ width: 150 }} />
              </Form.Item>
              <Form.Item
                name={[f.name, 'regionIds']}
                rules={[
                  {
                    required: true,
                    type: 'array',
                    min: 1,
                    message: t({
                      zh: `第 ${i + 1} 天请至少安排一个城区`,
                      en: `Day ${i + 1} needs at least one district`,
                    }),
                  },
                ]}
                style={{ marginBottom: 8 }}
              >
                <Select
                  mode="multiple"
                  id={`schedule-districts-${i}`}
                  data-testid={`schedule-districts-${i}`}
                  style={{ width: 240 }}
                  placeholder={t(L.org.urbanDistrict)}
                  options={options}
                  optionFilterProp="label"
                />
              </Form.Item>
              <Button
                icon={<DeleteOutlined />}
                aria-label={t({ zh: `删除第 ${i + 1} 天`, en: `Remove day ${i + 1}` })}
                onClick={() => remove(f.name)}
                data-testid={`schedule-remove-${i}`}
              />
            </Space>
          ))}
          <Button
            type="dashed"
            icon={<PlusOutlined />}
            onClick={() => add({ date: null, regionIds: [] })}
            data-testid="schedule-add"
          >
            {t({ zh: '添加一天', en: 'Add a day' })}
          </Button>
          <Form.ErrorList errors={errors} />
        </div>
      )}
    </Form.List>
  );
}
