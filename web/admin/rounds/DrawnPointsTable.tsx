import { Table } from 'antd';
import type { TDrawnPoint } from '../../../core/contracts/inspections.js';
import { L, useI18n } from '../../shared/i18n.js';

/** Drawn points in draw order, by name, type and district (区县), with their ids. */
export function DrawnPointsTable(props: { points: TDrawnPoint[]; testId: string }) {
  const { t } = useI18n();
  return (
    <Table<TDrawnPoint>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={props.points}
      data-testid={props.testId}
      columns={[
        {
          title: t({ zh: '序号', en: '#' }),
          width: 60,
          render: (_, _p, i) => i + 1,
        },
        { title: t(L.points.point), dataIndex: 'name' },
        {
          title: t(L.common.type),
          render: (_, p) => (p.typeCode ? `${p.typeName}（${p.typeCode}）` : ''),
        },
        {
          title: t(L.org.district),
          dataIndex: 'districtName',
          render: (v: string | null) => v ?? t({ zh: '未划区域', en: 'None' }),
        },
        { title: t(L.common.code), dataIndex: 'id', width: 80 },
      ]}
    />
  );
}
