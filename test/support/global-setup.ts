/**
 * Runs once before the test files. @pagerduty/pdjs only speaks HTTPS, so the
 * PagerDuty stand-in needs a certificate: a self-signed one is made here with
 * openssl and trusted through NODE_EXTRA_CA_CERTS, which every test process
 * (and its threads) reads at start-up because it is set before they fork.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function makeTestCertificate(): { cert: string; key: string } {
  const dir = join(tmpdir(), 'incident-bot-test-tls');
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  if (!existsSync(cert) || !existsSync(key)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '7',
      '-keyout', key, '-out', cert,
      '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ], { stdio: 'ignore' });
  }
  return { cert, key };
}

export default function setup(): void {
  const { cert, key } = makeTestCertificate();
  process.env.NODE_EXTRA_CA_CERTS = cert;
  process.env.PAGERDUTY_TEST_CERT = cert;
  process.env.PAGERDUTY_TEST_KEY = key;
}
