#ifndef VOC_CRDKAFKA_SHIM_H
#define VOC_CRDKAFKA_SHIM_H
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

/* rd_kafka_producev is variadic and rd_kafka_produceva takes a C union, neither of
 * which Swift can call directly; this wrapper gives Swift one flat signature. It takes
 * a topic handle, which saves librdkafka a lookup by name per record.
 * On success librdkafka takes ownership of `headers`; on failure the caller keeps it. */
static inline rd_kafka_resp_err_t voc_rd_kafka_produce(rd_kafka_t *rk, rd_kafka_topic_t *rkt,
                                                       const void *value, size_t value_len,
                                                       const void *key, size_t key_len,
                                                       rd_kafka_headers_t *headers,
                                                       void *opaque) {
    return rd_kafka_producev(rk,
                             RD_KAFKA_V_RKT(rkt),
                             RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                             RD_KAFKA_V_VALUE((void *)value, value_len),
                             RD_KAFKA_V_KEY(key, key_len),
                             RD_KAFKA_V_HEADERS(headers),
                             RD_KAFKA_V_OPAQUE(opaque),
                             RD_KAFKA_V_END);
}
#endif
