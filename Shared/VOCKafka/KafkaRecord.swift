/// A record header: a name and bytes.
public struct KafkaHeader: Sendable, Equatable {
    public var name: String
    // Text headers (every CloudEvents attribute) keep their String, so producing one
    // does not copy it into an array first.
    private var storage: Storage

    private enum Storage: Sendable {
        case bytes([UInt8])
        case text(String)
    }

    public var value: [UInt8] {
        get {
            switch storage {
            case .bytes(let bytes): return bytes
            case .text(let text): return Array(text.utf8)
            }
        }
        set { storage = .bytes(newValue) }
    }

    public init(name: String, value: [UInt8]) {
        self.name = name
        self.storage = .bytes(value)
    }

    public init(name: String, string: String) {
        self.name = name
        self.storage = .text(string)
    }

    /// Calls `body` with the value's bytes, without copying them.
    func withValueBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        switch storage {
        case .bytes(let bytes):
            return bytes.withUnsafeBytes(body)
        case .text(var text):
            return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        }
    }

    public static func == (lhs: KafkaHeader, rhs: KafkaHeader) -> Bool {
        lhs.name == rhs.name && lhs.value == rhs.value
    }
}

/// A record to produce.
public struct ProducerRecord: Sendable {
    public var topic: String
    public var key: [UInt8]?
    public var value: [UInt8]
    public var headers: [KafkaHeader]

    public init(topic: String, key: [UInt8]?, value: [UInt8], headers: [KafkaHeader] = []) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
    }
}

/// A record read by a consumer.
public struct ConsumerRecord: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]?
    public var value: [UInt8]
    public var headers: [KafkaHeader]
    /// Milliseconds since the epoch, as set by the producer or broker.
    public var timestampMs: Int64?

    public init(topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8],
                headers: [KafkaHeader], timestampMs: Int64? = nil) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMs = timestampMs
    }

    public func header(_ name: String) -> String? {
        headers.last(where: { $0.name == name }).map { String(decoding: $0.value, as: UTF8.self) }
    }
}

/// Where a record was stored.
public struct DeliveryReport: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
}

/// A partition position to commit: the offset of the next record to read.
public struct TopicPartitionOffset: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64

    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
}
