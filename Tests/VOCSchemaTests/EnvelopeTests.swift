import Foundation
import Testing
import VOCSchema

@Suite("CloudEvents envelope and identifiers")
struct EnvelopeTests {
    let event = InteractionReceived(
        interactionId: "i-1", customerId: "c-9", channel: .chat, businessLine: "loans",
        occurredAt: Timestamp.parse("2026-11-24T08:00:00Z")!, receivedAt: Timestamp.parse("2026-11-24T08:00:01Z")!, text: "hi")

    func bytes(_ headers: [(name: String, value: String)]) -> [(name: String, value: [UInt8])] {
        headers.map { ($0.name, Array($0.value.utf8)) }
    }

    @Test("an encoded event carries the binary-mode headers and decodes back to itself")
    func roundTrip() throws {
        let encoded = try EventCodec.encode(event, source: "/voc/ingest", traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        let names = encoded.headers.map(\.name)
        #expect(names == ["ce_specversion", "ce_id", "ce_type", "ce_source", "ce_time", "ce_subject", "content-type", "traceparent"])
        #expect(encoded.key == Array("c-9".utf8))
        #expect(encoded.topic == .interactionReceived)
        let (decoded, attributes) = try EventCodec.decode(InteractionReceived.self, value: encoded.value, headers: bytes(encoded.headers))
        #expect(decoded == event)
        #expect(attributes.id == "i-1" && attributes.type == "voc.interaction.received.v1" && attributes.subject == "c-9")
        #expect(attributes.time == event.occurredAt)
    }

    @Test("missing or wrong headers are named")
    func badHeaders() throws {
        let encoded = try EventCodec.encode(event, source: "/voc/ingest")
        let withoutID = encoded.headers.filter { $0.name != "ce_id" && $0.name != "ce_time" }
        #expect {
            _ = try EventCodec.decode(InteractionReceived.self, value: encoded.value, headers: bytes(withoutID))
        } throws: { error in
            (error as? ValidationError)?.problems.map(\.field) == ["ce_id", "ce_time"]
        }
        #expect {
            _ = try EventCodec.decode(TranscriptReady.self, value: encoded.value, headers: bytes(encoded.headers))
        } throws: { error in
            (error as? ValidationError)?.problems.first?.field == "ce_type"
        }
    }

    @Test("a payload that decodes but breaks the contract is rejected by validation")
    func validationOnDecode() throws {
        var broken = event
        broken.customerId = " "
        let encoded = try EventCodec.encode(broken, source: "/test")
        #expect {
            _ = try EventCodec.decode(InteractionReceived.self, value: encoded.value, headers: bytes(encoded.headers))
        } throws: { error in
            (error as? ValidationError)?.problems.map(\.field) == ["customerId"]
        }
    }

    @Test("stable ids are deterministic, UUID-shaped and sensitive to part boundaries")
    func stableIDs() {
        let id = StableID.make("ns", "ab", "c")
        #expect(id == StableID.make("ns", "ab", "c"))
        #expect(id != StableID.make("ns", "a", "bc"))
        #expect(id != StableID.make("other", "ab", "c"))
        #expect(id.count == 36 && id.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12])
        #expect(UUID(uuidString: id) != nil)
    }

    @Test("timestamps parse with or without fractions and offsets, and print in UTC with milliseconds")
    func timestamps() {
        let date = Timestamp.parse("2026-11-24T16:00:00+08:00")
        #expect(date == Timestamp.parse("2026-11-24T08:00:00Z"))
        #expect(Timestamp.parse("2026-11-24T08:00:00.250Z")?.timeIntervalSince(date!) == 0.25)
        #expect(Timestamp.format(date!) == "2026-11-24T08:00:00.000Z")
        #expect(Timestamp.parse("2026-11-24") == nil)
        #expect(Timestamp.format(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
        #expect(Timestamp.format(Timestamp.parse("2024-02-29T23:59:59.999Z")!) == "2024-02-29T23:59:59.999Z")
        #expect(Timestamp.format(Timestamp.parse("2000-03-01T00:00:00.0004Z")!) == "2000-03-01T00:00:00.000Z")
    }

    @Test("a child traceparent keeps the trace id and gets a new span")
    func traceContext() {
        let parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        let child = TraceContext.child(of: parent)
        #expect(child.hasPrefix("00-0af7651916cd43dd8448eb211c80319c-") && child != parent && child.count == 55)
        #expect(TraceContext.child(of: "garbage").count == 55)
        // 55 characters but not the W3C shape (found by the gateway-raw fuzz target: the
        // child copied the one-digit flags and came out 52 characters long), upper-case hex,
        // an all-zero trace id: each starts a new trace.
        for malformed in ["00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b10-7",
                          "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01",
                          "00-00000000000000000000000000000000-b7ad6b7169203331-01"] {
            let fresh = TraceContext.child(of: malformed)
            #expect(fresh.count == 55 && !fresh.contains(malformed.split(separator: "-")[1]), "\(malformed) gave \(fresh)")
        }
    }

    @Test("a dead letter keeps the exact original bytes")
    func deadLetterBytes() {
        let raw: [UInt8] = [0xff, 0x00, 0x7b]
        let letter = DeadLetter(stage: "s", originalTopic: "t", partition: 2, offset: 9, key: nil,
                                headers: [("h", [1, 2])], value: raw, error: "bad", reason: .invalid, attempts: 1, failedAt: Date())
        #expect(letter.originalValue == raw)
        #expect(letter.valueText == nil)
        #expect(letter.deadLetterId == DeadLetter(stage: "s", originalTopic: "t", partition: 2, offset: 9, key: nil, headers: [],
                                                  value: [], error: "", reason: .failed, attempts: 3, failedAt: Date()).deadLetterId)
    }
}
