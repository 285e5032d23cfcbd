/** Calling the route table from the page, and reading its answers. */
import { isRejectReason } from '../i18n/catalog.ts';
import { i18n } from '../i18n/locale.svelte.ts';

/** One call of the route table, as components receive it. */
export type RequestFn = (
  method: string,
  path: string,
  body?: unknown,
) => Promise<{ readonly status: number; readonly body: unknown }>;

/**
 * What to tell a person about a 4xx answer: the sentence for a typed rejection in the page's
 * language, else the node's `error` sentence, else the status.
 */
export function errorOf(answer: { readonly status: number; readonly body: unknown }): string {
  const { body } = answer;
  if (typeof body === 'object' && body !== null) {
    const { error, reason } = body as { error?: unknown; reason?: unknown };
    if (typeof reason === 'string' && isRejectReason(reason)) return i18n.t(`reject.${reason}`);
    if (typeof error === 'string') return error;
  }
  return `HTTP ${answer.status}`;
}

/** A call made by a button: a refusal is reported in the page's words. */
export async function callReporting(
  request: RequestFn,
  onError: (message: string) => void,
  method: string,
  path: string,
  body?: unknown,
): Promise<void> {
  const r = await request(method, path, body);
  if (r.status >= 400) onError(errorOf(r));
}
