import Foundation

/// What a channel gateway sends: the body of `POST /v1/interactions` and the value of a
/// `voc.gateway.raw.v1` record.
///
/// Every field is decoded leniently so that one request reports every bad field at
/// once instead of stopping at the first type error.
public struct InteractionSubmission: Sendable, Equatable {
    public var customerId: String?
    public var channel: String?
    public var businessLine: String?
    public var occurredAt: String?
    public var language: String?
    public var text: String?
    public var utterances: [SubmittedUtterance]?
    public var externalId: String?
    public var agentId: String?
    public var metadata: [String: String]?
    /// The ticket this contact answers (the customer replying to a confirmation request).
    public var replyTo: String?
    /// The handling agent (`agentId`) says the matter was resolved in this contact.
    public var resolvedInContact: Bool?
    /// The money at stake, in yuan (a refund, a disputed fee).
    public var amount: Double?
    /// The customer's tier as the channel knows it (e.g. `mass`, `affluent`, `private`).
    public var customerTier: String?
    /// A recording announced by the gateway; its bytes come in a multipart part or a
    /// later `PUT`.
    public var audio: SubmittedAudio?
    /// Problems found while decoding (wrong JSON types); reported with the rest.
    public var decodingProblems: [FieldProblem] = []

    /// An empty submission, for readers that fill it in member by member.
    public init() {}

    public struct SubmittedUtterance: Sendable, Equatable {
        public var speaker: String?
        public var text: String?
        public var startMs: Int?
        public var endMs: Int?

        public init(speaker: String? = nil, text: String? = nil, startMs: Int? = nil, endMs: Int? = nil) {
            self.speaker = speaker
            self.text = text
            self.startMs = startMs
            self.endMs = endMs
        }
    }

    /// What a gateway says about a recording before ingest has read it.
    public struct SubmittedAudio: Sendable, Equatable {
        public var mediaType: String?
        public var layout: String?
        public var durationMs: Int?

        public init(mediaType: String? = nil, layout: String? = nil, durationMs: Int? = nil) {
            self.mediaType = mediaType
            self.layout = layout
            self.durationMs = durationMs
        }
    }

    /// Limits a single submission must respect; ingest's configuration may tighten them.
    public struct Limits: Sendable {
        public var maxTextCharacters = 100_000
        public var maxUtterances = 5_000
        public var maxUtteranceCharacters = 20_000
        public var maxMetadataEntries = 50
        /// How far in the future `occurredAt` may be, for gateways with drifting clocks.
        public var maxClockSkew: TimeInterval = 300
        public init() {}
    }

    /// Decodes a gateway's JSON with the pipeline's decoder.
    /// - Throws: ``ValidationError`` of kind `.malformed` when the bytes are not a JSON object.
    public static func decode(from bytes: some Collection<UInt8>) throws(ValidationError) -> InteractionSubmission {
        try JSONCoding.decode(InteractionSubmission.self, from: bytes)
    }

