import { describe, expect, it } from 'vitest';
import { scrubSecrets } from './redact';

describe('scrubSecrets', () => {
  it('removes webhook secrets, URL passwords and bearer tokens', () => {
    const text =
      'signing with whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw failed; ' +
      'connect mongodb://app:s3cr3t%40x@db:27017/longhaul refused; ' +
      'header Authorization: Bearer acme_test_key_0123456789abcdefghijklmnop';
    const out = scrubSecrets(text);
    expect(out).not.toContain('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(out).not.toContain('s3cr3t');
    expect(out).not.toContain('acme_test_key');
    expect(out).toContain('mongodb://app:[redacted]@db:27017/longhaul');
    expect(out).toContain('whsec_[redacted]');
    expect(out).toContain('Bearer [redacted]');
  });

  it('leaves ordinary text alone', () => {
    const text = 'connect ECONNREFUSED 127.0.0.1:27017 (http://registry:8081/apis, job 01J0ABC)';
    expect(scrubSecrets(text)).toBe(text);
  });
});
