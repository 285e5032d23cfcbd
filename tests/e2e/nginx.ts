/** Running Debian's nginx in the end-to-end tests, with everything it writes kept in one folder. */
import { join } from 'node:path';

/**
 * A minimal main configuration around `server` (one or more `server { … }` blocks): one worker,
 * in the foreground, with its pid, logs and temporary files in `dir`.
 */
export function nginxMainConfig(dir: string, server: string): string {
  const temp = (name: string) => `${name}_temp_path ${join(dir, name)};`;
  return [
    // Run as root (as CI does), nginx's workers would switch to "nobody"; keep the caller's user.
    process.getuid?.() === 0 ? 'user root;' : '',
    'worker_processes 1;',
    'daemon off;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} warn;`,
    'events {}',
    'http {',
    '    include /etc/nginx/mime.types;',
    '    default_type application/octet-stream;',
    '    access_log off;',
    `    ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n    ')}`,
    server,
    '}',
  ].join('\n');
}
