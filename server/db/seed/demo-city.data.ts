import type { TUnitType } from '../../../core/contracts/org.js';
import type { TRole } from '../../../core/permissions.js';

/** 示范市: an invented city (code prefix 99 belongs to no real province). */
export const DEMO_CITY = { code: '990100', name: '示范市' };

export const DEMO_DISTRICTS: {
  code: string;
  name: string;
  streets: { name: string; communities: string[] }[];
}[] = [
  {
    code: '990102',
    name: '东湖区',
    streets: [
      { name: '湖滨街道', communities: ['湖滨社区', '柳岸社区', '望湖社区', '渔港社区'] },
      { name: '解放路街道', communities: ['解放社区', '红旗社区', '胜利社区'] },
      { name: '东门街道', communities: ['东门社区', '城隍庙社区', '文昌社区', '青石巷社区'] },
      { name: '新港镇', communities: ['新港村', '码头村', '芦花村'] },
      { name: '樱花街道', communities: ['樱花社区', '春晖社区', '花园社区'] },
    ],
  },
  {
    code: '990103',
    name: '西城区',
    streets: [
      { name: '西关街道', communities: ['西关社区', '鼓楼社区', '钟楼社区', '书院社区'] },
      { name: '长安街道', communities: ['长安社区', '平安社区', '永宁社区'] },
      { name: '丝路街道', communities: ['驼铃社区', '驿站社区', '丝绸社区'] },
      { name: '白杨镇', communities: ['白杨村', '杏花村', '槐树村'] },
    ],
  },
  {
    code: '990104',
    name: '南山区',
    streets: [
      { name: '高新街道', communities: ['创业社区', '科技社区', '软件园社区', '未来社区'] },
      { name: '南山街道', communities: ['南山社区', '翠竹社区', '松涛社区'] },
      { name: '滨江街道', communities: ['滨江社区', '江畔社区', '观澜社区'] },
      { name: '石桥镇', communities: ['石桥村', '桃园村', '稻香村'] },
    ],
  },
];

