{{/* Names and labels. */}}
{{- define "longhaul.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "longhaul.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else if contains (include "longhaul.name" .) .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "longhaul.name" .) | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "longhaul.selectorLabels" -}}
app.kubernetes.io/name: {{ include "longhaul.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "longhaul.labels" -}}
{{ include "longhaul.selectorLabels" . }}
app.kubernetes.io/part-of: longhaul
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end }}

{{- define "longhaul.image" -}}
{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}
{{- end }}

{{- define "longhaul.secretName" -}}
{{ default (printf "%s-secrets" (include "longhaul.fullname" .)) .Values.secrets.existingSecret }}
{{- end }}

{{/*
The processor's consumer group and request topic: the one place they are derived from
kafka.topicPrefix, for the processor's LONGHAUL_TOPIC_PREFIX and KEDA's trigger alike
(libs/kafka topicNames and consumerGroups name them the same way).
*/}}
{{- define "longhaul.processorGroup" -}}
{{ .Values.kafka.topicPrefix }}processor
{{- end }}

{{- define "longhaul.requestTopic" -}}
{{ .Values.kafka.topicPrefix }}jobs.requested
{{- end }}

{{/* The services the chart runs, with what differs between them. */}}
{{- define "longhaul.services" -}}
ingress:
  portName: http
  portEnv: LONGHAUL_HTTP_PORT
  secretKeys: [LONGHAUL_API_KEYS, LONGHAUL_ADMIN_KEYS, LONGHAUL_SECRETS_KEY]
processor:
  portName: ops
  portEnv: LONGHAUL_OPS_PORT
  secretKeys: []
projector:
  portName: ops
  portEnv: LONGHAUL_OPS_PORT
  secretKeys: []
notifier:
  portName: ops
  portEnv: LONGHAUL_OPS_PORT
  secretKeys: [LONGHAUL_SECRETS_KEY]
{{- end }}

{{- define "longhaul.port" -}}
{{- if eq .component "ingress" }}{{ .root.Values.ingress.port }}{{ else }}{{ (index .root.Values .component).opsPort }}{{ end }}
{{- end }}

{{/*
Settings every service (and the setup Job) reads, as a YAML map of plain values. Secrets are
never here: they come from the Secret (see longhaul.secretEnv).
*/}}
{{- define "longhaul.commonConfig" -}}
LONGHAUL_KAFKA_BROKERS: {{ .Values.kafka.bootstrapServers | quote }}
LONGHAUL_KAFKA_SASL_MECHANISM: {{ .Values.kafka.sasl.mechanism | quote }}
LONGHAUL_KAFKA_TLS: {{ .Values.kafka.tls.enabled | quote }}
{{- if and .Values.kafka.tls.enabled .Values.kafka.tls.caSecret.name }}
LONGHAUL_KAFKA_TLS_CA_FILE: "/etc/longhaul/kafka-ca/{{ .Values.kafka.tls.caSecret.key }}"
{{- end }}
LONGHAUL_SCHEMA_REGISTRY_URL: {{ .Values.schemaRegistry.url | quote }}
LONGHAUL_MONGO_DATABASE: {{ .Values.mongo.database | quote }}
LONGHAUL_TOPIC_PREFIX: {{ .Values.kafka.topicPrefix | quote }}
LONGHAUL_REQUESTED_PARTITIONS: {{ .Values.kafka.requestedPartitions | quote }}
LONGHAUL_EVENTS_PARTITIONS: {{ .Values.kafka.eventsPartitions | quote }}
LONGHAUL_TOPIC_REPLICATION_FACTOR: {{ .Values.kafka.replicationFactor | quote }}
LONGHAUL_TOPIC_MIN_INSYNC_REPLICAS: {{ .Values.kafka.minInsyncReplicas | quote }}
LONGHAUL_TOPIC_RETENTION_HOURS: {{ .Values.kafka.retentionHours | quote }}
LONGHAUL_MAX_BODY_BYTES: {{ .Values.config.maxBodyBytes | quote }}
LONGHAUL_LOG_LEVEL: {{ .Values.config.logLevel | quote }}
LONGHAUL_SHUTDOWN_TIMEOUT_MS: {{ .Values.config.shutdownTimeoutMs | quote }}
{{- range $k, $v := .Values.config.env }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{- end }}

{{/* env entries for the secrets a component reads (and every component's Mongo URI and SASL). */}}
{{- define "longhaul.secretEnv" -}}
{{- $secret := include "longhaul.secretName" .root }}
{{- $keys := .keys }}
{{- if .mongo }}{{ $keys = append $keys "LONGHAUL_MONGO_URL" }}{{ end }}
{{- if ne .root.Values.kafka.sasl.mechanism "none" }}
{{- $keys = concat $keys (list "LONGHAUL_KAFKA_SASL_USERNAME" "LONGHAUL_KAFKA_SASL_PASSWORD") }}
{{- end }}
{{- range $keys }}
- name: {{ . }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ . }}
      {{- if eq . "LONGHAUL_ADMIN_KEYS" }}
      optional: true
      {{- end }}
{{- end }}
{{- end }}

{{/* The container securityContext every container gets. */}}
{{- define "longhaul.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "longhaul.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* Volumes every pod mounts: a small writable /tmp, and the Kafka CA when given. */}}
{{- define "longhaul.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- if and .Values.kafka.tls.enabled .Values.kafka.tls.caSecret.name }}
- name: kafka-ca
  secret:
    secretName: {{ .Values.kafka.tls.caSecret.name }}
    items:
      - key: {{ .Values.kafka.tls.caSecret.key }}
        path: {{ .Values.kafka.tls.caSecret.key }}
{{- end }}
{{- end }}

{{- define "longhaul.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if and .Values.kafka.tls.enabled .Values.kafka.tls.caSecret.name }}
- name: kafka-ca
  mountPath: /etc/longhaul/kafka-ca
  readOnly: true
{{- end }}
{{- end }}
