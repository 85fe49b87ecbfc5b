import Foundation
import VOCSchema

/// Turns a gateway's submission straight into the JSON of its ``InteractionReceived``,
/// for the lines of a batch: string values go from the request's bytes to the event's
/// without becoming `String`s, and one transcoder's buffers serve every line.
///
/// It takes only what ``InteractionSubmission/scan(_:)`` reads and what
/// ``InteractionSubmission/validated(interactionId:gatewayId:receivedAt:limits:recording:)``
/// accepts without a problem, and it writes exactly the bytes that path's event would be
/// encoded to. Anything else (unusual shapes, any invalid field, lengths that would need
/// counting characters) answers `nil`, and the caller takes that path, which words the
/// errors; so this path changes what ingest costs, never what it answers.
public struct InteractionTranscoder {
    /// What the caller needs besides the event's JSON: its id for the answer, and where
    /// the texts a Kafka record carries as key and headers lie in ``withOutput(_:)``.
    public struct Accepted: Sendable {
        public var interactionId: String
        public var channel: Channel
        public var occurredAt: Date
        /// The event's JSON.
        public var json: Range<Int>
        /// The texts of `interactionId`, `customerId` and `occurredAt` as the event's
        /// CloudEvents attributes carry them: inside the JSON where it holds them
        /// verbatim, after it otherwise.
        public var interactionIdText: Range<Int>
        public var customerIdText: Range<Int>
        public var occurredAtText: Range<Int>
    }

