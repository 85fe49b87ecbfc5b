import Foundation
import Hummingbird
import Logging
import VOCBlob
import VOCRuntime
import VOCProcess
import VOCSchema

/// Recordings by claim-check: the bytes go to the blob store, the event carries where
/// they are and their SHA-256. One-step (`multipart/form-data` on `POST
/// /v1/interactions`) or two-step (announce with JSON, then `PUT
/// /v1/interactions/{id}/audio`).
///
/// Every recording passes through the ledger (`ingest_recordings`) before a byte is
/// stored, so a crash at any point leaves a row the sweeper finishes: the blob deleted,
/// or the event published.
struct RecordingController: Sendable {
    let intake: Intake
    let blobs: any BlobStore
    let ledger: RecordingLedger

    func addRoutes(to group: RouterGroup<IngestRequestContext>) {
        group.put("interactions/:interactionId/audio") { request, context in
            try await AnswerError.catching {
                try await upload(request, context: context)
            }
        }
    }

    /// One step: metadata and bytes in one multipart request.
    func createMultipart(_ request: Request, context: IngestRequestContext) async throws -> Response {
        let gateway = context.gateway!
        guard let boundary = MultipartReader.boundary(request.headers[.contentType] ?? "") else {
            return Answer.problem(status: 400, type: "malformed-multipart", title: "Malformed multipart body",
                                  detail: "Content-Type multipart/form-data needs a boundary parameter", field: "Content-Type").response
        }
        let key = try IdempotentRequests.key(of: request)
        return try await intake.idempotency.run(
            key: key, gateway: gateway.id, fingerprint: IdempotentRequests.fingerprint(request, body: nil), logger: context.logger
        ) {
            if let tooLarge = declaredTooLarge(request) { return tooLarge }
            let parts: MultipartReader.Parts
            switch try await MultipartReader(spoolDirectory: blobs.spoolDirectory, audioLimit: intake.configuration.maxAudioBytes)
                .read(request.body, boundary: boundary) {
            case .success(let value): parts = value
            case .failure(let failure): return answer(for: failure)
            }
            guard let metadata = parts.metadata else {
                parts.audio.map { try? FileManager.default.removeItem(atPath: $0.path) }
                return Answer.problem(status: 422, type: "invalid-fields", title: "Invalid interaction",
                                      detail: "the multipart body needs a metadata part (the interaction as JSON)", field: "metadata")
            }
            guard let audio = parts.audio else {
                return Answer.problem(status: 422, type: "invalid-fields", title: "Invalid interaction",
                                      detail: "the multipart body needs an audio part (the recording's bytes)", field: "audio")
            }
            let answer = await accept(metadata: metadata, audio: audio, request: request, gateway: gateway,
                                      idempotencyKey: key, context: context)
            try? FileManager.default.removeItem(atPath: audio.path)  // gone already when stored
            return answer
        }.response
    }

    private func accept(metadata: [UInt8], audio: SpoolFile.Finished, request: Request, gateway: GatewayIdentity,
                        idempotencyKey: String?, context: IngestRequestContext) async -> Answer {
        let submission: InteractionSubmission
        let event: InteractionReceived
        do {
            (submission, event) = try intake.event(from: metadata, form: .multipart, gateway: gateway, idempotencyKey: idempotencyKey)
        } catch {
            intake.count("rejected")
            return Answer.invalid(error, subject: "interaction")
        }
        if let denied = intake.permit(gateway, channel: event.channel) { return denied }
        if let limited = intake.admit(gateway) { return limited }
        guard let media = MediaSniffer.detect(audio.head) else { return unsupported() }
        return await store(audio, media: media, key: Self.blobKey(interactionId: event.interactionId, media: media), for: event,
                           declared: submission.audio, announced: false, request: request, logger: context.logger)
    }

