/** API keys the integration tests configure their ingress with: two tenants and an admin. */
export const tenants = {
  acme: { tenant: 'acme', key: 'acme_test_key_0123456789abcdefghijklmnop' },
  globex: { tenant: 'globex', key: 'globex_test_key_0123456789abcdefghijklmno' },
} as const;

export const adminKey = 'admin_test_key_0123456789abcdefghijklmnopq';
