/// Records for one topic laid out in a single buffer, for producing many at once: keys,
/// values and header values are ranges of the buffer, and a value that every record
/// shares (a constant header) is stored once.
///
/// A thousand ``ProducerRecord``s cost several thousand allocations (value, key, header
/// list, header texts); a batch costs a few, and librdkafka copies what it keeps anyway.
public struct RecordBatch: Sendable {
    /// Where some bytes lie in the batch's buffer.
    public struct Span: Sendable, Equatable {
        @usableFromInline let start: Int
        @usableFromInline let count: Int

        @usableFromInline
        init(start: Int, count: Int) {
            self.start = start
            self.count = count
        }

        /// The bytes at `range` of this span's.
        @inlinable
        public func part(_ range: Range<Int>) -> Span {
            precondition(range.lowerBound >= 0 && range.upperBound <= count, "a part lies within its span")
            return Span(start: start + range.lowerBound, count: range.count)
        }
    }

    public let topic: String
    // Inlinable, with what they touch: a thousand records cost ten calls each otherwise.
    @usableFromInline var buffer: [UInt8] = []
    /// Per record: key (count -1 for none), value, then a name and a value per header.
    @usableFromInline var spans: [Span] = []
    /// Index in `spans` where each record starts.
    @usableFromInline var starts: [Int] = []

    public init(topic: String, records: Int = 0, bytes: Int = 0) {
        self.topic = topic
        buffer.reserveCapacity(bytes)
        spans.reserveCapacity(records * 18)  // key, value and eight headers
        starts.reserveCapacity(records)
    }

    public var count: Int { starts.count }

    /// Stores bytes for records to refer to.
    @inlinable
    public mutating func store(_ bytes: UnsafeBufferPointer<UInt8>) -> Span {
        let start = buffer.count
        // A typed buffer: appending it is one copy (a raw buffer is copied byte by byte).
        buffer.append(contentsOf: bytes)
        return Span(start: start, count: bytes.count)
    }

    @inlinable
    public mutating func store(_ bytes: UnsafeRawBufferPointer) -> Span {
        store(bytes.assumingMemoryBound(to: UInt8.self))
    }

    public mutating func store(_ bytes: [UInt8]) -> Span {
        bytes.withUnsafeBytes { store($0) }
    }

    public mutating func store(_ text: String) -> Span {
        var text = text
        return text.withUTF8 { store($0) }
    }

    /// Stores what `write` appends to the buffer.
    public mutating func store(_ write: (inout [UInt8]) -> Void) -> Span {
        let start = buffer.count
        write(&buffer)
        return Span(start: start, count: buffer.count - start)
    }

    /// Starts a record; its headers follow with ``header(_:_:)``.
    @inlinable
    public mutating func append(key: Span?, value: Span) {
        starts.append(spans.count)
        spans.append(key ?? Span(start: 0, count: -1))
        spans.append(value)
    }

    /// Adds a header to the record appended last.
    @inlinable
    public mutating func header(_ name: Span, _ value: Span) {
        precondition(!starts.isEmpty, "a header belongs to a record")
        spans.append(name)
        spans.append(value)
    }

    /// Calls `body` for each record with its key, value and header (name, value) pairs.
    func forEach(_ body: (_ key: UnsafeRawBufferPointer?, _ value: UnsafeRawBufferPointer,
                          _ headers: ArraySlice<Span>, _ bytes: UnsafeRawBufferPointer) -> Void) {
        buffer.withUnsafeBytes { bytes in
            for (index, start) in starts.enumerated() {
                let end = index + 1 < starts.count ? starts[index + 1] : spans.count
                let key = spans[start].count < 0 ? nil : Self.slice(bytes, spans[start])
                body(key, Self.slice(bytes, spans[start + 1]), spans[(start + 2)..<end], bytes)
            }
        }
    }

    static func slice(_ bytes: UnsafeRawBufferPointer, _ span: Span) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[span.start..<(span.start + span.count)])
    }

    /// The records as ``ProducerRecord``s, for tests and tools.
    public var records: [ProducerRecord] {
        var records: [ProducerRecord] = []
        forEach { key, value, headers, bytes in
            var list: [KafkaHeader] = []
            for pair in stride(from: headers.startIndex, to: headers.endIndex, by: 2) {
                list.append(KafkaHeader(name: String(decoding: Self.slice(bytes, headers[pair]), as: UTF8.self),
                                        value: Array(Self.slice(bytes, headers[pair + 1]))))
            }
            records.append(ProducerRecord(topic: topic, key: key.map { Array($0) }, value: Array(value), headers: list))
        }
        return records
    }
}
