export {
  SettingError,
  booleanSetting,
  enumSetting,
  hostPortListSetting,
  intSetting,
  nameListSetting,
  portSetting,
  redactUrl,
  stringSetting,
  urlSetting,
  type Setting,
} from './settings';
export { ConfigError, loadConfig, type ConfigOf, type ConfigProblem, type ConfigSpec } from './load';
export { commonSettings, type CommonConfig } from './common';
