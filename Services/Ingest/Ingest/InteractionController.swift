import Foundation
import HTTPTypes
import Hummingbird
import Logging
import VOCFastJSON
import VOCKafka
import VOCRuntime
import VOCSchema

/// `POST /v1/interactions` (JSON, or multipart with a recording) and
/// `POST /v1/interactions:batch` (NDJSON): `202` once the broker holds the event.
struct InteractionController: Sendable {
    let intake: Intake
    let recordings: RecordingController

    func addRoutes(to group: RouterGroup<IngestRequestContext>) {
        group.post("interactions") { request, context in
            try await AnswerError.catching {
                if request.headers[.contentType]?.lowercased().hasPrefix("multipart/form-data") == true {
                    return try await recordings.createMultipart(request, context: context)
                }
                return try await create(request, context: context)
            }
        }
        group.post("interactions:batch") { request, context in
            try await AnswerError.catching {
                try await batch(request, context: context)
            }
        }
    }

    struct Accepted: Codable, Sendable {
        var interactionId: String
        var status: String
        /// Where to `PUT` the recording's bytes, for a two-step upload.
        var uploadUrl: String?
        var expiresAt: Date?
    }

    func create(_ request: Request, context: IngestRequestContext) async throws -> Response {
        let gateway = context.gateway!
        let key = try IdempotentRequests.key(of: request)
        let body = try await intake.collect(request, limit: intake.configuration.maxBodyBytes)
        return try await intake.idempotency.run(
            key: key, gateway: gateway.id, fingerprint: IdempotentRequests.fingerprint(request, body: body), logger: context.logger
        ) {
            try await accept(body, request: request, gateway: gateway, idempotencyKey: key, context: context)
        }.response
    }

    private func accept(_ body: [UInt8], request: Request, gateway: GatewayIdentity, idempotencyKey: String?,
                        context: IngestRequestContext) async throws -> Answer {
        let submission: InteractionSubmission
        let event: InteractionReceived
        do {
            (submission, event) = try intake.event(from: body, form: .single, gateway: gateway, idempotencyKey: idempotencyKey)
        } catch {
            intake.count("rejected")
            return Answer.invalid(error, subject: "interaction")
        }
        if let denied = intake.permit(gateway, channel: event.channel) { return denied }
        if let limited = intake.admit(gateway) { return limited }
        if submission.audio != nil {
            // Two-step upload: the bytes follow with PUT.
            return try await recordings.announce(event, submission: submission, context: context)
        }
        if let failure = await intake.publish(event, request: request, logger: context.logger) { return failure }
        intake.count("accepted")
        return Answer.json(Accepted(interactionId: event.interactionId, status: "accepted"), status: 202)
    }

    struct LineResult: Codable, Sendable {
        var line: Int
        var status: Int
        var interactionId: String?
        var title: String?
        var errors: [FieldProblem]?
    }

    struct BatchResult: Codable, Sendable, JSONWritable {
        var accepted: Int
        var rejected: Int
        var results: [LineResult]

        /// A thousand lines per answer: written directly, as JSONEncoder would.
        func write(to writer: inout JSONWriter) {
            writer.beginObject()
            writer.member("accepted", accepted)
            writer.member("rejected", rejected)
            writer.key("results")
            writer.beginArray()
            for result in results {
                writer.beginObject()
                if let errors = result.errors {
                    writer.key("errors")
                    writer.beginArray()
                    for error in errors {
                        writer.beginObject()
                        writer.member("field", error.field)
                        writer.member("problem", error.problem)
                        writer.endObject()
                    }
                    writer.endArray()
                }
                writer.member("interactionId", result.interactionId)
                writer.member("line", result.line)
                writer.member("status", result.status)
                writer.member("title", result.title)
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
        }
    }

    func batch(_ request: Request, context: IngestRequestContext) async throws -> Response {
        let gateway = context.gateway!
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard ["application/x-ndjson", "application/jsonl", "application/ndjson"].contains(where: contentType.hasPrefix) else {
            return Answer.unsupportedMedia("a batch is NDJSON: one interaction per line, Content-Type application/x-ndjson",
                                           field: "Content-Type").response
        }
        let key = try IdempotentRequests.key(of: request)
        let body = try await intake.collect(request, limit: intake.configuration.batchMaxBytes)
        return try await intake.idempotency.run(
            key: key, gateway: gateway.id, fingerprint: IdempotentRequests.fingerprint(request, body: body), logger: context.logger
        ) {
            await acceptBatch(body, request: request, gateway: gateway, idempotencyKey: key, context: context)
        }.response
    }

