import Foundation
@testable import Ingest
@testable import VOCFastJSON
@testable import VOCSchema

/// The gateways' submissions, read as ingest reads them, and each path held to the
/// others: the scanner to Foundation's decoder, the single-pass transcoder to decoding,
/// validating and encoding, the byte-level event writer to `JSONEncoder`.
enum Submissions {
    static let receivedAt = Date(timeIntervalSince1970: 1_796_000_000.412)  // 2026-11-30
    static let limits = InteractionSubmission.Limits()

    /// What the decoding path makes of `bytes`, with every cross-check of the way.
    static func slowPath(_ bytes: some Collection<UInt8>, id: String, gatewayId: String? = "gw-1",
                         batchLine: Bool = false) -> InteractionReceived? {
        let submission: InteractionSubmission
        do { submission = try InteractionSubmission.scanOrDecode(from: bytes) } catch { return nil }
        if batchLine && submission.audio != nil { return nil }
        let event: InteractionReceived
        do {
            event = try submission.validated(interactionId: id, gatewayId: gatewayId, receivedAt: receivedAt, limits: limits)
        } catch { return nil }
        // A recording's event is published once its bytes are stored, with their reference.
        checkWriters(event, published: submission.audio == nil)
        return event
    }

    /// The byte-level writer writes what `JSONEncoder` writes, and a published event reads back.
    static func checkWriters(_ event: InteractionReceived, published: Bool) {
        let fast = event.jsonBytes
        let foundation = Array(try! JSONCoding.encoder().encode(event))
        FuzzCheck.expect(fast == foundation, "the event writer and JSONEncoder disagree:\n\(text(fast))\n\(text(foundation))")
        guard published else { return }
        do {
            let again = try JSONCoding.decode(InteractionReceived.self, from: fast)
            try again.validate()
            FuzzCheck.expect(again.interactionId == event.interactionId, "the event's id changed on the way back")
        } catch {
            FuzzCheck.expect(false, "an accepted interaction's event is refused by its consumers: \(error)\n\(text(fast))")
        }
    }

    /// The scanner reads a submission as Foundation's decoder does, or leaves it.
    static func checkScanner(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let scanned = InteractionSubmission.scan(bytes) else { return }
        let decoded = try? InteractionSubmission.decode(from: bytes)
        FuzzCheck.expect(decoded == scanned, "the scanner read what the decoder reads otherwise (or refuses): \(text(bytes))")
    }

    /// The single pass accepts only what the decoding path accepts, and writes its bytes.
    static func checkTranscoder(_ transcoder: inout InteractionTranscoder, _ bytes: UnsafeBufferPointer<UInt8>,
                                batchLine: Bool = false) {
        let id = "fuzz-id"
        let fast = transcoder.transcode(bytes, interactionId: { id })
        let slow = slowPath(bytes, id: id, batchLine: batchLine)
        guard let fast else { return }
        guard let event = slow else {
            FuzzCheck.expect(false, "the single pass accepted what the decoding path refuses: \(text(bytes))")
            return
        }
        FuzzCheck.expect(transcoder.eventJSON == event.jsonBytes,
                         "the single pass and the decoding path disagree:\n\(text(transcoder.eventJSON))\n\(text(event.jsonBytes))")
        let texts = transcoder.withOutput { output in
            [fast.interactionIdText, fast.customerIdText, fast.occurredAtText].map { String(decoding: output[$0], as: UTF8.self) }
        }
        FuzzCheck.expect(texts == [event.interactionId, event.customerId, Timestamp.format(event.occurredAt)],
                         "the single pass's header texts are wrong: \(texts)")
        FuzzCheck.expect(fast.channel == event.channel && fast.occurredAt == event.occurredAt, "the single pass's channel or time is wrong")
    }

    static func text(_ bytes: some Sequence<UInt8>) -> String {
        String(decoding: Array(bytes).prefix(2_000), as: UTF8.self)
    }
}

