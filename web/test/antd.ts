import { screen, waitFor, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';

/**
 * Working antd 6's pickers the way a person does — open the drop-down, click the option — for
 * component tests. Each takes the field (any element inside the `.ant-select`, e.g. its input by
 * id, or the element carrying the data-testid).
 */

function selectRoot(field: HTMLElement): HTMLElement {
  const root = field.closest<HTMLElement>('.ant-select') ?? field.querySelector('.ant-select');
  if (!root) throw new Error('not inside an antd Select');
  return root;
}

/** The drop-down that is open now (closed ones stay in the document, hidden). */
async function openDropdown(): Promise<HTMLElement> {
  return waitFor(() => {
    const open = [...document.querySelectorAll<HTMLElement>('.ant-select-dropdown')].filter(
      (d) => !d.className.includes('-hidden') && !d.className.includes('-leave'),
    );
    if (open.length === 0) throw new Error('no drop-down open');
    return open[open.length - 1]!;
  });
}

/** Opens the Select or TreeSelect. */
export async function openSelect(user: UserEvent, field: HTMLElement): Promise<HTMLElement> {
  const root = selectRoot(field);
  await user.click(root.querySelector('input') ?? root);
  return openDropdown();
}

/** Picks the option with this label in a Select (and, for a multiple one, leaves it open). */
export async function pickOption(user: UserEvent, field: HTMLElement, label: string | RegExp) {
  const dropdown = await openSelect(user, field);
  const option = await waitFor(() => {
    const found = [...dropdown.querySelectorAll<HTMLElement>('.ant-select-item-option')].find((o) =>
      typeof label === 'string' ? o.textContent === label : label.test(o.textContent),
    );
    if (!found) throw new Error(`no option ${String(label)} in the drop-down`);
    return found;
  });
  await user.click(option);
}

/** Picks a node of a TreeSelect by its title, expanding closed branches until it shows. */
export async function pickTreeNode(user: UserEvent, field: HTMLElement, title: string) {
  const dropdown = await openSelect(user, field);
  for (let i = 0; i < 50; i++) {
    const node = dropdown.querySelector<HTMLElement>(
      `.ant-select-tree-node-content-wrapper[title="${title}"]`,
    );
    if (node) {
      await user.click(node);
      return;
    }
    const closed = dropdown.querySelector<HTMLElement>('.ant-select-tree-switcher_close');
    if (!closed) break;
    await user.click(closed);
  }
  throw new Error(`no tree node "${title}" in the drop-down`);
}

/** The labels shown as chosen in a Select or TreeSelect (single or multiple). */
export function chosen(field: HTMLElement): string[] {
  const root = selectRoot(field);
  const tags = root.querySelectorAll<HTMLElement>('.ant-select-selection-item');
  if (tags.length > 0) return [...tags].map((t) => t.getAttribute('title') ?? t.textContent);
  const single = root.querySelector<HTMLElement>('.ant-select-content-has-value');
  return single ? [single.getAttribute('title') ?? single.textContent] : [];
}

/**
 * Replaces a text field's content with this text in one go, as a paste (or an input method
 * committing a phrase) does: typing Chinese key by key is neither what people do nor fast.
 */
export async function fill(user: UserEvent, field: HTMLElement, text: string) {
  await user.clear(field);
  await user.click(field);
  await user.paste(text);
}

/** The form item (label and control) whose label reads this. */
export function formItem(
  label: string | RegExp,
  container: HTMLElement = document.body,
): HTMLElement {
  const l = within(container).getByText(label, { selector: 'label' });
  const item = l.closest<HTMLElement>('.ant-form-item');
  if (!item) throw new Error(`label ${String(label)} is not in a form item`);
  return item;
}

/** The button of an open Modal, by its text (antd puts a space between two Chinese characters). */
export function modalButton(name: string | RegExp): HTMLButtonElement {
  const pattern = typeof name === 'string' ? new RegExp(`^${[...name].join('\\s?')}$`) : name;
  return screen.getByRole('button', { name: pattern });
}
