/** Reading route-table answers in the page. */

/** The `error` sentence of a 4xx answer, or the status when there is none. */
export function errorOf(answer: { readonly status: number; readonly body: unknown }): string {
  const { body } = answer;
  if (typeof body === 'object' && body !== null) {
    const error = (body as { error?: unknown }).error;
    if (typeof error === 'string') return error;
  }
  return `HTTP ${answer.status}`;
}
