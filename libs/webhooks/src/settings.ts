import { booleanSetting, SettingError, type Setting } from '@longhaul/config';
import { parseCidrList, type Cidr } from '@longhaul/outbound';
import { secretsKeySetting } from './secret-box';

/** Ranges webhooks may reach although the outbound rules refuse them (none by default). */
export function cidrListSetting(variable: string): Setting<Cidr[]> {
  return {
    variable,
    describe: 'comma-separated CIDR ranges',
    parse(raw) {
      if (raw === undefined || raw.trim() === '') return [];
      if (raw.length > 2_000) throw new SettingError('must be at most 2000 characters');
      try {
        return parseCidrList(raw);
      } catch (err) {
        throw new SettingError((err as Error).message);
      }
    },
  };
}

/**
 * The settings ingress (which checks webhook URLs and seals secrets) and the notifier (which
 * delivers and signs) must share: the same outbound rules and the same sealing key.
 */
export const webhookSettings = {
  /** 32 bytes, base64: encrypts webhook secrets at rest (AES-256-GCM). */
  secretsKey: secretsKeySetting('LONGHAUL_SECRETS_KEY'),
  webhookAllowHttp: booleanSetting('LONGHAUL_WEBHOOK_ALLOW_HTTP', false),
  webhookAllowCidrs: cidrListSetting('LONGHAUL_WEBHOOK_ALLOW_CIDRS'),
} as const;