    /// Two step, first half: the interaction is recorded and waits for its bytes.
    func announce(_ event: InteractionReceived, submission: InteractionSubmission, context: IngestRequestContext) async throws -> Answer {
        var pending = event
        // The declaration rides in the ledger until the bytes come; it is not an event yet.
        pending.audio = AudioReference(uri: "", sizeBytes: 0, mediaType: submission.audio?.mediaType ?? "", sha256: "",
                                       durationMs: submission.audio?.durationMs,
                                       layout: submission.audio?.layout.map(AudioReference.Layout.init(rawValue:)))
        let expiresAt = Date().addingTimeInterval(TimeInterval(intake.configuration.uploadTTLSeconds))
        do {
            guard try await ledger.announce(pending, ttlSeconds: intake.configuration.uploadTTLSeconds) else {
                return Answer.problem(status: 409, type: "conflict", title: "Interaction exists",
                                      detail: "interaction \(event.interactionId) was already submitted", field: "externalId")
            }
        } catch {
            context.logger.warning("ledger unavailable", metadata: [LogKey.error: "\(String(reflecting: error))"])
            return Answer.unavailable("the recordings ledger is unavailable; retry after the indicated delay",
                                      retryAfter: intake.configuration.retryAfterSeconds)
        }
        let path = "/v1/interactions/\(event.interactionId)/audio"
        var answer = Answer.json(InteractionController.Accepted(interactionId: event.interactionId, status: "awaiting_audio",
                                                                 uploadUrl: path, expiresAt: expiresAt), status: 201)
        answer.headers[.location] = path
        return answer
    }

    /// Two step, second half: `PUT` the bytes.
    func upload(_ request: Request, context: IngestRequestContext) async throws -> Response {
        let gateway = context.gateway!
        let interactionId = context.parameters.get("interactionId") ?? ""
        let key = try IdempotentRequests.key(of: request)
        return try await intake.idempotency.run(
            key: key, gateway: gateway.id, fingerprint: IdempotentRequests.fingerprint(request, body: nil), logger: context.logger
        ) {
            let contentType = request.headers[.contentType]?.lowercased() ?? ""
            guard ["audio/", "video/", "application/octet-stream"].contains(where: contentType.hasPrefix) else {
                return Answer.unsupportedMedia("send the recording's bytes with an audio/*, video/* or application/octet-stream Content-Type",
                                               field: "Content-Type")
            }
            if let tooLarge = declaredTooLarge(request) { return tooLarge }
            let spool: SpoolFile
            do {
                spool = try SpoolFile(directory: blobs.spoolDirectory, limit: intake.configuration.maxAudioBytes)
            } catch {
                return Answer.unavailable("ingest cannot spool uploads: \(error)", retryAfter: intake.configuration.retryAfterSeconds)
            }
            do {
                for try await buffer in request.body {
                    try buffer.withUnsafeReadableBytes { try spool.write($0) }
                }
            } catch let error as BlobError where error.code == .tooLarge {
                spool.discard()
                return Answer.tooLarge(limit: intake.configuration.maxAudioBytes, field: "audio")
            } catch {
                spool.discard()
                throw error
            }
            let finished: SpoolFile.Finished
            do {
                finished = try spool.finish()
            } catch {
                spool.discard()
                return Answer.unavailable("ingest cannot spool uploads: \(error)", retryAfter: intake.configuration.retryAfterSeconds)
            }
            defer { try? FileManager.default.removeItem(atPath: finished.path) }
            if let limited = intake.admit(gateway) { return limited }
            return await storeAnnounced(finished, interactionId: interactionId, gateway: gateway, request: request, logger: context.logger)
        }.response
    }

