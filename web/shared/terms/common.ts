import type { L } from '../i18n.js';

/** Shared vocabulary: actions, fields and states that every page uses. */
export const common = {
  save: { zh: '保存', en: 'Save' },
  cancel: { zh: '取消', en: 'Cancel' },
  delete: { zh: '删除', en: 'Delete' },
  edit: { zh: '编辑', en: 'Edit' },
  modify: { zh: '修改', en: 'Edit' },
  add: { zh: '添加', en: 'Add' },
  create: { zh: '新建', en: 'New' },
  view: { zh: '查看', en: 'View' },
  close: { zh: '关闭', en: 'Close' },
  import: { zh: '导入', en: 'Import' },
  export: { zh: '导出', en: 'Export' },
  exportExcel: { zh: '导出 Excel', en: 'Export Excel' },
  publish: { zh: '发布', en: 'Publish' },
  published: { zh: '已发布', en: 'Published' },
  draft: { zh: '草稿', en: 'Draft' },
  saved: { zh: '已保存', en: 'Saved' },
  deleted: { zh: '已删除', en: 'Deleted' },
  confirmDelete: { zh: '确定删除？', en: 'Delete?' },
  required: { zh: '必填', en: 'Required' },
  aliases: { zh: '别名', en: 'Aliases' },
  ended: { zh: '已结束', en: 'Ended' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
  loadMore: { zh: '加载更多', en: 'Load more' },
  startedAt: { zh: '开始于', en: 'Started' },
  noGps: { zh: '未取得定位', en: 'No GPS position' },
  previousPage: { zh: '上一页', en: 'Previous' },
  nextPage: { zh: '下一页', en: 'Next' },
  /** A table's column of buttons for its row. */
  actions: { zh: '操作', en: 'Actions' },
  /** What an audit-log row records was done (one action, not the buttons). */
  operation: { zh: '操作', en: 'Action' },
  name: { zh: '名称', en: 'Name' },
  personName: { zh: '姓名', en: 'Name' },
  code: { zh: '编号', en: 'Code' },
  /**
   * 状态 is Status everywhere (it was State in 11 places). A round day's draw stages come labelled by
   * the server (stateLabel: 已公布承诺值…), so a workflow state needs no key of its own.
   */
  status: { zh: '状态', en: 'Status' },
  currentStatus: { zh: '当前状态', en: 'Current status' },
  /** 类型 is Type everywhere (it was Kind in 7 places). */
  type: { zh: '类型', en: 'Type' },
  category: { zh: '类别', en: 'Category' },
  notes: { zh: '备注', en: 'Notes' },
  note: { zh: '说明', en: 'Note' },
  reason: { zh: '原因', en: 'Reason' },
  /** Where a score or a point came from; a problem's 来源 is problems.channel. */
  source: { zh: '来源', en: 'Source' },
  time: { zh: '时间', en: 'Time' },
  date: { zh: '日期', en: 'Date' },
  year: { zh: '年度', en: 'Year' },
  period: { zh: '周期', en: 'Period' },
  deadline: { zh: '期限', en: 'Deadline' },
  timeLimit: { zh: '时限', en: 'Deadline' },
  overdue: { zh: '超期', en: 'Overdue' },
  dueSoon: { zh: '即将到期', en: 'Due soon' },
  title: { zh: '标题', en: 'Title' },
  text: { zh: '内容', en: 'Text' },
  address: { zh: '地址', en: 'Address' },
  detailedAddress: { zh: '详细地址', en: 'Address' },
  phone: { zh: '手机号', en: 'Phone' },
  contactPhone: { zh: '联系电话', en: 'Contact phone' },
  contact: { zh: '联系人', en: 'Contact' },
  active: { zh: '启用', en: 'Active' },
  /** The state (a tag, a filter option). */
  inactive: { zh: '停用', en: 'Inactive' },
  /** The action (a button that revokes or switches off). */
  deactivate: { zh: '停用', en: 'Deactivate' },
  deactivated: { zh: '已停用', en: 'Deactivated' },
  inUse: { zh: '在用', en: 'Active' },
  none: { zh: '无', en: 'None' },
  all: { zh: '全部', en: 'All' },
  yes: { zh: '是', en: 'Yes' },
  no: { zh: '否', en: 'No' },
  unknown: { zh: '未知', en: 'Unknown' },
  total: { zh: '合计', en: 'Total' },
  today: { zh: '今天', en: 'Today' },
  list: { zh: '列表', en: 'List' },
  field: { zh: '字段', en: 'Field' },
  value: { zh: '数值', en: 'Value' },
  result: { zh: '结果', en: 'Result' },
  target: { zh: '目标', en: 'Target' },
  level: { zh: '层级', en: 'Level' },
  dimension: { zh: '维度', en: 'Dimension' },
  row: { zh: '行', en: 'Row' },
  column: { zh: '列', en: 'Column' },
  latitude: { zh: '纬度', en: 'Latitude' },
  longitude: { zh: '经度', en: 'Longitude' },
  photos: { zh: '照片', en: 'Photos' },
  takePhoto: { zh: '拍照', en: 'Take a photo' },
  deletePhoto: { zh: '删除照片', en: 'Delete photo' },
  /** A heading or an axis: the quantity. */
  hours: { zh: '小时', en: 'Hours' },
  /** After a number: the unit (3.5 h). */
  hoursUnit: { zh: '小时', en: 'h' },
  /** The action (a button). */
  start: { zh: '开始', en: 'Start' },
  /** When something started (a column, a label). */
  started: { zh: '开始', en: 'Started' },
  /** Saved on the phone, waiting for the network. */
  toSync: { zh: '待同步', en: 'To sync' },
  /** The server refused a queued write. */
  refused: { zh: '被拒绝', en: 'Refused' },
  /**
   * The phone app's home: everything waiting for this user. The admin's 我的任务 is org.myAssignments.
   */
  myTasks: { zh: '我的任务', en: 'My tasks' },
  /** The action: correct a recorded value. */
  correct: { zh: '更正', en: 'Correct' },
  /** The record of a correction (a tag, a history entry). */
  correction: { zh: '更正', en: 'Correction' },
  corrected: { zh: '已更正', en: 'Corrected' },
  correctionReason: { zh: '更正原因', en: 'Reason' },
  correctionReasonRequired: { zh: '更正原因（必填）', en: 'Reason (required)' },
  giveCorrectionReason: { zh: '请填写更正原因', en: 'Give the reason for the correction' },
  submitCorrection: { zh: '提交更正', en: 'Submit correction' },
  role: { zh: '角色', en: 'Role' },
  username: { zh: '用户名', en: 'Username' },
  account: { zh: '账号', en: 'Username' },
  password: { zh: '密码', en: 'Password' },
  currentPassword: { zh: '当前密码', en: 'Current password' },
  newPassword: { zh: '新密码', en: 'New password' },
  confirmNewPassword: { zh: '确认新密码', en: 'Confirm new password' },
  changePassword: { zh: '修改密码', en: 'Change password' },
  signIn: { zh: '登录', en: 'Sign in' },
  signOut: { zh: '退出登录', en: 'Sign out' },
  enterUsername: { zh: '请输入账号', en: 'Enter your username' },
  enterPassword: { zh: '请输入密码', en: 'Enter your password' },
} as const satisfies Record<string, L>;