    private func acceptBatch(_ body: [UInt8], request: Request, gateway: GatewayIdentity, idempotencyKey: String?,
                             context: IngestRequestContext) async -> Answer {
        let lines = Self.lines(body)
        guard !lines.isEmpty else {
            return Answer.problem(status: 422, type: "invalid-fields", title: "Invalid batch",
                                  detail: "the batch has no interactions", field: "body")
        }
        guard lines.count <= intake.configuration.batchMaxLines else {
            return Answer.problem(status: 413, type: "too-large", title: "Batch too large",
                                  detail: "a batch holds at most \(intake.configuration.batchMaxLines) interactions (got \(lines.count))",
                                  field: "body")
        }
        if let limited = intake.admit(gateway, cost: lines.count) { return limited }

        let now = Date()
        let traceparent = TraceContext.child(of: request.headers[.traceparent])
        var results: [LineResult] = []
        results.reserveCapacity(lines.count)
        // The records to produce, and for each the index of its line in `results`.
        var records = CloudEventBatch(InteractionReceived.self, source: intake.publisher.source, traceparent: traceparent,
                                      events: lines.count, bytes: body.count * 2)
        var resultIndex: [Int] = []
        resultIndex.reserveCapacity(lines.count)
        var transcoder = InteractionTranscoder(gatewayId: gateway.id, receivedAt: now, limits: intake.configuration.limits)
        body.withUnsafeBufferPointer { body in
            for (offset, (number, range)) in lines.enumerated() {
                let bytes = UnsafeBufferPointer(rebasing: body[range])
                // Common, valid lines go straight from their bytes to the event's; the rest
                // are decoded, which also words their errors.
                if let accepted = transcoder.transcode(bytes, interactionId: {
                    intake.interactionID(gateway: gateway.id, idempotencyKey: idempotencyKey, line: offset)
                }) {
                    guard gateway.channels.contains(accepted.channel) else {
                        results.append(Self.forbidden(line: number, gateway: gateway, channel: accepted.channel))
                        continue
                    }
                    transcoder.withOutput { output in
                        records.append(from: output, json: accepted.json, subject: accepted.customerIdText,
                                       id: accepted.interactionIdText, time: accepted.occurredAtText)
                    }
                    results.append(LineResult(line: number, status: 202, interactionId: accepted.interactionId))
                    resultIndex.append(results.count - 1)
                    continue
                }
                do {
                    let (_, event) = try intake.event(from: bytes, form: .batchLine(offset), gateway: gateway,
                                                      idempotencyKey: idempotencyKey, receivedAt: now)
                    guard gateway.channels.contains(event.channel) else {
                        results.append(Self.forbidden(line: number, gateway: gateway, channel: event.channel))
                        continue
                    }
                    records.append(try intake.publisher.encode(event, traceparent: traceparent))
                    results.append(LineResult(line: number, status: 202, interactionId: event.interactionId))
                    resultIndex.append(results.count - 1)
                } catch let error as ValidationError {
                    let problem = Problem(validation: error, subject: "interaction")
                    results.append(LineResult(line: number, status: problem.status, title: problem.title, errors: problem.errors))
                } catch {
                    results.append(LineResult(line: number, status: 500, title: "the event could not be encoded"))
                }
            }
        }
        let (receipt, refused) = intake.publisher.enqueue(records)
        let failures = refused.merging(await receipt.delivered()) { first, _ in first }
        var retriable = false
        for (index, error) in failures {
            retriable = retriable || error.isRetriable
            let answer = Answer.brokerFailure(error, retryAfter: intake.configuration.retryAfterSeconds)
            let line = results[resultIndex[index]].line
            results[resultIndex[index]] = LineResult(line: line, status: answer.status, title: error.message)
        }
        if results.allSatisfy({ $0.title == Self.malformedTitle }) {
            return Answer.problem(status: 400, type: "malformed-json", title: "Malformed batch",
                                  detail: "the body is not NDJSON: no line is a JSON object", field: "body")
        }
        let accepted = results.reduce(0) { $0 + ($1.status == 202 ? 1 : 0) }
        intake.count("accepted", accepted)
        intake.count("rejected", results.count - accepted)
        if accepted == 0 && retriable {
            context.logger.warning("batch not accepted by the broker", metadata: ["lines": "\(lines.count)"])
            return Answer.unavailable("the event broker did not acknowledge the batch; retry after the indicated delay",
                                      retryAfter: intake.configuration.retryAfterSeconds)
        }
        return Answer.json(BatchResult(accepted: accepted, rejected: results.count - accepted, results: results), status: 200)
    }

    private static func forbidden(line: Int, gateway: GatewayIdentity, channel: Channel) -> LineResult {
        LineResult(line: line, status: 403, title: "Forbidden", errors: [FieldProblem(
            field: "channel", problem: "gateway \(gateway.id) may not submit channel \(channel.rawValue)")])
    }

    private static let malformedTitle = Problem(validation: ValidationError(kind: .malformed, problems: []), subject: "").title

    /// Non-blank lines with their 1-based numbers, as ranges of `body` without trailing
    /// `\r`, spaces or tabs.
    static func lines(_ body: [UInt8]) -> [(Int, Range<Int>)] {
        body.withUnsafeBufferPointer { bytes in
            var result: [(Int, Range<Int>)] = []
            var number = 0
            var start = 0
            while start <= bytes.count {
                number += 1
                var end = bytes.count
                if start < bytes.count, let newline = memchr(bytes.baseAddress! + start, Int32(UInt8(ascii: "\n")), bytes.count - start) {
                    end = bytes.baseAddress!.distance(to: newline.assumingMemoryBound(to: UInt8.self))
                }
                var last = end
                while last > start, bytes[last - 1] == UInt8(ascii: "\r") || bytes[last - 1] == UInt8(ascii: " ") || bytes[last - 1] == UInt8(ascii: "\t") {
                    last -= 1
                }
                if last > start { result.append((number, start..<last)) }
                start = end + 1
            }
            return result
        }
    }
}
