import Foundation
import Testing
import VOCFastJSON
import VOCKafka
import VOCRuntime
import VOCSchema
@testable import Ingest

/// A batch line taken by the single pass becomes the record the decoding path makes of it:
/// same key, value and CloudEvents headers, in the same order.
@Suite("Batch records")
struct BatchRecordTests {
    static let lines = [
        #"{"customerId":"C0000001","channel":"chat","businessLine":"credit_card","occurredAt":"2026-11-20T10:15:00+08:00","language":"zh","text":"我这个月的信用卡年费怎么扣了两次？"}"#,
        #"{"customerId":"客户-\"7\"","channel":"advisor_call","businessLine":"wealth","occurredAt":"2026-11-20T10:15:00.25Z","utterances":[{"speaker":"agent","text":"您好"}],"externalId":"E-1","metadata":{"queue":"vip"}}"#,
        #"{"customerId":"c-\u00e9","channel":"email","businessLine":"b","occurredAt":"2026-11-20T10:15:00-05:00","text":"line\nbreak","agentId":"a/1"}"#,
    ]

    func fields(_ record: ProducerRecord) -> [String] {
        [record.topic, String(decoding: record.key ?? [], as: UTF8.self), String(decoding: record.value, as: UTF8.self)]
            + record.headers.map { "\($0.name)=\(String(decoding: $0.value, as: UTF8.self))" }
    }

    @Test("the single pass and the decoding path make the same records")
    func samePath() throws {
        let receivedAt = Date(timeIntervalSince1970: 1_796_000_000.5)
        let traceparent = TraceContext.newTraceparent()
        var fast = CloudEventBatch(InteractionReceived.self, source: IngestApp.source, traceparent: traceparent)
        var slow = CloudEventBatch(InteractionReceived.self, source: IngestApp.source, traceparent: traceparent)
        var expected: [ProducerRecord] = []
        var transcoder = InteractionTranscoder(gatewayId: "gw", receivedAt: receivedAt)
        for (index, line) in Self.lines.enumerated() {
            let bytes = Array(line.utf8)
            let id = "id-\(index)"
            let accepted = try #require(bytes.withUnsafeBufferPointer { transcoder.transcode($0, interactionId: { id }) })
            transcoder.withOutput { output in
                fast.append(from: output, json: accepted.json, subject: accepted.customerIdText, id: accepted.interactionIdText,
                            time: accepted.occurredAtText)
            }
            let event = try InteractionSubmission.scanOrDecode(from: bytes).validated(interactionId: id, gatewayId: "gw", receivedAt: receivedAt)
            let encoded = try EventCodec.encode(event, source: IngestApp.source, traceparent: traceparent)
            slow.append(encoded)
            expected.append(encoded.record)
        }
        #expect(fast.records.records.map(fields) == expected.map(fields))
        #expect(slow.records.records.map(fields) == expected.map(fields))
        #expect(fast.count == Self.lines.count)
    }
}