/// `voc.gateway.raw.v1` records, as ingest's raw-gateway stage reads them
/// (`GatewayRawHandler.event`): the value decoded and validated, the gateway and trace
/// from the headers, the event encoded; what it publishes must read back downstream.
///
/// Input: `name: value` header lines, an empty line, the record's value.
enum GatewayRawTarget {
    static let target = FuzzTarget(
        name: "gateway-raw",
        summary: "raw-gateway records: headers and submission JSON to an interaction (ingest's GatewayRawHandler)"
    ) { raw in
        let (headers, value) = FuzzInput.headersAndBody(FuzzInput(raw).bytes[...])
        func header(_ name: String) -> String? {
            headers.first { $0.name == name }.map { String(decoding: $0.value, as: UTF8.self) }
        }
        let position = StableID.make("gateway-raw", "voc.gateway.raw.v1", "0", "42")
        guard let event = try? GatewayRawHandler.event(
            from: value, interactionId: position, gatewayId: header("gateway_id") ?? header("ce_source"),
            receivedAt: Submissions.receivedAt, limits: Submissions.limits) else { return }
        // Published at once: it must read back downstream.
        Submissions.checkWriters(event, published: true)
        let traceparent = TraceContext.child(of: header("traceparent"))
        FuzzCheck.expect(traceparent.utf8.count == 55, "a child trace context is not 55 characters: \(traceparent)")
        do {
            let encoded = try EventCodec.encode(event, source: IngestApp.source, traceparent: traceparent, json: event.jsonBytes)
            _ = try EventCodec.decode(InteractionReceived.self, value: encoded.value,
                                      headers: encoded.headers.map { ($0.name, Array($0.value.utf8)) })
        } catch {
            FuzzCheck.expect(false, "a raw-gateway record's event does not go through: \(error)")
        }
    }
}

/// `POST /v1/interactions:batch` bodies, as ingest splits and reads them
/// (`InteractionController.lines`, then each line by the single pass or the decoding
/// path, one transcoder for every line as in the controller).
///
/// Input: the NDJSON body.
enum BatchTarget {
    static let target = FuzzTarget(
        name: "ndjson-batch",
        summary: "NDJSON batch bodies: line splitting and every line through both paths (ingest's batch endpoint)"
    ) { raw in
        let body = Array(raw)
        let lines = InteractionController.lines(body)
        var previous = 0
        for (number, range) in lines {
            FuzzCheck.expect(number > previous, "line numbers do not increase")
            FuzzCheck.expect(range.lowerBound >= 0 && range.upperBound <= body.count && !range.isEmpty, "a line lies outside the body")
            FuzzCheck.expect(!body[range].contains(UInt8(ascii: "\n")), "a line holds a newline")
            let last = body[range.upperBound - 1]
            FuzzCheck.expect(last != UInt8(ascii: "\r") && last != UInt8(ascii: " ") && last != UInt8(ascii: "\t"),
                             "a line keeps its trailing blank")
            previous = number
        }
        var transcoder = InteractionTranscoder(gatewayId: "gw-1", receivedAt: Submissions.receivedAt, limits: Submissions.limits)
        body.withUnsafeBufferPointer { body in
            for (_, range) in lines {
                Submissions.checkTranscoder(&transcoder, UnsafeBufferPointer(rebasing: body[range]), batchLine: true)
            }
        }
    }
}

/// One submission through the single-pass transcoder (`VOCFastJSON`'s
/// `InteractionTranscoder` and `JSONScanner`), held to the decoding path.
///
/// Input: the submission's JSON.
enum TranscoderTarget {
    static let target = FuzzTarget(
        name: "transcoder",
        summary: "one submission through the single-pass scanner and transcoder, held to Foundation's decoder"
    ) { raw in
        let bytes = Array(raw)
        bytes.withUnsafeBufferPointer { bytes in
            Submissions.checkScanner(bytes)
            var transcoder = InteractionTranscoder(gatewayId: "gw-1", receivedAt: Submissions.receivedAt, limits: Submissions.limits)
            Submissions.checkTranscoder(&transcoder, bytes)
        }
    }
}