    /// Calls `body` with the output of the last accepted submission, which the ranges of
    /// its ``Accepted`` refer to.
    public func withOutput<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: output.base, count: outputCount))
    }

    /// The JSON of the last accepted submission's event, as ``InteractionReceived/jsonBytes``
    /// would be.
    public var eventJSON: [UInt8] { Array(UnsafeBufferPointer(start: output.base, count: jsonCount)) }

    private let output = JSONOutput()
    private var outputCount = 0
    private var jsonCount = 0
    private let gatewayJSON: [UInt8]
    private let gatewayId: String?
    private let receivedAtJSON: [UInt8]
    private let receivedAt: Date
    private let limits: InteractionSubmission.Limits
    /// Unescaped copies of the string values that held escapes.
    private var scratch: [UInt8] = []
    private var turns: [Turn] = []
    private var entries: [Entry] = []

    /// A string value: its bytes in the input, or in `scratch` once unescaped.
    private enum Text {
        case input(Range<Int>)
        case scratch(Range<Int>)
    }

    private struct Turn {
        var speaker: Text?
        var text: Text?
        var startMs: Int?
        var endMs: Int?
    }

    private struct Entry {
        var key: Range<Int>
        var value: Text
    }

    private struct Fields {
        var customerId: Text?, channel: Text?, businessLine: Text?, occurredAt: Text?, language: Text?, text: Text?
        var externalId: Text?, agentId: Text?
        var utterances = false, metadata = false
    }

    /// - Parameters:
    ///   - gatewayId: The submitting gateway, the event's `gatewayId`.
    ///   - receivedAt: The event's `receivedAt`, one for the whole batch.
    public init(gatewayId: String?, receivedAt: Date, limits: InteractionSubmission.Limits = .init()) {
        self.gatewayId = gatewayId
        self.receivedAt = receivedAt
        self.limits = limits
        var json = JSONWriter(capacity: 32)
        json.date(receivedAt)
        receivedAtJSON = json.bytes
        json.reset()
        if let gatewayId { json.string(gatewayId) }
        gatewayJSON = json.bytes
    }

    /// Writes the event of `bytes` into the output.
    /// - Parameter interactionId: The id when the submission has no `externalId`, as for
    ///   ``InteractionSubmission/validated(interactionId:gatewayId:receivedAt:limits:recording:)``.
    /// - Returns: `nil` when the submission is not of a common shape or not valid; take
    ///   the decoding path for it then.
    public mutating func transcode(_ bytes: UnsafeBufferPointer<UInt8>, interactionId: () -> String) -> Accepted? {
        outputCount = 0
        jsonCount = 0
        scratch.removeAll(keepingCapacity: true)
        turns.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
        guard let fields = scan(bytes) else { return nil }
        // A copy to read while `write` changes the rest of `self`; it is gone before the
        // next line empties the buffer, so that keeps its storage.
        let scratch = self.scratch
        return scratch.withUnsafeBufferPointer { scratch in
            write(fields, input: bytes, scratch: scratch, interactionId: interactionId)
        }
    }

    // MARK: Reading, as `InteractionSubmission.scan` reads

    private mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Fields? {
        var scanner = JSONScanner(bytes)
        var fields = Fields()
        guard scanner.take(UInt8(ascii: "{")) else { return nil }
        if !scanner.take(UInt8(ascii: "}")) {
            var seen: UInt16 = 0
            repeat {
                guard let key = scanner.key(), let member = InteractionSubmission.Member(key), seen & (1 << member.rawValue) == 0
                else { return nil }
                seen |= 1 << member.rawValue
                if scanner.takeNull() { continue }
                switch member {
                case .customerId: guard let value = string(&scanner, bytes) else { return nil }; fields.customerId = value
                case .channel: guard let value = string(&scanner, bytes) else { return nil }; fields.channel = value
                case .businessLine: guard let value = string(&scanner, bytes) else { return nil }; fields.businessLine = value
                case .occurredAt: guard let value = string(&scanner, bytes) else { return nil }; fields.occurredAt = value
                case .language: guard let value = string(&scanner, bytes) else { return nil }; fields.language = value
                case .text: guard let value = string(&scanner, bytes) else { return nil }; fields.text = value
                case .externalId: guard let value = string(&scanner, bytes) else { return nil }; fields.externalId = value
                case .agentId: guard let value = string(&scanner, bytes) else { return nil }; fields.agentId = value
                case .utterances: guard scanUtterances(&scanner, bytes) else { return nil }; fields.utterances = true
                case .metadata: guard scanMetadata(&scanner, bytes) else { return nil }; fields.metadata = true
                }
            } while scanner.take(UInt8(ascii: ","))
            guard scanner.take(UInt8(ascii: "}")) else { return nil }
        }
        return scanner.atEnd ? fields : nil
    }

    /// A string value that is valid UTF-8 once unescaped; `nil` for anything else.
    private mutating func string(_ scanner: inout JSONScanner, _ bytes: UnsafeBufferPointer<UInt8>) -> Text? {
        guard let raw = scanner.rawString() else { return nil }
        let content = UnsafeBufferPointer(rebasing: bytes[raw.content])
        if !raw.escaped {
            return UTF8Text.isValid(content) ? .input(raw.content) : nil
        }
        let start = scratch.count
        guard JSONScanner.unescape(content, into: &scratch),
              scratch.withUnsafeBufferPointer({ UTF8Text.isValid(UnsafeBufferPointer(rebasing: $0[start...])) }) else { return nil }
        return .scratch(start..<scratch.count)
    }

    private mutating func scanUtterances(_ scanner: inout JSONScanner, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var turn = Turn()
        return scanner.utterances(member: { scanner, member in
            switch member {
            case .speaker: guard let value = string(&scanner, bytes) else { return false }; turn.speaker = value
            case .text: guard let value = string(&scanner, bytes) else { return false }; turn.text = value
            case .startMs: guard let value = scanner.integer() else { return false }; turn.startMs = value
            case .endMs: guard let value = scanner.integer() else { return false }; turn.endMs = value
            }
            return true
        }, ended: {
            turns.append(turn)
            turn = Turn()
        })
    }

    private mutating func scanMetadata(_ scanner: inout JSONScanner, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard scanner.take(UInt8(ascii: "{")) else { return false }
        if scanner.take(UInt8(ascii: "}")) { return true }
        repeat {
            // A member name without escapes lies inside the input, right before the colon.
            guard let key = scanner.key(), UTF8Text.isValid(key) else { return false }
            let start = key.baseAddress.map { $0 - bytes.baseAddress! } ?? 0
            guard let value = string(&scanner, bytes) else { return false }
            entries.append(Entry(key: start..<(start + key.count), value: value))
        } while scanner.take(UInt8(ascii: ","))
        return scanner.take(UInt8(ascii: "}"))
    }

    // MARK: Checking and writing, as `validated` and `InteractionReceived.write` do

    private mutating func write(_ fields: Fields, input: UnsafeBufferPointer<UInt8>, scratch: UnsafeBufferPointer<UInt8>,
                                interactionId: () -> String) -> Accepted? {
        func bytes(_ text: Text) -> UnsafeBufferPointer<UInt8> {
            switch text {
            case .input(let range): return UnsafeBufferPointer(rebasing: input[range])
            case .scratch(let range): return UnsafeBufferPointer(rebasing: scratch[range])
            }
        }
        /// `FieldChecker.identifier` finds no problem. Longer than `maxLength` bytes is
        /// left to the decoding path, which counts characters.
        func isIdentifier(_ value: UnsafeBufferPointer<UInt8>, maxLength: Int = 128) -> Bool {
            value.count <= maxLength && UTF8Text.hasNonWhitespace(value) && !UTF8Text.hasControl(value)
        }
        func isText(_ value: UnsafeBufferPointer<UInt8>, maxLength: Int) -> Bool {
            value.count <= maxLength && UTF8Text.hasNonWhitespace(value)
        }

        guard let customerField = fields.customerId, let channelText = fields.channel, let businessLineText = fields.businessLine,
              let occurredAtText = fields.occurredAt else { return nil }
        let customerId = bytes(customerField), businessLine = bytes(businessLineText)
        guard isIdentifier(customerId), let channel = Self.known(bytes(channelText), in: Self.channels),
              (1...64).contains(businessLine.count), businessLine.allSatisfy(Self.isSlugByte),
              let occurredAt = Timestamp.parseCommonForm(bytes(occurredAtText)),
              occurredAt.timeIntervalSince(receivedAt) <= limits.maxClockSkew,
              occurredAt >= Date(timeIntervalSince1970: 946_684_800) else { return nil }
        if let language = fields.language, !UTF8Text.isLanguageTag(bytes(language)) { return nil }
        if let externalId = fields.externalId, !isIdentifier(bytes(externalId)) { return nil }
        if let agentId = fields.agentId, !isIdentifier(bytes(agentId)) { return nil }
        switch (fields.text, fields.utterances) {
        case (let text?, false):
            guard isText(bytes(text), maxLength: limits.maxTextCharacters) else { return nil }
        case (nil, true):
            guard !turns.isEmpty, turns.count <= limits.maxUtterances else { return nil }
            for turn in turns {
                if let speaker = turn.speaker, Self.known(bytes(speaker), in: Self.speakers) == nil { return nil }
                guard let text = turn.text, isText(bytes(text), maxLength: limits.maxUtteranceCharacters) else { return nil }
                if let start = turn.startMs {
                    guard start >= 0 else { return nil }
                    if let end = turn.endMs, end < start { return nil }
                }
            }
        default:
            return nil
        }
        if fields.metadata {
            guard entries.count <= limits.maxMetadataEntries else { return nil }
            for entry in entries {
                let key = UnsafeBufferPointer(rebasing: input[entry.key])
                guard !key.isEmpty, key.count <= 64, UTF8Text.isASCII(key), bytes(entry.value).count <= 1024 else { return nil }
            }
            entries.sort { UnsafeBufferPointer(rebasing: input[$0.key]).lexicographicallyPrecedes(UnsafeBufferPointer(rebasing: input[$1.key])) }
            for (previous, next) in zip(entries, entries.dropFirst())
            where UnsafeBufferPointer(rebasing: input[previous.key]).elementsEqual(UnsafeBufferPointer(rebasing: input[next.key])) {
                return nil
            }
        }

        var id: String
        if let externalId = fields.externalId {
            id = StableID.make("interaction", gatewayId ?? "", utf8: bytes(externalId))
        } else {
            id = interactionId()
        }

        // No string grows when written (an escape is never longer than the one it came
        // from, raw bytes are copied as they are) and members only gain a default
        // speaker per utterance (an utterance is at least 12 bytes): three times the
        // line, the added members and the texts that may follow the JSON always fit.
        let needed = 4 * input.count + 7 * id.utf8.count + gatewayJSON.count + receivedAtJSON.count + 256
        var out = JSONCursor(output.reserve(needed))
        var idText = 0..<0, customerText = 0..<0, timeText = 0..<0
        out.byte(UInt8(ascii: "{"))
        if let agentId = fields.agentId {
            out.literal(#""agentId":"#)
            out.string(bytes(agentId))
            out.byte(UInt8(ascii: ","))
        }
        out.literal(#""businessLine":"#)
        out.string(businessLine)
        out.literal(#","channel":""#)
        Self.channels[channel].withUnsafeBufferPointer { out.bytes($0) }
        out.literal(#"","customerId":"#)
        let customerStart = out.count
        if out.string(customerId) {
            customerText = (customerStart + 1)..<(out.count - 1)
        }
        if let externalId = fields.externalId {
            out.literal(#","externalId":"#)
            out.string(bytes(externalId))
        }
        if gatewayId != nil {
            out.literal(#","gatewayId":"#)
            gatewayJSON.withUnsafeBufferPointer { out.bytes($0) }
        }
        out.literal(#","interactionId":"#)
        id.withUTF8 { id in
            let start = out.count
            if out.string(id) { idText = (start + 1)..<(out.count - 1) }
        }
        if let language = fields.language {
            out.literal(#","language":"#)
            out.string(bytes(language))
        }
        if fields.metadata {
            out.literal(#","metadata":{"#)
            for (index, entry) in entries.enumerated() {
                if index > 0 { out.byte(UInt8(ascii: ",")) }
                out.string(UnsafeBufferPointer(rebasing: input[entry.key]))
                out.byte(UInt8(ascii: ":"))
                out.string(bytes(entry.value))
            }
            out.byte(UInt8(ascii: "}"))
        }
        out.literal(#","occurredAt":""#)
        guard out.date(occurredAt) else { return nil }
        timeText = (out.count - 24)..<out.count
        out.literal(#"","receivedAt":"#)
        receivedAtJSON.withUnsafeBufferPointer { out.bytes($0) }
        if let text = fields.text {
            out.literal(#","text":"#)
            out.string(bytes(text))
        }
        if fields.utterances {
            out.literal(#","utterances":["#)
            for (index, turn) in turns.enumerated() {
                out.literal(index > 0 ? ",{" : "{")
                if let end = turn.endMs {
                    out.literal(#""endMs":"#)
                    out.integer(end)
                    out.byte(UInt8(ascii: ","))
                }
                out.literal(#""speaker":""#)
                // Checked above: a speaker given is a known one; none given is `unknown`.
                let speaker = turn.speaker.map { Self.known(bytes($0), in: Self.speakers)! } ?? Self.unknownSpeaker
                Self.speakers[speaker].withUnsafeBufferPointer { out.bytes($0) }
                out.byte(UInt8(ascii: "\""))
                if let start = turn.startMs {
                    out.literal(#","startMs":"#)
                    out.integer(start)
                }
                out.literal(#","text":"#)
                out.string(bytes(turn.text!))
                out.byte(UInt8(ascii: "}"))
            }
            out.byte(UInt8(ascii: "]"))
        }
        out.byte(UInt8(ascii: "}"))
        jsonCount = out.count
        // Texts the JSON holds escaped follow it as they are.
        if customerText.isEmpty {
            let start = out.count
            out.bytes(customerId)
            customerText = start..<out.count
        }
        if idText.isEmpty {
            id.withUTF8 { id in
                let start = out.count
                out.bytes(id)
                idText = start..<out.count
            }
        }
        outputCount = out.count
        precondition(outputCount <= needed, "the single pass wrote past the room it reserved")
        return Accepted(interactionId: id, channel: Channel.known[channel], occurredAt: occurredAt, json: 0..<jsonCount,
                        interactionIdText: idText, customerIdText: customerText, occurredAtText: timeText)
    }

    private static func isSlugByte(_ byte: UInt8) -> Bool {
        (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == 95 || byte == 45
    }

    /// The raw values of the known channels and speakers, in the order of their `known`
    /// lists: the edge accepts no other, and their text needs no escaping.
    private static let channels = Channel.known.map { Array($0.rawValue.utf8) }
    private static let speakers = SpeakerRole.known.map { Array($0.rawValue.utf8) }
    private static let unknownSpeaker = SpeakerRole.known.firstIndex(of: .unknown)!

    /// The position of `bytes` among `rawValues`; `nil` for a value this build does not know.
    private static func known(_ bytes: UnsafeBufferPointer<UInt8>, in rawValues: [[UInt8]]) -> Int? {
        rawValues.firstIndex { $0.elementsEqual(bytes) }
    }
}
