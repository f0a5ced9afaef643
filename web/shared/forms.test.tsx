import type { FormInstance } from 'antd';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './api.js';
import { applyFieldErrors } from './forms.js';

// The server words a field's error "中文 / English"; a form shows it in the app's language.

function formSpy() {
  const setFields = vi.fn();
  return { form: { setFields } as unknown as FormInstance, setFields };
}

const refused = () =>
  new ApiError(
    400,
    'invalid',
    '“责任单位”角色的用户必须指定所属单位',
    'a user with the unit role needs a unit',
    [
      { path: 'unitId', message: '“责任单位”角色须指定所属单位 / required for the unit role' },
      { path: 'body.name.0', message: '至少 2 个字 / at least 2 characters' },
    ],
  );

afterEach(() => localStorage.clear());

describe('applyFieldErrors', () => {
  it('puts each field error on its field, in Chinese by default', () => {
    const { form, setFields } = formSpy();
    expect(applyFieldErrors(form, refused())).toBe(true);
    expect(setFields).toHaveBeenCalledWith([
      { name: 'unitId', errors: ['“责任单位”角色须指定所属单位'] },
      { name: 'name', errors: ['至少 2 个字'] },
    ]);
  });

  it('in English when the app is set to English', () => {
    localStorage.setItem('cc.lang', 'en');
    const { form, setFields } = formSpy();
    applyFieldErrors(form, refused());
    expect(setFields).toHaveBeenCalledWith([
      { name: 'unitId', errors: ['required for the unit role'] },
      { name: 'name', errors: ['at least 2 characters'] },
    ]);
  });

  it('leaves the form alone for an error without fields', () => {
    const { form, setFields } = formSpy();
    expect(applyFieldErrors(form, new Error('network'))).toBe(false);
    expect(setFields).not.toHaveBeenCalled();
  });
});
