export { checkAddress, checkWebhookUrl, type OutboundRules, type UrlCheck } from './webhook-url';
