import Foundation
import VOCSchema

/// What analyze reads: one interaction as speaker-attributed text. Built from a
/// `voc.transcript.ready.v1` event, or decoded from a `voc analyze` input line:
/// `{"id", "language"?, "channel", "businessLine"?, "customerId"?, "occurredAt"?,
/// "utterances": [{"speaker", "text"}]}`; a transcript or interaction event (with
/// `transcriptId`/`interactionId`, and `text` instead of `utterances`) is read too.
public struct AnalysisInput: Sendable, Decodable {
    /// The source's id: the transcript id in the pipeline, the line's `id` offline.
    public var id: String
    public var interactionId: String
    public var customerId: String
    public var language: String?
    public var channel: String
    public var businessLine: String
    public var occurredAt: Date?
    /// VOCSchema's ``Utterance``: speaker, text, optional times.
    public var utterances: [Utterance]
    /// What the channel said besides the words (handling agent, ticket answered, amount,
    /// tier): carried into the insight unchanged, for route.
    public var context = ContactContext()

    public init(id: String, interactionId: String? = nil, customerId: String = "unknown", language: String? = nil,
                channel: String, businessLine: String = "general", occurredAt: Date? = nil, utterances: [Utterance]) {
        self.id = id
        self.interactionId = interactionId ?? id
        self.customerId = customerId
        self.language = language
        self.channel = channel
        self.businessLine = businessLine
        self.occurredAt = occurredAt
        self.utterances = utterances
    }

    public init(transcript: TranscriptReady) {
        self.init(id: transcript.transcriptId, interactionId: transcript.interactionId, customerId: transcript.customerId,
                  language: transcript.language, channel: transcript.channel.rawValue, businessLine: transcript.businessLine,
                  occurredAt: transcript.occurredAt,
                  utterances: transcript.utterances.map { Utterance(speaker: $0.speaker, text: $0.text, startMs: $0.startMs, endMs: $0.endMs) })
        context = transcript.context
    }

    enum CodingKeys: String, CodingKey {
        case id, transcriptId, interactionId, customerId, language, channel, businessLine, occurredAt, utterances, text
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let transcriptId = try c.decodeIfPresent(String.self, forKey: .transcriptId)
        let interactionId = try c.decodeIfPresent(String.self, forKey: .interactionId)
        guard let id = try c.decodeIfPresent(String.self, forKey: .id) ?? transcriptId ?? interactionId, !id.isEmpty else {
            throw DecodingError.keyNotFound(CodingKeys.id, .init(codingPath: [], debugDescription: "id (or transcriptId, interactionId) is required"))
        }
        self.id = id
        self.interactionId = interactionId ?? id
        customerId = try c.decodeIfPresent(String.self, forKey: .customerId) ?? "unknown"
        language = try c.decodeIfPresent(String.self, forKey: .language)
        channel = try c.decodeIfPresent(String.self, forKey: .channel) ?? "chat"
        businessLine = try c.decodeIfPresent(String.self, forKey: .businessLine) ?? "general"
        occurredAt = try c.decodeIfPresent(Date.self, forKey: .occurredAt)
        if let utterances = try c.decodeIfPresent([Utterance].self, forKey: .utterances) {
            self.utterances = utterances
        } else if let text = try c.decodeIfPresent(String.self, forKey: .text) {
            utterances = [Utterance(speaker: .customer, text: text)]
        } else {
            throw DecodingError.keyNotFound(CodingKeys.utterances, .init(codingPath: [], debugDescription: "utterances (or text) is required"))
        }
    }
}
