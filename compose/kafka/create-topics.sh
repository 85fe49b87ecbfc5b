#!/usr/bin/env bash
# One-shot topic job: creates the pipeline's topics on the compose cluster, or checks
# them when they exist. Replication 3 with min.insync.replicas 2 (acks=all survives one
# broker down); keyed topics get 6 partitions (a stage scales to 6 replicas).
# The dead-letter topic is kept for a year: each record there waits for a person to
# replay or discard it.
set -euo pipefail
bootstrap=${KAFKA_BOOTSTRAP:-kafka-1:9092}
kafka_topics=${KAFKA_TOPICS_BIN:-/opt/kafka/bin/kafka-topics.sh}
week=$((7 * 24 * 3600 * 1000))
# name partitions retention.ms
topics=(
    "voc.gateway.raw.v1 6 $week"
    "voc.interaction.received.v1 6 $((4 * week))"
    "voc.customer.updated.v1 6 -1"
    "voc.transcript.ready.v1 6 $((4 * week))"
    "voc.insight.produced.v1 6 $((4 * week))"
    "voc.ticket.event.v1 6 $((52 * week))"
    "voc.notification.requested.v1 6 $((4 * week))"
    "voc.notification.delivered.v1 6 $((4 * week))"
    "voc.deadletter.v1 1 $((52 * week))"
)
for spec in "${topics[@]}"; do
    read -r name partitions retention <<<"$spec"
    "$kafka_topics" --bootstrap-server "$bootstrap" --create --if-not-exists --topic "$name" \
        --partitions "$partitions" --replication-factor 3 \
        --config min.insync.replicas=2 --config retention.ms="$retention"
done
"$kafka_topics" --bootstrap-server "$bootstrap" --describe --topic 'voc\..*' | grep -c PartitionCount
echo "topics ready"