    /// Turns the submission into the event, or lists every field that prevents it.
    /// - Parameters:
    ///   - interactionId: Used when the submission has no `externalId`; with one, the id
    ///     is derived from gateway and external id so a resent contact keeps its id.
    ///   - recording: The bytes of a recording come with the request (a multipart
    ///     `audio` part), so the submission must carry neither text nor utterances.
    /// - Returns: The event; for a recording its `audio` is still empty and
    ///   ``audioLayout`` says how to read it once stored.
    public func validated(
        interactionId: @autoclosure () -> String, gatewayId: String?, receivedAt: Date, limits: Limits = Limits(),
        recording: Bool = false
    ) throws(ValidationError) -> InteractionReceived {
        var check = FieldChecker()
        check.merge(decodingProblems)
        let failedFields = Set(decodingProblems.map(\.field))
        func has(_ field: String) -> Bool { failedFields.isEmpty || !failedFields.contains(field) }

        if has("customerId") { check.identifier(customerId, "customerId") }
        var parsedChannel: Channel?
        if has("channel") {
            if let channel {
                // Consumers carry a channel they do not know; the edge accepts only known ones.
                let parsed = Channel(rawValue: channel)
                if parsed.isKnown {
                    parsedChannel = parsed
                } else {
                    check.fail("channel", "must be one of \(Channel.knownList) (got \"\(channel)\")")
                }
            } else {
                check.fail("channel", "is required")
            }
        }
        if has("businessLine") {
            check.identifier(businessLine, "businessLine", maxLength: 64)
            if let businessLine, !businessLine.isEmpty, !Self.isSlug(businessLine) {
                check.fail("businessLine", "must use only a-z, 0-9, '_' and '-' (got \"\(businessLine)\")")
            }
        }
        var parsedTime: Date?
        if has("occurredAt") {
            if let occurredAt {
                parsedTime = Timestamp.parse(occurredAt)
                if let time = parsedTime {
                    if time.timeIntervalSince(receivedAt) > limits.maxClockSkew {
                        check.fail("occurredAt", "must not be in the future (got \(occurredAt))")
                    } else if time < Date(timeIntervalSince1970: 946_684_800) {
                        check.fail("occurredAt", "must be after 2000-01-01 (got \(occurredAt))")
                    }
                } else {
                    check.fail("occurredAt", "must be an RFC 3339 date-time such as 2026-11-24T09:30:00+08:00 (got \"\(occurredAt)\")")
                }
            } else {
                check.fail("occurredAt", "is required")
            }
        }
        if has("language"), let language, !Self.isLanguageTag(language) {
            check.fail("language", "must be a BCP 47 tag such as zh, en or zh-Hans (got \"\(language)\")")
        }
        var turns: [Utterance]?
        if recording || audio != nil {
            if text != nil { check.fail("text", "a recording carries no text; send the text as its own interaction") }
            if utterances != nil { check.fail("utterances", "a recording carries no utterances; they come from transcription") }
            if has("audio") { validateAudio(into: &check) }
        } else if has("text") && has("utterances") {
            switch (text, utterances) {
            case (nil, nil):
                check.fail("text", "one of text, utterances or audio is required")
            case (.some, .some):
                check.fail("utterances", "send either text or utterances, not both")
            case (let text?, nil):
                check.text(text, "text", maxLength: limits.maxTextCharacters)
            case (nil, let list?):
                turns = validateUtterances(list, limits: limits, into: &check)
            }
        }
        if has("externalId") { check.identifier(externalId, "externalId", required: false) }
        if has("agentId") { check.identifier(agentId, "agentId", required: false) }
        if has("replyTo") { check.identifier(replyTo, "replyTo", required: false) }
        if has("resolvedInContact"), resolvedInContact == true, agentId == nil {
            check.fail("resolvedInContact", "needs agentId: the agent who resolved it")
        }
        if has("amount"), let amount, !amount.isFinite || amount < 0 || amount > 1e12 {
            check.fail("amount", "must be a number of yuan from 0 to 1e12 (got \(amount))")
        }
        if has("customerTier") {
            check.identifier(customerTier, "customerTier", required: false, maxLength: 64)
            if let customerTier, !customerTier.isEmpty, !Self.isSlug(customerTier) {
                check.fail("customerTier", "must use only a-z, 0-9, '_' and '-' (got \"\(customerTier)\")")
            }
        }
        if has("metadata"), let metadata {
            if metadata.count > limits.maxMetadataEntries {
                check.fail("metadata", "must have at most \(limits.maxMetadataEntries) entries (got \(metadata.count))")
            }
            for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
                if key.isEmpty || key.count > 64 { check.fail("metadata", "keys must be 1-64 characters (got \"\(key.prefix(80))\")") }
                if value.count > 1024 { check.fail("metadata.\(key)", "must be at most 1024 characters") }
            }
        }
        try check.throwIfAny()

