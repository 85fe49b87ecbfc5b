import Foundation
import Hummingbird
import NIOCore
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

    static func read(_ body: [UInt8], boundary: String = "q b") async throws -> Result<MultipartReader.Parts, MultipartReader.Failure> {
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("voc-spool-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: spool) }
        return try await MultipartReader(spoolDirectory: spool, audioLimit: 4096)
            .read(RequestBody(buffer: ByteBuffer(bytes: body)), boundary: boundary)
    }

    @Test("a part header name with a byte above 127 is a malformed body, not a trap in MultipartKit's parser")
    func nonASCIIHeaderName() async throws {
        // The `multipart` fuzz target's reproducer, shortened: "C\u{E8}ntent-Disposition".
        let body = Array("--q b\r\nC".utf8) + [0xE8] + Array("ntent-Disposition: form-data; name=\"metadata\"\r\n\r\n{}\r\n--q b--\r\n".utf8)
        switch try await Self.read(body) {
        case .failure(.malformed(let reason)): #expect(reason.contains("header's name"))
        case let other: Issue.record("got \(other)")
        }
        // The same byte in a header's value (a UTF-8 file name) is fine.
        let named = Array("--q b\r\nContent-Disposition: form-data; name=\"metadata\"; filename=\"通话.json\"\r\n\r\n{}\r\n--q b--\r\n".utf8)
        guard case .success(let parts) = try await Self.read(named) else {
            Issue.record("a UTF-8 file name was refused")
            return
        }
        #expect(parts.metadata == Array("{}".utf8))
    }
}
