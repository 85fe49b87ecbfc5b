import Foundation
import Testing
import VOCSchema

/// Wire enums are open: a value added later decodes, compares and encodes as its raw
/// text, while the edge keeps refusing it from gateways.
@Suite("Open wire enums")
struct OpenEnumTests {
    func roundTrip<E: OpenEnum>(_ value: E) throws -> (E, String) {
        let json = String(decoding: try JSONCoding.encoder().encode([value]), as: UTF8.self)
        return (try JSONCoding.decode([E].self, from: Array(json.utf8))[0], json)
    }

    func checkKnown<E: OpenEnum>(_ type: E.Type) throws {
        #expect(!E.known.isEmpty)
        #expect(Set(E.known.map(\.rawValue)).count == E.known.count, "\(E.self) lists a raw value twice")
        for value in E.known {
            #expect(value.isKnown && E(rawValue: value.rawValue) == value)
            let (again, json) = try roundTrip(value)
            #expect(again == value && json == "[\"\(value.rawValue)\"]")
        }
        let future = E(rawValue: "added_later")
        #expect(!future.isKnown && future.rawValue == "added_later" && future.description == "added_later")
        let (again, json) = try roundTrip(future)
        #expect(again == future && json == "[\"added_later\"]")
        // Raw values are compared as sent: another spelling is another value.
        #expect(!E(rawValue: E.known[0].rawValue.uppercased()).isKnown)
    }

    @Test("every wire enum reads its known values as before and carries any other value as sent")
    func everyWireEnum() throws {
        try checkKnown(Channel.self)
        try checkKnown(SpeakerRole.self)
        try checkKnown(AudioReference.Layout.self)
        try checkKnown(TranscriptReady.DroppedSpeech.Reason.self)
        try checkKnown(NotificationRequested.Medium.self)
        try checkKnown(NotificationDelivered.Outcome.self)
        try checkKnown(TicketEvent.Kind.self)
        try checkKnown(TicketEvent.Status.self)
        try checkKnown(DeadLetter.Reason.self)
        #expect(Channel.known.map(\.rawValue) == ["hotline_call", "advisor_call", "chat", "app_feedback", "email", "video"])
        #expect(SpeakerRole.known.map(\.rawValue) == ["agent", "customer", "unknown"])
        #expect(TicketEvent.Status.inProgress.rawValue == "in_progress" && TicketEvent.Kind.slaBreached.rawValue == "sla_breached")
    }

    @Test("the catch-all case made from a known raw value is that known value")
    func catchAllEquality() {
        #expect(Channel.unknown("chat") == .chat)
        #expect(Set([Channel.unknown("email"), .email]).count == 1)
        #expect(SpeakerRole.unrecognized("unknown") == .unknown)
        #expect(SpeakerRole(rawValue: "unknown") == .unknown && SpeakerRole(rawValue: "bot") == .unrecognized("bot"))
    }

    @Test("a value that is not a string is still a type error naming the field")
    func notAString() {
        #expect {
            _ = try JSONCoding.decode(Utterance.self, from: Array(#"{"speaker": 3, "text": "hi"}"#.utf8))
        } throws: { error in
            (error as? ValidationError)?.problems.map(\.field) == ["speaker"]
        }
    }

    @Test("the edge still refuses a channel, speaker or layout it does not know, naming the field")
    func edgeRefusesUnknownValues() {
        let now = Date()
        func problems(_ json: String) -> [FieldProblem] {
            do {
                _ = try InteractionSubmission.decode(from: Array(json.utf8))
                    .validated(interactionId: "i", gatewayId: nil, receivedAt: now)
                return []
            } catch {
                return error.problems
            }
        }
        let base = #""customerId": "C1", "businessLine": "cards", "occurredAt": "2026-11-24T09:30:00Z""#
        #expect(problems(#"{\#(base), "channel": "whatsapp", "text": "hi"}"#) == [
            FieldProblem(field: "channel", problem: "must be one of hotline_call, advisor_call, chat, app_feedback, email, video (got \"whatsapp\")"),
        ])
        #expect(problems(#"{\#(base), "channel": "chat", "utterances": [{"speaker": "bot", "text": "hi"}]}"#) == [
            FieldProblem(field: "utterances[0].speaker", problem: "must be one of agent, customer, unknown (got \"bot\")"),
        ])
        #expect(problems(#"{\#(base), "channel": "hotline_call", "audio": {"layout": "quad"}}"#) == [
            FieldProblem(field: "audio.layout", problem: "must be one of mono, stereo_agent_left, stereo_agent_right (got \"quad\")"),
        ])
        let submission = InteractionSubmission.SubmittedAudio(layout: "quad")
        var recording = InteractionSubmission()
        recording.audio = submission
        #expect(recording.audioLayout == .mono)
    }
}
