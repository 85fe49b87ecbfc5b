import Foundation
import Testing
import VOCFastJSON
import VOCSchema
@testable import Ingest

/// What the fuzz targets over ingest's parsers found, each now refused with the field named.
@Suite("Fuzz findings: ingest")
struct IngestFuzzFindingTests {
    static let receivedAt = Date(timeIntervalSince1970: 1_796_000_000)

    @Test("a raw-gateway record announcing a recording is refused naming audio, not published as an event no stage reads")
    func rawRecording() throws {
        let value = Array(#"{"customerId":"c","channel":"hotline_call","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","audio":{"mediaType":"audio/wav"}}"#.utf8)
        do {
            _ = try GatewayRawHandler.event(from: value, interactionId: "i-1", gatewayId: "gw", receivedAt: Self.receivedAt,
                                            limits: .init())
            Issue.record("a raw record with a recording was accepted")
        } catch {
            #expect(error.problems.map(\.field) == ["audio"])
            #expect(error.problems.first?.problem.contains("POST /v1/interactions") == true)
        }
    }

    @Test("a raw-gateway record with text becomes an event its consumers accept")
    func rawText() throws {
        let value = Array(#"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","text":"年费"}"#.utf8)
        let event = try GatewayRawHandler.event(from: value, interactionId: "i-1", gatewayId: "gw", receivedAt: Self.receivedAt,
                                                limits: .init())
        let again = try JSONCoding.decode(InteractionReceived.self, from: event.jsonBytes)
        try again.validate()
        #expect(again.interactionId == "i-1" && again.text == "年费")
    }
}
