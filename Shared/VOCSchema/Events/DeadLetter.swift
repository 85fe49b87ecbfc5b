import Foundation

/// A record a stage could not process (`voc.deadletter.v1`, key: the original key).
/// It carries everything needed to replay the record unchanged onto its topic.
public struct DeadLetter: VOCEvent {
    public static let topic = Topic.deadLetter

    public struct Header: Codable, Sendable, Equatable {
        public var name: String
        /// Base64, since header values are bytes.
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Derived from topic, partition, offset and stage: a record redelivered to a stage
    /// that failed it again yields the same dead letter.
    public var deadLetterId: String
    public var stage: String
    public var originalTopic: String
    public var partition: Int32
    public var offset: Int64
    /// Base64 of the original key, absent for unkeyed records.
    public var key: String?
    public var headers: [Header]
    /// Base64 of the original value: the exact bytes, for replay.
    public var value: String
    /// The original value as text when it is UTF-8, for people reading the topic.
    public var valueText: String?
    public var error: String
    /// `invalid` (the record breaks the contract: retrying cannot help) or `failed`
    /// (processing kept failing: replay once the cause is fixed).
    public var reason: Reason
    public var attempts: Int
    public var failedAt: Date

    public enum Reason: OpenEnum {
        case invalid, failed
        /// A reason added after this build, carried as sent.
        case unknown(String)

        public static let known: [Reason] = [.invalid, .failed]

        public init(rawValue: String) {
            switch rawValue {
            case "invalid": self = .invalid
            case "failed": self = .failed
            default: self = .unknown(rawValue)
            }
        }

        public var rawValue: String {
            switch self {
            case .invalid: "invalid"
            case .failed: "failed"
            case .unknown(let raw): raw
            }
        }
    }

    public init(stage: String, originalTopic: String, partition: Int32, offset: Int64, key: [UInt8]?,
                headers: [(name: String, value: [UInt8])], value: [UInt8], error: String, reason: Reason,
                attempts: Int, failedAt: Date) {
        self.deadLetterId = StableID.make("deadletter", stage, originalTopic, String(partition), String(offset))
        self.stage = stage
        self.originalTopic = originalTopic
        self.partition = partition
        self.offset = offset
        self.key = key.map { Data($0).base64EncodedString() }
        self.headers = headers.map { Header(name: $0.name, value: Data($0.value).base64EncodedString()) }
        self.value = Data(value).base64EncodedString()
        self.valueText = String(validating: value, as: UTF8.self)
        self.error = error
        self.reason = reason
        self.attempts = attempts
        self.failedAt = failedAt
    }

    /// The header `voc replay` adds to a replayed record: the dead letter's id.
    public static let replayedFromHeader = "voc-replayed-from"

    public var eventId: String { deadLetterId }
    public var subject: String { stage }
    public var eventTime: Date { failedAt }

    /// The original value bytes, or nil if the base64 is damaged.
    public var originalValue: [UInt8]? { Data(base64Encoded: value).map(Array.init) }
    public var originalKey: [UInt8]? { key.flatMap { Data(base64Encoded: $0) }.map(Array.init) }

    public func validate() throws(ValidationError) {
        var check = FieldChecker()
        check.identifier(stage, "stage")
        check.identifier(originalTopic, "originalTopic", maxLength: 249)
        if Data(base64Encoded: value) == nil { check.fail("value", "must be base64") }
        if partition < 0 { check.fail("partition", "must not be negative") }
        try check.throwIfAny()
    }
}
