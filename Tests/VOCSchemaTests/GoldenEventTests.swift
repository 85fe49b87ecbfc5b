import Foundation
import Testing
import VOCSchema

/// Frozen payloads of every v1 event. They must keep decoding as the types evolve:
/// inside v1 only optional fields may be added.
@Suite("Golden v1 payloads")
struct GoldenEventTests {
    static func golden(_ topic: Topic) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: "Golden/\(topic.rawValue)", withExtension: "json"))
        return try Data(contentsOf: url)
    }

    static func roundTrip<E: VOCEvent>(_ type: E.Type) throws -> E {
        let data = try golden(E.topic)
        let event = try JSONCoding.decode(E.self, from: data)
        try event.validate()
        let again = try JSONCoding.decode(E.self, from: try JSONCoding.encoder().encode(event))
        #expect(again == event, "re-encoding \(E.topic.rawValue) changed it")
        return event
    }

    @Test("every event type has a golden payload that decodes, validates and round-trips")
    func everyTopicCovered() throws {
        for topic in Topic.allCases {
            #expect((try? Self.golden(topic)) != nil, "no golden payload for \(topic.rawValue)")
        }
        let interaction = try Self.roundTrip(InteractionReceived.self)
        #expect(interaction.channel == .hotlineCall && interaction.utterances?.count == 2)
        #expect(interaction.occurredAt == Timestamp.parse("2026-11-20T10:15:00+08:00"))
        #expect(try Self.roundTrip(CustomerUpdated.self).consents?.sensitiveProfile == true)
        #expect(try Self.roundTrip(TranscriptReady.self).utterances.map(\.speaker) == [.agent, .customer])
        let insight = try Self.roundTrip(InsightProduced.self)
        #expect(insight.profileFacts.first?.sensitive == true && insight.categories.first?.id == "fees_interest")
        #expect(try Self.roundTrip(TicketEvent.self).kind == .opened)
        #expect(try Self.roundTrip(NotificationRequested.self).medium == .wecom)
        #expect(try Self.roundTrip(NotificationDelivered.self).outcome == .delivered)
        let letter = try Self.roundTrip(DeadLetter.self)
        #expect(letter.originalValue == Array("garbage{".utf8) && letter.originalKey == Array("k1".utf8))
    }

    @Test("decoders ignore fields they do not know (additive evolution)")
    func unknownFieldsIgnored() throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Self.golden(.interactionReceived)) as? [String: Any])
        object["sentimentHint"] = "angry"
        object["futureBlock"] = ["nested": [1, 2, 3]]
        let event = try JSONCoding.decode(InteractionReceived.self, from: try JSONSerialization.data(withJSONObject: object))
        #expect(event.customerId == "C100023")
    }

    static func future(_ topic: Topic) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: "Golden/future/\(topic.rawValue)", withExtension: "json"))
        return try Data(contentsOf: url)
    }

    /// `json` without the members whose names start with `future` (the fields a later
    /// producer added), at any depth.
    static func withoutFutureFields(_ json: Any) -> Any {
        if let object = json as? [String: Any] {
            return object.filter { !$0.key.hasPrefix("future") }.mapValues(withoutFutureFields)
        }
        if let array = json as? [Any] { return array.map(withoutFutureFields) }
        return json
    }

    /// Decodes and validates a payload a later producer wrote, as a consumer of this build
    /// does, and checks that encoding it again writes the same JSON, less the fields this
    /// build does not know.
    static func fromTheFuture<E: VOCEvent>(_ type: E.Type) throws -> E {
        let data = try future(E.topic)
        let event = try JSONCoding.decode(E.self, from: data)
        try event.validate()
        let written = try JSONCoding.encoder().encode(event)
        let expected = withoutFutureFields(try JSONSerialization.jsonObject(with: data)) as? NSDictionary
        let again = try JSONSerialization.jsonObject(with: written) as? NSDictionary
        #expect(expected != nil && expected == again,
                "\(E.topic.rawValue) came back as \(String(decoding: written, as: UTF8.self))")
        return event
    }

    @Test("events from a later v1 keep the enum values this build does not know and write them back unchanged")
    func eventsFromTheFuture() throws {
        let interaction = try Self.fromTheFuture(InteractionReceived.self)
        #expect(interaction.channel == .unknown("whatsapp_voice") && !interaction.channel.isKnown)
        #expect(interaction.audio?.layout == .unknown("quad_agent_first"))
        let transcript = try Self.fromTheFuture(TranscriptReady.self)
        #expect(transcript.channel.rawValue == "whatsapp_voice")
        #expect(transcript.utterances.map(\.speaker) == [.unrecognized("supervisor"), .customer])
        #expect(transcript.dropped?.first?.speaker == .unrecognized("ivr_bot"))
        #expect(transcript.dropped?.first?.reason == .unknown("machine_prompt"))
        let insight = try Self.fromTheFuture(InsightProduced.self)
        #expect(insight.channel == .unknown("whatsapp_voice") && insight.utterances.first?.speaker == .unrecognized("supervisor"))
        let ticket = try Self.fromTheFuture(TicketEvent.self)
        #expect(ticket.kind == .unknown("merged") && ticket.status == .unknown("on_hold"))
        #expect(try Self.fromTheFuture(NotificationRequested.self).medium == .unknown("sms"))
        let delivered = try Self.fromTheFuture(NotificationDelivered.self)
        #expect(delivered.medium == .unknown("sms") && delivered.outcome == .unknown("deferred"))
        #expect(try Self.fromTheFuture(DeadLetter.self).reason == .unknown("quarantined"))
    }

    @Test("the raw gateway sample is a valid submission")
    func rawGatewaySample() throws {
        let submission = try InteractionSubmission.decode(from: Self.golden(.gatewayRaw))
        let event = try submission.validated(interactionId: "unused", gatewayId: "chat-gw", receivedAt: Date())
        #expect(event.interactionId == StableID.make("interaction", "chat-gw", "chat-55120"))
        #expect(event.utterances?.map(\.speaker) == [.customer, .agent])
    }

    @Test("a missing required field is named by its path")
    func missingField() throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Self.golden(.transcriptReady)) as? [String: Any])
        var utterances = try #require(object["utterances"] as? [[String: Any]])
        utterances[1]["confidence"] = nil
        object["utterances"] = utterances
        #expect {
            _ = try JSONCoding.decode(TranscriptReady.self, from: try JSONSerialization.data(withJSONObject: object))
        } throws: { error in
            (error as? ValidationError)?.problems == [FieldProblem(field: "utterances[1].confidence", problem: "is required")]
        }
    }
}
