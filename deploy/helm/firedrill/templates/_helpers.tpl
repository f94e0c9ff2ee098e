{{/*
Names and shared pieces of the chart's objects. The shared planes live in the release's namespace;
each team's shop in a namespace of its own.
*/}}

{{/* The namespace of a team's shop: (dict "root" $ "team" $team). */}}
{{- define "firedrill.teamNamespace" -}}
{{- printf "%s-team-%s" .root.Release.Name .team -}}
{{- end -}}

{{/* Labels of every object of the chart. */}}
{{- define "firedrill.labels" -}}
app.kubernetes.io/part-of: firedrill
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Labels of a per-team object, wherever it lives: (dict "root" $ "team" $team "component" "api"). */}}
{{- define "firedrill.teamLabels" -}}
{{ include "firedrill.labels" .root }}
firedrill.dev/team: {{ .team }}
app.kubernetes.io/name: {{ .component }}
{{- end -}}

{{/* The selector of a per-team workload's pods (a subset of firedrill.teamLabels). */}}
{{- define "firedrill.teamSelector" -}}
app.kubernetes.io/instance: {{ .root.Release.Name }}
firedrill.dev/team: {{ .team }}
app.kubernetes.io/name: {{ .component }}
{{- end -}}

{{/* Labels of a shared object (one per class): (dict "root" $ "component" "prometheus"). */}}
{{- define "firedrill.sharedLabels" -}}
{{ include "firedrill.labels" .root }}
app.kubernetes.io/name: {{ .component }}
{{- end -}}

{{- define "firedrill.sharedSelector" -}}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/name: {{ .component }}
{{- end -}}

{{/* One of the lab's own images: (dict "root" $ "service" "api"). */}}
{{- define "firedrill.image" -}}
{{- printf "%s/%s:%s" .root.Values.image.repository .service .root.Values.image.tag -}}
{{- end -}}

{{/*
A generated secret value that survives upgrades: the value already in the cluster (lookup), else
one generated for this render. Memoised per render under .root.Values, so two Secrets that must
hold the same value (a team's agent token, in the team's namespace and beside its controller) get
the same one. (dict "root" $ "namespace" ns "secret" name "key" key)
*/}}
{{- define "firedrill.secretValue" -}}
{{- if not (hasKey .root.Values "_generated") -}}
{{- $_ := set .root.Values "_generated" dict -}}
{{- end -}}
{{- $id := printf "%s/%s/%s" .namespace .secret .key -}}
{{- if not (hasKey .root.Values._generated $id) -}}
{{- $existing := lookup "v1" "Secret" .namespace .secret -}}
{{- $value := "" -}}
{{- if and $existing (hasKey ($existing.data | default dict) .key) -}}
{{- $value = index $existing.data .key | b64dec -}}
{{- else -}}
{{- $value = randAlphaNum 48 -}}
{{- end -}}
{{- $_ := set .root.Values._generated $id $value -}}
{{- end -}}
{{- index .root.Values._generated $id -}}
{{- end -}}

{{/* The shared planes' Secret: the generated one, or existingSecret. */}}
{{- define "firedrill.sharedSecretName" -}}
{{- .Values.existingSecret | default (printf "%s-shared" .Release.Name) -}}
{{- end -}}

{{/* A team's shop Secret (Postgres and Redis passwords, the agent token), in the team's namespace. */}}
{{- define "firedrill.teamSecretName" -}}
firedrill-shop
{{- end -}}

{{/*
The copy of a team's shop Secret beside its chaos controller and training API, in the release's
namespace (a pod mounts Secrets of its own namespace only): (dict "root" $ "team" $team).
*/}}
{{- define "firedrill.teamCopySecretName" -}}
{{- printf "%s-team-%s" .root.Release.Name .team -}}
{{- end -}}

{{/* The security context of a container: never root, nothing written outside its volumes' mounts. */}}
{{- define "firedrill.containerSecurity" -}}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: {{ .readOnlyRoot | default false }}
  capabilities:
    drop: [ALL]
{{- end -}}

{{/* The pod's security context: a non-root user (the image's own), and its volumes owned by its group. */}}
{{- define "firedrill.podSecurity" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: {{ .uid }}
  runAsGroup: {{ .uid }}
  fsGroup: {{ .uid }}
  seccompProfile:
    type: RuntimeDefault
{{- end -}}

{{/*
HTTP liveness and readiness probes, as compose's healthchecks (every 5 s, 3 s timeout, 3 tries,
a start period): (dict "port" 7400 "live" "/api/health/live" "ready" "/api/health/ready").
*/}}
{{- define "firedrill.httpProbes" -}}
startupProbe:
  httpGet: { path: {{ .live }}, port: {{ .port }} }
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 12
livenessProbe:
  httpGet: { path: {{ .live }}, port: {{ .port }} }
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet: { path: {{ .ready }}, port: {{ .port }} }
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 3
{{- end -}}

{{/* The environment every lab process's container gets, as compose sets it. */}}
{{- define "firedrill.nodeEnv" -}}
- { name: HOST, value: 0.0.0.0 }
- { name: PORT, value: {{ .port | quote }} }
- { name: LOG_LEVEL, value: info }
{{- end -}}

{{/*
A password or token from a Secret as an environment variable; later variables compose it into a
URL with Kubernetes' $(NAME) expansion, so no manifest ever holds the value.
(dict "name" "POSTGRES_PASSWORD" "secret" "firedrill-shop" "key" "postgres-password")
*/}}
{{- define "firedrill.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef: { name: {{ .secret }}, key: {{ .key }} }
{{- end -}}

{{/* A team's database in the lab's Postgres (runs, incidents, faults): lab_<team>. */}}
{{- define "firedrill.labDatabase" -}}
{{- printf "lab_%s" (. | replace "-" "_") -}}
{{- end -}}

{{/*
The init container of a lab process that needs its team's lab database: it waits for the lab's
Postgres and creates the database if missing (as compose's postgres-init does), so a team added by
an upgrade gets its database too. (dict "root" $ "team" $team)
*/}}
{{- define "firedrill.labDatabaseInit" -}}
- name: lab-database
  image: {{ .root.Values.images.postgres }}
  command:
    - sh
    - -c
    - |
      until pg_isready -h lab-postgres -U postgres -d postgres; do sleep 2; done
      psql -h lab-postgres -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '{{ include "firedrill.labDatabase" .team }}'" | grep -q 1 \
        || psql -h lab-postgres -U postgres -d postgres -v ON_ERROR_STOP=1 -c 'CREATE DATABASE {{ include "firedrill.labDatabase" .team }}'
  env:
    {{- include "firedrill.secretEnv" (dict "name" "PGPASSWORD" "secret" (include "firedrill.sharedSecretName" .root) "key" "lab-postgres-password") | nindent 4 }}
  resources: {{ toYaml .root.Values.resources.init | nindent 4 }}
  {{- include "firedrill.containerSecurity" (dict "readOnlyRoot" true) | nindent 2 }}
{{- end -}}
