import CRdKafka
import Foundation
import Logging
import Synchronization

/// State librdkafka's callbacks reach through the client's opaque pointer.
final class RDKafkaCallbackContext: Sendable {
    let logger: Logger
    /// Set when librdkafka reports every broker down; cleared by any successful delivery.
    let allBrokersDown = Atomic<Bool>(false)
    /// Gauges the statistics feed, if the client has any.
    let metrics: KafkaClientMetrics?
    /// The last statistics report.
    let statistics = Mutex<KafkaStatistics?>(nil)

    init(logger: Logger, metrics: KafkaClientMetrics?) {
        self.logger = logger
        self.metrics = metrics
    }

    /// Takes in one statistics report (librdkafka's JSON).
    func receive(statistics json: UnsafeRawBufferPointer) {
        do {
            let parsed = try KafkaStatistics(json: json)
            statistics.withLock { $0 = parsed }
            metrics?.record(parsed)
        } catch {
            logger.debug("unreadable kafka statistics", metadata: ["error": "\(error)"])
        }
    }
}

/// Owns one `rd_kafka_t` and destroys it on `deinit`. No C type leaves this module.
final class RDKafkaClient: @unchecked Sendable {
    enum Kind {
        case producer, consumer
    }

    // Safe to share: librdkafka handles are thread-safe; the pointer never changes.
    let handle: OpaquePointer
    let context: RDKafkaCallbackContext
    private let contextPointer: UnsafeMutableRawPointer

    /// Creates the client from librdkafka properties (a typed configuration's
    /// `librdkafkaProperties`).
    /// - Parameters:
    ///   - metrics: Gauges to feed from statistics reports (`statistics.interval.ms`).
    ///   - configure: Sets callbacks on the `rd_kafka_conf_t` before creation.
    init(kind: Kind, properties: [String: String], logger: Logger, metrics: KafkaClientMetrics? = nil,
         configure: (OpaquePointer) -> Void = { _ in }) throws(KafkaError) {
        let conf = rd_kafka_conf_new()!
        do {
            try KafkaProperties.apply(properties, to: conf)
        } catch {
            rd_kafka_conf_destroy(conf)
            throw error
        }
        var errorBuffer = [CChar](repeating: 0, count: 512)
        let context = RDKafkaCallbackContext(logger: logger, metrics: metrics)
        let contextPointer = Unmanaged.passRetained(context).toOpaque()
        rd_kafka_conf_set_opaque(conf, contextPointer)
        rd_kafka_conf_set_log_cb(conf, rdKafkaLogCallback)
        rd_kafka_conf_set_error_cb(conf, rdKafkaErrorCallback)
        rd_kafka_conf_set_stats_cb(conf, rdKafkaStatisticsCallback)
        configure(conf)

        let type = kind == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER
        guard let handle = rd_kafka_new(type, conf, &errorBuffer, errorBuffer.count) else {
            // rd_kafka_new frees nothing on failure: the conf is still ours.
            rd_kafka_conf_destroy(conf)
            Unmanaged<RDKafkaCallbackContext>.fromOpaque(contextPointer).release()
            let detail = text(ofErrorBuffer: errorBuffer)
            throw KafkaError(code: .configuration, message: "creating the Kafka client: \(detail)")
        }
        self.handle = handle
        self.context = context
        self.contextPointer = contextPointer
    }

    deinit {
        rd_kafka_destroy(handle)
        Unmanaged<RDKafkaCallbackContext>.fromOpaque(contextPointer).release()
    }

    static func context(of rk: OpaquePointer?) -> RDKafkaCallbackContext? {
        guard let rk, let opaque = rd_kafka_opaque(rk) else { return nil }
        return Unmanaged<RDKafkaCallbackContext>.fromOpaque(opaque).takeUnretainedValue()
    }
}

private let rdKafkaLogCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
    rk, level, facility, message in
    guard let context = RDKafkaClient.context(of: rk) else { return }
    let text = message.map { String(cString: $0) } ?? ""
    let facilityText = facility.map { String(cString: $0) } ?? ""
    // syslog levels. librdkafka says LOG_ERR (3) for every refused connection, which
    // during a broker restart is expected, so it is a warning here.
    let logLevel: Logger.Level = level <= 2 ? .error : level <= 4 ? .warning : level <= 6 ? .info : .debug
    context.logger.log(level: logLevel, "\(text)", metadata: ["kafka.facility": "\(facilityText)"])
}

private let rdKafkaStatisticsCallback: @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, Int, UnsafeMutableRawPointer?) -> Int32 = {
    rk, json, length, _ in
    guard let json, let context = RDKafkaClient.context(of: rk) else { return 0 }
    context.receive(statistics: UnsafeRawBufferPointer(start: json, count: length))
    return 0  // librdkafka frees the JSON
}

private let rdKafkaErrorCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = {
    rk, err, reason, _ in
    guard let context = RDKafkaClient.context(of: rk) else { return }
    let code = rd_kafka_resp_err_t(rawValue: err)
    if code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN {
        context.allBrokersDown.store(true, ordering: .relaxed)
    }
    let text = reason.map { String(cString: $0) } ?? ""
    // Transport errors were already logged by the log callback; only state changes matter here.
    let level: Logger.Level = code == RD_KAFKA_RESP_ERR__FATAL ? .error
        : code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN ? .warning : .debug
    context.logger.log(level: level, "kafka client error", metadata: [
        "kafka.error": "\(String(cString: rd_kafka_err2name(code)))", "kafka.reason": "\(text)",
    ])
}

/// Copies a message's headers out of librdkafka's memory.
func rdKafkaHeaders(of message: UnsafeMutablePointer<rd_kafka_message_t>) -> [KafkaHeader] {
    var headers: OpaquePointer?
    guard rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR, let headers else { return [] }
    var result: [KafkaHeader] = []
    var index = 0
    while true {
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        guard rd_kafka_header_get_all(headers, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR else { break }
        let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) } ?? []
        result.append(KafkaHeader(name: name.map { String(cString: $0) } ?? "", value: bytes))
        index += 1
    }
    return result
}

/// The NUL-terminated message librdkafka wrote into an error buffer.
func text(ofErrorBuffer buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
