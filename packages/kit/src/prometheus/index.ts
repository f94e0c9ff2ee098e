export { basicAuthorization, basicCredentialsOf, type BasicCredentials, ensureBasicCredentialsFile, readBasicCredentials } from './basic-credentials.ts';
export { type PrometheusClient, prometheusClient, prometheusClientFromSettings } from './prometheus-client.ts';