/** City-level departments and institutions. Region is the city unless `district` names one. */
export const DEMO_UNITS: {
  code: string;
  name: string;
  /** 简称: how sheets name the unit (任务分解表 imports match it). */
  short?: string;
  type: TUnitType;
  district?: string;
  parent?: string;
}[] = [
  { code: 'SW-XCB', name: '市委宣传部', type: 'party_committee' },
  { code: 'SW-WMB', name: '市文明办', type: 'party_committee', parent: 'SW-XCB' },
  { code: 'SW-ZZB', name: '市委组织部', type: 'party_committee' },
  { code: 'SW-ZFW', name: '市委政法委', type: 'party_committee' },
  { code: 'SW-WXB', name: '市委网信办', type: 'party_committee' },
  { code: 'SZF-BGS', name: '市政府办公室', type: 'government_department' },
  { code: 'SZF-JYJ', name: '市教育局', type: 'government_department' },
  { code: 'SZF-GAJ', name: '市公安局', type: 'government_department' },
  {
    code: 'SZF-JJZD',
    name: '市公安局交通警察支队',
    short: '公安交警',
    type: 'government_department',
    parent: 'SZF-GAJ',
  },
  { code: 'SZF-MZJ', name: '市民政局', type: 'government_department' },
  { code: 'SZF-SFJ', name: '市司法局', type: 'government_department' },
  { code: 'SZF-CZJ', name: '市财政局', type: 'government_department' },
  {
    code: 'SZF-RSJ',
    name: '市人力资源和社会保障局',
    short: '人社局',
    type: 'government_department',
  },
  {
    code: 'SZF-ZRZY',
    name: '市自然资源和规划局',
    short: '自然资源局',
    type: 'government_department',
  },
  { code: 'SZF-STHJ', name: '市生态环境局', short: '生态环境局', type: 'government_department' },
  { code: 'SZF-ZJJ', name: '市住房和城乡建设局', short: '住建局', type: 'government_department' },
  { code: 'SZF-JTJ', name: '市交通运输局', type: 'government_department' },
  { code: 'SZF-SLJ', name: '市水利局', type: 'government_department' },
  { code: 'SZF-NYJ', name: '市农业农村局', type: 'government_department' },
  { code: 'SZF-SWJ', name: '市商务局', type: 'government_department' },
  { code: 'SZF-WLJ', name: '市文化广电旅游局', short: '文旅局', type: 'government_department' },
  { code: 'SZF-WJW', name: '市卫生健康委员会', short: '卫健委', type: 'government_department' },
  { code: 'SZF-YJJ', name: '市应急管理局', type: 'government_department' },
  { code: 'SZF-SCJ', name: '市市场监督管理局', short: '市场监管局', type: 'government_department' },
  { code: 'SZF-CGJ', name: '市城市管理综合执法局', short: '城管局', type: 'government_department' },
  { code: 'SZF-YLJ', name: '市园林绿化局', type: 'government_department' },
  { code: 'SZF-TYJ', name: '市体育局', type: 'government_department' },
  { code: 'SZF-TJJ', name: '市统计局', type: 'government_department' },
  { code: 'SZF-YBJ', name: '市医疗保障局', type: 'government_department' },
  { code: 'SZF-XFJ', name: '市信访局', type: 'government_department' },
  {
    code: 'SZF-ZWFW',
    name: '市政务服务管理局',
    short: '政务服务中心',
    type: 'government_department',
  },
  {
    code: 'SZF-12345',
    name: '市12345政务服务便民热线中心',
    type: 'public_institution',
    parent: 'SZF-ZWFW',
  },
  { code: 'SY-RMT', name: '市融媒体中心', short: '融媒体中心', type: 'public_institution' },
  { code: 'SY-TSG', name: '市图书馆', type: 'public_institution' },
  { code: 'SY-BWG', name: '市博物馆', type: 'public_institution' },
  { code: 'QT-TSW', name: '团市委', short: '团委', type: 'social_organization' },
  { code: 'QT-FL', name: '市妇女联合会', type: 'social_organization' },
  { code: 'QT-ZGH', name: '市总工会', type: 'social_organization' },
  { code: 'QT-HSZ', name: '市红十字会', type: 'social_organization' },
  { code: 'QT-ZYZ', name: '市志愿服务联合会', type: 'social_organization' },
  { code: 'QT-XFZD', name: '市消防救援支队', short: '消防救援', type: 'other' },
  { code: 'GQ-GJ', name: '示范市公交集团', type: 'state_enterprise' },
  { code: 'GQ-SW', name: '示范市水务集团', type: 'state_enterprise' },
  { code: 'GQ-RQ', name: '示范市燃气有限公司', type: 'state_enterprise' },
  { code: 'GQ-GD', name: '国网示范市供电公司', type: 'state_enterprise' },
  { code: 'GQ-CT', name: '示范市城市投资发展集团', type: 'state_enterprise' },
  { code: 'QY-HCZ', name: '示范市火车站', type: 'state_enterprise' },
  { code: 'QY-WD', name: '万达广场（示范市店）', type: 'enterprise', district: '南山区' },
  { code: 'QY-NMSC', name: '东湖农贸市场管理有限公司', type: 'enterprise', district: '东湖区' },
  { code: 'YY-RMYY', name: '示范市人民医院', type: 'hospital' },
  { code: 'YY-ZYY', name: '示范市中医院', type: 'hospital', district: '西城区' },
  { code: 'YY-FYBJ', name: '示范市妇幼保健院', type: 'hospital', district: '东湖区' },
  { code: 'XX-YZ', name: '示范市第一中学', type: 'school', district: '东湖区' },
  { code: 'XX-SYXX', name: '示范市实验小学', type: 'school', district: '西城区' },
  { code: 'XX-NSXX', name: '南山区第二小学', type: 'school', district: '南山区' },
  { code: 'XX-ZYXY', name: '示范职业技术学院', type: 'school', district: '南山区' },
];

export const DEMO_PASSWORD = 'Demo@2026';

export const DEMO_USERS: {
  username: string;
  name: string;
  phone: string;
  roles: TRole[];
  unit?: string;
  /**
   * Where the roles are held: the city, 东湖区 (the first district), 湖滨街道 (its first street) or
   * 湖滨社区 (that street's first community). An office held at a district or street is that
   * level's 创建办 and sees its subtree only.
   */
  region?: 'city' | 'district' | 'street' | 'community';
}[] = [
  { username: 'admin', name: '系统管理员', phone: '13900000001', roles: ['admin'], region: 'city' },
  {
    username: 'office',
    name: '王创建',
    phone: '13900000002',
    roles: ['office'],
    unit: 'SW-WMB',
    region: 'city',
  },
  {
    username: 'leader',
    name: '李分管',
    phone: '13900000003',
    roles: ['leader'],
    unit: 'SW-XCB',
    region: 'city',
  },
  {
    username: 'district',
    name: '吴区创',
    phone: '13900000008',
    roles: ['office'],
    unit: 'QX-990102',
    region: 'district',
  },
  {
    username: 'street',
    name: '郑街道',
    phone: '13900000009',
    roles: ['office'],
    unit: 'JD-990102001',
    region: 'street',
  },
  { username: 'unit', name: '赵联络', phone: '13900000004', roles: ['unit'], unit: 'SZF-CGJ' },
  {
    username: 'inspector',
    name: '钱测评',
    phone: '13900000005',
    roles: ['inspector'],
    unit: 'SW-WMB',
    region: 'city',
  },
  {
    username: 'grid',
    name: '孙网格',
    phone: '13900000006',
    roles: ['grid_worker'],
    region: 'community',
  },
  {
    username: 'surveyor',
    name: '周调查',
    phone: '13900000007',
    roles: ['surveyor'],
    unit: 'SZF-TJJ',
    region: 'district',
  },
];
