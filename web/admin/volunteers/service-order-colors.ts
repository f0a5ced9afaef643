import type { TServiceOrderState } from '../../../core/service-orders/labels.js';

/** The tag colour of each state of a service order (点单派单), on the orders and the record. */
export const STATE_COLORS: Record<TServiceOrderState, string> = {
  ordered: 'gold',
  dispatched: 'blue',
  taken: 'cyan',
  on_site: 'geekblue',
  done: 'purple',
  confirmed: 'green',
  declined: 'default',
  cancelled: 'default',
};
