export {
  checkAddress,
  checkWebhookUrl,
  parseCidrList,
  type Cidr,
  type OutboundRules,
  type UrlCheck,
} from './webhook-url';
export {
  createAgents,
  parseRetryAfter,
  sendWebhook,
  type Agents,
  type DeliveryOutcome,
  type DeliveryResult,
  type SendOptions,
} from './send';
