import Foundation
import Hummingbird
import VOCBlob
import VOCRuntime
import VOCSchema

/// Answers a request for a recording: the bytes from the blob store, whole or the range a
/// player asks for when it seeks, to a caller who may see the contact's customer.
public struct RecordingResponder: Sendable {
    public let recordings: RecordingRepository
    public let files: RecordingFiles

    public init(recordings: RecordingRepository, files: RecordingFiles) {
        self.recordings = recordings
        self.files = files
    }

    public func respond(_ request: Request, interactionId: String, scope: CustomerScope) async throws -> Response {
        guard let reference = try await recordings.reference(interactionId, scope: scope) else {
            return ReadAuth.notFound("recording of contact \(interactionId)")
        }
        let path: String
        do {
            path = try await files.file(for: reference)
        } catch {
            switch error.code {
            case .notFound:
                return ReadAuth.notFound("the blob store's copy of the recording of contact \(interactionId)")
            case .unavailable:
                return HTTPResponses.problem(
                    Problem(type: "/problems/unavailable", title: "Blob store unavailable", status: 503, detail: error.message),
                    headers: [.retryAfter: "5"])
            default:
                return HTTPResponses.problem(Problem(type: "/problems/recording-unreadable", title: "Recording unreadable", status: 502,
                                                     detail: error.message))
            }
        }
        let size = reference.sizeBytes
        var headers: HTTPFields = [.acceptRanges: "bytes", .contentType: reference.mediaType, .cacheControl: "private, max-age=300"]
        switch ByteRange(header: request.headers[.range], size: size) {
        case .unsatisfiable:
            return HTTPResponses.problem(
                Problem(type: "/problems/range-not-satisfiable", title: "Range not satisfiable", status: 416,
                        detail: "the recording has \(size) bytes; ask for one range bytes=first-last within them",
                        errors: [FieldProblem(field: "Range", problem: "must be bytes=first-last, bytes=first- or bytes=-count within \(size) bytes")]),
                headers: [.contentRange: "bytes */\(size)", .acceptRanges: "bytes"])
        case .whole:
            let bytes = try RecordingFiles.read(path, lower: 0, upper: size - 1)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        case .part(let lower, let upper):
            let bytes = try RecordingFiles.read(path, lower: lower, upper: upper)
            headers[.contentRange] = "bytes \(lower)-\(upper)/\(size)"
            return Response(status: .partialContent, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