    private func storeAnnounced(_ audio: SpoolFile.Finished, interactionId: String, gateway: GatewayIdentity,
                                request: Request, logger: Logger) async -> Answer {
        guard let media = MediaSniffer.detect(audio.head) else { return unsupported() }
        let key = Self.blobKey(interactionId: interactionId, media: media)
        let blobURI = blobs.uri(forKey: key)
        let claim: (InteractionReceived, claimed: Bool, state: RecordingLedger.State)?
        do {
            claim = try await ledger.claimUpload(interactionId: interactionId, gatewayId: gateway.id, blobURI: blobURI)
        } catch {
            logger.warning("ledger unavailable", metadata: [LogKey.error: "\(String(reflecting: error))"])
            return Answer.unavailable("the recordings ledger is unavailable; retry after the indicated delay",
                                      retryAfter: intake.configuration.retryAfterSeconds)
        }
        guard let (event, claimed, state) = claim else {
            return Answer.problem(status: 404, type: "not-found", title: "No such upload",
                                  detail: "interaction \(interactionId) was not announced by this gateway, or its upload window expired",
                                  field: "interactionId")
        }
        guard claimed else {
            return Answer.problem(status: 409, type: "conflict", title: "Already uploaded",
                                  detail: "interaction \(interactionId) already has its recording (\(state.rawValue))", field: "interactionId")
        }
        let declared = event.audio.map {
            InteractionSubmission.SubmittedAudio(mediaType: $0.mediaType.isEmpty ? nil : $0.mediaType, layout: $0.layout?.rawValue,
                                                 durationMs: $0.durationMs)
        }
        var bare = event
        bare.audio = nil
        return await store(audio, media: media, key: key, for: bare, declared: declared, announced: true, request: request, logger: logger)
    }

    /// Channels and duration: from the header for a plain WAV, from ffprobe for every
    /// other file. A file ffprobe finds no audio in (a video without sound, bytes that only
    /// start like a known format) is refused naming `audio`; without ffprobe the
    /// recording is taken with what the gateway declared.
    private static func facts(of audio: SpoolFile.Finished, media: MediaSniffer.Media,
                              logger: Logger) async -> Result<MediaProbe.Facts?, AnswerError> {
        if media.mediaType == "audio/wav", let wav = WAVInfo(readHead(audio.path), fileSize: audio.size) {
            return .success(MediaProbe.Facts(channels: wav.channels, durationMs: wav.durationMs))
        }
        switch await MediaProbe.probe(audio.path) {
        case .success(let facts):
            return .success(facts)
        case .failure(.toolMissing(let reason)):
            logger.warning("recording taken without its duration", metadata: [LogKey.error: "\(reason)"])
            return .success(nil)
        case .failure(.unreadable(let said)):
            return .failure(AnswerError(Answer.problem(status: 422, type: "invalid-fields", title: "Invalid interaction",
                                                       detail: "audio holds no audio stream that can be read (\(said))", field: "audio")))
        }
    }

