{{/* Names and labels. */}}
{{- define "learner.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "learner.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: learner-platform
{{- end -}}

{{/* selectorLabels: (dict "root" $ "component" "gateway") */}}
{{- define "learner.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "learner.secretName" -}}
{{- .Values.secrets.name | default (include "learner.fullname" .) -}}
{{- end -}}

{{- define "learner.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "learner.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{/* image: (dict "root" $ "component" "gateway") */}}
{{- define "learner.image" -}}
{{- $image := .root.Values.image -}}
{{- $repository := printf "%s/%s" $image.repository .component -}}
{{- if $image.registry }}{{ $repository = printf "%s/%s" $image.registry $repository }}{{ end -}}
{{- printf "%s:%s" $repository ($image.tag | default .root.Chart.AppVersion) -}}
{{- end -}}

{{/* A service's settings: serviceDefaults overlaid with its own entry. (dict "root" $ "name" "gateway") */}}
{{- define "learner.service" -}}
{{- $own := index .root.Values.services .name -}}
{{- toYaml (mustMergeOverwrite (deepCopy .root.Values.serviceDefaults) (deepCopy $own)) -}}
{{- end -}}

{{- define "learner.serviceUrl" -}}
{{- $svc := index .root.Values.services .name -}}
{{- printf "http://%s-%s:%v" (include "learner.fullname" .root) .name $svc.port -}}
{{- end -}}

{{- define "learner.embeddingsUrl" -}}
{{- if .Values.embeddings.enabled -}}
{{- printf "http://%s-embeddings:%v/v1" (include "learner.fullname" .) .Values.embeddings.port -}}
{{- else -}}
{{- .Values.embeddings.externalUrl -}}
{{- end -}}
{{- end -}}

{{/*
The environment of one service: what its `uses` entries ask for, then its own `env`. The same
rules are in deploy/src/settings.ts, which renders the ECS task definitions.
(dict "root" $ "name" "gateway")
*/}}
{{- define "learner.env" -}}
{{- $root := .root -}}
{{- $svc := index $root.Values.services .name -}}
{{- $uses := $svc.uses | default list -}}
{{- $secret := include "learner.secretName" $root -}}
{{- $plain := dict "PORT" (toString $svc.port) -}}
{{- $secrets := dict "DATABASE_URL" (printf "%s_DATABASE_URL" (upper .name)) "INTERNAL_TOKEN_SECRET" "INTERNAL_TOKEN_SECRET" "REDIS_URL" "REDIS_URL" -}}
{{- $optional := dict -}}
{{- if has "userTokens" $uses }}{{ $_ := set $secrets "JWT_SECRET" "JWT_SECRET" }}{{ end -}}
{{- if has "services" $uses -}}
{{- range $other, $_ := $root.Values.services -}}
{{- if ne $other $.name }}{{ $_ := set $plain (printf "%s_SERVICE_URL" (upper $other)) (include "learner.serviceUrl" (dict "root" $root "name" $other)) }}{{ end -}}
{{- end -}}
{{- end -}}
{{- if has "documentService" $uses }}{{ $_ := set $plain "DOCUMENT_SERVICE_URL" (include "learner.serviceUrl" (dict "root" $root "name" "document")) }}{{ end -}}
{{- if has "studyPackServices" $uses }}{{ $_ := set $plain "QUIZ_SERVICE_URL" (include "learner.serviceUrl" (dict "root" $root "name" "quiz")) }}{{ $_ := set $plain "TTS_SERVICE_URL" (include "learner.serviceUrl" (dict "root" $root "name" "tts")) }}{{ end -}}
{{- if or (has "publicBaseUrl" $uses) (has "objectStorage" $uses) }}{{ $_ := set $plain "PUBLIC_BASE_URL" $root.Values.publicBaseUrl }}{{ end -}}
{{- if has "events" $uses }}{{ $_ := set $plain "KAFKA_BOOTSTRAP_SERVERS" $root.Values.kafka.bootstrapServers }}{{ end -}}
{{- if has "objectStorage" $uses -}}
{{- $store := $root.Values.objectStorage -}}
{{- $_ := set $plain "S3_BUCKET" $store.bucket -}}
{{- $_ := set $plain "AWS_ENDPOINT_URL" $store.endpointUrl -}}
{{- $_ := set $plain "STORAGE_DIR" $store.localPath -}}
{{- $_ := set $secrets "STORAGE_SIGNING_SECRET" "STORAGE_SIGNING_SECRET" -}}
{{- end -}}
{{- if or (has "objectStorage" $uses) (has "aws" $uses) -}}
{{- $_ := set $plain "AWS_REGION" $root.Values.objectStorage.region -}}
{{- range $key := list "AWS_ACCESS_KEY_ID" "AWS_SECRET_ACCESS_KEY" "AWS_SESSION_TOKEN" }}{{ $_ := set $optional $key $key }}{{ end -}}
{{- end -}}
{{- if has "llm" $uses }}{{ $_ := set $optional "LLM_API_KEY" "LLM_API_KEY" }}{{ end -}}
{{- if has "embeddings" $uses -}}
{{- $_ := set $plain "EMBEDDINGS_BASE_URL" (include "learner.embeddingsUrl" $root) -}}
{{- $_ := set $optional "EMBEDDINGS_API_KEY" "EMBEDDINGS_API_KEY" -}}
{{- end -}}
{{- range $key, $value := $svc.env -}}
{{- if or (hasKey $plain $key) (hasKey $secrets $key) (hasKey $optional $key) -}}
{{- fail (printf "services.%s.env.%s is set by the chart from shared settings; remove it from env" $.name $key) -}}
{{- end -}}
{{- $_ := set $plain $key (toString $value) -}}
{{- end -}}
{{- range $key := keys $plain | sortAlpha }}
- name: {{ $key }}
  value: {{ index $plain $key | quote }}
{{- end }}
{{- range $key := keys $secrets | sortAlpha }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef: { name: {{ $secret }}, key: {{ index $secrets $key }} }
{{- end }}
{{- range $key := keys $optional | sortAlpha }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef: { name: {{ $secret }}, key: {{ index $optional $key }}, optional: true }
{{- end }}
{{- end -}}

{{/* Pod and container security: a non-root user, nothing writable but the mounted folders. */}}
{{- define "learner.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .uid | default 1000 }}
runAsGroup: {{ .uid | default 1000 }}
fsGroup: {{ .uid | default 1000 }}
seccompProfile: { type: RuntimeDefault }
{{- end -}}

{{- define "learner.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities: { drop: [ALL] }
{{- end -}}
