#!/usr/bin/env bash
# Deploys a rendered plan (node deploy/dist/render-ecs.js ... --out <dir>) to ECS Fargate:
# registers every task definition, creates the Kafka topics that are missing, runs each service's
# migration task to completion, then points the service at its new task definition and waits until
# every service is stable. ECS replaces tasks one by one (minimum healthy 100 %, maximum 200 %): old
# tasks serve until new ones pass their health checks, and the circuit breaker rolls a failing
# deployment back.
#
#   deploy.sh <dir>
#
# Environment: ECS_CLUSTER, ECS_SUBNETS (comma-separated), ECS_SECURITY_GROUPS (comma-separated),
# and the AWS credentials and region. ECS services are named after the components (gateway, ...).
set -euo pipefail
dir="${1:?usage: deploy.sh <rendered dir>}"
: "${ECS_CLUSTER:?set ECS_CLUSTER}" "${ECS_SUBNETS:?set ECS_SUBNETS}" "${ECS_SECURITY_GROUPS:?set ECS_SECURITY_GROUPS}"
network="awsvpcConfiguration={subnets=[$ECS_SUBNETS],securityGroups=[$ECS_SECURITY_GROUPS],assignPublicIp=DISABLED}"

# run_task <task definition arn> <what>: runs a one-off Fargate task to completion; fails unless it
# exits 0.
run_task() {
  local task code
  task="$(aws ecs run-task --cluster "$ECS_CLUSTER" --launch-type FARGATE \
    --task-definition "$1" --network-configuration "$network" \
    --query 'tasks[0].taskArn' --output text)"
  aws ecs wait tasks-stopped --cluster "$ECS_CLUSTER" --tasks "$task"
  code="$(aws ecs describe-tasks --cluster "$ECS_CLUSTER" --tasks "$task" \
    --query 'tasks[0].containers[0].exitCode' --output text)"
  if [[ "$code" != 0 ]]; then
    echo "$2 failed (exit $code; logs in CloudWatch): no service was changed past this point" >&2
    exit 1
  fi
}

declare -A arn=()
for file in "$dir"/*.json; do
  [[ "$(basename "$file")" == plan.json ]] && continue
  family="$(jq -r .family "$file")"
  arn[$family]="$(aws ecs register-task-definition --cli-input-json "file://$file" \
    --query taskDefinition.taskDefinitionArn --output text)"
  echo "registered ${arn[$family]}"
done

while read -r family; do
  echo "running $family"
  run_task "${arn[$family]}" "$family"
done < <(jq -r '.beforeServices[]' "$dir/plan.json")

services=()
while read -r entry; do
  name="$(jq -r .name <<<"$entry")"
  family="$(jq -r .family <<<"$entry")"
  migration="$(jq -r '.migrationFamily // empty' <<<"$entry")"
  if [[ -n "$migration" ]]; then
    echo "migrating $name"
    run_task "${arn[$migration]}" "the migrations of $name"
  fi
  aws ecs update-service --cluster "$ECS_CLUSTER" --service "$name" --task-definition "${arn[$family]}" \
    --deployment-configuration 'deploymentCircuitBreaker={enable=true,rollback=true},minimumHealthyPercent=100,maximumPercent=200' \
    --query 'service.serviceName' --output text
  # The seed's scaling metrics: average CPU above 70 %, memory above 80 % (values: autoscaling).
  if jq -e .autoscaling <<<"$entry" >/dev/null; then
    resource="service/$ECS_CLUSTER/$name"
    aws application-autoscaling register-scalable-target --service-namespace ecs \
      --scalable-dimension ecs:service:DesiredCount --resource-id "$resource" \
      --min-capacity "$(jq -r .autoscaling.minCapacity <<<"$entry")" \
      --max-capacity "$(jq -r .autoscaling.maxCapacity <<<"$entry")"
    for metric in CPU Memory; do
      target="$(jq -r ".autoscaling.${metric,,}Percent" <<<"$entry")"
      aws application-autoscaling put-scaling-policy --service-namespace ecs \
        --scalable-dimension ecs:service:DesiredCount --resource-id "$resource" \
        --policy-name "$name-$metric" --policy-type TargetTrackingScaling \
        --target-tracking-scaling-policy-configuration \
        "{\"TargetValue\": $target, \"PredefinedMetricSpecification\": {\"PredefinedMetricType\": \"ECSServiceAverage${metric}Utilization\"}, \"ScaleInCooldown\": 300, \"ScaleOutCooldown\": 60}" \
        --query PolicyARN --output text
    done
  fi
  services+=("$name")
done < <(jq -c '.services[]' "$dir/plan.json")

echo "waiting for ${services[*]} to be stable"
aws ecs wait services-stable --cluster "$ECS_CLUSTER" --services "${services[@]}"