        let id: String
        if let externalId {
            id = StableID.make("interaction", gatewayId ?? "", externalId)
        } else {
            id = interactionId()
        }
        return InteractionReceived(
            interactionId: id, customerId: customerId!, channel: parsedChannel!, businessLine: businessLine!,
            occurredAt: parsedTime!, receivedAt: receivedAt, language: language, text: text, utterances: turns,
            gatewayId: gatewayId, externalId: externalId, agentId: agentId, metadata: metadata, replyTo: replyTo,
            resolvedInContact: resolvedInContact, amount: amount, customerTier: customerTier
        )
    }

    private func validateAudio(into check: inout FieldChecker) {
        guard let audio else { return }
        if let layout = audio.layout, !AudioReference.Layout(rawValue: layout).isKnown {
            check.fail("audio.layout", "must be one of \(AudioReference.Layout.knownList) (got \"\(layout)\")")
        }
        if let duration = audio.durationMs, duration < 0 { check.fail("audio.durationMs", "must not be negative") }
        if let mediaType = audio.mediaType, mediaType.isEmpty || mediaType.count > 100 {
            check.fail("audio.mediaType", "must be a media type such as audio/wav")
        }
    }

    /// The channel layout the gateway declared (mono when it said nothing, or said
    /// something ``validated(interactionId:gatewayId:receivedAt:limits:recording:)`` refuses).
    public var audioLayout: AudioReference.Layout {
        guard let layout = audio?.layout.map(AudioReference.Layout.init(rawValue:)), layout.isKnown else { return .mono }
        return layout
    }

    private func validateUtterances(_ list: [SubmittedUtterance], limits: Limits, into check: inout FieldChecker) -> [Utterance] {
        if list.isEmpty { check.fail("utterances", "must not be empty") }
        if list.count > limits.maxUtterances {
            check.fail("utterances", "must have at most \(limits.maxUtterances) items (got \(list.count))")
        }
        var turns: [Utterance] = []
        for (index, item) in list.enumerated() {
            let field = "utterances[\(index)]"
            var role = SpeakerRole.unknown
            if let speaker = item.speaker {
                let parsed = SpeakerRole(rawValue: speaker)
                if parsed.isKnown {
                    role = parsed
                } else {
                    check.fail(field + ".speaker", "must be one of \(SpeakerRole.knownList) (got \"\(speaker)\")")
                }
            }
            check.text(item.text, field + ".text", maxLength: limits.maxUtteranceCharacters)
            if let start = item.startMs, start < 0 { check.fail(field + ".startMs", "must not be negative") }
            if let start = item.startMs, let end = item.endMs, end < start {
                check.fail(field + ".endMs", "must not be before startMs")
            }
            turns.append(Utterance(speaker: role, text: item.text ?? "", startMs: item.startMs, endMs: item.endMs))
        }
        return turns
    }

    public static func isSlug(_ value: String) -> Bool {
        value.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 || $0 == 45 }
    }

    /// `xx` or `xxx` in ASCII letters, then `-` subtags of 1–8 ASCII letters or digits.
    static func isLanguageTag(_ value: String) -> Bool {
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 97 && (byte | 0x20) <= 122 }
        let parts = value.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy(isLetter) else { return false }
        return parts.dropFirst().allSatisfy { (1...8).contains($0.count) && $0.allSatisfy { isLetter($0) || ($0 >= 48 && $0 <= 57) } }
    }
}

extension InteractionSubmission: Decodable {
    private enum Keys: String, CodingKey {
        case customerId, channel, businessLine, occurredAt, language, text, utterances, externalId, agentId, metadata, audio
        case replyTo, resolvedInContact, amount, customerTier
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        var problems: [FieldProblem] = []
        customerId = container.lenient(String.self, .customerId, &problems)
        channel = container.lenient(String.self, .channel, &problems)
        businessLine = container.lenient(String.self, .businessLine, &problems)
        occurredAt = container.lenient(String.self, .occurredAt, &problems)
        language = container.lenient(String.self, .language, &problems)
        text = container.lenient(String.self, .text, &problems)
        externalId = container.lenient(String.self, .externalId, &problems)
        agentId = container.lenient(String.self, .agentId, &problems)
        metadata = container.lenient([String: String].self, .metadata, &problems)
        utterances = container.lenient([SubmittedUtterance].self, .utterances, &problems)
        audio = container.lenient(SubmittedAudio.self, .audio, &problems)
        replyTo = container.lenient(String.self, .replyTo, &problems)
        resolvedInContact = container.lenient(Bool.self, .resolvedInContact, &problems)
        amount = container.lenient(Double.self, .amount, &problems)
        customerTier = container.lenient(String.self, .customerTier, &problems)
        decodingProblems = problems
    }
}

extension InteractionSubmission.SubmittedUtterance: Decodable {
    private enum Keys: String, CodingKey { case speaker, text, startMs, endMs }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        speaker = try container.decodeIfPresent(String.self, forKey: .speaker)
        text = try container.decodeIfPresent(String.self, forKey: .text)
        startMs = try container.decodeIfPresent(Int.self, forKey: .startMs)
        endMs = try container.decodeIfPresent(Int.self, forKey: .endMs)
    }
}

extension InteractionSubmission.SubmittedAudio: Decodable {
    private enum Keys: String, CodingKey { case mediaType, layout, durationMs }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        mediaType = try container.decodeIfPresent(String.self, forKey: .mediaType)
        layout = try container.decodeIfPresent(String.self, forKey: .layout)
        durationMs = try container.decodeIfPresent(Int.self, forKey: .durationMs)
    }
}

extension KeyedDecodingContainer {
    /// Decodes an optional field, recording a type error as a problem instead of throwing.
    public func lenient<T: Decodable>(_ type: T.Type, _ key: Key, _ problems: inout [FieldProblem]) -> T? {
        do {
            return try decodeIfPresent(T.self, forKey: key)
        } catch let error as DecodingError {
            var problem = ValidationError(decodingError: error).problems[0]
            if problem.field.isEmpty { problem.field = key.stringValue }
            problems.append(problem)
            return nil
        } catch {
            problems.append(FieldProblem(field: key.stringValue, problem: "could not be decoded"))
            return nil
        }
    }
}
