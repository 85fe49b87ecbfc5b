import CRdKafka

/// An error from Kafka: what failed, whether retrying can help, whether the client is
/// unusable.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        /// The local producer queue is full: back off and retry.
        case queueFull
        /// The broker did not acknowledge in time (unreachable, or all brokers down).
        case timedOut
        /// The broker refused the record or request.
        case broker(Int32)
        /// The client could not be configured or created.
        case configuration
        /// The client was closed.
        case closed
        /// Any other librdkafka error.
        case other(Int32)
    }

    public var code: Code
    public var message: String
    public var isRetriable: Bool
    public var isFatal: Bool
    public var file: String
    public var line: UInt

    public init(code: Code, message: String, isRetriable: Bool = false, isFatal: Bool = false,
                file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.message = message
        self.isRetriable = isRetriable
        self.isFatal = isFatal
        self.file = file
        self.line = line
    }

    public var description: String { "Kafka: \(message)" }

    static func from(_ err: rd_kafka_resp_err_t, context: String, file: String = #fileID, line: UInt = #line) -> KafkaError {
        let text = String(cString: rd_kafka_err2str(err))
        let name = String(cString: rd_kafka_err2name(err))
        let code: Code
        var retriable = false
        switch err {
        case RD_KAFKA_RESP_ERR__QUEUE_FULL:
            code = .queueFull
            retriable = true
        case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
             RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
            code = .timedOut
            retriable = true
        default:
            code = err.rawValue > 0 ? .broker(err.rawValue) : .other(err.rawValue)
            retriable = err == RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS || err == RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE
                || err == RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION
        }
        return KafkaError(code: code, message: "\(context): \(text) (\(name))", isRetriable: retriable,
                          isFatal: err == RD_KAFKA_RESP_ERR__FATAL, file: file, line: line)
    }
}
