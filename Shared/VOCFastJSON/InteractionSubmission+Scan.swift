import VOCSchema

extension InteractionSubmission {
    /// Decodes a gateway's JSON: the common shapes by ``scan(_:)``, anything else by
    /// ``decode(from:)``, which words the errors; the result is the same either way.
    /// - Throws: ``ValidationError`` of kind `.malformed` when the bytes are not a JSON object.
    public static func scanOrDecode(from bytes: some Collection<UInt8>) throws(ValidationError) -> InteractionSubmission {
        if let scanned = bytes.withContiguousStorageIfAvailable(scan) ?? nil { return scanned }
        return try decode(from: bytes)
    }

    /// The common shapes of a submission read without Foundation: string fields,
    /// `utterances` and string `metadata`, each maybe `null`. `nil` for anything else
    /// (unknown or repeated members, `audio`, wrong types, bad JSON), which the full
    /// decoder then reads and words the errors of.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> InteractionSubmission? {
        var scanner = JSONScanner(bytes)
        var submission = InteractionSubmission()
        guard scanner.take(UInt8(ascii: "{")) else { return nil }
        if !scanner.take(UInt8(ascii: "}")) {
            var seen: UInt16 = 0
            repeat {
                guard let key = scanner.key(), let member = Member(key), seen & (1 << member.rawValue) == 0,
                      submission.read(member, from: &scanner) else { return nil }
                seen |= 1 << member.rawValue
            } while scanner.take(UInt8(ascii: ","))
            guard scanner.take(UInt8(ascii: "}")) else { return nil }
        }
        return scanner.atEnd ? submission : nil
    }

    enum Member: Int {
        case customerId, channel, businessLine, occurredAt, language, text, externalId, agentId, utterances, metadata

        static let names: [(StaticString, Member)] = [
            ("customerId", .customerId), ("channel", .channel), ("businessLine", .businessLine), ("occurredAt", .occurredAt),
            ("language", .language), ("text", .text), ("externalId", .externalId), ("agentId", .agentId),
            ("utterances", .utterances), ("metadata", .metadata),
        ]

        init?(_ name: UnsafeBufferPointer<UInt8>) {
            guard let match = Self.names.first(where: { name.equals($0.0) }) else { return nil }
            self = match.1
        }
    }

    /// Reads one member's value; `false` when it is not of a shape `scan` handles.
    private mutating func read(_ member: Member, from scanner: inout JSONScanner) -> Bool {
        if scanner.takeNull() { return true }
        switch member {
        case .customerId: customerId = scanner.string(); return customerId != nil
        case .channel: channel = scanner.string(); return channel != nil
        case .businessLine: businessLine = scanner.string(); return businessLine != nil
        case .occurredAt: occurredAt = scanner.string(); return occurredAt != nil
        case .language: language = scanner.string(); return language != nil
        case .text: text = scanner.string(); return text != nil
        case .externalId: externalId = scanner.string(); return externalId != nil
        case .agentId: agentId = scanner.string(); return agentId != nil
        case .utterances: utterances = Self.scanUtterances(&scanner); return utterances != nil
        case .metadata: metadata = Self.scanMetadata(&scanner); return metadata != nil
        }
    }

    private static func scanUtterances(_ scanner: inout JSONScanner) -> [SubmittedUtterance]? {
        var list: [SubmittedUtterance] = []
        var turn = SubmittedUtterance()
        let read = scanner.utterances(member: { scanner, member in
            switch member {
            case .speaker: guard let value = scanner.string() else { return false }; turn.speaker = value
            case .text: guard let value = scanner.string() else { return false }; turn.text = value
            case .startMs: guard let value = scanner.integer() else { return false }; turn.startMs = value
            case .endMs: guard let value = scanner.integer() else { return false }; turn.endMs = value
            }
            return true
        }, ended: {
            list.append(turn)
            turn = SubmittedUtterance()
        })
        return read ? list : nil
    }

    private static func scanMetadata(_ scanner: inout JSONScanner) -> [String: String]? {
        guard scanner.take(UInt8(ascii: "{")) else { return nil }
        var metadata: [String: String] = [:]
        if scanner.take(UInt8(ascii: "}")) { return metadata }
        repeat {
            guard let key = scanner.key(), let name = String(validating: key, as: UTF8.self), metadata[name] == nil,
                  let value = scanner.string() else { return nil }
            metadata[name] = value
        } while scanner.take(UInt8(ascii: ","))
        return scanner.take(UInt8(ascii: "}")) ? metadata : nil
    }
}
