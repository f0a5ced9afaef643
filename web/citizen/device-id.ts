/** A random id this browser keeps: the per-device limits (reports, votes) count by it. */
export function deviceId(): string {
  const key = 'cc.deviceId';
  let id = localStorage.getItem(key);
  if (!id) {
    id = crypto.randomUUID();
    localStorage.setItem(key, id);
  }
  return id;
}