    /// Checks the bytes, stores them, and publishes the event (or leaves it to the sweeper).
    private func store(_ audio: SpoolFile.Finished, media: MediaSniffer.Media, key: String, for event: InteractionReceived,
                       declared: InteractionSubmission.SubmittedAudio?, announced: Bool, request: Request, logger: Logger) async -> Answer {
        let retryAfter = intake.configuration.retryAfterSeconds
        let facts: MediaProbe.Facts?
        switch await Self.facts(of: audio, media: media, logger: logger) {
        case .success(let found):
            facts = found
        case .failure(let refusal):
            if announced { try? await ledger.abandon(interactionId: event.interactionId, backTo: .awaitingAudio) }
            return refusal.answer
        }
        if let facts, let layout = declared?.layout, layout != "mono", facts.channels < 2 {
            if announced { try? await ledger.abandon(interactionId: event.interactionId, backTo: .awaitingAudio) }
            return Answer.problem(status: 422, type: "invalid-fields", title: "Invalid interaction",
                                  detail: "audio.layout is \(layout) but the recording has \(facts.channels) channel", field: "audio.layout")
        }
        let layout = declared?.layout.map(AudioReference.Layout.init(rawValue:))
            ?? facts.map { $0.channels >= 2 ? .stereoAgentLeft : .mono }
        let blobURI = blobs.uri(forKey: key)
        var stored = event
        stored.audio = AudioReference(uri: blobURI, sizeBytes: audio.size, mediaType: media.mediaType, sha256: audio.sha256,
                                      durationMs: facts?.durationMs ?? declared?.durationMs, layout: layout)
        do {
            if !announced {
                guard try await ledger.reserve(event, blobURI: blobURI, ttlSeconds: intake.configuration.uploadTTLSeconds) else {
                    return Answer.problem(status: 409, type: "conflict", title: "Interaction exists",
                                          detail: "interaction \(event.interactionId) was already submitted", field: "externalId")
                }
            }
        } catch {
            logger.warning("ledger unavailable", metadata: [LogKey.error: "\(String(reflecting: error))"])
            return Answer.unavailable("the recordings ledger is unavailable; retry after the indicated delay", retryAfter: retryAfter)
        }
        do {
            _ = try await blobs.put(audio, key: key, mediaType: media.mediaType)
        } catch {
            logger.warning("blob store refused the recording", metadata: [LogKey.error: "\(error)"])
            try? await blobs.delete(blobURI)
            try? await ledger.abandon(interactionId: event.interactionId, backTo: announced ? .awaitingAudio : nil)
            return error.isRetriable
                ? Answer.unavailable("the blob store is unavailable: \(error.message)", retryAfter: retryAfter)
                : Answer.problem(status: 500, type: "blob-store", title: "Recording not stored", detail: error.message)
        }
        do {
            try await ledger.markStored(stored)
        } catch {
            // The sweeper will find the row in `storing` and delete the blob: the gateway must retry.
            logger.warning("ledger unavailable after storing", metadata: [LogKey.error: "\(String(reflecting: error))"])
            return Answer.unavailable("the recordings ledger is unavailable; retry after the indicated delay", retryAfter: retryAfter)
        }
        // From here the recording is durable: blob stored, event in the ledger. If the broker
        // does not take it now, the sweeper publishes it (same id) once it is back.
        let status: String
        if await intake.publish(stored, request: request, logger: logger) == nil {
            try? await ledger.markPublished(interactionId: stored.interactionId)
            status = "accepted"
        } else {
            status = "stored"
        }
        intake.count("accepted")
        return Answer.json(RecordingAccepted(interactionId: stored.interactionId, status: status, audio: stored.audio!), status: 202)
    }

    struct RecordingAccepted: Codable, Sendable {
        var interactionId: String
        /// `accepted` (the broker has the event) or `stored` (durable; the event follows
        /// as soon as the broker is reachable).
        var status: String
        var audio: AudioReference
    }

    /// `audio/2026/11/24/<interaction id>.wav`: dated folders keep listings and
    /// lifecycle rules (retention per month) cheap.
    static func blobKey(interactionId: String, media: MediaSniffer.Media, date: Date = Date()) -> String {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        return String(format: "audio/%04d/%02d/%02d/", parts.year!, parts.month!, parts.day!) + "\(interactionId).\(media.fileExtension)"
    }

    private func unsupported() -> Answer {
        intake.count("rejected")
        return Answer.unsupportedMedia("the recording is not a supported format (\(MediaSniffer.accepted))", field: "audio")
    }

    /// `413` before reading a byte when `Content-Length` already says too much.
    private func declaredTooLarge(_ request: Request) -> Answer? {
        guard let length = request.headers[.contentLength].flatMap(Int64.init),
              length > intake.configuration.maxAudioBytes + Int64(MultipartReader.maxMetadataBytes) else { return nil }
        intake.count("rejected")
        return Answer.tooLarge(limit: intake.configuration.maxAudioBytes, field: "audio")
    }

    private func answer(for failure: MultipartReader.Failure) -> Answer {
        intake.count("rejected")
        switch failure {
        case .malformed(let detail):
            return Answer.problem(status: 400, type: "malformed-multipart", title: "Malformed multipart body", detail: detail, field: "body")
        case .tooLarge(let field, let limit):
            return Answer.tooLarge(limit: limit, field: field)
        case .io(let detail):
            return Answer.unavailable("ingest cannot spool uploads: \(detail)", retryAfter: intake.configuration.retryAfterSeconds)
        }
    }

    static func readHead(_ path: String, bytes: Int = 65_536) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        return Array((try? handle.read(upToCount: bytes)) ?? Data())
    }
}
